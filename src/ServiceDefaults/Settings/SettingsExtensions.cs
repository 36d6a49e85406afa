using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlashFundX.ServiceDefaults.Settings;

public static class SettingsExtensions
{
    /// <summary>
    /// Binds section <paramref name="section"/> to <typeparamref name="TOptions"/> and validates it when the host starts
    /// (<see cref="StartupSettings"/> reports every failure of every section together).
    /// </summary>
    public static OptionsBuilder<TOptions> AddSettings<TOptions>(this IServiceCollection services, string section)
        where TOptions : class =>
        services.AddOptionsWithValidateOnStart<TOptions>()
            .BindConfiguration(section)
            .ValidateSettings(section);

    /// <summary>DataAnnotations (and <c>IValidatableObject</c>) validation whose messages name <c>Section:Key</c>.</summary>
    public static OptionsBuilder<TOptions> ValidateSettings<TOptions>(this OptionsBuilder<TOptions> builder, string section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(builder.Name, section));
        builder.Services.AddSingleton(SettingsSection.For<TOptions>(builder.Name, section));
        return builder;
    }
}

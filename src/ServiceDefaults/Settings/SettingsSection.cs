using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlashFundX.ServiceDefaults.Settings;

/// <summary>One validated settings section, so <see cref="StartupSettings"/> can check each on its own and report them all.</summary>
internal sealed record SettingsSection(string Section, Func<IServiceProvider, object> Resolve)
{
    public static SettingsSection For<TOptions>(string? name, string section)
        where TOptions : class =>
        new(section, services => services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name ?? Options.DefaultName));
}

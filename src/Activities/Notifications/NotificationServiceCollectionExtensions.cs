using FlashFundX.ServiceDefaults.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlashFundX.Activities.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>Section <c>Smtp</c> (validated at start when enabled) and the MailKit sender the e-mail activity uses.</summary>
    public static IServiceCollection AddOrderEmail(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSettings<SmtpOptions>(SmtpOptions.SectionName);
        services.TryAddSingleton<IOrderMailSender, SmtpMailSender>();
        return services;
    }
}

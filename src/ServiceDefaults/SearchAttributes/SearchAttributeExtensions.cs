using FlashFundX.Workflows.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Client;

namespace FlashFundX.ServiceDefaults.SearchAttributes;

public static class SearchAttributeExtensions
{
    /// <summary>
    /// Registers <see cref="OrderSearchAttributes.All"/> on the DI client's namespace at host start, before the
    /// hosted workers start. Call it in every process that runs a worker; it is idempotent.
    /// </summary>
    public static IServiceCollection AddOrderSearchAttributeRegistration(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IHostedService>(provider => new SearchAttributeRegistration(
            provider.GetRequiredService<ITemporalClient>(),
            OrderSearchAttributes.All,
            provider.GetRequiredService<ILogger<SearchAttributeRegistration>>()));
        return services;
    }
}

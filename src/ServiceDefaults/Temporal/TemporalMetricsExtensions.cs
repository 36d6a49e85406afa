using Microsoft.Extensions.DependencyInjection;
using Temporalio.Client;

namespace FlashFundX.ServiceDefaults.Temporal;

public static class TemporalMetricsExtensions
{
    /// <summary>
    /// Makes the DI Temporal client (<c>AddTemporalClient</c>, configured through
    /// <c>IOptions&lt;TemporalClientConnectOptions&gt;</c>) use <see cref="FulfillmentTemporalRuntime.Shared"/>, so
    /// its SDK metrics, and those of every hosted worker using that client, reach <c>/metrics</c>.
    /// A runtime set explicitly elsewhere is left alone.
    /// </summary>
    public static IServiceCollection AddTemporalMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TemporalClientConnectOptions>().Configure(options => options.Runtime ??= FulfillmentTemporalRuntime.Shared);
        return services;
    }
}

using FlashFundX.ServiceDefaults.Settings;
using FlashFundX.ServiceDefaults.Temporal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FlashFundX.ServiceDefaults.Metrics;

public static class MetricsExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>Meters .NET itself publishes that are worth a dashboard: HTTP server/client and the runtime (GC, threads).</summary>
    private static readonly string[] PlatformMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime"];

    /// <summary>
    /// Metrics for the API and the worker alike: <see cref="FulfillmentMetrics"/> in DI, the Temporal client on the
    /// metrics-forwarding runtime (<see cref="TemporalMetricsExtensions.AddTemporalMetrics"/>), and an OpenTelemetry
    /// meter provider exporting both (plus HTTP and runtime meters) in Prometheus format, served by a minimal Kestrel of
    /// its own on <c>Metrics:Port</c> when that is set (the management listener, loopback unless <c>Metrics:Host</c> says
    /// otherwise); a web app in Development also maps it on its own port with <see cref="MapFulfillmentMetrics"/>.
    /// </summary>
    public static IHostApplicationBuilder AddFulfillmentObservability(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSettings<MetricsServerOptions>(MetricsServerOptions.SectionName);
        builder.Services.TryAddSingleton<FulfillmentMetrics>();
        builder.Services.AddTemporalMetrics();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(FulfillmentMetrics.MeterName, FulfillmentTemporalRuntime.MeterName).AddMeter(PlatformMeters);
                metrics.AddPrometheusExporter();
            });
        builder.Services.AddHostedService(provider => new MetricsServer(
            provider.GetRequiredService<MeterProvider>(),
            provider.GetRequiredService<IOptions<MetricsServerOptions>>(),
            provider.GetRequiredService<ILogger<MetricsServer>>()));
        return builder;
    }

    /// <summary>Serves the Prometheus text exposition at <c>/metrics</c> on the app's own port (the API does so in Development only).</summary>
    public static IEndpointConventionBuilder MapFulfillmentMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
    }

    /// <summary>
    /// Keeps <c>ffx_orders_waiting_inventory</c> current from <paramref name="countWaiting"/> (e.g.
    /// <c>SELECT count(*) FROM orders WHERE delivery_status = 'waiting_inventory'</c>) every
    /// <paramref name="interval"/> (default 30 s). Register it in one process only, e.g. the API.
    /// </summary>
    public static IServiceCollection AddWaitingInventoryGauge(
        this IServiceCollection services,
        Func<IServiceProvider, CancellationToken, Task<long>> countWaiting,
        TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(countWaiting);
        services.TryAddSingleton<FulfillmentMetrics>();
        services.AddHostedService(provider => new WaitingInventoryGaugeSampler(
            provider,
            provider.GetRequiredService<FulfillmentMetrics>(),
            countWaiting,
            interval ?? TimeSpan.FromSeconds(30),
            provider.GetRequiredService<ILogger<WaitingInventoryGaugeSampler>>()));
        return services;
    }
}

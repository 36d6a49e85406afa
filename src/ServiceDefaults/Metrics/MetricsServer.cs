using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace FlashFundX.ServiceDefaults.Metrics;

/// <summary>
/// A minimal Kestrel serving only <c>/metrics</c> on <c>Metrics:Port</c> (the management listener of the worker, and of
/// the API outside Development, whose public port does not serve it).
/// It scrapes the host's own meter provider. Kestrel rather than OpenTelemetry's HttpListener exporter, which its
/// authors mark as meant for development only.
/// </summary>
internal sealed partial class MetricsServer(MeterProvider meterProvider, IOptions<MetricsServerOptions> settings, ILogger<MetricsServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = settings.Value;
        if (options.Port == 0)
        {
            return;
        }
        // Empty: no appsettings, environment or Kestrel sections of the host leak into this listener.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls($"http://{options.Host}:{options.Port}");
        builder.Services.AddRoutingCore();
        server = builder.Build();
        server.MapPrometheusScrapingEndpoint(MetricsExtensions.MetricsPath, meterProvider, configureBranchedPipeline: null, optionsName: null);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        LogListening(logger, string.Join(", ", server.Urls), MetricsExtensions.MetricsPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            server = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus metrics on {Urls}{Path}")]
    private static partial void LogListening(ILogger logger, string urls, string path);
}

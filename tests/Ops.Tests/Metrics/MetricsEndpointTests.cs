using FlashFundX.LocalDev;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.ServiceDefaults.SearchAttributes;
using FlashFundX.Ops.Tests.Support;
using FlashFundX.TestSupport.Temporal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Temporalio.Client;

namespace FlashFundX.Ops.Tests.Metrics;

/// <summary>Business and Temporal SDK metrics reach the Prometheus page of a web host (the API) and of a generic host (the worker).</summary>
[Collection(TemporalCollection.Name)]
public sealed class MetricsEndpointTests(TemporalTestEnvironment environment)
{
    [Fact]
    public async Task MapFulfillmentMetrics_WebHost_ServesBusinessAndTemporalMetrics()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddFulfillmentObservability();
        AddTemporalClient(builder.Services);
        await using var app = builder.Build();
        app.MapFulfillmentMetrics();
        await app.StartAsync();
        var metrics = app.Services.GetRequiredService<FulfillmentMetrics>();
        var client = app.Services.GetRequiredService<ITemporalClient>();
        using var http = new HttpClient();
        var address = new Uri(app.Urls.First());

        metrics.OrderCreated();
        metrics.OrderPaid();
        metrics.WebhookRejected("bad_signature");
        metrics.WebhookRejected("Signature 0xdeadbeef did not match");
        metrics.Delivered(TimeSpan.FromMinutes(3));
        metrics.SetWaitingForInventory(4);
        await client.CountWorkflowsAsync("WorkflowType = 'OrderFulfillmentWorkflow'");
        var text = await MetricsScraper.ScrapeUntilAsync(http, new Uri(address, "/metrics"), "ffx_orders_created_total", "temporal_request");

        Assert.Contains("ffx_orders_created_total", text, StringComparison.Ordinal);
        Assert.Contains("ffx_orders_paid_total", text, StringComparison.Ordinal);
        Assert.Contains("ffx_webhooks_rejected_total{", text, StringComparison.Ordinal);
        Assert.Contains("reason=\"bad_signature\"", text, StringComparison.Ordinal);
        Assert.Contains("reason=\"other\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("deadbeef", text, StringComparison.Ordinal);
        Assert.Contains("ffx_orders_payment_to_delivery_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("ffx_orders_waiting_inventory", text, StringComparison.Ordinal);
        Assert.Contains("temporal_request", text, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task AddFulfillmentObservability_GenericHostWithMetricsPort_ServesMetricsOnThatPort()
    {
        var port = LoopbackPorts.Free();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Metrics:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.AddFulfillmentObservability();
        AddTemporalClient(builder.Services);
        builder.Services.AddOrderSearchAttributeRegistration();
        using var host = builder.Build();
        await host.StartAsync();
        using var http = new HttpClient();

        host.Services.GetRequiredService<FulfillmentMetrics>().OrderExpired();
        var text = await MetricsScraper.ScrapeUntilAsync(http, new Uri($"http://localhost:{port}/metrics"), "ffx_orders_expired_total", "temporal_request");

        Assert.Contains("ffx_orders_expired_total", text, StringComparison.Ordinal);
        Assert.Contains("temporal_request", text, StringComparison.Ordinal);
        await host.StopAsync();
    }

    private void AddTemporalClient(IServiceCollection services) =>
        services.AddTemporalClient(environment.Client.Connection.Options.TargetHost!, environment.Client.Options.Namespace);
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FlashFundX.ServiceDefaults.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace FlashFundX.Api.Tests.Reconciliation;

/// <summary>
/// Counts <c>ffx.reconciler.orders</c> (scraped as <c>ffx_reconciler_orders_total</c>) of one service's meters only:
/// other services in the test process create meters of the same name.
/// </summary>
public sealed class ReconcilerMetric : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Action, string Reason), long> counts = new();

    public ReconcilerMetric(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FulfillmentMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)
                && instrument.Name == "ffx.reconciler.orders")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? action = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "action")
                {
                    action = tag.Value as string;
                }
                else if (tag.Key == "reason")
                {
                    reason = tag.Value as string;
                }
            }
            counts.AddOrUpdate((action ?? "", reason ?? ""), value, (_, total) => total + value);
        });
        listener.Start();
    }

    public long Count(string action, string reason) => counts.GetValueOrDefault((action, reason));

    public void Dispose() => listener.Dispose();
}

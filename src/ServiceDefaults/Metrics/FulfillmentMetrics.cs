using System.Diagnostics.Metrics;

namespace FlashFundX.ServiceDefaults.Metrics;

/// <summary>
/// Business metrics of order fulfillment (meter <see cref="MeterName"/>, scraped at <c>/metrics</c> with an
/// <c>ffx_</c> prefix). A singleton from DI; activities and API handlers call the methods.
/// </summary>
/// <remarks>
/// Workflow code never calls these: a workflow runs again on replay and after a worker restart, so it would count
/// the same order twice. Each order event is counted where it becomes a fact, exactly once: the API when it starts
/// an order's workflow or answers a webhook, activities when their database write actually changed the order
/// (e.g. the state-update activity when its UPDATE moved the row to <c>paid</c>; a retried activity that finds the
/// row already there counts nothing). <c>Workflow.MetricMeter</c> was the alternative; it skips replays but still
/// double-counts when a workflow task is retried, and it would put business counters under Temporal's labels.
/// </remarks>
public sealed class FulfillmentMetrics
{
    public const string MeterName = "FlashFundX.Fulfillment";

    private const int MaxReasonLength = 40;

    // Seconds from "payment confirmed" to "account delivered": instant with stock, hours to days without.
    private static readonly double[] DeliveryLatencyBuckets =
        [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600];

    private readonly Counter<long> created;
    private readonly Counter<long> paid;
    private readonly Counter<long> delivered;
    private readonly Counter<long> expired;
    private readonly Counter<long> cancelled;
    private readonly Counter<long> refundRequired;
    private readonly Gauge<long> waitingInventory;
    private readonly Counter<long> webhooksAccepted;
    private readonly Counter<long> webhooksRejected;
    private readonly Counter<long> webhooksUnrecorded;
    private readonly Counter<long> dispatchFailures;
    private readonly Counter<long> redispatched;
    private readonly Histogram<double> paymentToDelivery;
    private readonly Counter<long> reconciled;

    public FulfillmentMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        created = meter.CreateCounter<long>("ffx.orders.created", "{order}", "Orders created (workflow started)");
        paid = meter.CreateCounter<long>("ffx.orders.paid", "{order}", "Orders whose payment was confirmed");
        delivered = meter.CreateCounter<long>("ffx.orders.delivered", "{order}", "Orders whose trading account was delivered");
        expired = meter.CreateCounter<long>("ffx.orders.expired", "{order}", "Orders not paid before their deadline");
        cancelled = meter.CreateCounter<long>("ffx.orders.cancelled", "{order}", "Orders cancelled by an admin");
        refundRequired = meter.CreateCounter<long>("ffx.orders.refund_required", "{order}", "Orders flagged for a manual refund");
        waitingInventory = meter.CreateGauge<long>("ffx.orders.waiting_inventory", "{order}", "Paid orders waiting for a trading account to be restocked");
        webhooksAccepted = meter.CreateCounter<long>("ffx.webhooks.accepted", "{webhook}", "NowPayments IPN webhooks accepted");
        webhooksRejected = meter.CreateCounter<long>("ffx.webhooks.rejected", "{webhook}", "NowPayments IPN webhooks rejected, by reason");
        webhooksUnrecorded = meter.CreateCounter<long>("ffx.webhooks.unrecorded", "{webhook}", "Refused or duplicate IPNs answered but not stored: the per-minute budget (Webhooks:RejectedRowsPerMinute) was spent");
        dispatchFailures = meter.CreateCounter<long>("ffx.webhooks.dispatch_failures", "{webhook}", "Stored IPNs whose signal to the workflow failed (sent again by the sweep)");
        redispatched = meter.CreateCounter<long>("ffx.webhooks.redispatched", "{webhook}", "Stored IPNs a sweep sent again because no process had dispatched them in time");
        reconciled = meter.CreateCounter<long>("ffx.reconciler.orders", "{order}", "Open orders the reconciler found without a running workflow: restarted or flagged, by reason");
        paymentToDelivery = meter.CreateHistogram(
            "ffx.orders.payment_to_delivery.duration",
            "s",
            "Time from payment confirmed to account delivered",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryLatencyBuckets });
    }

    public void OrderCreated() => created.Add(1);

    public void OrderPaid() => paid.Add(1);

    /// <summary>Counts a delivery and records how long it took after the payment was confirmed.</summary>
    public void Delivered(TimeSpan sinceConfirmed)
    {
        delivered.Add(1);
        paymentToDelivery.Record(Math.Max(0, sinceConfirmed.TotalSeconds));
    }

    public void OrderExpired() => expired.Add(1);

    public void OrderCancelled() => cancelled.Add(1);

    public void RefundRequired() => refundRequired.Add(1);

    /// <summary>
    /// How many orders wait for stock right now, as counted from the database (a gauge, not +1/-1 per process,
    /// so worker restarts cannot skew it). See <see cref="MetricsExtensions.AddWaitingInventoryGauge"/>.
    /// </summary>
    public void SetWaitingForInventory(long count) => waitingInventory.Record(Math.Max(0, count));

    public void WebhookAccepted() => webhooksAccepted.Add(1);

    /// <summary>
    /// An open order the reconciler found without a running workflow: <paramref name="action"/> <c>restarted</c> or
    /// <c>flagged</c>, <paramref name="reason"/> a short code such as <c>run_missing</c> or <c>run_terminated</c>.
    /// </summary>
    public void OrderReconciled(string action, string reason) =>
        reconciled.Add(1, new KeyValuePair<string, object?>("action", ReasonLabel(action)), new KeyValuePair<string, object?>("reason", ReasonLabel(reason)));

    /// <summary>A refused or duplicate IPN past the storage budget, labelled like <see cref="WebhookRejected"/>.</summary>
    public void WebhookUnrecorded(string reason) =>
        webhooksUnrecorded.Add(1, new KeyValuePair<string, object?>("reason", ReasonLabel(reason)));

    public void WebhookDispatchFailed(int count) => dispatchFailures.Add(count);

    public void WebhooksRedispatched(int count) => redispatched.Add(count);

    /// <summary>
    /// A rejected webhook, labelled with a short fixed code such as <c>bad_signature</c> or <c>unknown_order</c>.
    /// Anything else (a message, a payload value) is folded into <c>other</c>: labels must stay few and never carry data.
    /// </summary>
    public void WebhookRejected(string reason) =>
        webhooksRejected.Add(1, new KeyValuePair<string, object?>("reason", ReasonLabel(reason)));

    internal static string ReasonLabel(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            return "other";
        }
        var code = reason.Trim().ToLowerInvariant();
        return code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') ? code : "other";
    }
}

using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using FlashFundX.Api.Temporal;
using FlashFundX.NowPayments.Ipn;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Webhooks;

/// <summary>
/// Signals stored IPNs to their orders' workflows once the webhook has acknowledged them. Each order has at most one
/// signal in flight; reports that arrive for it meanwhile wait and go together in its next signal, in the order
/// received, so a burst of statuses costs one signal and one workflow task rather than one each, and a slow signal holds
/// up only its own order. Signalled rows are then stamped dispatched, in one statement every 100 ms. A report whose run
/// has ended is recorded by <see cref="LatePaymentRecorder"/>. What is not dispatched (Temporal unreachable, the process
/// stopped) stays undispatched in webhook_events, where a sweep of any API process finds it after
/// <see cref="IpnDispatchOptions.RedispatchAfter"/>: once stored, a report reaches its order.
/// </summary>
public sealed partial class IpnDispatcher(
    WebhookEventStore events,
    OrderWorkflowClient workflows,
    LatePaymentRecorder latePayments,
    IOptions<IpnDispatchOptions> options,
    FulfillmentMetrics metrics,
    ILogger<IpnDispatcher> logger) : BackgroundService
{
    private const int MaxInFlight = 256;
    private const int MaxSweep = 500;
    private static readonly TimeSpan StampEvery = TimeSpan.FromMilliseconds(100);

    // Items are reports of one order that arrived together (one IPN from the webhook, an order's rows from a sweep).
    private readonly Channel<PendingIpn[]> queue = Channel.CreateUnbounded<PendingIpn[]>(new UnboundedChannelOptions { SingleReader = true });

    private readonly ConcurrentQueue<long> signalled = new();
    private readonly SemaphoreSlim signalSlots = new(MaxInFlight);

    // Orders with a signal in flight; guarded by itself.
    private readonly Dictionary<string, Lane> lanes = new(StringComparer.Ordinal);

    public void Enqueue(PendingIpn ipn) => queue.Writer.TryWrite([ipn]);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = SweepLoopAsync(stoppingToken);
        var stamping = StampLoopAsync(stoppingToken);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (queue.Reader.TryRead(out var ipns))
                {
                    Route(ipns);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever is still queued is stored; the next sweep sends it.
        }
        await sweeping;
        await stamping;
        Task[] inFlight;
        lock (lanes)
        {
            inFlight = [.. lanes.Values.Select(lane => lane.Sending)];
        }
        await Task.WhenAll(inFlight);
        // After the last signal, so what it signalled is stamped too.
        await StampAsync();
    }

    /// <summary>Starts a signal for the order of <paramref name="ipns"/>, or queues them behind the one in flight.</summary>
    private void Route(PendingIpn[] ipns)
    {
        var orderId = ipns[0].OrderId;
        lock (lanes)
        {
            if (lanes.TryGetValue(orderId, out var busy))
            {
                busy.Behind.AddRange(ipns);
                return;
            }
            var lane = new Lane();
            lanes[orderId] = lane;
            lane.Sending = RunLaneAsync(orderId, ipns);
        }
    }

    /// <summary>Signals the order until nothing more waits for it, then gives up its lane.</summary>
    private async Task RunLaneAsync(string orderId, PendingIpn[] first)
    {
        await Task.Yield(); // the reader goes on routing while this order's signal is sent
        var batch = first;
        try
        {
            while (true)
            {
                await signalSlots.WaitAsync();
                try
                {
                    using var timeout = new CancellationTokenSource(options.Value.SignalTimeout);
                    foreach (var id in await DispatchOrderAsync(orderId, batch, timeout.Token))
                    {
                        signalled.Enqueue(id);
                    }
                }
                finally
                {
                    signalSlots.Release();
                }
                lock (lanes)
                {
                    var behind = lanes[orderId].Behind;
                    if (behind.Count == 0)
                    {
                        lanes.Remove(orderId);
                        return;
                    }
                    batch = [.. behind];
                    behind.Clear();
                }
            }
        }
#pragma warning disable CA1031 // the lane must be given up whatever failed: its rows are still stored, and swept
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (lanes)
            {
                lanes.Remove(orderId);
            }
            LogLaneFailed(logger, ex, orderId, OrderIds.WorkflowId(orderId));
        }
    }

    /// <summary>Takes stored IPNs nobody dispatched in time and queues them again; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var rows = await events.ClaimUndispatchedAsync(options.Value.RedispatchAfter, MaxSweep, cancellationToken);
        var due = new List<PendingIpn>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Body is not { } body || !IpnPayload.TryParse(Encoding.UTF8.GetBytes(body), out var payload, out _) || payload.PaymentId is null)
            {
                // Accepted rows hold the whole signed body, so this is damage, not traffic: take it out of the sweep.
                await events.MarkOrphanedAsync(row.Id, "stored body unreadable; not dispatched", cancellationToken);
                LogUnreadable(logger, row.Id, row.OrderId, OrderIds.WorkflowId(row.OrderId));
                continue;
            }
            due.Add(new PendingIpn(row.Id, row.OrderId, IpnUpdates.From(payload)));
        }
        foreach (var order in due.GroupBy(ipn => ipn.OrderId, StringComparer.Ordinal))
        {
            queue.Writer.TryWrite([.. order]);
        }
        if (rows.Count > 0)
        {
            metrics.WebhooksRedispatched(rows.Count);
            LogRedispatching(logger, rows.Count);
        }
        return rows.Count;
    }

    /// <summary>
    /// Queues the order's stored IPNs that never reached a run (not dispatched yet, or orphaned while it had none) to be
    /// signalled: called once its run has been started again (<c>OrderRunRestart</c>). Returns how many.
    /// </summary>
    public async Task<int> DispatchStoredAsync(string orderId, CancellationToken cancellationToken)
    {
        var rows = await events.ReopenUndeliveredAsync(orderId, cancellationToken);
        var due = new List<PendingIpn>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Body is { } body && IpnPayload.TryParse(Encoding.UTF8.GetBytes(body), out var payload, out _) && payload.PaymentId is not null)
            {
                due.Add(new PendingIpn(row.Id, row.OrderId, IpnUpdates.From(payload)));
            }
        }
        if (due.Count > 0)
        {
            // A row that cannot be read back stays accepted and undispatched; the sweep marks it orphaned.
            queue.Writer.TryWrite([.. due]);
        }
        return due.Count;
    }

    /// <summary>An order's signal in flight, and the reports that arrived since it was sent.</summary>
    private sealed class Lane
    {
        public List<PendingIpn> Behind { get; } = [];

        public Task Sending { get; set; } = Task.CompletedTask;
    }

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
#pragma warning disable CA1031 // the sweep is the safety net: it logs and tries again next tick, whatever failed
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogSweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Stamps what was signalled every <see cref="StampEvery"/>, in one statement: a stamp is an UPDATE of a wide row,
    /// and one statement per signal cost more than coalescing the signals saved. A row signalled but not yet stamped
    /// when the process dies is sent again by a sweep, which the workflow ignores.
    /// </summary>
    private async Task StampLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(StampEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await StampAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: ExecuteAsync stamps once more after the last signal.
        }
    }

    private async Task StampAsync()
    {
        var ids = new List<long>();
        while (signalled.TryDequeue(out var id))
        {
            ids.Add(id);
        }
        try
        {
            await events.MarkDispatchedAsync(ids, CancellationToken.None);
        }
#pragma warning disable CA1031 // unstamped rows are sent again by the sweep, which the workflow ignores
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogStampFailed(logger, ex, ids.Count);
        }
    }

    /// <summary>One order's reports as one signal; the ids of the rows that reached the workflow.</summary>
    private async Task<IEnumerable<long>> DispatchOrderAsync(string orderId, PendingIpn[] ipns, CancellationToken cancellationToken)
    {
        var workflowId = OrderIds.WorkflowId(orderId);
        SignalResult result;
        try
        {
            result = await workflows.PaymentStatusesChangedAsync(orderId, [.. ipns.Select(ipn => ipn.Update)], cancellationToken);
        }
#pragma warning disable CA1031 // whatever stopped the signal, the rows stay undispatched and the sweep sends them again
        catch (Exception ex)
#pragma warning restore CA1031
        {
            metrics.WebhookDispatchFailed(ipns.Length);
            LogDispatchFailed(logger, ex, ipns.Length, orderId, workflowId);
            return [];
        }

        if (result == SignalResult.WorkflowNotRunning)
        {
            foreach (var ipn in ipns)
            {
                await RecordLateAsync(ipn);
            }
            return [];
        }
        // OrderWorkflowClient logs the signal; the webhook logged each IPN when it stored it.
        return ipns.Select(ipn => ipn.EventId);
    }

    /// <summary>
    /// The order's run has ended, so no workflow applies the report: the database records it (a paid order's later
    /// status, or money for an order that ended unpaid, flagged for refund). Should the write fail, the row stays
    /// undispatched and the sweep tries again.
    /// </summary>
    private async Task RecordLateAsync(PendingIpn ipn)
    {
        var workflowId = OrderIds.WorkflowId(ipn.OrderId);
        try
        {
            var late = await latePayments.RecordAsync(ipn.OrderId, ipn.Update, CancellationToken.None);
            if (!late.Closed)
            {
                await events.MarkOrphanedAsync(ipn.EventId, WebhookOutcomes.NoRunDetail, CancellationToken.None);
                LogOrphaned(logger, ipn.OrderId, workflowId, UntrustedText.ForLog(ipn.Update.PaymentId));
                metrics.WebhookRejected("workflow_closed");
                return;
            }
            await events.MarkLateAsync(ipn.EventId, late.Detail, CancellationToken.None);
            metrics.WebhookRejected(late.RefundRequired ? "late_refund_required" : "late");
            if (late.RefundRequired)
            {
                metrics.RefundRequired();
            }
        }
#pragma warning disable CA1031 // whatever failed, the row stays undispatched and the sweep tries again
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogLateRecordFailed(logger, ex, ipn.OrderId, workflowId, UntrustedText.ForLog(ipn.Update.PaymentId));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not signal {Reports} stored IPN(s) to order {OrderId} workflow {WorkflowId}; the sweep sends them again")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, int reports, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orphaned IPN for payment {PaymentId} of order {OrderId} (workflow {WorkflowId}): workflow not running, order not closed")]
    private static partial void LogOrphaned(ILogger logger, string orderId, string workflowId, string paymentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record late IPN for payment {PaymentId} of order {OrderId} (workflow {WorkflowId}); the sweep tries again")]
    private static partial void LogLateRecordFailed(ILogger logger, Exception exception, string orderId, string workflowId, string paymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not stamp {Count} dispatched IPN(s); the sweep sends them again, which changes nothing")]
    private static partial void LogStampFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending {Count} stored IPN(s) again that were not dispatched in time")]
    private static partial void LogRedispatching(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored IPN {EventId} of order {OrderId} (workflow {WorkflowId}) cannot be read back; marked orphaned")]
    private static partial void LogUnreadable(ILogger logger, long eventId, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching stored IPNs of order {OrderId} (workflow {WorkflowId}) failed; the sweep sends them again")]
    private static partial void LogLaneFailed(ILogger logger, Exception exception, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The sweep for undispatched IPNs failed; it tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

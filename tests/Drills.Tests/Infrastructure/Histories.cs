using FlashFundX.TestSupport.Service;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>What the workflows themselves say: closed successfully, and how often each scheduled the delivery steps.</summary>
public sealed record HistoryCounts(int Workflows, int CompletedSuccessfully, int RecordDeliveryScheduled, int CompleteOrderScheduled, int WithRepeatedDelivery)
{
    /// <summary>Waits for each order's workflow to close (at most <paramref name="timeout"/> each) and counts its history.</summary>
    public static async Task<HistoryCounts> ReadAsync(FulfillmentService service, IEnumerable<string> orderIds, TimeSpan timeout, int parallelism = 8)
    {
        ArgumentNullException.ThrowIfNull(service);
        var ids = orderIds.ToArray();
        int completed = 0, deliveries = 0, completions = 0, repeated = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (orderId, _) =>
        {
            await service.WaitForWorkflowResultAsync(orderId, timeout);
            var history = await service.FetchHistoryAsync(orderId);
            var recorded = history.CountActivities("RecordDelivery");
            if (history.CompletedSuccessfully())
            {
                Interlocked.Increment(ref completed);
            }
            Interlocked.Add(ref deliveries, recorded);
            Interlocked.Add(ref completions, history.CountActivities("CompleteOrder"));
            if (recorded > 1)
            {
                Interlocked.Increment(ref repeated);
            }
        });
        return new HistoryCounts(ids.Length, completed, deliveries, completions, repeated);
    }

    public void Print(DrillLog log, int expectedDelivered)
    {
        ArgumentNullException.ThrowIfNull(log);
        log.Line("workflow histories:");
        log.Count("workflows completed successfully", CompletedSuccessfully, Workflows);
        log.Count("RecordDelivery activities scheduled", RecordDeliveryScheduled, expectedDelivered);
        log.Count("CompleteOrder activities scheduled", CompleteOrderScheduled, expectedDelivered);
        log.Count("workflows that scheduled RecordDelivery more than once", WithRepeatedDelivery, 0);
    }
}

using FlashFundX.TestSupport.Service;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>
/// What the workflows themselves say: closed successfully, and how often each ran its delivery. A run delivers with
/// one <c>DeliverOrder</c> local activity (rules, account, delivered row, totals and completion in one transaction);
/// a retry after a lost worker is an attempt of the same call, not a new one, so with stock for every order each run
/// records its delivery exactly once.
/// </summary>
public sealed record HistoryCounts(int Workflows, int CompletedSuccessfully, int Deliveries, int WithRepeatedDelivery)
{
    private const string DeliverOrder = "DeliverOrder";

    /// <summary>Waits for each order's workflow to close (at most <paramref name="timeout"/> each) and counts its history.</summary>
    public static async Task<HistoryCounts> ReadAsync(FulfillmentService service, IEnumerable<string> orderIds, TimeSpan timeout, int parallelism = 8)
    {
        ArgumentNullException.ThrowIfNull(service);
        var ids = orderIds.ToArray();
        int completed = 0, deliveries = 0, repeated = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (orderId, _) =>
        {
            await service.WaitForWorkflowResultAsync(orderId, timeout);
            var history = await service.FetchHistoryAsync(orderId);
            var delivered = history.CountActivities(DeliverOrder);
            if (history.CompletedSuccessfully())
            {
                Interlocked.Increment(ref completed);
            }
            Interlocked.Add(ref deliveries, delivered);
            if (delivered > 1)
            {
                Interlocked.Increment(ref repeated);
            }
        });
        return new HistoryCounts(ids.Length, completed, deliveries, repeated);
    }

    public void Print(DrillLog log, int expectedDelivered)
    {
        ArgumentNullException.ThrowIfNull(log);
        log.Line("workflow histories:");
        log.Count("workflows completed successfully", CompletedSuccessfully, Workflows);
        log.Count($"deliveries recorded ({DeliverOrder})", Deliveries, expectedDelivered);
        log.Count("workflows that recorded their delivery more than once", WithRepeatedDelivery, 0);
    }
}

using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>Waits until order workflows have nothing left to do without a new signal or timer.</summary>
public static class Settled
{
    /// <summary>
    /// Until each order's run is closed or idle: its last workflow task completed and nothing (workflow task or activity)
    /// is scheduled after it, so it waits for a signal or a timer. An effect such a run could still have (a delivery, a
    /// status change) is in the database or the history by then, or does not come without stock, payment or time.
    /// </summary>
    public static async Task WaitAsync(FulfillmentService service, IEnumerable<string> orderIds, TimeSpan timeout, int parallelism = 8)
    {
        ArgumentNullException.ThrowIfNull(service);
        await Parallel.ForEachAsync(orderIds, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (orderId, ct) =>
            await Eventually.WaitAsync(
                () => service.FetchHistoryAsync(orderId),
                IsClosedOrIdle,
                timeout,
                $"the run of {orderId} closed or idle",
                TimeSpan.FromMilliseconds(250),
                history => string.Join(", ", history.Events.TakeLast(4).Select(e => e.EventType)),
                ct));
    }

    private static bool IsClosedOrIdle(Temporalio.Common.WorkflowHistory history)
    {
        var events = history.Events;
        if (events.Count == 0)
        {
            return false;
        }
        if (events.Last().EventType is EventType.WorkflowExecutionCompleted or EventType.WorkflowExecutionFailed
            or EventType.WorkflowExecutionCanceled or EventType.WorkflowExecutionTerminated or EventType.WorkflowExecutionTimedOut)
        {
            return true;
        }
        var lastCompleted = events.LastOrDefault(e => e.EventType == EventType.WorkflowTaskCompleted)?.EventId ?? 0;
        return lastCompleted > 0 && !events.Any(e => e.EventId > lastCompleted
            && e.EventType is EventType.WorkflowTaskScheduled or EventType.ActivityTaskScheduled);
    }
}

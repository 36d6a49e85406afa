using System.Globalization;
using FlashFundX.TestSupport.Service;
using Temporalio.Api.Enums.V1;
using static System.FormattableString;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>
/// From the workflow histories of a sample of orders: per activity type, how long each task waited in the task queue
/// (scheduled → started) and ran (started → completed), and the same for workflow tasks, so a slow stage can be put on
/// the queue (worker or server saturated) or on the work itself (PostgreSQL, the provider).
/// </summary>
internal sealed class TemporalBreakdown
{
    private readonly SortedDictionary<string, (List<double> Wait, List<double> Run)> _byType = new(StringComparer.Ordinal);
    private int _histories;
    private int _tasksPerOrder;

    public static async Task<TemporalBreakdown> SampleAsync(FulfillmentService service, IReadOnlyList<string> orderIds)
    {
        var breakdown = new TemporalBreakdown();
        foreach (var orderId in orderIds)
        {
            try
            {
                var history = await service.FetchHistoryAsync(orderId).ConfigureAwait(false);
                breakdown.Add(history.Events);
            }
            catch (Temporalio.Exceptions.RpcException e)
            {
                EndToEndBenchmark.Out.WriteLine($"  (history of {orderId} not fetched: {e.Message})");
            }
        }
        return breakdown;
    }

    private void Add(IReadOnlyCollection<Temporalio.Api.History.V1.HistoryEvent> events)
    {
        _histories++;
        var byId = events.ToDictionary(e => e.EventId);
        foreach (var e in events)
        {
            switch (e.EventType)
            {
                case EventType.ActivityTaskCompleted:
                {
                    var a = e.ActivityTaskCompletedEventAttributes;
                    var scheduled = byId[a.ScheduledEventId];
                    var started = byId[a.StartedEventId];
                    Record("activity " + scheduled.ActivityTaskScheduledEventAttributes.ActivityType.Name, scheduled, started, e);
                    _tasksPerOrder++;
                    break;
                }
                case EventType.WorkflowTaskCompleted:
                {
                    var w = e.WorkflowTaskCompletedEventAttributes;
                    Record("workflow task", byId[w.ScheduledEventId], byId[w.StartedEventId], e);
                    _tasksPerOrder++;
                    break;
                }
                case EventType.WorkflowTaskFailed:
                {
                    // Its work is thrown away and done again: e.g. a completion the server refused because a signal
                    // arrived meanwhile (UnhandledCommand), with every local activity of that task run once more.
                    var w = e.WorkflowTaskFailedEventAttributes;
                    Record($"workflow task failed ({w.Cause})", byId[w.ScheduledEventId], byId[w.StartedEventId], e);
                    _tasksPerOrder++;
                    break;
                }
            }
        }
    }

    private void Record(string type, Temporalio.Api.History.V1.HistoryEvent scheduled, Temporalio.Api.History.V1.HistoryEvent started, Temporalio.Api.History.V1.HistoryEvent completed)
    {
        if (!_byType.TryGetValue(type, out var lists))
        {
            lists = ([], []);
            _byType[type] = lists;
        }
        lists.Wait.Add((started.EventTime.ToDateTime() - scheduled.EventTime.ToDateTime()).TotalMilliseconds);
        lists.Run.Add((completed.EventTime.ToDateTime() - started.EventTime.ToDateTime()).TotalMilliseconds);
    }

    public void Print()
    {
        EndToEndBenchmark.Out.WriteLine();
        EndToEndBenchmark.Out.WriteLine(Invariant($"Temporal task timings from {_histories} workflow histories of the run ({(double)_tasksPerOrder / Math.Max(1, _histories):F1} tasks per order), ms:"));
        EndToEndBenchmark.Out.WriteLine("| task | count/order | queue wait p50 | queue wait p99 | run p50 | run p99 | run mean |");
        EndToEndBenchmark.Out.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (type, (wait, run)) in _byType)
        {
            var w = new Samples(type, wait);
            var r = new Samples(type, run);
            EndToEndBenchmark.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {type} | {(double)w.Count / Math.Max(1, _histories):F1} | {w.P(0.5):F1} | {w.P(0.99):F1} | {r.P(0.5):F1} | {r.P(0.99):F1} | {r.Mean:F1} |"));
        }
    }
}

using FlashFundX.EmbeddedTemporal.Tasks;
using FlashFundX.EmbeddedTemporal.Time;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>
/// Sticky dispatch: after a worker completes a workflow task naming its own sticky queue, later tasks (and
/// legacy queries) of this run go to that queue carrying only the events the worker has not seen yet, since it
/// keeps the run cached. When no sticky poller takes a task within the sticky schedule-to-start timeout, or the
/// worker shut down, the task moves to the normal queue with full history, as Temporal's matching does.
/// </summary>
internal sealed partial class WorkflowRun
{
    private static readonly TimeSpan DefaultStickyTimeout = TimeSpan.FromSeconds(5);
    private string? _stickyQueue;
    private TimeSpan _stickyTimeout = DefaultStickyTimeout;
    private ClockTimer? _stickyFallbackTimer;
    private bool _wftOnStickyQueue;

    private void SetStickiness(StickyExecutionAttributes? attributes)
    {
        var name = attributes?.WorkerTaskQueue?.Name;
        if (string.IsNullOrEmpty(name))
        {
            ClearStickiness();
            return;
        }
        _stickyQueue = name;
        var timeout = ProtoTime.Positive(attributes!.ScheduleToStartTimeout);
        _stickyTimeout = timeout ?? DefaultStickyTimeout;
    }

    /// <summary>A failed or timed-out task (or a dead worker) means the cached state cannot be trusted.</summary>
    private void ClearStickiness() => _stickyQueue = null;

    /// <summary>The sticky queue to use for the next dispatch, or null for the normal queue.</summary>
    private TaskQueue<WorkflowQueueItem>? LiveStickyQueue()
    {
        if (_stickyQueue == null || !IsOpen)
        {
            return null;
        }
        var queue = _server.WorkflowQueues.Get(Namespace, _stickyQueue);
        if (queue.HasLivePoller(_stickyTimeout))
        {
            return queue;
        }
        ClearStickiness();
        return null;
    }

    private TaskQueue<WorkflowQueueItem> NormalQueue => _server.WorkflowQueues.Get(Namespace, TaskQueue);

    private void OfferWorkflowTask()
    {
        var scheduledId = _wftScheduledId;
        if (LiveStickyQueue() is { } sticky)
        {
            _wftOnStickyQueue = true;
            _stickyFallbackTimer = Clock.Schedule(_stickyTimeout, () => OnStickyTaskUntaken(scheduledId));
            sticky.Offer(new WorkflowTaskItem(this, scheduledId, Sticky: true));
        }
        else
        {
            _wftOnStickyQueue = false;
            NormalQueue.Offer(new WorkflowTaskItem(this, scheduledId, Sticky: false));
        }
    }

    private void CancelStickyFallback()
    {
        _stickyFallbackTimer?.Cancel();
        _stickyFallbackTimer = null;
    }

    private void OnStickyTaskUntaken(long scheduledId)
    {
        lock (_gate)
        {
            if (!IsOpen || _wft != WftState.Scheduled || _wftScheduledId != scheduledId || !_wftOnStickyQueue)
            {
                return;
            }
            // The sticky copy stays queued; whichever copy is taken first wins, the other is stale.
            ClearStickiness();
            CancelStickyFallback();
            _wftOnStickyQueue = false;
            NormalQueue.Offer(new WorkflowTaskItem(this, scheduledId, Sticky: false));
        }
    }

    private void OnLegacyQueryUntaken(string queryId)
    {
        lock (_gate)
        {
            if (_legacyQueries.TryGetValue(queryId, out var query) && !query.Taken)
            {
                ClearStickiness();
                NormalQueue.Offer(new QueryTaskItem(this, queryId, Sticky: false));
            }
        }
    }

    /// <summary>The events after the last completed task's started event: what a cached worker has not seen.</summary>
    private void AddHistoryFor(History history, bool sticky)
    {
        if (!sticky || _previousStartedId <= 0)
        {
            history.Events.AddRange(_history);
            return;
        }
        for (var i = (int)_previousStartedId; i < _history.Count; i++)
        {
            history.Events.Add(_history[i]);
        }
    }
}

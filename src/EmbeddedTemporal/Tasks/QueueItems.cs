using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Tasks;

/// <summary>
/// A reference to work on a workflow task queue. Dispatch re-checks the run's state and returns null when the
/// item went stale (task already timed out, run closed, ...), in which case the poller keeps waiting.
/// </summary>
internal abstract class WorkflowQueueItem
{
    public abstract PollWorkflowTaskQueueResponse? TryDispatch(PollWorkflowTaskQueueRequest poll);

    /// <summary>Called for items left on a sticky queue whose worker shut down: move the work elsewhere.</summary>
    public virtual void OnQueueShutDown()
    {
    }
}

internal abstract class ActivityQueueItem
{
    public abstract PollActivityTaskQueueResponse? TryDispatch(PollActivityTaskQueueRequest poll);
}

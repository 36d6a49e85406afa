using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.Update.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>
/// One workflow update as Temporal's update registry tracks it: admitted by a client, sent to a worker in a workflow
/// task, then accepted (the <c>WorkflowExecutionUpdateAccepted</c> event) or rejected (no event at all), and completed
/// (<c>WorkflowExecutionUpdateCompleted</c>). Its two outcomes are what callers wait on: whether it was accepted (a
/// rejection carries the validator's failure) and its final outcome. Guarded by the run's lock.
/// </summary>
internal sealed class WorkflowUpdate(string id, Request request, long sequence)
{
    public string Id { get; } = id;

    /// <summary>The client's request, sent to the worker and recorded in the accepted event.</summary>
    public Request Request { get; } = request;

    /// <summary>Admission order: updates reach the worker in the order they were admitted.</summary>
    public long Sequence { get; } = sequence;

    public UpdateState State { get; set; } = UpdateState.Admitted;

    public long AcceptedEventId { get; set; }

    /// <summary>The id of the message that carries the request to the worker, as a real server names it.</summary>
    public string RequestMessageId => Id + "/request";

    /// <summary>Null once accepted; the rejection failure if rejected; an error if the update was aborted.</summary>
    public TaskCompletionSource<Failure?> Accepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<Outcome> Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Accept() => Accepted.TrySetResult(null);

    public void Complete(Outcome outcome)
    {
        State = UpdateState.Completed;
        Accepted.TrySetResult(null);
        Completed.TrySetResult(outcome);
    }

    public void Reject(Failure failure)
    {
        State = UpdateState.Completed;
        Accepted.TrySetResult(failure);
        Completed.TrySetResult(new Outcome { Failure = failure });
    }

    public void Abort(RpcException error)
    {
        State = UpdateState.Completed;
        Accepted.TrySetException(error);
        Completed.TrySetException(error);
    }

    /// <summary>
    /// Waits, up to <paramref name="budget"/>, for <paramref name="stage"/>, as Temporal's history service does: the
    /// answer is the stage reached (ADMITTED when the wait ran out), with the outcome once completed; a rejection is a
    /// completed update whose outcome is the rejection failure.
    /// </summary>
    public async Task<(UpdateWorkflowExecutionLifecycleStage Stage, Outcome? Outcome)> WaitAsync(
        UpdateWorkflowExecutionLifecycleStage stage, TimeSpan budget, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(budget);
        try
        {
            if (stage == UpdateWorkflowExecutionLifecycleStage.Completed || Completed.Task.IsCompleted)
            {
                return (UpdateWorkflowExecutionLifecycleStage.Completed, await Completed.Task.WaitAsync(timeout.Token).ConfigureAwait(false));
            }
            if (await Accepted.Task.WaitAsync(timeout.Token).ConfigureAwait(false) is { } rejection)
            {
                return (UpdateWorkflowExecutionLifecycleStage.Completed, new Outcome { Failure = rejection });
            }
            return Completed.Task.IsCompletedSuccessfully
                ? (UpdateWorkflowExecutionLifecycleStage.Completed, Completed.Task.Result)
                : (UpdateWorkflowExecutionLifecycleStage.Accepted, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The server's long-poll budget ran out: the caller learns the stage reached and asks again.
            if (Accepted.Task.IsCompletedSuccessfully && Accepted.Task.Result == null)
            {
                return (UpdateWorkflowExecutionLifecycleStage.Accepted, null);
            }
            return (UpdateWorkflowExecutionLifecycleStage.Admitted, null);
        }
    }
}

internal enum UpdateState
{
    Admitted,
    Sent,
    Accepted,
    Completed,
}

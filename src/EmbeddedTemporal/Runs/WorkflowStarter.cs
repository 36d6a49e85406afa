using FlashFundX.EmbeddedTemporal.Grpc;
using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.ErrorDetails.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>Start / signal-with-start decisions: request-id dedupe, id-reuse and id-conflict policies.</summary>
internal sealed class WorkflowStarter(ServerState server)
{
    /// <returns>The run and whether this call started it.</returns>
    public (WorkflowRun Run, bool Started) Start(
        RunStartSpec spec, WorkflowIdReusePolicy reusePolicy, WorkflowIdConflictPolicy conflictPolicy, bool signalExisting = false)
    {
        var chain = server.Store.GetOrAddChain(spec.Namespace, spec.WorkflowId);
        // Bounded: each pass either returns or terminates/signals a run that was open a moment ago.
        for (var pass = 0; pass < 10; pass++)
        {
            WorkflowRun? toTerminate = null;
            WorkflowRun? toSignal = null;
            lock (chain.Gate)
            {
                if (!string.IsNullOrEmpty(spec.RequestId) && chain.RunIdsByRequestId.TryGetValue(spec.RequestId, out var knownRunId)
                    && server.Store.FindRun(knownRunId) is { } known)
                {
                    return (known, true);
                }
                var latest = chain.Latest;
                if (latest is { IsOpen: true })
                {
                    if (signalExisting)
                    {
                        toSignal = latest;
                    }
                    else if (conflictPolicy == WorkflowIdConflictPolicy.UseExisting)
                    {
                        return (latest, false);
                    }
                    else if (conflictPolicy == WorkflowIdConflictPolicy.TerminateExisting
                             || reusePolicy == WorkflowIdReusePolicy.TerminateIfRunning)
                    {
                        toTerminate = latest;
                    }
                    else
                    {
                        throw AlreadyStarted(spec, latest);
                    }
                }
                else if (latest != null)
                {
                    var rejected = reusePolicy switch
                    {
                        WorkflowIdReusePolicy.RejectDuplicate => true,
                        WorkflowIdReusePolicy.AllowDuplicateFailedOnly => latest.Status is WorkflowExecutionStatus.Completed or WorkflowExecutionStatus.ContinuedAsNew,
                        _ => false,
                    };
                    if (rejected)
                    {
                        throw AlreadyStarted(spec, latest);
                    }
                }
                if (toTerminate == null && toSignal == null)
                {
                    var run = WorkflowRun.Create(server, chain, spec);
                    chain.Latest = run;
                    if (!string.IsNullOrEmpty(spec.RequestId))
                    {
                        chain.RunIdsByRequestId[spec.RequestId] = run.RunId;
                    }
                    return (run, true);
                }
            }
            try
            {
                if (toSignal != null && spec.InitialSignal is { } signal)
                {
                    toSignal.Signal(new Temporalio.Api.WorkflowService.V1.SignalWorkflowExecutionRequest
                    {
                        SignalName = signal.Name,
                        Input = signal.Input,
                        Header = signal.Header,
                        Identity = spec.Identity,
                        RequestId = spec.RequestId,
                    });
                    return (toSignal, false);
                }
                toTerminate?.Terminate("Terminated by a new start with the same workflow id", null, spec.Identity);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // Closed in the meantime: decide again.
            }
        }
        throw new RpcException(new Status(StatusCode.Aborted, "Workflow id is contended; retry"));
    }

    private static RpcException AlreadyStarted(RunStartSpec spec, WorkflowRun existing) =>
        RpcErrors.Create(
            StatusCode.AlreadyExists,
            $"Workflow execution already started: {spec.WorkflowId}",
            new WorkflowExecutionAlreadyStartedFailure { RunId = existing.RunId, StartRequestId = existing.Spec.RequestId });
}

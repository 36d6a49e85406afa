using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Runs;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.ErrorDetails.V1;
using Temporalio.Api.Update.V1;
using Temporalio.Api.WorkflowService.V1;
using OperationStatus = Temporalio.Api.ErrorDetails.V1.MultiOperationExecutionFailure.Types.OperationStatus;

namespace FlashFundX.EmbeddedTemporal.Services;

/// <summary>
/// Workflow updates: <c>UpdateWorkflowExecution</c>, <c>PollWorkflowExecutionUpdate</c> and update-with-start
/// (<c>ExecuteMultiOperation</c>). Each waits for the stage asked for up to a long-poll budget and answers the stage
/// reached, as Temporal's frontend and history services do; the client asks again until its stage is reached.
/// </summary>
internal sealed class UpdateServiceHandlers(ServerState server, WorkflowServiceHandlers workflows)
{
    private static readonly TimeSpan UpdateLongPoll = TimeSpan.FromSeconds(20);
    private readonly WorkflowStarter _starter = new(server);

    public void Register(RpcHandlerRegistry registry)
    {
        registry.Add<UpdateWorkflowExecutionRequest, UpdateWorkflowExecutionResponse>(WorkflowServiceHandlers.Service, "UpdateWorkflowExecution", UpdateAsync);
        registry.Add<PollWorkflowExecutionUpdateRequest, PollWorkflowExecutionUpdateResponse>(WorkflowServiceHandlers.Service, "PollWorkflowExecutionUpdate", PollAsync);
        registry.Add<ExecuteMultiOperationRequest, ExecuteMultiOperationResponse>(WorkflowServiceHandlers.Service, "ExecuteMultiOperation", ExecuteMultiOperationAsync);
    }

    private async Task<UpdateWorkflowExecutionResponse> UpdateAsync(UpdateWorkflowExecutionRequest request, ServerCallContext context)
    {
        var stage = ValidateUpdate(request);
        var run = workflows.FindRun(request.Namespace, request.WorkflowExecution);
        if (!string.IsNullOrEmpty(request.FirstExecutionRunId) && run.FirstExecutionRunId != request.FirstExecutionRunId)
        {
            throw RpcErrors.NotFound($"workflow execution not found: {request.WorkflowExecution.WorkflowId}");
        }
        return await RespondAsync(run, run.AdmitUpdate(request.Request), stage, context).ConfigureAwait(false);
    }

    private async Task<PollWorkflowExecutionUpdateResponse> PollAsync(PollWorkflowExecutionUpdateRequest request, ServerCallContext context)
    {
        var reference = request.UpdateRef ?? throw RpcErrors.InvalidArgument("UpdateRef is not set on request.");
        var run = workflows.FindRun(request.Namespace, reference.WorkflowExecution);
        var update = run.FindUpdate(reference.UpdateId) ?? throw RpcErrors.NotFound($"update \"{reference.UpdateId}\" not found");
        var stage = request.WaitPolicy?.LifecycleStage ?? UpdateWorkflowExecutionLifecycleStage.Unspecified;
        var (reached, outcome) = await update.WaitAsync(stage, Budget(stage, context), context.CancellationToken).ConfigureAwait(false);
        return new PollWorkflowExecutionUpdateResponse { UpdateRef = Reference(run, update.Id), Stage = reached, Outcome = outcome };
    }

    /// <summary>
    /// Update-with-start as Temporal's history service runs it: an update already completed on the current run is
    /// answered from there; a running workflow takes the update when the start is a retry of the one that created it,
    /// already has the update, or the conflict policy is USE_EXISTING; otherwise the workflow is started with the
    /// update admitted before its first task. Errors name the operation that failed, the other one "aborted".
    /// </summary>
    private async Task<ExecuteMultiOperationResponse> ExecuteMultiOperationAsync(ExecuteMultiOperationRequest request, ServerCallContext context)
    {
        if (request.Operations.Count != 2
            || request.Operations[0].StartWorkflow is not { } start
            || request.Operations[1].UpdateWorkflow is not { } update)
        {
            throw RpcErrors.InvalidArgument("Operations have to be exactly [Start, Update].");
        }
        if (start.WorkflowId != update.WorkflowExecution?.WorkflowId)
        {
            throw RpcErrors.InvalidArgument("WorkflowId is not consistent with previous operation(s).");
        }
        if (!string.IsNullOrEmpty(start.CronSchedule))
        {
            throw RpcErrors.InvalidArgument("CronSchedule is not allowed.");
        }
        if (start.WorkflowStartDelay != null)
        {
            throw RpcErrors.InvalidArgument("WorkflowStartDelay is not supported.");
        }
        if (!string.IsNullOrEmpty(update.WorkflowExecution.RunId))
        {
            throw RpcErrors.InvalidArgument("RunId is not allowed.");
        }
        if (!string.IsNullOrEmpty(update.FirstExecutionRunId))
        {
            throw RpcErrors.InvalidArgument("FirstExecutionRunId is not allowed.");
        }
        var stage = ValidateUpdate(update);
        var updateId = update.Request.Meta.UpdateId;

        var (run, started) = StartOrFind(start, update.Request);
        WorkflowUpdate admitted;
        try
        {
            admitted = started ? run.FindUpdate(updateId)! : run.AdmitUpdate(update.Request);
        }
        catch (RpcException e)
        {
            throw UpdateFailed(false, e);
        }
        UpdateWorkflowExecutionResponse updateResponse;
        try
        {
            updateResponse = await RespondAsync(run, admitted, stage, context).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw UpdateFailed(started, e);
        }
        return new ExecuteMultiOperationResponse
        {
            Responses =
            {
                new ExecuteMultiOperationResponse.Types.Response
                {
                    StartWorkflow = new StartWorkflowExecutionResponse { RunId = run.RunId, Started = started, Status = run.Status },
                },
                new ExecuteMultiOperationResponse.Types.Response { UpdateWorkflow = updateResponse },
            },
        };
    }

    private (WorkflowRun Run, bool Started) StartOrFind(StartWorkflowExecutionRequest start, Request update)
    {
        var current = server.Store.Find(start.Namespace, start.WorkflowId, null);
        if (current != null
            && (current.FindUpdate(update.Meta.UpdateId) is { State: UpdateState.Completed }
                || (current.IsOpen && (current.Spec.RequestId == start.RequestId
                                       || current.FindUpdate(update.Meta.UpdateId) != null
                                       || start.WorkflowIdConflictPolicy == WorkflowIdConflictPolicy.UseExisting))))
        {
            return (current, false);
        }
        try
        {
            var spec = workflows.StartSpec(start) with { InitialUpdate = update };
            return _starter.Start(spec, start.WorkflowIdReusePolicy, start.WorkflowIdConflictPolicy);
        }
        catch (RpcException e)
        {
            throw StartFailed(e);
        }
    }

    private static async Task<UpdateWorkflowExecutionResponse> RespondAsync(
        WorkflowRun run, WorkflowUpdate update, UpdateWorkflowExecutionLifecycleStage stage, ServerCallContext context)
    {
        var (reached, outcome) = await update.WaitAsync(stage, Budget(stage, context), context.CancellationToken).ConfigureAwait(false);
        return new UpdateWorkflowExecutionResponse { UpdateRef = Reference(run, update.Id), Stage = reached, Outcome = outcome };
    }

    /// <summary>The frontend's checks; answers the stage to wait for (COMPLETED when none is given).</summary>
    private static UpdateWorkflowExecutionLifecycleStage ValidateUpdate(UpdateWorkflowExecutionRequest request)
    {
        if (string.IsNullOrEmpty(request.WorkflowExecution?.WorkflowId))
        {
            throw RpcErrors.InvalidArgument("WorkflowId is not set on request.");
        }
        if (request.Request?.Meta == null)
        {
            throw RpcErrors.InvalidArgument("Update meta is not set on request.");
        }
        if (string.IsNullOrEmpty(request.Request.Meta.UpdateId))
        {
            request.Request.Meta.UpdateId = Guid.NewGuid().ToString();
        }
        if (request.Request.Input == null)
        {
            throw RpcErrors.InvalidArgument("Update input is not set on request.");
        }
        if (string.IsNullOrEmpty(request.Request.Input.Name))
        {
            throw RpcErrors.InvalidArgument("Update name is not set on request.");
        }
        var stage = request.WaitPolicy?.LifecycleStage ?? UpdateWorkflowExecutionLifecycleStage.Unspecified;
        if (stage == UpdateWorkflowExecutionLifecycleStage.Admitted)
        {
            throw RpcErrors.Create(
                StatusCode.PermissionDenied,
                "UpdateWorkflowExecution issued asynchronously and waiting on update admitted is not supported.",
                new PermissionDeniedFailure());
        }
        return stage == UpdateWorkflowExecutionLifecycleStage.Unspecified ? UpdateWorkflowExecutionLifecycleStage.Completed : stage;
    }

    /// <summary>Waiting for no particular stage answers at once with the stage reached.</summary>
    private static TimeSpan Budget(UpdateWorkflowExecutionLifecycleStage stage, ServerCallContext context) =>
        stage is UpdateWorkflowExecutionLifecycleStage.Unspecified or UpdateWorkflowExecutionLifecycleStage.Admitted
            ? TimeSpan.Zero
            : LongPoll.Budget(context, UpdateLongPoll);

    private static UpdateRef Reference(WorkflowRun run, string updateId) => new()
    {
        WorkflowExecution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
        UpdateId = updateId,
    };

    /// <summary>
    /// A real server's MultiOperationExecution error: one status per operation, the one that failed with its own code
    /// and details, one that did not run marked aborted, one that succeeded OK.
    /// </summary>
    private static RpcException StartFailed(RpcException error) =>
        MultiOperationError($"Start failed: {error.Status.Detail}", StatusOf(error), Aborted());

    private static RpcException UpdateFailed(bool started, RpcException error) =>
        MultiOperationError($"Update failed: {error.Status.Detail}", started ? new OperationStatus { Code = (int)StatusCode.OK } : Aborted(), StatusOf(error));

    private static RpcException MultiOperationError(string reason, OperationStatus start, OperationStatus update) =>
        RpcErrors.Create(
            StatusCode.Aborted,
            $"MultiOperation could not be executed: {reason}",
            new MultiOperationExecutionFailure { Statuses = { start, update } });

    private static OperationStatus StatusOf(RpcException e)
    {
        var status = new OperationStatus { Code = (int)e.StatusCode, Message = e.Status.Detail };
        status.Details.AddRange(RpcErrors.DetailsOf(e));
        return status;
    }

    private static OperationStatus Aborted() => new()
    {
        Code = (int)StatusCode.Aborted,
        Message = "Operation was aborted.",
        Details = { Any.Pack(new Temporalio.Api.Failure.V1.MultiOperationExecutionAborted()) },
    };
}

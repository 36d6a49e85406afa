using FlashFundX.EmbeddedTemporal.Grpc;
using Grpc.Core;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>Commands whose attributes a real server refuses: the task that carries them fails.</summary>
internal sealed partial class WorkflowRun
{
    private (WorkflowTaskFailedCause Cause, string Message)? RefusedCommand(Command command)
    {
        switch (command.CommandType)
        {
            case CommandType.UpsertWorkflowSearchAttributes:
                var upsert = command.UpsertWorkflowSearchAttributesCommandAttributes?.SearchAttributes;
                if (upsert == null || upsert.IndexedFields.Count == 0)
                {
                    return (WorkflowTaskFailedCause.BadSearchAttributes, "IndexedFields is not set on UpsertWorkflowSearchAttributesCommand.");
                }
                return SearchAttributeProblem(upsert);
            case CommandType.ContinueAsNewWorkflowExecution:
                return SearchAttributeProblem(command.ContinueAsNewWorkflowExecutionCommandAttributes?.SearchAttributes);
            default:
                return null;
        }
    }

    private (WorkflowTaskFailedCause, string)? SearchAttributeProblem(SearchAttributes? attributes) =>
        _server.SearchAttributes.Problem(Namespace, attributes) is { } problem ? (WorkflowTaskFailedCause.BadSearchAttributes, problem) : null;

    /// <summary>
    /// As Temporal's history service does: a first attempt records WorkflowTaskFailed with the cause and schedules
    /// the next attempt; a later attempt failing the same way is dropped unrecorded and left to time out. Either way
    /// the worker is answered InvalidArgument.
    /// </summary>
    private RpcException FailTaskForRefusedCommand(WorkflowTaskFailedCause cause, string message, RespondWorkflowTaskCompletedRequest request)
    {
        if (_wftAttempt == 1)
        {
            Append(new HistoryEvent
            {
                EventType = EventType.WorkflowTaskFailed,
                WorkflowTaskFailedEventAttributes = new WorkflowTaskFailedEventAttributes
                {
                    ScheduledEventId = _wftScheduledId,
                    StartedEventId = _wftStartedId,
                    Cause = cause,
                    Failure = new Failure { Message = message, ServerFailureInfo = new ServerFailureInfo() },
                    Identity = request.Identity,
                    BinaryChecksum = request.BinaryChecksum,
                },
            });
            RetryWorkflowTask();
        }
        return RpcErrors.InvalidArgument(message);
    }
}

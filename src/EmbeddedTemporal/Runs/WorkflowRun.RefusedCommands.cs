using FlashFundX.EmbeddedTemporal.Grpc;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>
/// Commands the task that carries them fails for: attributes a real server refuses (unregistered search attributes),
/// and commands a real server accepts but this one does not implement (<see cref="UnsupportedCommands"/>).
/// </summary>
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
                return UnsupportedCommands.CauseFor(command.CommandType) is { } cause
                    ? (cause, UnsupportedCommands.Message(cause, command.CommandType))
                    : null;
        }
    }

    private (WorkflowTaskFailedCause, string)? SearchAttributeProblem(SearchAttributes? attributes) =>
        _server.SearchAttributes.Problem(Namespace, attributes) is { } problem ? (WorkflowTaskFailedCause.BadSearchAttributes, problem) : null;

    /// <summary>
    /// As Temporal's history service does: none of the task's commands take effect; a first attempt records
    /// WorkflowTaskFailed with the cause and a server failure carrying the message, and schedules the next attempt; a
    /// later attempt failing the same way is dropped unrecorded and left to time out. Either way the worker is answered
    /// InvalidArgument with the message.
    /// </summary>
    private RpcException FailTaskForRefusedCommand(WorkflowTaskFailedCause cause, string message, RespondWorkflowTaskCompletedRequest request)
    {
        _logger.LogWarning("Failing a workflow task of {WorkflowId}: {Message}", WorkflowId, message);
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
            AnswerQueries(request.QueryResults);
            RetryWorkflowTask();
        }
        return RpcErrors.InvalidArgument(message);
    }
}

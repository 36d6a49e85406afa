using FlashFundX.EmbeddedTemporal.Grpc;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

internal sealed partial class WorkflowRun
{
    /// <summary>
    /// Fails the task when it carries a command of <see cref="UnsupportedCommands"/>, the way Temporal's history service
    /// fails a task whose command it rejects: none of the task's commands take effect, <c>WorkflowTaskFailed</c> records
    /// the cause and a server failure with the message, a new attempt is scheduled, and the worker gets InvalidArgument
    /// with that message. From the second attempt on the server records nothing and only answers InvalidArgument, so
    /// the attempt times out and is retried, as a real server does for a task that keeps failing.
    /// </summary>
    private void RefuseUnsupportedCommands(RespondWorkflowTaskCompletedRequest request)
    {
        foreach (var command in request.Commands)
        {
            if (UnsupportedCommands.CauseFor(command.CommandType) is not { } cause)
            {
                continue;
            }
            var message = UnsupportedCommands.Message(cause, command.CommandType);
            _logger.LogWarning("Failing a workflow task of {WorkflowId}: {Message}", WorkflowId, message);
            if (_wftAttempt > 1)
            {
                throw RpcErrors.InvalidArgument(message);
            }
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
            throw RpcErrors.InvalidArgument(message);
        }
    }
}

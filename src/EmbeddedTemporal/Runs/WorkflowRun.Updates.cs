using FlashFundX.EmbeddedTemporal.Grpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Protocol.V1;
using Temporalio.Api.Update.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>
/// Workflow updates, following Temporal's update protocol: an admitted update travels to the worker as a protocol
/// message on the next workflow task (a speculative one when the run is idle); the worker answers with acceptance,
/// rejection and response messages, acceptance and response each named by a <c>ProtocolMessage</c> command. Only an
/// accepted update leaves events in history; a speculative task that carried nothing but rejections is dropped, so a
/// rejected update leaves no trace at all.
/// </summary>
internal sealed partial class WorkflowRun
{
    /// <summary>From this workflow-task attempt on, a real server refuses new updates.</summary>
    private const int UpdateRefusingTaskAttempt = 3;

    private static readonly Failure UnprocessedUpdateFailure = ServerFailure(
        "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
        "UnprocessedUpdate");

    private static readonly Failure AcceptedUpdateCompletedWorkflowFailure = ServerFailure(
        "Workflow Update failed because the Workflow completed before the Update completed.",
        "AcceptedUpdateCompletedWorkflow");

    /// <summary>Open updates, and accepted ones for as long as the run exists (their outcome can be fetched later).</summary>
    private readonly Dictionary<string, WorkflowUpdate> _updates = new(StringComparer.Ordinal);

    /// <summary>
    /// The scheduled and started events of a speculative task: shown to the worker, written to history only once
    /// the task proves to have done more than reject updates (or anything else is written first).
    /// </summary>
    private readonly List<HistoryEvent> _speculativeTaskEvents = [];
    private long _updateSequence;

    private bool HasUnsentUpdates => _updates.Values.Any(u => u.State == UpdateState.Admitted);

    /// <summary>
    /// Admits an update (or finds the one with the same id) as Temporal's history service does: a closed run knows
    /// only the updates it accepted; an idle run gets a speculative workflow task to carry the update.
    /// </summary>
    public WorkflowUpdate AdmitUpdate(Request request)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            if (_updates.TryGetValue(request.Meta.UpdateId, out var known))
            {
                return known;
            }
            ThrowIfClosed();
            if (_wftAttempt >= UpdateRefusingTaskAttempt)
            {
                throw RpcErrors.Create(
                    StatusCode.FailedPrecondition,
                    "Unable to perform workflow execution update due to Workflow Task in failed state.",
                    new Temporalio.Api.ErrorDetails.V1.WorkflowNotReadyFailure());
            }
            var update = AddUpdate(request);
            if (_wft == WftState.None && _startDelayTimer == null)
            {
                AppendWorkflowTaskScheduled(speculative: true);
                OfferWorkflowTask();
            }
            return update;
        }
    }

    /// <summary>A known update of this run, or null (a rejected update is forgotten, as on a real server).</summary>
    public WorkflowUpdate? FindUpdate(string updateId)
    {
        lock (_gate)
        {
            return _updates.GetValueOrDefault(updateId);
        }
    }

    private WorkflowUpdate AddUpdate(Request request)
    {
        var update = new WorkflowUpdate(request.Meta.UpdateId, request, ++_updateSequence);
        _updates[update.Id] = update;
        return update;
    }

    /// <summary>
    /// Updates not yet accepted or rejected go with the task, in admission order: the ones already sent again too
    /// (the worker may have lost them with a failed task), except on a task that follows a heartbeat.
    /// </summary>
    private void AttachUpdates(PollWorkflowTaskQueueResponse response)
    {
        var pending = _updates.Values.Where(u => u.State == UpdateState.Admitted || (u.State == UpdateState.Sent && !_wftIsHeartbeat));
        foreach (var update in pending.OrderBy(u => u.Sequence))
        {
            update.State = UpdateState.Sent;
            response.Messages.Add(new Message
            {
                Id = update.RequestMessageId,
                ProtocolInstanceId = update.Id,
                EventId = _wftStartedId - 1,
                Body = Any.Pack(update.Request),
            });
        }
    }

    /// <summary>The messages of a completion a real server fails the task for, checked before anything is written.</summary>
    private (WorkflowTaskFailedCause Cause, string Message)? RefusedUpdateMessage(RespondWorkflowTaskCompletedRequest request)
    {
        const WorkflowTaskFailedCause cause = WorkflowTaskFailedCause.BadUpdateWorkflowExecutionMessage;
        var messageIds = request.Messages.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var command in request.Commands.Where(c => c.CommandType == CommandType.ProtocolMessage))
        {
            var id = command.ProtocolMessageCommandAttributes?.MessageId ?? "";
            if (!messageIds.Remove(id))
            {
                return (cause, $"{cause}: ProtocolMessageCommand referenced absent message ID {id}");
            }
        }
        var acceptedHere = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in request.Messages)
        {
            if (!_updates.TryGetValue(message.ProtocolInstanceId, out var update))
            {
                return (cause, $"{cause}: update {message.ProtocolInstanceId} wasn't found");
            }
            var awaitingAnswer = update.State is UpdateState.Admitted or UpdateState.Sent && !acceptedHere.Contains(update.Id);
            var allowed = message.Body switch
            {
                { } body when body.Is(Acceptance.Descriptor) => awaitingAnswer && acceptedHere.Add(update.Id),
                { } body when body.Is(Rejection.Descriptor) => awaitingAnswer,
                { } body when body.Is(Response.Descriptor) => update.State == UpdateState.Accepted || acceptedHere.Remove(update.Id),
                _ => false,
            };
            if (!allowed)
            {
                return (cause, $"{cause}: invalid state transition attempted for Update {update.Id}: message {message.Body?.TypeUrl} in state {update.State}");
            }
        }
        return null;
    }

    /// <summary>Applies one acceptance, rejection or response, writing the events a real server writes.</summary>
    private void ApplyUpdateMessage(Message message)
    {
        var update = _updates[message.ProtocolInstanceId];
        if (message.Body.TryUnpack(out Acceptance acceptance))
        {
            update.AcceptedEventId = Append(new HistoryEvent
            {
                EventType = EventType.WorkflowExecutionUpdateAccepted,
                WorkflowExecutionUpdateAcceptedEventAttributes = new WorkflowExecutionUpdateAcceptedEventAttributes
                {
                    ProtocolInstanceId = update.Id,
                    AcceptedRequestMessageId = update.RequestMessageId,
                    AcceptedRequestSequencingEventId = acceptance.AcceptedRequestSequencingEventId,
                    AcceptedRequest = update.Request,
                },
            });
            update.State = UpdateState.Accepted;
            update.Accept();
        }
        else if (message.Body.TryUnpack(out Rejection rejection))
        {
            _updates.Remove(update.Id);
            update.Reject(rejection.Failure);
        }
        else if (message.Body.TryUnpack(out Response response))
        {
            Append(new HistoryEvent
            {
                EventType = EventType.WorkflowExecutionUpdateCompleted,
                WorkflowExecutionUpdateCompletedEventAttributes = new WorkflowExecutionUpdateCompletedEventAttributes
                {
                    Meta = response.Meta,
                    AcceptedEventId = update.AcceptedEventId,
                    Outcome = response.Outcome,
                },
            });
            update.Complete(response.Outcome);
        }
    }

    /// <summary>
    /// After the commands: messages no command named (rejections), then, as a real server does, a rejection for every
    /// update the worker was sent and did not answer (unless the task was a heartbeat or closed the workflow).
    /// </summary>
    private void FinishUpdateMessages(IEnumerable<Message> remaining, bool heartbeat)
    {
        if (!IsOpen)
        {
            return;
        }
        foreach (var message in remaining)
        {
            ApplyUpdateMessage(message);
        }
        if (heartbeat)
        {
            return;
        }
        foreach (var update in _updates.Values.Where(u => u.State == UpdateState.Sent).ToList())
        {
            _updates.Remove(update.Id);
            update.Reject(UnprocessedUpdateFailure);
        }
    }

    /// <summary>
    /// The run closed: accepted updates complete with a failure; updates not yet accepted fail their callers
    /// (retryable when the run continued as new, so the caller reaches the next run).
    /// </summary>
    private void AbortUpdates(WorkflowExecutionStatus status)
    {
        foreach (var update in _updates.Values.ToList())
        {
            if (update.State == UpdateState.Accepted)
            {
                update.Complete(new Outcome { Failure = AcceptedUpdateCompletedWorkflowFailure });
            }
            else if (update.State != UpdateState.Completed)
            {
                _updates.Remove(update.Id);
                update.Abort(status == WorkflowExecutionStatus.ContinuedAsNew
                    ? RpcErrors.Create(
                        StatusCode.ResourceExhausted,
                        "workflow operation can not be applied because workflow is closing",
                        new Temporalio.Api.ErrorDetails.V1.ResourceExhaustedFailure
                        {
                            Cause = ResourceExhaustedCause.BusyWorkflow,
                            Scope = ResourceExhaustedScope.Namespace,
                        })
                    : RpcErrors.NotFound("workflow update was aborted by closing workflow"));
            }
        }
    }

    /// <summary>
    /// As a real server does: a speculative task is dropped when it produced no commands, is no heartbeat and
    /// carried nothing but rejections, provided the worker can take the same events again (or there were none).
    /// </summary>
    private bool SpeculativeTaskDiscardable(RespondWorkflowTaskCompletedRequest request) =>
        _speculativeTaskEvents.Count > 0
        && request.Commands.Count == 0
        && !request.ForceCreateNewWorkflowTask
        && request.Messages.All(m => m.Body?.Is(Rejection.Descriptor) == true)
        && (request.Capabilities?.DiscardSpeculativeWorkflowTaskWithEvents == true || _history.Count + 1 <= _previousStartedId + 2);

    private static Failure ServerFailure(string message, string type) => new()
    {
        Message = message,
        Source = "Server",
        ApplicationFailureInfo = new ApplicationFailureInfo { Type = type, NonRetryable = true },
    };
}

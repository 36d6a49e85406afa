using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Tasks;
using FlashFundX.EmbeddedTemporal.Time;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

internal sealed partial class WorkflowRun
{
    private const string WftTimeLock = "wft";

    /// <summary>
    /// <c>WorkflowTaskStarted.request_id</c> of a task started inside <c>RespondWorkflowTaskCompleted</c> and returned
    /// in its response; Temporal's history service records the same value for such tasks.
    /// </summary>
    internal const string ReturnedTaskRequestId = "request-from-RespondWorkflowTaskCompleted";

    private readonly List<BufferedEvent> _buffered = [];
    private WftState _wft;
    private long _wftScheduledId;
    private long _wftStartedId;
    private int _wftAttempt = 1;
    private long _wftStarts;
    /// <summary>The task follows a heartbeat of the previous one (its schedule time carried over).</summary>
    private bool _wftIsHeartbeat;
    private long _previousStartedId;
    private DateTimeOffset _wftScheduledTime;
    private DateTimeOffset _wftOriginalScheduledTime;
    private ClockTimer? _wftTimeoutTimer;

    private enum WftState
    {
        None,
        Scheduled,
        Started,
    }

    private void ScheduleWorkflowTask(DateTimeOffset? originalScheduledTime = null)
    {
        AppendWorkflowTaskScheduled(originalScheduledTime);
        OfferWorkflowTask();
    }

    /// <summary>
    /// Writes <c>WorkflowTaskScheduled</c> without offering the task to a queue. <paramref name="originalScheduledTime"/>
    /// is carried over from a heartbeat task, so a chain of heartbeats is measured from its first task.
    /// </summary>
    private void AppendWorkflowTaskScheduled(DateTimeOffset? originalScheduledTime = null, bool speculative = false)
    {
        _wftScheduledTime = Clock.Now;
        _wftOriginalScheduledTime = originalScheduledTime ?? _wftScheduledTime;
        _wftIsHeartbeat = originalScheduledTime != null;
        _wftScheduledId = AppendOrHold(speculative, new HistoryEvent
        {
            EventType = EventType.WorkflowTaskScheduled,
            WorkflowTaskScheduledEventAttributes = new WorkflowTaskScheduledEventAttributes
            {
                TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = TaskQueue, Kind = TaskQueueKind.Normal },
                StartToCloseTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(Spec.WorkflowTaskTimeout),
                Attempt = _wftAttempt,
            },
        });
        _wft = WftState.Scheduled;
        HoldTimeLock(WftTimeLock);
    }

    private PollWorkflowTaskQueueResponse? TryStartWorkflowTask(long scheduledId, bool sticky, PollWorkflowTaskQueueRequest poll)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            if (!IsOpen || _wft != WftState.Scheduled || _wftScheduledId != scheduledId)
            {
                return null;
            }
            return StartWorkflowTask(poll.Identity, Guid.NewGuid().ToString(), partialHistory: sticky);
        }
    }

    /// <summary>
    /// Starts the scheduled task for <paramref name="identity"/>: writes <c>WorkflowTaskStarted</c>, arms the
    /// start-to-close timeout and builds the task. With <paramref name="partialHistory"/> it carries only the
    /// events after the last completed task's started event (the worker has the run cached).
    /// </summary>
    private PollWorkflowTaskQueueResponse StartWorkflowTask(string identity, string requestId, bool partialHistory)
    {
        CancelStickyFallback();
        var scheduledId = _wftScheduledId;
        var now = Clock.Now;
        var started = new WorkflowTaskStartedEventAttributes
        {
            ScheduledEventId = scheduledId,
            Identity = identity,
            RequestId = requestId,
            HistorySizeBytes = _historyBytes,
        };
        AddContinueAsNewSuggestion(started);
        _wftStartedId = AppendOrHold(_speculativeTaskEvents.Count > 0, new HistoryEvent
        {
            EventType = EventType.WorkflowTaskStarted,
            WorkflowTaskStartedEventAttributes = started,
        });
        _wft = WftState.Started;
        var attempt = _wftAttempt;
        _wftTimeoutTimer = Clock.Schedule(Spec.WorkflowTaskTimeout, () => OnWorkflowTaskTimeout(scheduledId));
        var response = new PollWorkflowTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.WorkflowTask, RunId, scheduledId, attempt, Start: ++_wftStarts).Encode(),
            WorkflowExecution = Execution,
            WorkflowType = new WorkflowType { Name = Spec.WorkflowType },
            PreviousStartedEventId = _previousStartedId,
            StartedEventId = _wftStartedId,
            Attempt = attempt,
            History = new Temporalio.Api.History.V1.History(),
            WorkflowExecutionTaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = TaskQueue, Kind = TaskQueueKind.Normal },
            ScheduledTime = ProtoTime.ToTimestamp(_wftScheduledTime),
            StartedTime = ProtoTime.ToTimestamp(now),
        };
        AddHistoryFor(response.History, partialHistory);
        response.History.Events.AddRange(_speculativeTaskEvents);
        AttachQueries(response);
        AttachUpdates(response);
        return response;
    }

    /// <summary>
    /// Suggests continue-as-new once the history reaches the configured size or count, as Temporal's history service
    /// does when it writes the task started event: the count is that event's id, the size what was written before it.
    /// </summary>
    private void AddContinueAsNewSuggestion(WorkflowTaskStartedEventAttributes started)
    {
        var startedEventId = _history.Count + _speculativeTaskEvents.Count + 1;
        if (_historyBytes >= _server.Options.HistorySizeSuggestContinueAsNew)
        {
            started.SuggestContinueAsNewReasons.Add(SuggestContinueAsNewReason.HistorySizeTooLarge);
        }
        if (startedEventId >= _server.Options.HistoryCountSuggestContinueAsNew)
        {
            started.SuggestContinueAsNewReasons.Add(SuggestContinueAsNewReason.TooManyHistoryEvents);
        }
        started.SuggestContinueAsNew = started.SuggestContinueAsNewReasons.Count > 0;
    }

    public RespondWorkflowTaskCompletedResponse CompleteWorkflowTask(TaskToken token, RespondWorkflowTaskCompletedRequest request)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            EnsureStartedTask(token);
            var commands = request.Commands;
            var terminalIndex = -1;
            for (var i = 0; i < commands.Count; i++)
            {
                if (RefusedCommand(commands[i]) is { } refused)
                {
                    throw FailTaskForRefusedCommand(refused.Cause, refused.Message, request);
                }
                ValidateCommand(commands[i]);
                if (IsTerminal(commands[i].CommandType))
                {
                    terminalIndex = i;
                }
            }
            if (RefusedUpdateMessage(request) is { } refusedMessage)
            {
                throw FailTaskForRefusedCommand(refusedMessage.Cause, refusedMessage.Message, request);
            }
            if (terminalIndex >= 0 && terminalIndex != commands.Count - 1)
            {
                throw RpcErrors.InvalidArgument("A workflow-closing command must be the last command");
            }
            if (terminalIndex >= 0 && _buffered.Count > 0)
            {
                // New events arrived while the task ran: the close is rejected and the workflow sees them first.
                Append(new HistoryEvent
                {
                    EventType = EventType.WorkflowTaskFailed,
                    WorkflowTaskFailedEventAttributes = new WorkflowTaskFailedEventAttributes
                    {
                        ScheduledEventId = _wftScheduledId,
                        StartedEventId = _wftStartedId,
                        Cause = WorkflowTaskFailedCause.UnhandledCommand,
                        Identity = request.Identity,
                    },
                });
                EndWorkflowTask();
                ClearStickiness();
                FlushBuffered();
                ScheduleWorkflowTask();
                RequeueInFlightQueries();
                AnswerQueries(request.QueryResults);
                DispatchBufferedQueries();
                throw RpcErrors.InvalidArgument("UnhandledCommand");
            }

            // A heartbeat (no commands, force-create) keeps the task alive while a local activity runs; a chain of
            // heartbeats is bounded, measured from the first task of the chain, as on Temporal's server.
            var heartbeat = request.ForceCreateNewWorkflowTask && commands.Count == 0 && request.Messages.Count == 0;
            var originalScheduledTime = _wftOriginalScheduledTime;
            if (heartbeat && Clock.Now - originalScheduledTime > _server.Options.WorkflowTaskHeartbeatTimeout)
            {
                AppendWorkflowTaskTimedOut();
                AnswerQueries(request.QueryResults);
                RetryWorkflowTask();
                throw RpcErrors.NotFound("workflow task heartbeat timeout");
            }

            // A speculative task that only rejected updates leaves no events: the next task reuses their ids.
            var discarded = SpeculativeTaskDiscardable(request);
            if (discarded)
            {
                _speculativeTaskEvents.Clear();
            }
            var completedId = discarded ? 0 : Append(new HistoryEvent
            {
                EventType = EventType.WorkflowTaskCompleted,
                WorkflowTaskCompletedEventAttributes = new WorkflowTaskCompletedEventAttributes
                {
                    ScheduledEventId = _wftScheduledId,
                    StartedEventId = _wftStartedId,
                    Identity = request.Identity,
                    BinaryChecksum = request.BinaryChecksum,
                    SdkMetadata = request.SdkMetadata,
                    MeteringMetadata = request.MeteringMetadata,
                    WorkerVersion = request.WorkerVersionStamp,
                },
            });
            if (!discarded)
            {
                _previousStartedId = _wftStartedId;
            }
            _wftAttempt = 1;
            EndWorkflowTask();
            SetStickiness(request.StickyAttributes);
            AnswerQueries(request.QueryResults);

            var needsTask = false;
            _eagerActivities.Clear();
            var messages = request.Messages.ToDictionary(m => m.Id, StringComparer.Ordinal);
            foreach (var command in commands)
            {
                if (command.CommandType == CommandType.ProtocolMessage)
                {
                    messages.Remove(command.ProtocolMessageCommandAttributes.MessageId, out var message);
                    ApplyUpdateMessage(message!);
                    continue;
                }
                needsTask |= ApplyCommand(command, completedId, request.Identity);
            }
            FinishUpdateMessages(request.Messages.Where(m => messages.ContainsKey(m.Id)), heartbeat);
            // The worker rolls its cached run back to the last completed task, forgetting the discarded one.
            var response = new RespondWorkflowTaskCompletedResponse { ResetHistoryEventId = discarded ? _previousStartedId : 0 };
            if (IsOpen)
            {
                foreach (var activity in _eagerActivities)
                {
                    response.ActivityTasks.Add(StartActivityAttempt(activity, request.Identity));
                }
                needsTask |= FlushBuffered();
                needsTask |= request.ForceCreateNewWorkflowTask;
                // Updates admitted while the task ran need a task of their own; only for them, a speculative one.
                var speculative = !needsTask && HasUnsentUpdates && request.ReturnNewWorkflowTask;
                if ((needsTask || HasUnsentUpdates) && _wft == WftState.None)
                {
                    var carriedOver = heartbeat ? originalScheduledTime : (DateTimeOffset?)null;
                    if (request.ReturnNewWorkflowTask)
                    {
                        response.WorkflowTask = StartReturnedWorkflowTask(request.Identity, carriedOver, speculative);
                    }
                    else
                    {
                        ScheduleWorkflowTask(carriedOver);
                    }
                }
                DispatchBufferedQueries();
            }
            _eagerActivities.Clear();
            return response;
        }
    }

    /// <summary>
    /// The completing worker asked for the next task in the response (the SDK does so whenever it caches the
    /// run): it is scheduled and started right here for that worker instead of going through a queue, like
    /// Temporal's history service does. The worker has the run cached, so the task carries only the events after
    /// the task just completed (as a sticky task); queries that arrived while that task ran ride along.
    /// </summary>
    private PollWorkflowTaskQueueResponse StartReturnedWorkflowTask(string identity, DateTimeOffset? originalScheduledTime, bool speculative)
    {
        AppendWorkflowTaskScheduled(originalScheduledTime, speculative);
        DispatchBufferedQueries();
        return StartWorkflowTask(identity, ReturnedTaskRequestId, partialHistory: true);
    }

    public void FailWorkflowTask(TaskToken token, RespondWorkflowTaskFailedRequest request)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            EnsureStartedTask(token);
            Append(new HistoryEvent
            {
                EventType = EventType.WorkflowTaskFailed,
                WorkflowTaskFailedEventAttributes = new WorkflowTaskFailedEventAttributes
                {
                    ScheduledEventId = _wftScheduledId,
                    StartedEventId = _wftStartedId,
                    Cause = request.Cause,
                    Failure = request.Failure,
                    Identity = request.Identity,
                    BinaryChecksum = request.BinaryChecksum,
                },
            });
            RetryWorkflowTask();
        }
    }

    private void OnWorkflowTaskTimeout(long scheduledId)
    {
        lock (_gate)
        {
            if (!IsOpen || _wft != WftState.Started || _wftScheduledId != scheduledId)
            {
                return;
            }
            AppendWorkflowTaskTimedOut();
            RetryWorkflowTask();
        }
    }

    private void AppendWorkflowTaskTimedOut()
    {
        Append(new HistoryEvent
        {
            EventType = EventType.WorkflowTaskTimedOut,
            WorkflowTaskTimedOutEventAttributes = new WorkflowTaskTimedOutEventAttributes
            {
                ScheduledEventId = _wftScheduledId,
                StartedEventId = _wftStartedId,
                TimeoutType = TimeoutType.StartToClose,
            },
        });
    }

    private void RetryWorkflowTask()
    {
        EndWorkflowTask();
        ClearStickiness();
        _wftAttempt++;
        FlushBuffered();
        ScheduleWorkflowTask();
        RequeueInFlightQueries();
        DispatchBufferedQueries();
    }

    /// <summary>Terminate/timeout while a task is started: fail it first so nothing follows an open task.</summary>
    private void FailStartedTaskForForcedClose()
    {
        if (_wft == WftState.Started)
        {
            Append(new HistoryEvent
            {
                EventType = EventType.WorkflowTaskFailed,
                WorkflowTaskFailedEventAttributes = new WorkflowTaskFailedEventAttributes
                {
                    ScheduledEventId = _wftScheduledId,
                    StartedEventId = _wftStartedId,
                    Cause = WorkflowTaskFailedCause.ForceCloseCommand,
                },
            });
            EndWorkflowTask();
        }
        FlushBuffered();
    }

    private void EndWorkflowTask()
    {
        _wft = WftState.None;
        _wftTimeoutTimer?.Cancel();
        _wftTimeoutTimer = null;
        ReleaseTimeLock(WftTimeLock);
    }

    private void EnsureStartedTask(TaskToken token)
    {
        if (!IsOpen || _wft != WftState.Started || _wftScheduledId != token.Id || _wftAttempt != token.Attempt || _wftStarts != token.Start)
        {
            throw RpcErrors.NotFound("Workflow task not found");
        }
    }

    private static bool IsTerminal(CommandType type) => type is CommandType.CompleteWorkflowExecution
        or CommandType.FailWorkflowExecution or CommandType.CancelWorkflowExecution or CommandType.ContinueAsNewWorkflowExecution;

    private static void ValidateCommand(Command command)
    {
        switch (command.CommandType)
        {
            case CommandType.ScheduleActivityTask:
                var attrs = command.ScheduleActivityTaskCommandAttributes;
                if (ProtoTime.Positive(attrs.ScheduleToCloseTimeout) == null && ProtoTime.Positive(attrs.StartToCloseTimeout) == null)
                {
                    throw RpcErrors.InvalidArgument("An activity needs ScheduleToClose or StartToClose timeout");
                }
                break;
            case CommandType.RequestCancelActivityTask:
            case CommandType.StartTimer:
            case CommandType.CancelTimer:
            case CommandType.RecordMarker:
            case CommandType.UpsertWorkflowSearchAttributes:
            case CommandType.ModifyWorkflowProperties:
            case CommandType.CompleteWorkflowExecution:
            case CommandType.FailWorkflowExecution:
            case CommandType.CancelWorkflowExecution:
            case CommandType.ContinueAsNewWorkflowExecution:
            case CommandType.ProtocolMessage:
                break;
            default:
                throw RpcErrors.InvalidArgument($"Unknown command type: {command.CommandType}");
        }
    }

    private sealed class WorkflowTaskItem(WorkflowRun run, long scheduledId, bool Sticky) : WorkflowQueueItem
    {
        public override PollWorkflowTaskQueueResponse? TryDispatch(PollWorkflowTaskQueueRequest poll) =>
            run.TryStartWorkflowTask(scheduledId, Sticky, poll);

        public override void OnQueueShutDown() => run.OnStickyTaskUntaken(scheduledId);
    }
}

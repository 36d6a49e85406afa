using FlashFundX.EmbeddedTemporal.Time;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

internal sealed partial class WorkflowRun
{
    private readonly Dictionary<string, (long StartedEventId, ClockTimer Timer)> _timers = new(StringComparer.Ordinal);
    /// <summary>Activities of the task being completed that its worker asked to run eagerly.</summary>
    private readonly List<ActivityState> _eagerActivities = [];

    /// <summary>Writes the events of one command; returns true when a new workflow task is needed right away.</summary>
    private bool ApplyCommand(Command command, long completedId, string identity)
    {
        var metadata = command.UserMetadata;
        switch (command.CommandType)
        {
            case CommandType.ScheduleActivityTask:
                if (ScheduleActivity(command.ScheduleActivityTaskCommandAttributes, completedId, metadata) is { } eager)
                {
                    _eagerActivities.Add(eager);
                }
                return false;
            case CommandType.RequestCancelActivityTask:
                return RequestCancelActivity(command.RequestCancelActivityTaskCommandAttributes.ScheduledEventId, completedId);
            case CommandType.StartTimer:
                StartTimer(command.StartTimerCommandAttributes, completedId, metadata);
                return false;
            case CommandType.CancelTimer:
                CancelTimer(command.CancelTimerCommandAttributes.TimerId, completedId, identity);
                return false;
            case CommandType.RecordMarker:
                var marker = command.RecordMarkerCommandAttributes;
                var markerEvent = new MarkerRecordedEventAttributes
                {
                    MarkerName = marker.MarkerName,
                    Header = marker.Header,
                    Failure = marker.Failure,
                    WorkflowTaskCompletedEventId = completedId,
                };
                markerEvent.Details.Add(marker.Details);
                Append(new HistoryEvent { EventType = EventType.MarkerRecorded, MarkerRecordedEventAttributes = markerEvent, UserMetadata = metadata });
                return false;
            case CommandType.UpsertWorkflowSearchAttributes:
                var upsert = command.UpsertWorkflowSearchAttributesCommandAttributes;
                foreach (var (key, value) in upsert.SearchAttributes?.IndexedFields ?? [])
                {
                    if (NilPayload.Is(value))
                    {
                        _searchAttributes.IndexedFields.Remove(key);
                    }
                    else
                    {
                        _searchAttributes.IndexedFields[key] = value;
                    }
                }
                Append(new HistoryEvent
                {
                    EventType = EventType.UpsertWorkflowSearchAttributes,
                    UpsertWorkflowSearchAttributesEventAttributes = new UpsertWorkflowSearchAttributesEventAttributes
                    {
                        SearchAttributes = upsert.SearchAttributes,
                        WorkflowTaskCompletedEventId = completedId,
                    },
                    UserMetadata = metadata,
                });
                return false;
            case CommandType.ModifyWorkflowProperties:
                var modify = command.ModifyWorkflowPropertiesCommandAttributes;
                foreach (var (key, value) in modify.UpsertedMemo?.Fields ?? [])
                {
                    if (NilPayload.Is(value))
                    {
                        _memo.Fields.Remove(key);
                    }
                    else
                    {
                        _memo.Fields[key] = value;
                    }
                }
                Append(new HistoryEvent
                {
                    EventType = EventType.WorkflowPropertiesModified,
                    WorkflowPropertiesModifiedEventAttributes = new WorkflowPropertiesModifiedEventAttributes
                    {
                        UpsertedMemo = modify.UpsertedMemo,
                        WorkflowTaskCompletedEventId = completedId,
                    },
                    UserMetadata = metadata,
                });
                return false;
            case CommandType.CompleteWorkflowExecution:
                Close(WorkflowExecutionStatus.Completed, new HistoryEvent
                {
                    EventType = EventType.WorkflowExecutionCompleted,
                    WorkflowExecutionCompletedEventAttributes = new WorkflowExecutionCompletedEventAttributes
                    {
                        Result = command.CompleteWorkflowExecutionCommandAttributes.Result,
                        WorkflowTaskCompletedEventId = completedId,
                    },
                });
                return false;
            case CommandType.FailWorkflowExecution:
                var failure = command.FailWorkflowExecutionCommandAttributes.Failure;
                var (retryState, retry) = RetryAfterFailure(failure);
                Close(WorkflowExecutionStatus.Failed, new HistoryEvent
                {
                    EventType = EventType.WorkflowExecutionFailed,
                    WorkflowExecutionFailedEventAttributes = new WorkflowExecutionFailedEventAttributes
                    {
                        Failure = failure,
                        RetryState = retryState,
                        NewExecutionRunId = retry?.RunId ?? "",
                        WorkflowTaskCompletedEventId = completedId,
                    },
                });
                return false;
            case CommandType.CancelWorkflowExecution:
                Close(WorkflowExecutionStatus.Canceled, new HistoryEvent
                {
                    EventType = EventType.WorkflowExecutionCanceled,
                    WorkflowExecutionCanceledEventAttributes = new WorkflowExecutionCanceledEventAttributes
                    {
                        Details = command.CancelWorkflowExecutionCommandAttributes.Details,
                        WorkflowTaskCompletedEventId = completedId,
                    },
                });
                return false;
            case CommandType.ContinueAsNewWorkflowExecution:
                ContinueAsNew(command.ContinueAsNewWorkflowExecutionCommandAttributes, completedId);
                return false;
            default:
                throw new InvalidOperationException($"Unvalidated command {command.CommandType}");
        }
    }

    private void StartTimer(StartTimerCommandAttributes attrs, long completedId, Temporalio.Api.Sdk.V1.UserMetadata? metadata)
    {
        var startedId = Append(new HistoryEvent
        {
            EventType = EventType.TimerStarted,
            TimerStartedEventAttributes = new TimerStartedEventAttributes
            {
                TimerId = attrs.TimerId,
                StartToFireTimeout = attrs.StartToFireTimeout,
                WorkflowTaskCompletedEventId = completedId,
            },
            UserMetadata = metadata,
        });
        var timerId = attrs.TimerId;
        var timer = Clock.Schedule(attrs.StartToFireTimeout?.ToTimeSpan() ?? TimeSpan.Zero, () => OnTimerFired(timerId, startedId));
        _timers[timerId] = (startedId, timer);
    }

    private void OnTimerFired(string timerId, long startedId)
    {
        lock (_gate)
        {
            if (!IsOpen || !_timers.TryGetValue(timerId, out var timer) || timer.StartedEventId != startedId)
            {
                return;
            }
            _timers.Remove(timerId);
            AddExternal(new BufferedEvent(
                () => Append(new HistoryEvent
                {
                    EventType = EventType.TimerFired,
                    TimerFiredEventAttributes = new TimerFiredEventAttributes { TimerId = timerId, StartedEventId = startedId },
                }),
                timerId,
                startedId));
        }
    }

    private void CancelTimer(string timerId, long completedId, string identity)
    {
        long startedId;
        if (_timers.Remove(timerId, out var timer))
        {
            timer.Timer.Cancel();
            startedId = timer.StartedEventId;
        }
        else if (_buffered.FindIndex(b => b.TimerId == timerId) is var index and >= 0)
        {
            // The firing arrived while the task that cancels the timer ran: the cancel wins, as on the real server.
            startedId = _buffered[index].TimerStartedEventId;
            _buffered.RemoveAt(index);
        }
        else
        {
            return;
        }
        Append(new HistoryEvent
        {
            EventType = EventType.TimerCanceled,
            TimerCanceledEventAttributes = new TimerCanceledEventAttributes
            {
                TimerId = timerId,
                StartedEventId = startedId,
                WorkflowTaskCompletedEventId = completedId,
                Identity = identity,
            },
        });
    }

    /// <summary>
    /// As Temporal's server does for a workflow with a retry policy: a failure the policy retries starts the next
    /// run of the chain after the backoff, with the attempt incremented and the failure as its last failure.
    /// </summary>
    private (RetryState State, WorkflowRun? Next) RetryAfterFailure(Temporalio.Api.Failure.V1.Failure failure)
    {
        if (Spec.RetryPolicy == null)
        {
            return (RetryState.RetryPolicyNotSet, null);
        }
        var (state, backoff) = ActivityRetry.Decide(
            ActivityRetry.WithDefaults(Spec.RetryPolicy), Spec.Attempt, failure, Clock.Now, StartTime, Spec.ExecutionTimeout);
        if (state != RetryState.InProgress)
        {
            return (state, null);
        }
        return (state, StartNextRun(NextRunSpec() with
        {
            StartDelay = backoff,
            Initiator = ContinueAsNewInitiator.Retry,
            Attempt = Spec.Attempt + 1,
            ContinuedFailure = failure,
        }));
    }

    /// <summary>The next run of the chain as this one would start it again: same input, memo and search attributes as now.</summary>
    private RunStartSpec NextRunSpec() => Spec with
    {
        Memo = _memo.Fields.Count > 0 ? _memo.Clone() : null,
        SearchAttributes = _searchAttributes.IndexedFields.Count > 0 ? _searchAttributes.Clone() : null,
        ContinuedFromRunId = RunId,
        FirstExecutionRunId = FirstExecutionRunId,
        RequestId = Guid.NewGuid().ToString(),
        ContinuedFailure = null,
        InitialSignal = null,
        InitialUpdate = null,
        UserMetadata = null,
    };

    private WorkflowRun StartNextRun(RunStartSpec spec)
    {
        lock (Chain.Gate)
        {
            var next = Create(_server, Chain, spec);
            Chain.Latest = next;
            return next;
        }
    }

    private void ContinueAsNew(ContinueAsNewWorkflowExecutionCommandAttributes attrs, long completedId)
    {
        var following = NextRunSpec();
        var spec = following with
        {
            WorkflowType = string.IsNullOrEmpty(attrs.WorkflowType?.Name) ? Spec.WorkflowType : attrs.WorkflowType.Name,
            TaskQueue = string.IsNullOrEmpty(attrs.TaskQueue?.Name) ? Spec.TaskQueue : attrs.TaskQueue.Name,
            Input = attrs.Input,
            Header = attrs.Header,
            Memo = attrs.Memo ?? following.Memo,
            SearchAttributes = attrs.SearchAttributes ?? following.SearchAttributes,
            RunTimeout = ProtoTime.Positive(attrs.WorkflowRunTimeout) ?? Spec.RunTimeout,
            WorkflowTaskTimeout = ProtoTime.Positive(attrs.WorkflowTaskTimeout) ?? Spec.WorkflowTaskTimeout,
            StartDelay = ProtoTime.Positive(attrs.BackoffStartInterval) ?? TimeSpan.Zero,
            RetryPolicy = attrs.RetryPolicy ?? Spec.RetryPolicy,
            Initiator = attrs.Initiator == ContinueAsNewInitiator.Unspecified ? ContinueAsNewInitiator.Workflow : attrs.Initiator,
            Attempt = 1,
        };
        var next = StartNextRun(spec);
        Close(WorkflowExecutionStatus.ContinuedAsNew, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionContinuedAsNew,
            WorkflowExecutionContinuedAsNewEventAttributes = new WorkflowExecutionContinuedAsNewEventAttributes
            {
                NewExecutionRunId = next.RunId,
                WorkflowType = new WorkflowType { Name = spec.WorkflowType },
                TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = spec.TaskQueue, Kind = TaskQueueKind.Normal },
                Input = attrs.Input,
                Header = attrs.Header,
                Memo = attrs.Memo,
                SearchAttributes = attrs.SearchAttributes,
                WorkflowRunTimeout = attrs.WorkflowRunTimeout,
                WorkflowTaskTimeout = attrs.WorkflowTaskTimeout,
                BackoffStartInterval = attrs.BackoffStartInterval,
                Initiator = spec.Initiator,
                WorkflowTaskCompletedEventId = completedId,
            },
        });
    }
}

using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Tasks;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

internal sealed partial class WorkflowRun
{
    private readonly Dictionary<long, ActivityState> _activities = [];

    private static string ActivityTimeLock(long scheduledId) => $"activity:{scheduledId}";

    /// <summary>Writes the scheduled event and queues the activity, unless it is to be started eagerly (returned).</summary>
    private ActivityState? ScheduleActivity(ScheduleActivityTaskCommandAttributes attrs, long completedId, Temporalio.Api.Sdk.V1.UserMetadata? metadata)
    {
        // Timeout normalisation as the server does it; "null" means unlimited.
        var scheduleToClose = ProtoTime.Positive(attrs.ScheduleToCloseTimeout);
        var scheduleToStart = ProtoTime.Positive(attrs.ScheduleToStartTimeout);
        var startToClose = ProtoTime.Positive(attrs.StartToCloseTimeout);
        if (scheduleToClose != null)
        {
            scheduleToStart = ProtoTime.Min(scheduleToStart, scheduleToClose);
            startToClose = ProtoTime.Min(startToClose, scheduleToClose);
        }
        scheduleToClose = ProtoTime.Min(scheduleToClose, RunTimeout);
        scheduleToStart = ProtoTime.Min(scheduleToStart, RunTimeout);
        startToClose = ProtoTime.Min(startToClose, RunTimeout);
        var heartbeat = ProtoTime.Min(ProtoTime.Positive(attrs.HeartbeatTimeout), scheduleToClose);
        var retryPolicy = ActivityRetry.WithDefaults(attrs.RetryPolicy);
        var taskQueue = string.IsNullOrEmpty(attrs.TaskQueue?.Name) ? TaskQueue : attrs.TaskQueue.Name;

        var scheduledId = Append(new HistoryEvent
        {
            EventType = EventType.ActivityTaskScheduled,
            ActivityTaskScheduledEventAttributes = new ActivityTaskScheduledEventAttributes
            {
                ActivityId = attrs.ActivityId,
                ActivityType = attrs.ActivityType,
                TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = taskQueue, Kind = TaskQueueKind.Normal },
                Header = attrs.Header,
                Input = attrs.Input,
                ScheduleToCloseTimeout = ProtoTime.ToDuration(scheduleToClose),
                ScheduleToStartTimeout = ProtoTime.ToDuration(scheduleToStart),
                StartToCloseTimeout = ProtoTime.ToDuration(startToClose),
                HeartbeatTimeout = ProtoTime.ToDuration(heartbeat),
                WorkflowTaskCompletedEventId = completedId,
                RetryPolicy = retryPolicy,
                Priority = attrs.Priority,
            },
            UserMetadata = metadata,
        });
        var now = Clock.Now;
        var activity = new ActivityState
        {
            ScheduledEventId = scheduledId,
            ActivityId = attrs.ActivityId,
            ActivityType = attrs.ActivityType,
            TaskQueue = taskQueue,
            Input = attrs.Input,
            Header = attrs.Header,
            ScheduleToClose = scheduleToClose,
            ScheduleToStart = scheduleToStart,
            StartToClose = startToClose,
            Heartbeat = heartbeat,
            RetryPolicy = retryPolicy,
            ScheduledTime = now,
            CurrentAttemptScheduledTime = now,
        };
        _activities[scheduledId] = activity;
        if (scheduleToClose is { } s2c)
        {
            activity.ScheduleToCloseTimer = Clock.Schedule(s2c, () => OnActivityTimeout(scheduledId, 0, TimeoutType.ScheduleToClose));
        }
        if (scheduleToStart is { } s2s && s2s != scheduleToClose)
        {
            activity.ScheduleToStartTimer = Clock.Schedule(s2s, () => OnActivityTimeout(scheduledId, 1, TimeoutType.ScheduleToStart));
        }
        // Eager execution (as Temporal's server does it): the completing worker asked to run the activity itself
        // and polls this queue, so it gets the task in the completion response and saves a poll round trip.
        if (attrs.RequestEagerExecution && taskQueue == TaskQueue)
        {
            HoldTimeLock(ActivityTimeLock(scheduledId));
            return activity;
        }
        EnqueueActivity(activity);
        return null;
    }

    private void EnqueueActivity(ActivityState activity)
    {
        HoldTimeLock(ActivityTimeLock(activity.ScheduledEventId));
        _server.ActivityQueues.Get(Namespace, activity.TaskQueue).Offer(new ActivityTaskItem(this, activity.ScheduledEventId, activity.Attempt));
    }

    private PollActivityTaskQueueResponse? TryStartActivity(long scheduledId, int attempt, PollActivityTaskQueueRequest poll)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            if (!IsOpen || !_activities.TryGetValue(scheduledId, out var activity) || activity.Attempt != attempt
                || activity.Running || activity.InBackoff)
            {
                return null;
            }
            return StartActivityAttempt(activity, poll.Identity);
        }
    }

    /// <summary>Starts the current attempt for the given worker; the caller holds the run lock.</summary>
    private PollActivityTaskQueueResponse StartActivityAttempt(ActivityState activity, string identity)
    {
        var scheduledId = activity.ScheduledEventId;
        var attempt = activity.Attempt;
        var now = Clock.Now;
        activity.Running = true;
        activity.StartedTime = now;
        activity.StartedIdentity = identity;
        activity.ScheduleToStartTimer?.Cancel();
        if (activity.StartToClose is { } startToClose)
        {
            activity.AttemptTimer = Clock.Schedule(startToClose, () => OnActivityTimeout(scheduledId, attempt, TimeoutType.StartToClose));
        }
        RestartHeartbeatTimer(activity);
        return new PollActivityTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.ActivityTask, RunId, scheduledId, attempt).Encode(),
            WorkflowNamespace = Namespace,
            WorkflowType = new WorkflowType { Name = Spec.WorkflowType },
            WorkflowExecution = Execution,
            ActivityType = activity.ActivityType,
            ActivityId = activity.ActivityId,
            Header = activity.Header,
            Input = activity.Input,
            HeartbeatDetails = activity.HeartbeatDetails,
            ScheduledTime = ProtoTime.ToTimestamp(activity.ScheduledTime),
            CurrentAttemptScheduledTime = ProtoTime.ToTimestamp(activity.CurrentAttemptScheduledTime),
            StartedTime = ProtoTime.ToTimestamp(now),
            Attempt = attempt,
            ScheduleToCloseTimeout = ProtoTime.ToDuration(activity.ScheduleToClose),
            StartToCloseTimeout = ProtoTime.ToDuration(activity.StartToClose),
            HeartbeatTimeout = ProtoTime.ToDuration(activity.Heartbeat),
            RetryPolicy = activity.RetryPolicy,
        };
    }

    private void RestartHeartbeatTimer(ActivityState activity)
    {
        activity.HeartbeatTimer?.Cancel();
        activity.HeartbeatTimer = null;
        if (activity.Heartbeat is { } heartbeat)
        {
            var scheduledId = activity.ScheduledEventId;
            var attempt = activity.Attempt;
            activity.HeartbeatTimer = Clock.Schedule(heartbeat, () => OnActivityTimeout(scheduledId, attempt, TimeoutType.Heartbeat));
        }
    }

    /// <summary>Token of the running attempt of an activity, for the "ById" respond calls.</summary>
    public TaskToken ActivityTokenById(string activityId)
    {
        lock (_gate)
        {
            var activity = _activities.Values.FirstOrDefault(a => a.ActivityId == activityId && a.Running)
                ?? throw RpcErrors.NotFound($"Activity {activityId} is not running");
            return new TaskToken(TaskTokenKind.ActivityTask, RunId, activity.ScheduledEventId, activity.Attempt);
        }
    }

    private ActivityState GetRunningActivity(TaskToken token)
    {
        if (!IsOpen || !_activities.TryGetValue(token.Id, out var activity) || activity.Attempt != token.Attempt || !activity.Running)
        {
            throw RpcErrors.NotFound("Activity task not found");
        }
        return activity;
    }

    public void CompleteActivity(TaskToken token, Payloads? result, string identity)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            var activity = GetRunningActivity(token);
            activity.StartedIdentity = identity;
            FinishActivity(activity, startedId => new HistoryEvent
            {
                EventType = EventType.ActivityTaskCompleted,
                ActivityTaskCompletedEventAttributes = new ActivityTaskCompletedEventAttributes
                {
                    Result = result,
                    ScheduledEventId = activity.ScheduledEventId,
                    StartedEventId = startedId,
                    Identity = identity,
                },
            });
        }
    }

    public void FailActivity(TaskToken token, Failure failure, Payloads? lastHeartbeatDetails, string identity)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            var activity = GetRunningActivity(token);
            if (lastHeartbeatDetails != null)
            {
                activity.HeartbeatDetails = lastHeartbeatDetails;
            }
            activity.Running = false;
            activity.CancelAttemptTimers();
            var (state, backoff) = ActivityRetry.Decide(
                activity.RetryPolicy, activity.Attempt, failure, Clock.Now, activity.ScheduledTime, activity.ScheduleToClose);
            if (state == RetryState.InProgress)
            {
                ScheduleActivityRetry(activity, backoff, failure);
                return;
            }
            FinishActivity(activity, startedId => new HistoryEvent
            {
                EventType = EventType.ActivityTaskFailed,
                ActivityTaskFailedEventAttributes = new ActivityTaskFailedEventAttributes
                {
                    Failure = failure,
                    ScheduledEventId = activity.ScheduledEventId,
                    StartedEventId = startedId,
                    Identity = identity,
                    RetryState = state,
                },
            });
        }
    }

    public void CancelActivity(TaskToken token, Payloads? details, string identity)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            var activity = GetRunningActivity(token);
            FinishActivity(activity, startedId => new HistoryEvent
            {
                EventType = EventType.ActivityTaskCanceled,
                ActivityTaskCanceledEventAttributes = new ActivityTaskCanceledEventAttributes
                {
                    Details = details,
                    LatestCancelRequestedEventId = activity.CancelRequestedEventId,
                    ScheduledEventId = activity.ScheduledEventId,
                    StartedEventId = startedId,
                    Identity = identity,
                },
            });
        }
    }

    /// <summary>Records a heartbeat; returns whether cancellation of the activity was requested.</summary>
    public bool HeartbeatActivity(TaskToken token, Payloads? details)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            var activity = GetRunningActivity(token);
            activity.HeartbeatDetails = details;
            activity.LastHeartbeatTime = Clock.Now;
            RestartHeartbeatTimer(activity);
            return activity.CancelRequested;
        }
    }

    private bool RequestCancelActivity(long scheduledId, long completedId)
    {
        var cancelRequestedId = Append(new HistoryEvent
        {
            EventType = EventType.ActivityTaskCancelRequested,
            ActivityTaskCancelRequestedEventAttributes = new ActivityTaskCancelRequestedEventAttributes
            {
                ScheduledEventId = scheduledId,
                WorkflowTaskCompletedEventId = completedId,
            },
        });
        if (!_activities.TryGetValue(scheduledId, out var activity))
        {
            return false;
        }
        activity.CancelRequested = true;
        activity.CancelRequestedEventId = cancelRequestedId;
        if (activity.Running)
        {
            return false;
        }
        // Not running (queued or backing off): cancelled at once.
        RemoveActivity(activity);
        Append(new HistoryEvent
        {
            EventType = EventType.ActivityTaskCanceled,
            ActivityTaskCanceledEventAttributes = new ActivityTaskCanceledEventAttributes
            {
                LatestCancelRequestedEventId = cancelRequestedId,
                ScheduledEventId = scheduledId,
            },
        });
        return true;
    }

    private void ScheduleActivityRetry(ActivityState activity, TimeSpan backoff, Failure failure)
    {
        activity.LastFailure = failure;
        activity.Attempt++;
        activity.InBackoff = true;
        ReleaseTimeLock(ActivityTimeLock(activity.ScheduledEventId));
        var scheduledId = activity.ScheduledEventId;
        var attempt = activity.Attempt;
        activity.BackoffTimer = Clock.Schedule(backoff, () => OnActivityBackoffElapsed(scheduledId, attempt));
    }

    private void OnActivityBackoffElapsed(long scheduledId, int attempt)
    {
        lock (_gate)
        {
            if (!IsOpen || !_activities.TryGetValue(scheduledId, out var activity) || activity.Attempt != attempt || !activity.InBackoff)
            {
                return;
            }
            activity.InBackoff = false;
            activity.BackoffTimer = null;
            activity.CurrentAttemptScheduledTime = Clock.Now;
            EnqueueActivity(activity);
        }
    }

    /// <param name="attempt">Attempt the timer belongs to; 0 for the schedule-to-close deadline that spans attempts.</param>
    private void OnActivityTimeout(long scheduledId, int attempt, TimeoutType type)
    {
        lock (_gate)
        {
            if (!IsOpen || !_activities.TryGetValue(scheduledId, out var activity) || (attempt != 0 && activity.Attempt != attempt))
            {
                return;
            }
            switch (type)
            {
                case TimeoutType.ScheduleToStart when activity.Running || activity.StartedTime != null:
                case TimeoutType.StartToClose or TimeoutType.Heartbeat when !activity.Running:
                    return;
            }
            Failure timeout;
            RetryState state;
            if (type is TimeoutType.StartToClose or TimeoutType.Heartbeat)
            {
                activity.Running = false;
                activity.CancelAttemptTimers();
                timeout = TimeoutFailure(type, activity.HeartbeatDetails, cause: null);
                TimeSpan backoff;
                (state, backoff) = ActivityRetry.Decide(
                    activity.RetryPolicy, activity.Attempt, timeout, Clock.Now, activity.ScheduledTime, activity.ScheduleToClose);
                if (state == RetryState.InProgress)
                {
                    ScheduleActivityRetry(activity, backoff, timeout);
                    return;
                }
                if (state == RetryState.Timeout)
                {
                    timeout = TimeoutFailure(TimeoutType.ScheduleToClose, activity.HeartbeatDetails, cause: timeout);
                }
            }
            else
            {
                state = RetryState.Timeout;
                timeout = TimeoutFailure(type, activity.HeartbeatDetails, cause: activity.LastFailure);
            }
            FinishActivity(activity, startedId => new HistoryEvent
            {
                EventType = EventType.ActivityTaskTimedOut,
                ActivityTaskTimedOutEventAttributes = new ActivityTaskTimedOutEventAttributes
                {
                    Failure = timeout,
                    ScheduledEventId = activity.ScheduledEventId,
                    StartedEventId = startedId,
                    RetryState = state,
                },
            });
        }
    }

    private static Failure TimeoutFailure(TimeoutType type, Payloads? heartbeatDetails, Failure? cause) => new()
    {
        Message = $"activity {type} timeout",
        Source = "EmbeddedTemporal",
        TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = type, LastHeartbeatDetails = heartbeatDetails },
        Cause = cause,
    };

    /// <summary>Removes the activity and records its outcome (preceded by ActivityTaskStarted when it ever started).</summary>
    private void FinishActivity(ActivityState activity, Func<long, HistoryEvent> outcome)
    {
        RemoveActivity(activity);
        AddExternal(new BufferedEvent(() =>
        {
            long startedId = 0;
            if (activity.StartedTime is { } startedTime)
            {
                startedId = Append(new HistoryEvent
                {
                    EventType = EventType.ActivityTaskStarted,
                    EventTime = ProtoTime.ToTimestamp(startedTime),
                    ActivityTaskStartedEventAttributes = new ActivityTaskStartedEventAttributes
                    {
                        ScheduledEventId = activity.ScheduledEventId,
                        Identity = activity.StartedIdentity,
                        RequestId = Guid.NewGuid().ToString(),
                        Attempt = activity.Attempt,
                        LastFailure = activity.LastFailure,
                    },
                });
            }
            Append(outcome(startedId));
        }));
    }

    private void RemoveActivity(ActivityState activity)
    {
        _activities.Remove(activity.ScheduledEventId);
        activity.CancelAllTimers();
        activity.Running = false;
        ReleaseTimeLock(ActivityTimeLock(activity.ScheduledEventId));
    }

    private sealed class ActivityTaskItem(WorkflowRun run, long scheduledId, int attempt) : ActivityQueueItem
    {
        public override PollActivityTaskQueueResponse? TryDispatch(PollActivityTaskQueueRequest poll) => run.TryStartActivity(scheduledId, attempt, poll);
    }
}

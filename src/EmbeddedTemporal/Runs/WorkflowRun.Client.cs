using FlashFundX.EmbeddedTemporal.Grpc;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>Client-facing operations: signal, cancel, terminate, history and describe.</summary>
internal sealed partial class WorkflowRun
{
    public void Signal(SignalWorkflowExecutionRequest request)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            ThrowIfClosed();
            if (!string.IsNullOrEmpty(request.RequestId) && !_signalRequestIds.Add(request.RequestId))
            {
                return;
            }
            AddExternal(new BufferedEvent(() => Append(new HistoryEvent
            {
                EventType = EventType.WorkflowExecutionSignaled,
                WorkflowExecutionSignaledEventAttributes = new WorkflowExecutionSignaledEventAttributes
                {
                    SignalName = request.SignalName,
                    Input = request.Input,
                    Identity = request.Identity,
                    Header = request.Header,
                },
            })));
        }
    }

    /// <summary>Idempotent; a closed run takes it as a success and records nothing.</summary>
    public void RequestCancel(string reason, string identity)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            if (!IsOpen || _cancelRequested)
            {
                return;
            }
            _cancelRequested = true;
            AddExternal(new BufferedEvent(() => Append(new HistoryEvent
            {
                EventType = EventType.WorkflowExecutionCancelRequested,
                WorkflowExecutionCancelRequestedEventAttributes = new WorkflowExecutionCancelRequestedEventAttributes
                {
                    Cause = reason,
                    Identity = identity,
                },
            })));
        }
    }

    public void Terminate(string reason, Payloads? details, string identity)
    {
        using var hold = Clock.HoldLock();
        lock (_gate)
        {
            ThrowIfClosed();
            FailStartedTaskForForcedClose();
            Close(WorkflowExecutionStatus.Terminated, new HistoryEvent
            {
                EventType = EventType.WorkflowExecutionTerminated,
                WorkflowExecutionTerminatedEventAttributes = new WorkflowExecutionTerminatedEventAttributes
                {
                    Reason = reason,
                    Details = details,
                    Identity = identity,
                },
            });
        }
    }

    /// <summary>Events from index <paramref name="from"/> on, and whether the run is closed.</summary>
    public (List<HistoryEvent> Events, bool Closed) ReadHistory(int from)
    {
        lock (_gate)
        {
            return (from < _history.Count ? _history.GetRange(from, _history.Count - from) : [], !IsOpen);
        }
    }

    public HistoryEvent? CloseEvent()
    {
        lock (_gate)
        {
            return IsOpen ? null : _history[^1];
        }
    }

    /// <summary>Completes when history grows beyond <paramref name="count"/> events.</summary>
    public Task WaitForEventsBeyond(int count)
    {
        lock (_gate)
        {
            if (_history.Count > count)
            {
                return Task.CompletedTask;
            }
            _newEvents ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _newEvents.Task;
        }
    }

    public WorkflowExecutionInfo BuildExecutionInfo()
    {
        lock (_gate)
        {
            var info = new WorkflowExecutionInfo
            {
                Execution = Execution,
                Type = new WorkflowType { Name = Spec.WorkflowType },
                StartTime = ProtoTime.ToTimestamp(StartTime),
                ExecutionTime = ProtoTime.ToTimestamp(StartTime + Spec.StartDelay),
                Status = _status,
                HistoryLength = _history.Count,
                HistorySizeBytes = _historyBytes,
                TaskQueue = TaskQueue,
                Memo = _memo.Clone(),
                SearchAttributes = _searchAttributes.Clone(),
                StateTransitionCount = _history.Count,
                FirstRunId = FirstExecutionRunId,
            };
            if (CloseTime is { } closeTime)
            {
                info.CloseTime = ProtoTime.ToTimestamp(closeTime);
                info.ExecutionDuration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(closeTime - StartTime);
            }
            return info;
        }
    }

    public DescribeWorkflowExecutionResponse Describe()
    {
        var response = new DescribeWorkflowExecutionResponse
        {
            WorkflowExecutionInfo = BuildExecutionInfo(),
            ExecutionConfig = new WorkflowExecutionConfig
            {
                TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = TaskQueue, Kind = TaskQueueKind.Normal },
                WorkflowExecutionTimeout = ProtoTime.ToDuration(Spec.ExecutionTimeout),
                WorkflowRunTimeout = ProtoTime.ToDuration(RunTimeout),
                DefaultWorkflowTaskTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(Spec.WorkflowTaskTimeout),
                UserMetadata = Spec.UserMetadata,
            },
        };
        lock (_gate)
        {
            foreach (var activity in _activities.Values)
            {
                var pending = new PendingActivityInfo
                {
                    ActivityId = activity.ActivityId,
                    ActivityType = activity.ActivityType,
                    State = activity.CancelRequested ? PendingActivityState.CancelRequested
                        : activity.Running ? PendingActivityState.Started : PendingActivityState.Scheduled,
                    HeartbeatDetails = activity.HeartbeatDetails,
                    Attempt = activity.Attempt,
                    MaximumAttempts = activity.RetryPolicy.MaximumAttempts,
                    ScheduledTime = ProtoTime.ToTimestamp(activity.CurrentAttemptScheduledTime),
                    LastFailure = activity.LastFailure,
                    LastWorkerIdentity = activity.StartedIdentity,
                };
                if (activity.LastHeartbeatTime is { } heartbeat)
                {
                    pending.LastHeartbeatTime = ProtoTime.ToTimestamp(heartbeat);
                }
                if (activity.Running && activity.StartedTime is { } started)
                {
                    pending.LastStartedTime = ProtoTime.ToTimestamp(started);
                }
                response.PendingActivities.Add(pending);
            }
            if (_wft != WftState.None)
            {
                response.PendingWorkflowTask = new PendingWorkflowTaskInfo
                {
                    State = _wft == WftState.Started ? PendingWorkflowTaskState.Started : PendingWorkflowTaskState.Scheduled,
                    ScheduledTime = ProtoTime.ToTimestamp(_wftScheduledTime),
                    Attempt = _wftAttempt,
                };
            }
        }
        return response;
    }
}

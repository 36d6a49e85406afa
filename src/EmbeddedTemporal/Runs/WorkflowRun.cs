using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Time;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>
/// One workflow run: its history and the state machines of its workflow tasks, activities, timers and queries.
/// Every operation takes <see cref="_gate"/>; event ids are assigned when an event is appended to history.
/// </summary>
internal sealed partial class WorkflowRun
{
    private static long s_sequence;
    private readonly object _gate = new();
    private readonly ServerState _server;
    private readonly ILogger _logger;
    private readonly List<HistoryEvent> _history = [];
    private readonly HashSet<string> _heldTimeLocks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _signalRequestIds = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _newEvents;
    private volatile WorkflowExecutionStatus _status = WorkflowExecutionStatus.Running;
    private long _historyBytes;
    private ClockTimer? _runTimeoutTimer;
    private ClockTimer? _startDelayTimer;
    private bool _cancelRequested;
    private Memo _memo;
    private SearchAttributes _searchAttributes;

    private WorkflowRun(ServerState server, WorkflowChain chain, RunStartSpec spec, string runId)
    {
        _server = server;
        _logger = server.LoggerFactory.CreateLogger<WorkflowRun>();
        Chain = chain;
        Spec = spec;
        RunId = runId;
        FirstExecutionRunId = spec.FirstExecutionRunId ?? runId;
        _memo = spec.Memo?.Clone() ?? new Memo();
        _searchAttributes = spec.SearchAttributes?.Clone() ?? new SearchAttributes();
        foreach (var key in _searchAttributes.IndexedFields.Where(f => NilPayload.Is(f.Value)).Select(f => f.Key).ToList())
        {
            _searchAttributes.IndexedFields.Remove(key);
        }
        RunTimeout = ProtoTime.Min(spec.RunTimeout, spec.ExecutionTimeout);
    }

    public WorkflowChain Chain { get; }
    /// <summary>Creation order, to order runs started within the same clock tick.</summary>
    public long Sequence { get; } = Interlocked.Increment(ref s_sequence);
    public RunStartSpec Spec { get; }
    public string Namespace => Chain.Namespace;
    public string WorkflowId => Chain.WorkflowId;
    public string RunId { get; }
    public string FirstExecutionRunId { get; }
    public string TaskQueue => Spec.TaskQueue;
    public TimeSpan? RunTimeout { get; }
    public WorkflowExecutionStatus Status => _status;
    public bool IsOpen => _status == WorkflowExecutionStatus.Running;
    public DateTimeOffset StartTime { get; private set; }
    public DateTimeOffset? CloseTime { get; private set; }
    public Task Closed => _closed.Task;

    private WorkflowExecution Execution => new() { WorkflowId = WorkflowId, RunId = RunId };
    private VirtualClock Clock => _server.Clock;

    /// <summary>Creates, registers and starts a run. The caller holds the chain lock and publishes it as latest.</summary>
    public static WorkflowRun Create(ServerState server, WorkflowChain chain, RunStartSpec spec)
    {
        var run = new WorkflowRun(server, chain, spec, Guid.NewGuid().ToString());
        server.Store.AddRun(run);
        using (server.Clock.HoldLock())
        {
            lock (run._gate)
            {
                run.Initialize();
            }
        }
        return run;
    }

    private void Initialize()
    {
        var now = Clock.Now;
        StartTime = now;
        var started = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = new WorkflowType { Name = Spec.WorkflowType },
            TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = TaskQueue, Kind = TaskQueueKind.Normal },
            Input = Spec.Input,
            Header = Spec.Header,
            WorkflowExecutionTimeout = ProtoTime.ToDuration(Spec.ExecutionTimeout),
            WorkflowRunTimeout = ProtoTime.ToDuration(RunTimeout),
            WorkflowTaskTimeout = ProtoTime.ToDuration(Spec.WorkflowTaskTimeout),
            ContinuedExecutionRunId = Spec.ContinuedFromRunId ?? "",
            ContinuedFailure = Spec.ContinuedFailure,
            Initiator = Spec.Initiator,
            OriginalExecutionRunId = RunId,
            FirstExecutionRunId = FirstExecutionRunId,
            Identity = Spec.Identity,
            RetryPolicy = Spec.RetryPolicy,
            Priority = Spec.Priority,
            Attempt = Spec.Attempt,
            CronSchedule = Spec.CronSchedule,
            Memo = _memo.Fields.Count > 0 ? _memo.Clone() : null,
            SearchAttributes = _searchAttributes.IndexedFields.Count > 0 ? _searchAttributes.Clone() : null,
            WorkflowId = WorkflowId,
        };
        if (Spec.StartDelay > TimeSpan.Zero)
        {
            started.FirstWorkflowTaskBackoff = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(Spec.StartDelay);
        }
        if (RunTimeout is { } runTimeout)
        {
            started.WorkflowExecutionExpirationTime = ProtoTime.ToTimestamp(now + runTimeout);
        }
        Append(new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionStarted,
            WorkflowExecutionStartedEventAttributes = started,
            UserMetadata = Spec.UserMetadata,
        });
        if (Spec.InitialSignal is { } signal)
        {
            Append(new HistoryEvent
            {
                EventType = EventType.WorkflowExecutionSignaled,
                WorkflowExecutionSignaledEventAttributes = new WorkflowExecutionSignaledEventAttributes
                {
                    SignalName = signal.Name,
                    Input = signal.Input,
                    Header = signal.Header,
                    Identity = Spec.Identity,
                },
            });
        }
        if (Spec.InitialUpdate is { } update)
        {
            AddUpdate(update);
        }
        if (RunTimeout is { } timeout)
        {
            _runTimeoutTimer = Clock.Schedule(timeout, OnRunTimeout);
        }
        if (Spec.StartDelay > TimeSpan.Zero)
        {
            _startDelayTimer = Clock.Schedule(Spec.StartDelay, OnStartDelayElapsed);
        }
        else
        {
            ScheduleWorkflowTask();
        }
    }

    private void OnStartDelayElapsed()
    {
        lock (_gate)
        {
            if (IsOpen && _startDelayTimer != null)
            {
                _startDelayTimer = null;
                if (_wft == WftState.None)
                {
                    ScheduleWorkflowTask();
                }
            }
        }
    }

    private long Append(HistoryEvent e)
    {
        if (_speculativeTaskEvents.Count > 0)
        {
            // Anything written while a speculative task is pending makes the task a normal one, written first.
            var held = _speculativeTaskEvents.ToArray();
            _speculativeTaskEvents.Clear();
            foreach (var taskEvent in held)
            {
                Append(taskEvent);
            }
        }
        e.EventId = _history.Count + 1;
        e.EventTime ??= ProtoTime.ToTimestamp(Clock.Now);
        _history.Add(e);
        _historyBytes += e.CalculateSize();
        if (_newEvents != null)
        {
            _newEvents.TrySetResult();
            _newEvents = null;
        }
        return e.EventId;
    }

    /// <summary>Appends <paramref name="e"/>, or with <paramref name="hold"/> gives it the next id and keeps it out of history.</summary>
    private long AppendOrHold(bool hold, HistoryEvent e)
    {
        if (!hold)
        {
            return Append(e);
        }
        e.EventId = _history.Count + _speculativeTaskEvents.Count + 1;
        e.EventTime ??= ProtoTime.ToTimestamp(Clock.Now);
        _speculativeTaskEvents.Add(e);
        return e.EventId;
    }

    private void HoldTimeLock(string key)
    {
        if (_heldTimeLocks.Add(key))
        {
            Clock.Lock();
        }
    }

    private void ReleaseTimeLock(string key)
    {
        if (_heldTimeLocks.Remove(key))
        {
            Clock.Unlock();
        }
    }

    private void ThrowIfClosed()
    {
        if (!IsOpen)
        {
            throw RpcErrors.NotFound("workflow execution already completed");
        }
    }

    /// <summary>Records an event produced outside a workflow task: buffered while a task is started, else appended.</summary>
    private void AddExternal(BufferedEvent e)
    {
        if (_wft == WftState.Started)
        {
            _buffered.Add(e);
            return;
        }
        e.Write();
        if (_wft == WftState.None && _startDelayTimer == null)
        {
            ScheduleWorkflowTask();
        }
    }

    private bool FlushBuffered()
    {
        if (_buffered.Count == 0)
        {
            return false;
        }
        var events = _buffered.ToArray();
        _buffered.Clear();
        foreach (var e in events)
        {
            e.Write();
        }
        return true;
    }

    /// <summary>Writes the close event and releases everything the run holds.</summary>
    private void Close(WorkflowExecutionStatus status, HistoryEvent closeEvent)
    {
        // A speculative task nobody started leaves no trace; one that started was failed (and written) before.
        _speculativeTaskEvents.Clear();
        Append(closeEvent);
        _status = status;
        CloseTime = Clock.Now;
        _runTimeoutTimer?.Cancel();
        _startDelayTimer?.Cancel();
        _startDelayTimer = null;
        _wftTimeoutTimer?.Cancel();
        CancelStickyFallback();
        _wft = WftState.None;
        _buffered.Clear();
        foreach (var timer in _timers.Values)
        {
            timer.Timer.Cancel();
        }
        _timers.Clear();
        foreach (var activity in _activities.Values)
        {
            activity.CancelAllTimers();
        }
        _activities.Clear();
        foreach (var key in _heldTimeLocks.ToArray())
        {
            ReleaseTimeLock(key);
        }
        RedispatchQueriesAsLegacy();
        AbortUpdates(status);
        _closed.TrySetResult();
    }

    private void OnRunTimeout()
    {
        lock (_gate)
        {
            if (!IsOpen)
            {
                return;
            }
            FailStartedTaskForForcedClose();
            // The run timed out, not the whole execution: a retry policy runs the workflow again, as on a real server.
            var executionExpired = Spec.ExecutionTimeout is { } execution && execution <= RunTimeout;
            var (retryState, retry) = Spec.RetryPolicy == null || executionExpired
                ? (RetryState.Timeout, null)
                : RetryAfterFailure(new Temporalio.Api.Failure.V1.Failure
                {
                    Message = "workflow timeout",
                    Source = "Server",
                    TimeoutFailureInfo = new Temporalio.Api.Failure.V1.TimeoutFailureInfo { TimeoutType = TimeoutType.StartToClose },
                });
            Close(WorkflowExecutionStatus.TimedOut, new HistoryEvent
            {
                EventType = EventType.WorkflowExecutionTimedOut,
                WorkflowExecutionTimedOutEventAttributes = new WorkflowExecutionTimedOutEventAttributes
                {
                    RetryState = retryState,
                    NewExecutionRunId = retry?.RunId ?? "",
                },
            });
        }
    }

    private sealed record BufferedEvent(Action Write, string? TimerId = null, long TimerStartedEventId = 0);
}

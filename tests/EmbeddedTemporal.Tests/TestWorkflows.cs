using Temporalio.Activities;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace FlashFundX.EmbeddedTemporal.Tests;

public static class TestActivities
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Calls = new();

    public static int CallCount(string key) => Calls.TryGetValue(key, out var n) ? n : 0;

    [Activity]
    public static string Greet(string name) => $"Hello, {name}!";

    /// <summary>Fails until its attempt reaches <paramref name="succeedOnAttempt"/>.</summary>
    [Activity]
    public static int Flaky(int succeedOnAttempt)
    {
        var info = ActivityExecutionContext.Current.Info;
        Calls.AddOrUpdate(info.WorkflowId!, 1, (_, n) => n + 1);
        if (info.Attempt < succeedOnAttempt)
        {
            throw new ApplicationFailureException($"attempt {info.Attempt} fails", errorType: "Transient", nextRetryDelay: TimeSpan.FromMilliseconds(50));
        }
        return info.Attempt;
    }

    [Activity]
    public static void FailHard(string errorType)
    {
        Calls.AddOrUpdate(ActivityExecutionContext.Current.Info.WorkflowId!, 1, (_, n) => n + 1);
        throw new ApplicationFailureException("permanent", errorType: errorType);
    }

    /// <summary>Sleeps past its start-to-close timeout on the first attempt only.</summary>
    [Activity]
    public static async Task<int> SlowFirstAttempt(int sleepMs)
    {
        var info = ActivityExecutionContext.Current.Info;
        if (info.Attempt == 1)
        {
            await Task.Delay(sleepMs, CancellationToken.None);
        }
        return info.Attempt;
    }

    /// <summary>Never heartbeats and outlives any heartbeat timeout.</summary>
    [Activity]
    public static async Task SilentSleeper(int sleepMs) => await Task.Delay(sleepMs, CancellationToken.None);

    /// <summary>Heartbeats until cancelled; reports cancellation as such.</summary>
    [Activity]
    public static async Task<string> HeartbeatUntilCancelled()
    {
        var ctx = ActivityExecutionContext.Current;
        for (var i = 0; i < 200; i++)
        {
            ctx.Heartbeat(i);
            try
            {
                await Task.Delay(50, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
        }
        return "never cancelled";
    }

    [Activity]
    public static bool IsReady(int iteration) => iteration >= 13;
}

[Workflow]
public class GreetingWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        var first = await Workflow.ExecuteActivityAsync(() => TestActivities.Greet(name), new() { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
        var second = await Workflow.ExecuteActivityAsync(() => TestActivities.Greet(first), new() { ScheduleToCloseTimeout = TimeSpan.FromSeconds(10) });
        return second;
    }
}

[Workflow]
public class SignalQueryWorkflow
{
    private readonly List<string> _items = [];
    private bool _done;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => _done);
        return string.Join(",", _items);
    }

    [WorkflowSignal]
    public Task AddAsync(string item)
    {
        _items.Add(item);
        return Task.CompletedTask;
    }

    /// <summary>Keeps the workflow task busy for a while so that signals and queries arrive while it is in flight.</summary>
    [WorkflowSignal]
    public Task AddSlowlyAsync(string item)
    {
        Thread.Sleep(400);
        _items.Add(item);
        return Task.CompletedTask;
    }

    [WorkflowSignal]
    public Task DoneAsync()
    {
        _done = true;
        return Task.CompletedTask;
    }

    [WorkflowQuery]
    public string Items() => string.Join(",", _items);

    [WorkflowQuery]
    public string Broken() => throw new InvalidOperationException("query handler is broken");
}

[Workflow]
public class TimerWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(TimeSpan delay)
    {
        var before = Workflow.UtcNow;
        await Workflow.DelayAsync(delay);
        return (Workflow.UtcNow - before >= delay) ? "fired" : "early";
    }
}

[Workflow]
public class CancelTimerWorkflow
{
    private bool _release;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Workflow.CancellationToken);
        var timer = Workflow.DelayAsync(TimeSpan.FromHours(1), cts.Token);
        await Workflow.WaitConditionAsync(() => _release);
        cts.Cancel();
        try
        {
            await timer;
            return "fired";
        }
        catch (TaskCanceledException)
        {
            return "timer cancelled";
        }
    }

    [WorkflowSignal]
    public Task ReleaseAsync()
    {
        _release = true;
        return Task.CompletedTask;
    }
}

[Workflow]
public class CancellableWorkflow
{
    [WorkflowRun]
    public async Task RunAsync() => await Workflow.DelayAsync(TimeSpan.FromDays(1));
}

[Workflow]
public class RetryWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int succeedOnAttempt) =>
        await Workflow.ExecuteActivityAsync(() => TestActivities.Flaky(succeedOnAttempt), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100), MaximumInterval = TimeSpan.FromSeconds(1) },
        });
}

[Workflow]
public class NonRetryableWorkflow
{
    [WorkflowRun]
    public async Task RunAsync(string errorType, int maxAttempts) =>
        await Workflow.ExecuteActivityAsync(() => TestActivities.FailHard(errorType), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            RetryPolicy = new RetryPolicy
            {
                InitialInterval = TimeSpan.FromMilliseconds(50),
                MaximumAttempts = maxAttempts,
                NonRetryableErrorTypes = ["Fatal"],
            },
        });
}

[Workflow]
public class StartToCloseWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync() =>
        await Workflow.ExecuteActivityAsync(() => TestActivities.SlowFirstAttempt(3000), new()
        {
            StartToCloseTimeout = TimeSpan.FromMilliseconds(700),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(50), MaximumAttempts = 3 },
        });
}

[Workflow]
public class HeartbeatTimeoutWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(bool scheduleToClose)
    {
        try
        {
            await Workflow.ExecuteActivityAsync(() => TestActivities.SilentSleeper(3000), scheduleToClose
                ? new ActivityOptions
                {
                    ScheduleToCloseTimeout = TimeSpan.FromMilliseconds(900),
                    RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(50) },
                }
                : new ActivityOptions
                {
                    StartToCloseTimeout = TimeSpan.FromSeconds(10),
                    HeartbeatTimeout = TimeSpan.FromMilliseconds(700),
                    RetryPolicy = new RetryPolicy { MaximumAttempts = 1 },
                });
            return "completed";
        }
        catch (ActivityFailureException e) when (e.InnerException is TimeoutFailureException timeout)
        {
            return timeout.TimeoutType.ToString();
        }
    }
}

[Workflow]
public class ActivityCancelWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var cts = new CancellationTokenSource();
        var activity = Workflow.ExecuteActivityAsync(() => TestActivities.HeartbeatUntilCancelled(), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
            HeartbeatTimeout = TimeSpan.FromSeconds(1),
            CancellationToken = cts.Token,
            CancellationType = ActivityCancellationType.WaitCancellationCompleted,
        });
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(300));
        cts.Cancel();
        try
        {
            return await activity;
        }
        catch (ActivityFailureException e) when (e.InnerException is CanceledFailureException)
        {
            return "activity cancelled";
        }
    }
}

[Workflow]
public class PropertiesWorkflow
{
    public static readonly SearchAttributeKey<string> CustomerKey = SearchAttributeKey.CreateKeyword("EtCustomer");
    public static readonly SearchAttributeKey<long> AmountKey = SearchAttributeKey.CreateLong("EtAmount");
    public static readonly SearchAttributeKey<bool> PaidKey = SearchAttributeKey.CreateBool("EtPaid");

    private bool _done;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var patched = Workflow.Patched("embedded-patch") ? "patched" : "old";
        var local = await Workflow.ExecuteLocalActivityAsync(() => TestActivities.Greet("local"), new() { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
        Workflow.UpsertTypedSearchAttributes(PaidKey.ValueSet(true), AmountKey.ValueSet(42));
        Workflow.UpsertMemo(MemoUpdate.ValueSet("stage", "upserted"));
        Workflow.CurrentDetails = "working";
        await Workflow.WaitConditionAsync(() => _done);
        return $"{patched}/{local}";
    }

    [WorkflowSignal]
    public Task DoneAsync()
    {
        _done = true;
        return Task.CompletedTask;
    }
}

[Workflow]
public class FailingWorkflow
{
    [WorkflowRun]
    public Task RunAsync(string message) => throw new ApplicationFailureException(message, errorType: "Business");
}

[Workflow]
public class ContinueAsNewWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int remaining)
    {
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(10));
        if (remaining > 0)
        {
            throw Workflow.CreateContinueAsNewException((ContinueAsNewWorkflow wf) => wf.RunAsync(remaining - 1));
        }
        return Workflow.Info.ContinuedRunId == null ? 0 : 1;
    }
}

[Workflow]
public class TaskFailureWorkflow
{
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Attempts = new();

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        if (!Workflow.Unsafe.IsReplaying && Attempts.AddOrUpdate(Workflow.Info.WorkflowId, 1, (_, n) => n + 1) == 1)
        {
            throw new InvalidOperationException("bug in workflow code: fails the workflow task once");
        }
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(10));
        return "recovered";
    }
}

[Workflow]
public class PollingWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(TimeSpan interval)
    {
        for (var i = 0; ; i++)
        {
            if (await Workflow.ExecuteActivityAsync(() => TestActivities.IsReady(i), new() { StartToCloseTimeout = TimeSpan.FromSeconds(10) }))
            {
                return i;
            }
            await Workflow.DelayAsync(interval);
        }
    }
}

/// <summary>Fails its first attempts; the server's retry policy runs it again, telling it the attempt and last failure.</summary>
[Workflow]
public class FailsUntilAttemptWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(int succeedOnAttempt)
    {
        if (Workflow.Info.Attempt < succeedOnAttempt)
        {
            throw new ApplicationFailureException($"attempt {Workflow.Info.Attempt} failed");
        }
        return Task.FromResult($"attempt {Workflow.Info.Attempt} after: {Workflow.Info.LastFailure?.Message}");
    }
}

/// <summary>Answers with the priority the server gave it at start.</summary>
[Workflow]
public class PriorityWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() =>
        Task.FromResult($"key {Workflow.Info.Priority?.PriorityKey}, fairness {Workflow.Info.Priority?.FairnessKey}");
}

/// <summary>Waits forever on its first attempt (the run times out), answers on the next one.</summary>
[Workflow]
public class TimesOutFirstAttemptWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        if (Workflow.Info.Attempt == 1)
        {
            await Workflow.WaitConditionAsync(() => false);
        }
        return $"attempt {Workflow.Info.Attempt} after: {Workflow.Info.LastFailure?.Message}";
    }
}

public static class AllTestWorkflows
{
    public static readonly Type[] Types =
    [
        typeof(GreetingWorkflow), typeof(SignalQueryWorkflow), typeof(TimerWorkflow), typeof(CancelTimerWorkflow),
        typeof(CancellableWorkflow), typeof(RetryWorkflow), typeof(NonRetryableWorkflow), typeof(StartToCloseWorkflow),
        typeof(HeartbeatTimeoutWorkflow), typeof(ActivityCancelWorkflow), typeof(PropertiesWorkflow), typeof(FailingWorkflow),
        typeof(ContinueAsNewWorkflow), typeof(TaskFailureWorkflow), typeof(PollingWorkflow),
        typeof(SlowLocalActivityWorkflow), typeof(LocalActivityBackoffWorkflow), typeof(LocalActivitySignalsWorkflow),
        typeof(LocalActivitySequenceWorkflow), typeof(UnregisteredSearchAttributeWorkflow), typeof(MemoUnsetWorkflow),
        typeof(BasketWorkflow), typeof(FailsUntilAttemptWorkflow), typeof(TimesOutFirstAttemptWorkflow), typeof(PriorityWorkflow),
        typeof(MissedHeartbeatWorkflow), typeof(HistoryGrowthWorkflow), typeof(WrongTypeSearchAttributeWorkflow),
    ];
}

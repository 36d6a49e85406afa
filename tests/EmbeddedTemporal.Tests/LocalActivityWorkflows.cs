using Temporalio.Activities;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>Activities the local-activity workflows run in the worker process.</summary>
public static class LocalActivities
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Calls = new();

    public static int CallCount(string workflowId) => Calls.TryGetValue(workflowId, out var n) ? n : 0;

    /// <summary>A short "database write": returns its input plus one.</summary>
    [Activity]
    public static int Increment(int value)
    {
        Calls.AddOrUpdate(ActivityExecutionContext.Current.Info.WorkflowId!, 1, (_, n) => n + 1);
        return value + 1;
    }

    /// <summary>Outlives the workflow task timeout, so the worker has to heartbeat the task meanwhile.</summary>
    [Activity]
    public static async Task<string> SleepAsync(int sleepMs)
    {
        await Task.Delay(sleepMs, ActivityExecutionContext.Current.CancellationToken);
        return $"slept {sleepMs}";
    }

    /// <summary>Fails until its attempt reaches <paramref name="succeedOnAttempt"/>; the retry policy decides the backoff.</summary>
    [Activity]
    public static int FailUntil(int succeedOnAttempt)
    {
        var info = ActivityExecutionContext.Current.Info;
        Calls.AddOrUpdate(info.WorkflowId!, 1, (_, n) => n + 1);
        if (info.Attempt < succeedOnAttempt)
        {
            throw new ApplicationFailureException($"attempt {info.Attempt} fails", errorType: "Transient");
        }
        return info.Attempt;
    }
}

/// <summary>One local activity that runs longer than the workflow task timeout.</summary>
[Workflow]
public class SlowLocalActivityWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(int sleepMs) =>
        await Workflow.ExecuteLocalActivityAsync(() => LocalActivities.SleepAsync(sleepMs), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
        });
}

/// <summary>A local activity whose retry backoff exceeds the local retry threshold, so the SDK sleeps on a server timer.</summary>
[Workflow]
public class LocalActivityBackoffWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int succeedOnAttempt) =>
        await Workflow.ExecuteLocalActivityAsync(() => LocalActivities.FailUntil(succeedOnAttempt), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            LocalRetryThreshold = TimeSpan.FromMinutes(1),
            RetryPolicy = new RetryPolicy
            {
                InitialInterval = TimeSpan.FromMinutes(2),
                BackoffCoefficient = 2,
                MaximumInterval = TimeSpan.FromMinutes(10),
            },
        });
}

/// <summary>Collects signals while a slow local activity keeps its workflow task in flight.</summary>
[Workflow]
public class LocalActivitySignalsWorkflow
{
    private readonly List<string> _signals = [];

    [WorkflowRun]
    public async Task<string> RunAsync(int sleepMs, int expectedSignals)
    {
        var slow = Workflow.ExecuteLocalActivityAsync(() => LocalActivities.SleepAsync(sleepMs), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
        });
        await Workflow.WaitConditionAsync(() => _signals.Count >= expectedSignals);
        var result = await slow;
        return $"{string.Join(",", _signals)}/{result}";
    }

    [WorkflowSignal]
    public Task AddAsync(string item)
    {
        _signals.Add(item);
        return Task.CompletedTask;
    }
}

/// <summary>Three local activities in a row, as three short database writes.</summary>
[Workflow]
public class LocalActivitySequenceWorkflow
{
    private static readonly LocalActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromSeconds(5) };

    [WorkflowRun]
    public async Task<int> RunAsync(int input)
    {
        var a = await Workflow.ExecuteLocalActivityAsync(() => LocalActivities.Increment(input), Options);
        var b = await Workflow.ExecuteLocalActivityAsync(() => LocalActivities.Increment(a), Options);
        return await Workflow.ExecuteLocalActivityAsync(() => LocalActivities.Increment(b), Options);
    }
}

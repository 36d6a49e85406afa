using FlashFundX.TestSupport.Temporal;
using Temporalio.Activities;
using Temporalio.Common;
using Temporalio.Workflows;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>An activity that lets test time pass while it runs, as the SDK's time-skipping tests do.</summary>
public sealed class TestClockActivities(TemporalTestEnvironment env)
{
    /// <summary>Sleeps twice its heartbeat timeout on the test clock without heartbeating.</summary>
    [Activity]
    public async Task<string> OutsleepHeartbeatAsync()
    {
        var heartbeat = ActivityExecutionContext.Current.Info.HeartbeatTimeout!.Value;
        await env.DelayAsync(heartbeat * 2);
        return "all done";
    }
}

[Workflow]
public class MissedHeartbeatWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync() =>
        await Workflow.ExecuteActivityAsync((TestClockActivities a) => a.OutsleepHeartbeatAsync(), new()
        {
            ScheduleToCloseTimeout = TimeSpan.FromSeconds(1000),
            HeartbeatTimeout = TimeSpan.FromSeconds(2),
            RetryPolicy = new RetryPolicy { MaximumAttempts = 1 },
        });
}

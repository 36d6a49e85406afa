using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class TimeSkippingTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [VirtualTimeTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Timer_24Hours_FiresOnTheSkippedVirtualClock(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromHours(24)), new(NewId("day"), tq));
            Assert.Equal("fired", await h.GetResultAsync());
            return h;
        });
        // A day passed on the server's clock (the test itself would have timed out waiting for a real one).
        var history = await handle.FetchHistoryAsync();
        var elapsed = history.Events.Last().EventTime.ToDateTime() - history.Events.First().EventTime.ToDateTime();
        Assert.True(elapsed >= TimeSpan.FromHours(24), $"virtual elapsed {elapsed}");
        await AssertReplaysAsync(handle);
    }

    [VirtualTimeFact]
    public async Task Polling_EveryTwelveHoursForAWeek_RunsOnTheSkippedVirtualClock()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((PollingWorkflow wf) => wf.RunAsync(TimeSpan.FromHours(12)), new(NewId("poll"), tq));
            Assert.Equal(13, await h.GetResultAsync());
            return h;
        });
        var history = await handle.FetchHistoryAsync();
        var elapsed = history.Events.Last().EventTime.ToDateTime() - history.Events.First().EventTime.ToDateTime();
        Assert.True(elapsed >= TimeSpan.FromHours(13 * 12), $"virtual elapsed {elapsed}");
        await AssertReplaysAsync(handle);
    }

    [VirtualTimeFact]
    public async Task DelayAsync_OneDay_FiresTimerWithoutAwaitingResult()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromDays(1)), new(NewId("delay-env"), tq));
            await ClientConformanceTests.WaitForHistoryAsync(h, Temporalio.Api.Enums.V1.EventType.TimerStarted);
            var before = Env.EmbeddedServer!.Now;
            await Env.DelayAsync(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            Assert.True(Env.EmbeddedServer.Now - before >= TimeSpan.FromDays(1));
            await ClientConformanceTests.WaitForHistoryAsync(h, Temporalio.Api.Enums.V1.EventType.WorkflowExecutionCompleted);
            Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Completed, (await h.DescribeAsync()).Status);
        });
    }

    [VirtualTimeFact]
    public async Task LockedTime_SignalBeforeLongTimer_NotSkippedWhileLocked()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((CancelTimerWorkflow wf) => wf.RunAsync(), new(NewId("locked"), tq));
            await ClientConformanceTests.WaitForHistoryAsync(h, Temporalio.Api.Enums.V1.EventType.TimerStarted);
            // Time is locked outside GetResult, so the one-hour timer cannot fire before the signal.
            await h.SignalAsync(wf => wf.ReleaseAsync());
            Assert.Equal("timer cancelled", await h.GetResultAsync());
        });
    }

    [VirtualTimeFact]
    public async Task AdvanceAsync_EmbeddedServer_MovesVirtualClock()
    {
        var before = Env.EmbeddedServer!.Now;
        await Env.EmbeddedServer.AdvanceAsync(TimeSpan.FromHours(5));
        Assert.True(Env.EmbeddedServer.Now - before >= TimeSpan.FromHours(5));
    }

    [VirtualTimeFact]
    public async Task ClientUnlocksBeyondTheirLock_WorkflowTaskOutstanding_ClockWaitsAndCompletionSucceeds()
    {
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var handle = await Client.StartWorkflowAsync("RawTimeLock", [], new(NewId("raw-lock"), tq) { TaskTimeout = TimeSpan.FromSeconds(10) });
        var task = await RawWorkflowTasks.PollAsync(Client, tq);
        var testService = Client.Connection.TestService;
        // Two results awaited at once through the SDK's time-skipping pattern: each caller unlocks once, so the
        // clients unlock twice against their one lock while the workflow task is started.
        await testService.UnlockTimeSkippingAsync(new());
        await testService.UnlockTimeSkippingAsync(new());
        try
        {
            var now = (await testService.GetCurrentTimeAsync(new())).Time.ToDateTimeOffset();
            var started = task.StartedTime.ToDateTimeOffset();
            Assert.True(now - started < TimeSpan.FromSeconds(10), $"the clock passed the started task's timeout: {now - started} after its start");
            await RawWorkflowTasks.RespondAsync(Client, task,
            [
                new Command { CommandType = CommandType.CompleteWorkflowExecution, CompleteWorkflowExecutionCommandAttributes = new() },
            ]);
        }
        finally
        {
            await testService.LockTimeSkippingAsync(new());
            await testService.LockTimeSkippingAsync(new());
        }
        Assert.Equal(WorkflowExecutionStatus.Completed, (await handle.DescribeAsync()).Status);
        var history = await handle.FetchHistoryAsync();
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.WorkflowTaskTimedOut);
    }

    [VirtualTimeFact]
    public async Task ParallelResults_TwoWeekLongPollingWorkflows_BothFinishOnTheSkippedClock()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var first = await Client.StartWorkflowAsync((PollingWorkflow wf) => wf.RunAsync(TimeSpan.FromHours(12)), new(NewId("parallel-a"), tq));
            var second = await Client.StartWorkflowAsync((PollingWorkflow wf) => wf.RunAsync(TimeSpan.FromHours(12)), new(NewId("parallel-b"), tq));
            var results = await Task.WhenAll(first.GetResultAsync(), second.GetResultAsync());
            Assert.Equal([13, 13], results);
            foreach (var handle in new[] { first, second })
            {
                var history = await handle.FetchHistoryAsync();
                Assert.DoesNotContain(history.Events, e => e.EventType == EventType.WorkflowTaskTimedOut);
                await AssertReplaysAsync(handle);
            }
        });
    }

    [VirtualTimeFact]
    public async Task MissedHeartbeat_ActivitySleepsOnTheTestClock_HeartbeatTimeoutRaised()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((MissedHeartbeatWorkflow wf) => wf.RunAsync(), new(NewId("missed-heartbeat"), tq));
            var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => h.GetResultAsync());
            var activity = Assert.IsType<ActivityFailureException>(error.InnerException);
            var timeout = Assert.IsType<TimeoutFailureException>(activity.InnerException);
            Assert.Equal(TimeoutType.Heartbeat, timeout.TimeoutType);
            return h;
        }, o =>
        {
            o.AddAllActivities(new TestClockActivities(Env));
            o.GracefulShutdownTimeout = TimeSpan.FromMilliseconds(100);
        });
        await AssertReplaysAsync(handle);
    }
}

using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class WorkerConformanceTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExecuteWorkflow_TwoActivities_ReturnsResultAndHistoryReplays(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((GreetingWorkflow wf) => wf.RunAsync("Ada"), new(NewId("greet"), tq));
            Assert.Equal("Hello, Hello, Ada!!", await h.GetResultAsync());
            return h;
        });
        var history = await handle.FetchHistoryAsync();
        var types = history.Events.Select(e => e.EventType).ToList();
        Assert.Equal(EventType.WorkflowExecutionStarted, types[0]);
        Assert.Equal(EventType.WorkflowExecutionCompleted, types[^1]);
        Assert.Equal(Enumerable.Range(1, types.Count).Select(i => (long)i), history.Events.Select(e => e.EventId));
        Assert.Equal(2, types.Count(t => t == EventType.ActivityTaskStarted));
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Timer_StartedAndFired_WorkflowSeesElapsedTime(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromMilliseconds(300)), new(NewId("timer"), tq));
            Assert.Equal("fired", await h.GetResultAsync());
            return h;
        });
        var history = await handle.FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.TimerFired);
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CancelTimer_BeforeFiring_TimerCanceledEventWritten(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((CancelTimerWorkflow wf) => wf.RunAsync(), new(NewId("cancel-timer"), tq));
            // A signal landing before the first task would let the workflow skip the timer altogether.
            await ClientConformanceTests.WaitForHistoryAsync(h, EventType.TimerStarted);
            await h.SignalAsync(wf => wf.ReleaseAsync());
            Assert.Equal("timer cancelled", await h.GetResultAsync());
            return h;
        });
        var history = await handle.FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.TimerCanceled);
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.TimerFired);
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ActivityRetry_FailsTwice_SucceedsOnThirdAttempt(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((RetryWorkflow wf) => wf.RunAsync(3), new(NewId("retry"), tq));
            Assert.Equal(3, await h.GetResultAsync());
            return h;
        });
        var history = await handle.FetchHistoryAsync();
        var started = Assert.Single(history.Events, e => e.EventType == EventType.ActivityTaskStarted);
        Assert.Equal(3, started.ActivityTaskStartedEventAttributes.Attempt);
        Assert.Equal("Transient", started.ActivityTaskStartedEventAttributes.LastFailure.ApplicationFailureInfo.Type);
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData("Fatal", 0, 1, RetryState.NonRetryableFailure)]
    [InlineData("Other", 2, 2, RetryState.MaximumAttemptsReached)]
    public async Task ActivityFailure_NonRetryableOrExhausted_FailsWorkflowWithRetryState(string errorType, int maxAttempts, int expectedCalls, RetryState expected)
    {
        var id = NewId("nonretry");
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((NonRetryableWorkflow wf) => wf.RunAsync(errorType, maxAttempts), new(id, tq));
            var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => h.GetResultAsync());
            var activityError = Assert.IsType<ActivityFailureException>(error.InnerException);
            Assert.Equal(expected, activityError.RetryState);
            return h;
        });
        Assert.Equal(expectedCalls, TestActivities.CallCount(id));
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task StartToCloseTimeout_FirstAttemptTooSlow_RetriedAndSucceeds()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((StartToCloseWorkflow wf) => wf.RunAsync(), new(NewId("s2c"), tq));
            Assert.Equal(2, await h.GetResultAsync());
            return h;
        });
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData(false, "Heartbeat")]
    [InlineData(true, "ScheduleToClose")]
    public async Task ActivityTimeout_HeartbeatOrScheduleToClose_ReportedToWorkflow(bool scheduleToClose, string expected)
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((HeartbeatTimeoutWorkflow wf) => wf.RunAsync(scheduleToClose), new(NewId("timeout"), tq));
            Assert.Equal(expected, await h.GetResultAsync());
            return h;
        }, o => o.GracefulShutdownTimeout = TimeSpan.FromMilliseconds(100));
        Assert.Contains((await handle.FetchHistoryAsync()).Events, e => e.EventType == EventType.ActivityTaskTimedOut);
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RequestCancelActivity_Heartbeating_ActivityCancelled(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((ActivityCancelWorkflow wf) => wf.RunAsync(), new(NewId("act-cancel"), tq));
            Assert.Equal("activity cancelled", await h.GetResultAsync());
            return h;
        });
        var history = await handle.FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.ActivityTaskCancelRequested);
        Assert.Contains(history.Events, e => e.EventType == EventType.ActivityTaskCanceled);
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MarkersSearchAttributesMemo_Recorded_VisibleInDescribe(bool cache)
    {
        await RegisterSearchAttributesAsync(PropertiesWorkflow.CustomerKey, PropertiesWorkflow.AmountKey, PropertiesWorkflow.PaidKey);
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((PropertiesWorkflow wf) => wf.RunAsync(), new(NewId("props"), tq)
            {
                StaticSummary = "my summary",
                StaticDetails = "my details",
                TypedSearchAttributes = new Temporalio.Common.SearchAttributeCollection.Builder()
                    .Set(PropertiesWorkflow.CustomerKey, "cust-1").ToSearchAttributeCollection(),
                Memo = new Dictionary<string, object> { ["origin"] = "test" },
            });
            await h.SignalAsync(wf => wf.DoneAsync());
            Assert.Equal("patched/Hello, local!", await h.GetResultAsync());
            return h;
        });
        var description = await handle.DescribeAsync();
        Assert.Equal("cust-1", description.TypedSearchAttributes.Get(PropertiesWorkflow.CustomerKey));
        Assert.Equal(42, description.TypedSearchAttributes.Get(PropertiesWorkflow.AmountKey));
        Assert.True(description.TypedSearchAttributes.Get(PropertiesWorkflow.PaidKey));
        Assert.Equal("test", await description.Memo["origin"].ToValueAsync<string>());
        Assert.Equal("upserted", await description.Memo["stage"].ToValueAsync<string>());
        Assert.Equal("my summary", await description.GetStaticSummaryAsync());
        Assert.Equal("my details", await description.GetStaticDetailsAsync());
        var history = await handle.FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.MarkerRecorded);
        Assert.Contains(history.Events, e => e.EventType == EventType.UpsertWorkflowSearchAttributes);
        Assert.Contains(history.Events, e => e.EventType == EventType.WorkflowPropertiesModified);
        Assert.Contains(history.Events, e => e.WorkflowTaskCompletedEventAttributes?.SdkMetadata?.LangUsedFlags.Count > 0
            || e.WorkflowTaskCompletedEventAttributes?.SdkMetadata?.CoreUsedFlags.Count > 0);
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task FailWorkflow_ApplicationFailure_ClientSeesFailure()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((FailingWorkflow wf) => wf.RunAsync("boom"), new(NewId("fail"), tq));
            var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => h.GetResultAsync());
            Assert.Equal("boom", Assert.IsType<ApplicationFailureException>(error.InnerException).Message);
            return h;
        });
        Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Failed, (await handle.DescribeAsync()).Status);
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ContinueAsNew_ThreeTimes_GetResultFollowsRuns(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((ContinueAsNewWorkflow wf) => wf.RunAsync(3), new(NewId("can"), tq));
            Assert.Equal(1, await h.GetResultAsync());
            return h;
        });
        var firstRun = Client.GetWorkflowHandle(handle.Id, runId: handle.ResultRunId);
        var first = await firstRun.FetchHistoryAsync();
        Assert.Equal(EventType.WorkflowExecutionContinuedAsNew, first.Events.Last().EventType);
        await AssertReplaysAsync(firstRun);
        await AssertReplaysAsync(Client.GetWorkflowHandle(handle.Id));
        var latest = await Client.GetWorkflowHandle(handle.Id).DescribeAsync();
        Assert.Equal(WorkflowExecutionStatus.Completed, latest.Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WorkflowTaskFailure_FirstAttemptThrows_RetriedAndCompletes(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((TaskFailureWorkflow wf) => wf.RunAsync(), new(NewId("wft-fail"), tq));
            Assert.Equal("recovered", await h.GetResultAsync());
            return h;
        });
        var history = await handle.FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.WorkflowTaskFailed);
        await AssertReplaysAsync(handle);
    }
}

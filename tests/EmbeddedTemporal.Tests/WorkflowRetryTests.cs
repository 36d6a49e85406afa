using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>A workflow's retry policy is applied by the server: each failed run is followed by the next attempt.</summary>
[Collection(TemporalCollection.Name)]
public sealed class WorkflowRetryTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    private static readonly RetryPolicy QuickRetries = new() { InitialInterval = TimeSpan.FromMilliseconds(100), MaximumAttempts = 3 };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FailedRun_WithRetryPolicy_NextAttemptSeesAttemptAndLastFailure(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync(
                (FailsUntilAttemptWorkflow wf) => wf.RunAsync(3), new(NewId("wf-retry"), tq) { RetryPolicy = QuickRetries });
            Assert.Equal("attempt 3 after: attempt 2 failed", await h.GetResultAsync());
            return h;
        });

        var first = Client.GetWorkflowHandle(handle.Id, runId: handle.ResultRunId);
        var failed = (await first.FetchHistoryAsync()).Events.Last().WorkflowExecutionFailedEventAttributes;
        Assert.Equal(RetryState.InProgress, failed.RetryState);
        Assert.NotEmpty(failed.NewExecutionRunId);
        var second = Client.GetWorkflowHandle(handle.Id, runId: failed.NewExecutionRunId);
        var started = (await second.FetchHistoryAsync()).Events.First().WorkflowExecutionStartedEventAttributes;
        Assert.Equal(2, started.Attempt);
        Assert.Equal(ContinueAsNewInitiator.Retry, started.Initiator);
        Assert.Equal(handle.ResultRunId, started.ContinuedExecutionRunId);
        Assert.Equal("attempt 1 failed", started.ContinuedFailure.Message);
        Assert.NotNull(started.FirstWorkflowTaskBackoff);
        await AssertReplaysAsync(first);
        await AssertReplaysAsync(second);
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task TimedOutRun_WithRetryPolicy_RetriedWithTheTimeoutAsLastFailure()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync(
                (TimesOutFirstAttemptWorkflow wf) => wf.RunAsync(),
                new(NewId("wf-retry-timeout"), tq) { RetryPolicy = QuickRetries, RunTimeout = TimeSpan.FromSeconds(1) });

            Assert.Equal("attempt 2 after: workflow timeout", await h.GetResultAsync());
            var first = (await Client.GetWorkflowHandle(h.Id, runId: h.ResultRunId).FetchHistoryAsync()).Events.Last();
            Assert.Equal(RetryState.InProgress, first.WorkflowExecutionTimedOutEventAttributes.RetryState);
            Assert.NotEmpty(first.WorkflowExecutionTimedOutEventAttributes.NewExecutionRunId);
        });
    }

    [Fact]
    public async Task FailedRun_RetriesExhausted_WorkflowFailsWithMaximumAttemptsReached()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync(
                (FailsUntilAttemptWorkflow wf) => wf.RunAsync(5), new(NewId("wf-retry-exhausted"), tq) { RetryPolicy = QuickRetries });

            var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => h.GetResultAsync());
            Assert.Equal("attempt 3 failed", Assert.IsType<ApplicationFailureException>(error.InnerException).Message);
            var last = (await Client.GetWorkflowHandle(h.Id).FetchHistoryAsync()).Events;
            Assert.Equal(3, last.First().WorkflowExecutionStartedEventAttributes.Attempt);
            Assert.Equal(RetryState.MaximumAttemptsReached, last.Last().WorkflowExecutionFailedEventAttributes.RetryState);
        });
    }

    [Fact]
    public async Task FailedRun_WithoutRetryPolicy_NotRetried()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((FailsUntilAttemptWorkflow wf) => wf.RunAsync(2), new(NewId("wf-no-retry"), tq));

            var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => h.GetResultAsync());
            Assert.IsType<ApplicationFailureException>(error.InnerException);
            var history = (await Client.GetWorkflowHandle(h.Id).FetchHistoryAsync()).Events;
            Assert.Equal(h.ResultRunId, history.First().WorkflowExecutionStartedEventAttributes.OriginalExecutionRunId);
            Assert.Equal(RetryState.RetryPolicyNotSet, history.Last().WorkflowExecutionFailedEventAttributes.RetryState);
        });
    }
}

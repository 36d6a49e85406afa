using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>
/// Workflow updates through the real client and worker: validators, the accepted and completed events, waiting for a
/// stage, fetching a result later, a closed workflow, and update-with-start. Each history is replayed.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class WorkflowUpdateTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExecuteUpdate_ValidatorRejectsThenAccepts_RejectionLeavesNoEventsAcceptanceRecordsResult(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((BasketWorkflow wf) => wf.RunAsync(), new(NewId("update-validate"), tq));
            await ClientConformanceTests.WaitForHistoryAsync(h, EventType.WorkflowTaskCompleted);
            var before = await EventsAsync(h);

            var rejected = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => h.ExecuteUpdateAsync(wf => wf.AddItemAsync(" ")));
            var cause = Assert.IsType<ApplicationFailureException>(rejected.InnerException);
            Assert.Equal("an item needs a name", cause.Message);
            Assert.Equal("ArgumentException", cause.ErrorType);
            Assert.Equal(before.Select(e => e.EventType), (await EventsAsync(h)).Select(e => e.EventType));

            Assert.Equal(1, await h.ExecuteUpdateAsync(wf => wf.AddItemAsync("apple")));
            await h.SignalAsync(wf => wf.CloseAsync());
            Assert.Equal("apple", await h.GetResultAsync());
            return h;
        });

        var events = await EventsAsync(handle);
        var accepted = Assert.Single(events, e => e.EventType == EventType.WorkflowExecutionUpdateAccepted);
        Assert.Equal("AddItem", accepted.WorkflowExecutionUpdateAcceptedEventAttributes.AcceptedRequest.Input.Name);
        var completed = Assert.Single(events, e => e.EventType == EventType.WorkflowExecutionUpdateCompleted).WorkflowExecutionUpdateCompletedEventAttributes;
        Assert.Equal(accepted.EventId, completed.AcceptedEventId);
        Assert.Equal(accepted.WorkflowExecutionUpdateAcceptedEventAttributes.ProtocolInstanceId, completed.Meta.UpdateId);
        Assert.NotNull(completed.Outcome.Success);
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartUpdate_WaitForAccepted_ResultFetchedLaterByIdAndRepeatedIdAnswersTheSame(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((BasketWorkflow wf) => wf.RunAsync(), new(NewId("update-accepted"), tq));
            var update = await h.StartUpdateAsync(wf => wf.AddAfterReleaseAsync("pear"), new(WorkflowUpdateStage.Accepted));
            var events = await EventsAsync(h);
            Assert.Contains(events, e => e.EventType == EventType.WorkflowExecutionUpdateAccepted);
            Assert.DoesNotContain(events, e => e.EventType == EventType.WorkflowExecutionUpdateCompleted);

            await h.SignalAsync(wf => wf.ReleaseAsync());
            Assert.Equal("pear", await h.GetUpdateHandle<string>(update.Id).GetResultAsync());
            var repeated = await h.ExecuteUpdateAsync(wf => wf.AddAfterReleaseAsync("plum"), new() { Id = update.Id });
            Assert.Equal("pear", repeated);

            await h.SignalAsync(wf => wf.CloseAsync());
            Assert.Equal("pear", await h.GetResultAsync());
            Assert.Equal("pear", await h.GetUpdateHandle<string>(update.Id).GetResultAsync());
            return h;
        });

        var history = await EventsAsync(handle);
        Assert.Single(history, e => e.EventType == EventType.WorkflowExecutionUpdateAccepted);
        Assert.Single(history, e => e.EventType == EventType.WorkflowExecutionUpdateCompleted);
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task ExecuteUpdate_ClosedWorkflow_FailsNotFound()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((BasketWorkflow wf) => wf.RunAsync(), new(NewId("update-closed"), tq));
            await h.SignalAsync(wf => wf.CloseAsync());
            await h.GetResultAsync();

            var error = await Assert.ThrowsAsync<RpcException>(() => h.ExecuteUpdateAsync(wf => wf.AddItemAsync("late")));
            Assert.Equal(RpcException.StatusCode.NotFound, error.Code);
            Assert.Contains("workflow execution already completed", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(await EventsAsync(h), e => e.EventType == EventType.WorkflowExecutionUpdateAccepted);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UpdateWithStart_NewThenRunningWorkflow_StartsOnceAndReturnsEachUpdateResult(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var id = NewId("update-with-start");
            WithStartWorkflowOperation<WorkflowHandle<BasketWorkflow, string>> StartOperation() =>
                WithStartWorkflowOperation.Create((BasketWorkflow wf) => wf.RunAsync(), new(id, tq) { IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting });

            var first = StartOperation();
            Assert.Equal(1, await Client.ExecuteUpdateWithStartWorkflowAsync((BasketWorkflow wf) => wf.AddItemAsync("tea"), new(first)));
            var h = await first.GetHandleAsync();
            var second = StartOperation();
            Assert.Equal(2, await Client.ExecuteUpdateWithStartWorkflowAsync((BasketWorkflow wf) => wf.AddItemAsync("milk"), new(second)));
            Assert.Equal(h.ResultRunId, (await second.GetHandleAsync()).ResultRunId);

            await h.SignalAsync(wf => wf.CloseAsync());
            Assert.Equal("tea,milk", await h.GetResultAsync());
            return h;
        });

        var events = await EventsAsync(handle);
        Assert.Single(events, e => e.EventType == EventType.WorkflowExecutionStarted);
        Assert.Equal(2, events.Count(e => e.EventType == EventType.WorkflowExecutionUpdateCompleted));
        // The first update rode the first workflow task.
        Assert.Equal(EventType.WorkflowExecutionUpdateAccepted, events[4].EventType);
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task UpdateWithStart_ConflictPolicyFailOnRunningWorkflow_AlreadyStarted()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var id = NewId("update-with-start-fail");
            var h = await Client.StartWorkflowAsync((BasketWorkflow wf) => wf.RunAsync(), new(id, tq));
            var operation = WithStartWorkflowOperation.Create(
                (BasketWorkflow wf) => wf.RunAsync(), new(id, tq) { IdConflictPolicy = WorkflowIdConflictPolicy.Fail });

            await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() =>
                Client.ExecuteUpdateWithStartWorkflowAsync((BasketWorkflow wf) => wf.AddItemAsync("tea"), new(operation)));
            await h.SignalAsync(wf => wf.CloseAsync());
            Assert.Equal("", await h.GetResultAsync());
        });
    }

    private static async Task<IReadOnlyList<HistoryEvent>> EventsAsync(WorkflowHandle handle) => (await handle.FetchHistoryAsync()).Events.ToList();
}

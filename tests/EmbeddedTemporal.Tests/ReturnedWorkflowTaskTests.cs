using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit;
using static FlashFundX.EmbeddedTemporal.Tests.RawWorkflowTasks;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>
/// The wire contract of <c>ReturnNewWorkflowTask</c> and <c>ForceCreateNewWorkflowTask</c>, played through the raw
/// RPCs so the returned tasks can be inspected: a new task that must start at once (forced, or events buffered
/// while the task ran) is started for the completing worker and returned with the events after the completed
/// task, and is never queued as well.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class ReturnedWorkflowTaskTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Fact]
    public async Task SignalDuringTask_ReturnNewWorkflowTask_NextTaskInResponseWithEventsAfterCompletedTask()
    {
        var (handle, tq) = await StartAsync();
        var first = await PollAsync(Client, tq);
        await handle.SignalAsync(wf => wf.AddAsync("during"));

        var response = await CompleteAsync(Client, first, returnNew: true, sticky: tq);

        var second = response.WorkflowTask;
        Assert.NotNull(second);
        Assert.False(second.TaskToken.IsEmpty);
        Assert.Equal(1, second.Attempt);
        Assert.Equal(handle.Id, second.WorkflowExecution.WorkflowId);
        Assert.Equal("SignalQueryWorkflow", second.WorkflowType.Name);
        Assert.Equal(first.StartedEventId, second.PreviousStartedEventId);
        Assert.True(second.NextPageToken.IsEmpty);
        Assert.Equal(
            [EventType.WorkflowTaskCompleted, EventType.WorkflowExecutionSignaled, EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted],
            second.History.Events.Select(e => e.EventType));
        Assert.Equal(first.StartedEventId + 1, second.History.Events[0].EventId);
        Assert.Equal(second.StartedEventId, second.History.Events[^1].EventId);
        var started = second.History.Events[^1].WorkflowTaskStartedEventAttributes;
        Assert.Equal(LocalActivityTests.ReturnedTaskRequestId, started.RequestId);
        Assert.Equal(Identity, started.Identity);
        Assert.Equal(second.History.Events[^2].EventId, started.ScheduledEventId);
        Assert.Equal(second.History.Events, (await handle.FetchHistoryAsync()).Events.Skip((int)first.StartedEventId));

        // The returned task is the live one: completing it works, and it was never offered to a poller.
        var third = (await CompleteAsync(Client, second, returnNew: true, sticky: tq)).WorkflowTask;
        Assert.Null(third);
        Assert.True((await PollOrNullAsync(Client, tq)).TaskToken.IsEmpty);
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task ForceCreateHeartbeats_ReturnNewWorkflowTask_EachReturnsNextTaskWithAttemptOne()
    {
        var (handle, tq) = await StartAsync();
        var task = await PollAsync(Client, tq);

        for (var i = 0; i < 3; i++)
        {
            var previousStarted = task.StartedEventId;
            task = (await CompleteAsync(Client, task, returnNew: true, sticky: tq, force: true)).WorkflowTask;

            Assert.NotNull(task);
            Assert.Equal(1, task.Attempt);
            Assert.Equal(previousStarted, task.PreviousStartedEventId);
            Assert.Equal(
                [EventType.WorkflowTaskCompleted, EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted],
                task.History.Events.Select(e => e.EventType));
            Assert.Equal(previousStarted + 3, task.StartedEventId);
        }
        Assert.True((await PollOrNullAsync(Client, tq)).TaskToken.IsEmpty);
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task ForceCreate_WithoutReturnNewWorkflowTask_NextTaskGoesThroughQueueWithFullHistory()
    {
        var (handle, tq) = await StartAsync();
        var first = await PollAsync(Client, tq);

        var response = await CompleteAsync(Client, first, returnNew: false, sticky: null, force: true);

        Assert.Null(response.WorkflowTask);
        var second = await PollAsync(Client, tq);
        Assert.Equal(1, second.History.Events[0].EventId);
        Assert.Equal(second.StartedEventId, second.History.Events[^1].EventId);
        Assert.NotEqual(LocalActivityTests.ReturnedTaskRequestId, second.History.Events[^1].WorkflowTaskStartedEventAttributes.RequestId);
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task ReturnNewWorkflowTask_NothingNew_NoTaskReturned()
    {
        var (handle, tq) = await StartAsync();
        var first = await PollAsync(Client, tq);

        var response = await CompleteAsync(Client, first, returnNew: true, sticky: tq);

        Assert.Null(response.WorkflowTask);
        Assert.Equal(EventType.WorkflowTaskCompleted, (await handle.FetchHistoryAsync()).Events.Last().EventType);
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task QueryDuringTask_SignalAlsoBuffered_ReturnedTaskCarriesQueryAndAnswerReachesClient()
    {
        // A server of its own, whose log shows when the query has reached the run.
        using var logs = new ServerLogs();
        var (server, client) = await logs.StartServerAsync();
        await using var _ = server;
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var handle = await client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("returned"), tq));
        var first = await PollAsync(client, tq);
        var query = QueryAsync(client, handle.Id, "Items");
        await logs.WaitForQueryAsync("Items", handle.Id, "held back while a workflow task runs");
        await handle.SignalAsync(wf => wf.AddAsync("during"));

        var second = (await CompleteAsync(client, first, returnNew: true, sticky: tq)).WorkflowTask;

        Assert.NotNull(second);
        var (queryId, workflowQuery) = Assert.Single(second.Queries);
        Assert.Equal("Items", workflowQuery.QueryType);
        var answer = await AnswerQueryAsync(client, second, queryId, "\"during\"");
        Assert.Equal(answer, (await query).QueryResult);
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task HeartbeatsPastHeartbeatTimeout_TaskTimedOut_NotFoundAndRetriedOnNormalQueue()
    {
        await using var server = await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions
        {
            WorkflowTaskHeartbeatTimeout = TimeSpan.FromSeconds(1),
        });
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target));
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var handle = await client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("hb-timeout"), tq));
        var first = await PollAsync(client, tq);
        var second = (await CompleteAsync(client, first, returnNew: true, sticky: tq, force: true)).WorkflowTask;
        Assert.NotNull(second);
        // The heartbeat chain is measured on the server's clock from the chain's first task: wait until that clock is
        // past the timeout (the condition the server checks when the next heartbeat comes), not for a guessed time.
        var chainStarted = (await handle.FetchHistoryAsync()).Events
            .First(e => e.EventType == EventType.WorkflowTaskScheduled).EventTime.ToDateTimeOffset();
        await Eventually.WaitAsync(() => server.Now - chainStarted > TimeSpan.FromSeconds(1), "the server clock past the heartbeat timeout");

        var error = await Assert.ThrowsAsync<RpcException>(() => CompleteAsync(client, second, returnNew: true, sticky: tq, force: true));

        Assert.Equal(RpcException.StatusCode.NotFound, error.Code);
        var events = (await handle.FetchHistoryAsync()).Events.ToList();
        var timedOut = events.Single(e => e.EventType == EventType.WorkflowTaskTimedOut).WorkflowTaskTimedOutEventAttributes;
        Assert.Equal(second.StartedEventId, timedOut.StartedEventId);
        var retry = await PollAsync(client, tq);
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(1, retry.History.Events[0].EventId);
        await handle.TerminateAsync();
    }

    private async Task<(WorkflowHandle<SignalQueryWorkflow> Handle, string Tq)> StartAsync()
    {
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var handle = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("returned"), tq));
        return (handle, tq);
    }
}

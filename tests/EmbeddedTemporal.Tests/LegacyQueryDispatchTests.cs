using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Xunit;
using static FlashFundX.EmbeddedTemporal.Tests.RawWorkflowTasks;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>
/// A query sent alone ("legacy" query task) carries the run's whole history, which a worker without the run cached
/// replays. That history must end at a completed workflow task: one that ends inside a newer task makes the worker
/// apply that task's events (a signal, say) a task too early, and the replay fails as nondeterministic.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class LegacyQueryDispatchTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Fact]
    public async Task QueryQueuedWhileIdle_TaskScheduledBeforeAWorkerTakesIt_QueryRidesThatTask()
    {
        // A server of its own, whose log shows when the query has reached the run.
        using var logs = new ServerLogs();
        var (server, client) = await logs.StartServerAsync();
        await using var _ = server;
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var handle = await client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("legacy-query"), tq));
        await CompleteAsync(client, await PollAsync(client, tq), returnNew: false, sticky: null);
        var query = QueryAsync(client, handle.Id, "Items");
        await logs.WaitForQueryAsync("Items", handle.Id, "queued as a legacy query task");
        await handle.SignalAsync(wf => wf.AddAsync("after"));

        var task = await PollAsync(client, tq);

        Assert.Null(task.Query);
        Assert.Equal(EventType.WorkflowTaskStarted, task.History.Events[^1].EventType);
        Assert.Contains(task.History.Events, e => e.EventType == EventType.WorkflowExecutionSignaled);
        var (queryId, workflowQuery) = Assert.Single(task.Queries);
        Assert.Equal("Items", workflowQuery.QueryType);
        var answer = await AnswerQueryAsync(client, task, queryId, "\"after\"");
        Assert.Equal(answer, (await query).QueryResult);
        Assert.True((await PollOrNullAsync(client, tq)).TaskToken.IsEmpty);
        await handle.TerminateAsync();
    }
}

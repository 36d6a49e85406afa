using FlashFundX.TestSupport.Temporal;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Query.V1;
using Temporalio.Api.WorkflowService.V1;
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
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var handle = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("legacy-query"), tq));
        await CompleteAsync(Client, await PollAsync(Client, tq), returnNew: false, sticky: null);
        var query = Client.Connection.WorkflowService.QueryWorkflowAsync(new QueryWorkflowRequest
        {
            Namespace = Client.Options.Namespace,
            Execution = new WorkflowExecution { WorkflowId = handle.Id },
            Query = new WorkflowQuery { QueryType = "Items" },
        });
        await Task.Delay(1000); // the query reaches the idle run and waits on the queue as a legacy query task
        await handle.SignalAsync(wf => wf.AddAsync("after"));

        var task = await PollAsync(Client, tq);

        Assert.Null(task.Query);
        Assert.Equal(EventType.WorkflowTaskStarted, task.History.Events[^1].EventType);
        Assert.Contains(task.History.Events, e => e.EventType == EventType.WorkflowExecutionSignaled);
        var (queryId, workflowQuery) = Assert.Single(task.Queries);
        Assert.Equal("Items", workflowQuery.QueryType);
        var answer = new Payloads { Payloads_ = { new Payload { Data = ByteString.CopyFromUtf8("\"after\"") } } };
        await Client.Connection.WorkflowService.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = Client.Options.Namespace,
            TaskToken = task.TaskToken,
            Identity = Identity,
            QueryResults = { [queryId] = new WorkflowQueryResult { ResultType = QueryResultType.Answered, Answer = answer } },
        });
        Assert.Equal(answer, (await query).QueryResult);
        Assert.True((await PollOrNullAsync(Client, tq)).TaskToken.IsEmpty);
        await handle.TerminateAsync();
    }
}

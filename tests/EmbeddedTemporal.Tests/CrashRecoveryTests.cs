using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>A "dead worker" takes a task through the raw poll RPC and never answers; timeouts hand it to a live worker.</summary>
[Collection(TemporalCollection.Name)]
public sealed class CrashRecoveryTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Fact]
    public async Task WorkerDiesMidWorkflowTask_TaskTimesOut_SecondWorkerCompletes()
    {
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var handle = await Client.StartWorkflowAsync((GreetingWorkflow wf) => wf.RunAsync("crash"), new(NewId("wft-crash"), tq)
        {
            TaskTimeout = TimeSpan.FromSeconds(1),
        });
        var taken = await Client.Connection.WorkflowService.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest
        {
            Namespace = Client.Options.Namespace,
            TaskQueue = new() { Name = tq },
            Identity = "dead-worker",
        });
        Assert.False(taken.TaskToken.IsEmpty);

        await WithWorkerAsync(true, async _ => Assert.Equal("Hello, Hello, crash!!", await handle.GetResultAsync()), o => o.TaskQueue = tq);
        var history = await handle.FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.WorkflowTaskTimedOut);
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task WorkerDiesMidActivity_StartToCloseExpires_SecondWorkerCompletes()
    {
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var id = NewId("act-crash");
        var handle = await WithWorkerAsync(true, async _ =>
        {
            var h = await Client.StartWorkflowAsync((StartToCloseWorkflow wf) => wf.RunAsync(), new(id, tq));
            await ClientConformanceTests.WaitForHistoryAsync(h, EventType.ActivityTaskScheduled);
            return h;
        }, o =>
        {
            o.TaskQueue = tq;
            o.Activities.Clear();
        });
        var taken = await Client.Connection.WorkflowService.PollActivityTaskQueueAsync(new PollActivityTaskQueueRequest
        {
            Namespace = Client.Options.Namespace,
            TaskQueue = new() { Name = tq },
            Identity = "dead-worker",
        });
        Assert.False(taken.TaskToken.IsEmpty);
        Assert.Equal(1, taken.Attempt);

        await WithWorkerAsync(true, async _ => Assert.Equal(2, await handle.GetResultAsync()), o => o.TaskQueue = tq);
        var late = await Assert.ThrowsAsync<RpcException>(() => Client.Connection.WorkflowService.RespondActivityTaskCompletedAsync(new()
        {
            Namespace = Client.Options.Namespace,
            TaskToken = taken.TaskToken,
        }));
        Assert.Equal(RpcException.StatusCode.NotFound, late.Code);
        await AssertReplaysAsync(handle);
    }
}

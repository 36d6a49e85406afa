using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class RequestCancelTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Fact]
    public async Task Cancel_CompletedWorkflow_AcceptedAndRecordsNothing()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((GreetingWorkflow wf) => wf.RunAsync("cancel"), new(NewId("cancel-done"), tq));
            await h.GetResultAsync();
            return h;
        });
        var before = (await handle.FetchHistoryAsync()).Events.Count;

        await handle.CancelAsync();
        await Client.GetWorkflowHandle(handle.Id, handle.ResultRunId).CancelAsync();

        var history = await handle.FetchHistoryAsync();
        Assert.Equal(before, history.Events.Count);
        Assert.Equal(EventType.WorkflowExecutionCompleted, history.Events.Last().EventType);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client.GetWorkflowHandle(NewId("nope")).CancelAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, unknown.Code);
    }
}

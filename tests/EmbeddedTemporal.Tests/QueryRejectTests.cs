using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>A query's reject condition is checked against a closed workflow's status before the query runs.</summary>
[Collection(TemporalCollection.Name)]
public sealed class QueryRejectTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Fact]
    public async Task Query_CompletedWorkflow_NotOpenRejectsNotCompletedCleanlyAnswers()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var handle = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("reject"), tq));
            await handle.SignalAsync(wf => wf.AddAsync("a"));
            await handle.SignalAsync(wf => wf.DoneAsync());
            await handle.GetResultAsync();

            var rejected = await Assert.ThrowsAsync<WorkflowQueryRejectedException>(() =>
                handle.QueryAsync(wf => wf.Items(), new() { RejectCondition = QueryRejectCondition.NotOpen }));
            Assert.Equal(WorkflowExecutionStatus.Completed, rejected.WorkflowStatus);
            Assert.Equal("a", await handle.QueryAsync(wf => wf.Items(), new() { RejectCondition = QueryRejectCondition.NotCompletedCleanly }));
            Assert.Equal("a", await handle.QueryAsync(wf => wf.Items()));
        });
    }

    [Fact]
    public async Task Query_TerminatedWorkflow_NotCompletedCleanlyRejects()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var handle = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("reject-term"), tq));
            await handle.SignalAsync(wf => wf.AddAsync("a"));
            Assert.Equal("a", await handle.QueryAsync(wf => wf.Items(), new() { RejectCondition = QueryRejectCondition.NotOpen }));
            await handle.TerminateAsync("test over");

            var rejected = await Assert.ThrowsAsync<WorkflowQueryRejectedException>(() =>
                handle.QueryAsync(wf => wf.Items(), new() { RejectCondition = QueryRejectCondition.NotCompletedCleanly }));
            Assert.Equal(WorkflowExecutionStatus.Terminated, rejected.WorkflowStatus);
        });
    }
}

using FlashFundX.TestSupport.Temporal;
using Temporalio.Client;
using Temporalio.Common;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>The priority given at start is the run's: in its started event and in <c>Workflow.Info.Priority</c>.</summary>
[Collection(TemporalCollection.Name)]
public sealed class PriorityTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Fact]
    public async Task StartWithPriority_WorkflowSeesIt_StartedEventRecordsIt()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var handle = await Client.StartWorkflowAsync(
                (PriorityWorkflow wf) => wf.RunAsync(),
                new(NewId("wf-priority"), tq) { Priority = new Priority(priorityKey: 2, fairnessKey: "tenant-a") });

            Assert.Equal("key 2, fairness tenant-a", await handle.GetResultAsync());
            var started = (await handle.FetchHistoryAsync()).Events.First().WorkflowExecutionStartedEventAttributes;
            Assert.Equal((2, "tenant-a"), (started.Priority.PriorityKey, started.Priority.FairnessKey));
            await AssertReplaysAsync(handle);
        });
    }

    [Fact]
    public async Task StartWithoutPriority_WorkflowSeesNoKey()
    {
        await WithWorkerAsync(true, async tq =>
        {
            var handle = await Client.StartWorkflowAsync((PriorityWorkflow wf) => wf.RunAsync(), new(NewId("wf-no-priority"), tq));

            Assert.Equal("key , fairness ", await handle.GetResultAsync());
        });
    }
}

using Temporalio.Workflows;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>Grows its history one short timer at a time until the server suggests continue-as-new.</summary>
[Workflow]
public class HistoryGrowthWorkflow
{
    /// <summary>The history length at which continue-as-new was first suggested, or -1 when it never was.</summary>
    [WorkflowRun]
    public async Task<int> RunAsync(int maxTimers)
    {
        for (var i = 0; i < maxTimers; i++)
        {
            if (Workflow.ContinueAsNewSuggested)
            {
                return Workflow.CurrentHistoryLength;
            }
            await Workflow.DelayAsync(TimeSpan.FromMilliseconds(1));
        }
        return -1;
    }
}

using Temporalio.Workflows;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>Workflows whose first task carries a command the embedded server refuses.</summary>
[Workflow]
public class StartsChildWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => Workflow.ExecuteChildWorkflowAsync("AnyChild", []);
}

[Workflow]
public class SignalsExternalWorkflow
{
    [WorkflowRun]
    public Task RunAsync(string targetId) => Workflow.GetExternalWorkflowHandle(targetId).SignalAsync("poke", []);
}

[Workflow]
public class CancelsExternalWorkflow
{
    [WorkflowRun]
    public Task RunAsync(string targetId) => Workflow.GetExternalWorkflowHandle(targetId).CancelAsync();
}

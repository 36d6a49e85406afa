using Temporalio.Common;
using Temporalio.Workflows;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>Upserts a search attribute no test ever registers.</summary>
[Workflow]
public class UnregisteredSearchAttributeWorkflow
{
    public static readonly SearchAttributeKey<string> NeverRegistered = SearchAttributeKey.CreateKeyword("EtNeverRegistered");

    [WorkflowRun]
    public async Task RunAsync()
    {
        Workflow.UpsertTypedSearchAttributes(NeverRegistered.ValueSet("value"));
        await Workflow.DelayAsync(TimeSpan.FromDays(1));
    }
}

/// <summary>Removes the memo key it was started with and sets another.</summary>
[Workflow]
public class MemoUnsetWorkflow
{
    [WorkflowRun]
    public Task RunAsync()
    {
        Workflow.UpsertMemo(MemoUpdate.ValueUnset("origin"), MemoUpdate.ValueSet("kept", "yes"));
        return Task.CompletedTask;
    }
}

/// <summary>Upserts a text value into an attribute registered as Int.</summary>
[Workflow]
public class WrongTypeSearchAttributeWorkflow
{
    public const string IntAttribute = "EtTypedInt";

    [WorkflowRun]
    public async Task RunAsync()
    {
        Workflow.UpsertTypedSearchAttributes(SearchAttributeKey.CreateKeyword(IntAttribute).ValueSet("not a number"));
        await Workflow.DelayAsync(TimeSpan.FromDays(1));
    }
}

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>
/// All runs sharing a workflow id. Its lock only guards the latest-run pointer and request ids; code holding it
/// never takes a run lock of an existing run (run locks may take it, e.g. for continue-as-new).
/// </summary>
internal sealed class WorkflowChain(string @namespace, string workflowId)
{
    public object Gate { get; } = new();
    public string Namespace { get; } = @namespace;
    public string WorkflowId { get; } = workflowId;
    public WorkflowRun? Latest { get; set; }
    public Dictionary<string, string> RunIdsByRequestId { get; } = new(StringComparer.Ordinal);
}

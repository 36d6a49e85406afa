using System.Collections.Concurrent;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>In-memory index of workflow chains and runs.</summary>
internal sealed class WorkflowStore
{
    private readonly ConcurrentDictionary<(string Namespace, string WorkflowId), WorkflowChain> _chains = new();
    private readonly ConcurrentDictionary<string, WorkflowRun> _runs = new(StringComparer.Ordinal);

    public WorkflowChain GetOrAddChain(string @namespace, string workflowId) =>
        _chains.GetOrAdd((@namespace, workflowId), key => new WorkflowChain(key.Namespace, key.WorkflowId));

    public WorkflowChain? FindChain(string @namespace, string workflowId) =>
        _chains.TryGetValue((@namespace, workflowId), out var chain) ? chain : null;

    public void AddRun(WorkflowRun run) => _runs[run.RunId] = run;

    public WorkflowRun? FindRun(string runId) => _runs.TryGetValue(runId, out var run) ? run : null;

    /// <summary>The given run of a workflow, or its latest run when <paramref name="runId"/> is empty.</summary>
    public WorkflowRun? Find(string @namespace, string workflowId, string? runId)
    {
        if (!string.IsNullOrEmpty(runId))
        {
            var run = FindRun(runId);
            return run != null && run.WorkflowId == workflowId && run.Namespace == @namespace ? run : null;
        }
        var chain = FindChain(@namespace, workflowId);
        if (chain == null)
        {
            return null;
        }
        lock (chain.Gate)
        {
            return chain.Latest;
        }
    }

    public IEnumerable<WorkflowRun> AllRuns(string @namespace) => _runs.Values.Where(r => r.Namespace == @namespace);
}

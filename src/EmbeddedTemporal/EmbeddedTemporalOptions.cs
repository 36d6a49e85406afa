using Microsoft.Extensions.Logging;

namespace FlashFundX.EmbeddedTemporal;

/// <summary>Options for <see cref="EmbeddedTemporalServer"/>.</summary>
public sealed record EmbeddedTemporalOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Virtual clock that jumps to the next timer when nothing is outstanding and skipping is unlocked. It starts
    /// locked, as Temporal's test server does, so time skips only once a client unlocks it (around GetResult).
    /// </summary>
    public bool TimeSkipping { get; init; }

    /// <summary>A namespace registered at start besides <c>default</c>; others come from RegisterNamespace.</summary>
    public string Namespace { get; init; } = "default";

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// How long a worker may keep a workflow task alive by heartbeating it (completing it with no commands and
    /// <c>ForceCreateNewWorkflowTask</c>, as the SDK does while a local activity outlives the task timeout) before
    /// the task is timed out and handed to the normal queue. Temporal's default for
    /// <c>history.workflowTaskHeartbeatTimeout</c> is 30 minutes.
    /// </summary>
    public TimeSpan WorkflowTaskHeartbeatTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// From this many events (the workflow task started event's id) the task started event suggests continue-as-new,
    /// as Temporal's dynamic config <c>limit.historyCount.suggestContinueAsNew</c> does (default 4Ki events).
    /// </summary>
    public long HistoryCountSuggestContinueAsNew { get; init; } = 4 * 1024;

    /// <summary>
    /// From this history size in bytes the workflow task started event suggests continue-as-new, as Temporal's
    /// dynamic config <c>limit.historySize.suggestContinueAsNew</c> does (default 4 MiB).
    /// </summary>
    public long HistorySizeSuggestContinueAsNew { get; init; } = 4 * 1024 * 1024;
}

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>Whether the worker keeps workflows cached between tasks; uncached replays the history on every task.</summary>
public enum WorkerCache
{
    Cached,
    Uncached,
}

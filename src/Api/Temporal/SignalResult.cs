namespace FlashFundX.Api.Temporal;

/// <summary>What happened to a signal: delivered, or no running workflow to receive it (never started, or already closed).</summary>
public enum SignalResult
{
    Delivered,
    WorkflowNotRunning,
}

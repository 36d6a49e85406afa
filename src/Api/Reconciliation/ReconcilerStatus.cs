namespace FlashFundX.Api.Reconciliation;

/// <summary>When the reconciler last completed a pass (or found another process running one), for readiness.</summary>
public sealed class ReconcilerStatus(TimeProvider time)
{
    private readonly DateTimeOffset started = time.GetUtcNow();
    private long lastCompletedTicks;

    /// <summary>The last completed pass; null before the first.</summary>
    public DateTimeOffset? LastCompleted => Interlocked.Read(ref lastCompletedTicks) is var ticks and > 0
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    /// <summary>Since when the reconciler has been expected to complete a pass: the last one, or the process's start.</summary>
    public DateTimeOffset Since => LastCompleted ?? started;

    public void Completed() => Interlocked.Exchange(ref lastCompletedTicks, time.GetUtcNow().UtcTicks);
}

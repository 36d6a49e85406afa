namespace FlashFundX.EmbeddedTemporal.Time;

/// <summary>A callback scheduled on the <see cref="VirtualClock"/>; cancellation is lazy (skipped when due).</summary>
internal sealed class ClockTimer(DateTimeOffset due, Action callback)
{
    private volatile bool _cancelled;

    public DateTimeOffset Due { get; } = due;
    public Action Callback { get; } = callback;
    public bool IsCancelled => _cancelled;

    public void Cancel() => _cancelled = true;
}

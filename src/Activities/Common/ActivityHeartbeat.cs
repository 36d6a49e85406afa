using Temporalio.Activities;

namespace FlashFundX.Activities.Common;

/// <summary>
/// Heartbeats the current activity while a slow call runs (four times per heartbeat timeout), so that when the worker
/// dies mid-call Temporal retries the activity after the heartbeat timeout rather than after its whole start-to-close
/// timeout. Does nothing for an activity scheduled without a heartbeat timeout, or outside an activity.
/// </summary>
public sealed class ActivityHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beating;

    private ActivityHeartbeat(ActivityExecutionContext activity, TimeSpan every) => _beating = BeatAsync(activity, every, _stop.Token);

    public static ActivityHeartbeat Start()
    {
        var activity = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current : null;
        var timeout = activity?.Info.HeartbeatTimeout;
        return activity is not null && timeout > TimeSpan.Zero
            ? new ActivityHeartbeat(activity, timeout.Value / 4)
            : new ActivityHeartbeat();
    }

    private ActivityHeartbeat() => _beating = Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _beating.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task BeatAsync(ActivityExecutionContext activity, TimeSpan every, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                activity.Heartbeat();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The call finished.
        }
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FlashFundX.EmbeddedTemporal.Time;

/// <summary>
/// The server clock plus its timer queue. Time always runs at wall speed; in time-skipping mode it additionally
/// jumps to the next due timer whenever nothing holds it: no workflow or activity task outstanding, no mutation
/// running, no client lock — the rule of Temporal's Java test server.
/// Timer callbacks run one at a time on a dedicated thread while holding a lock, so time cannot jump while
/// the consequences of a firing (e.g. a newly scheduled workflow task) are still being recorded.
/// Unlike that server, the server's own locks and the clients' (LockTimeSkipping/UnlockTimeSkipping) are counted
/// apart: two clients unlocking at once (two results awaited in parallel) can take the count of client locks below
/// zero, but never release a lock held for an outstanding task, so time cannot skip past that task and the task's
/// own release always finds its lock.
/// </summary>
internal sealed class VirtualClock : IDisposable
{
    private readonly object _gate = new();
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private readonly PriorityQueue<ClockTimer, (long Ticks, long Seq)> _timers = new();
    private readonly ILogger _logger;
    private readonly Thread _pump;
    private DateTimeOffset _base;
    private TimeSpan _anchor;
    private long _seq;
    private int _serverLocks;
    private int _clientLocks;
    private bool _stopped;

    /// <summary>In time-skipping mode the clock starts with one lock held: skipping waits for a client to unlock.</summary>
    public VirtualClock(bool timeSkipping, ILogger logger)
    {
        TimeSkipping = timeSkipping;
        _logger = logger;
        _base = DateTimeOffset.UtcNow;
        _clientLocks = timeSkipping ? 1 : 0;
        _pump = new Thread(Pump) { IsBackground = true, Name = "embedded-temporal-clock" };
        _pump.Start();
    }

    public bool TimeSkipping { get; }

    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return NowLocked();
            }
        }
    }

    public ClockTimer Schedule(TimeSpan delay, Action callback)
    {
        lock (_gate)
        {
            var timer = new ClockTimer(NowLocked() + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay), callback);
            // The pump sleeps until the head is due; only a new head needs to wake it (saves a thread switch per timer).
            var newHead = !_timers.TryPeek(out _, out var head) || timer.Due.UtcTicks < head.Ticks;
            _timers.Enqueue(timer, (timer.Due.UtcTicks, _seq++));
            if (newHead)
            {
                Monitor.PulseAll(_gate);
            }
            return timer;
        }
    }

    /// <summary>A lock the server holds while something is outstanding or being recorded.</summary>
    public void Lock() => Change(client: false, +1);

    public void Unlock() => Change(client: false, -1);

    /// <summary>LockTimeSkipping from a client.</summary>
    public void ClientLock() => Change(client: true, +1);

    /// <summary>
    /// UnlockTimeSkipping from a client. Refused when the one counter of Temporal's test server (client and server
    /// locks together) would go below zero, so the calls it accepts are exactly the ones that server accepts.
    /// </summary>
    public void ClientUnlock() => Change(client: true, -1);

    private void Change(bool client, int by)
    {
        if (!TimeSkipping)
        {
            return;
        }
        lock (_gate)
        {
            if (by < 0 && client && _clientLocks + _serverLocks <= 0)
            {
                throw new InvalidOperationException("Unbalanced lock and unlock calls: time skipping is not locked");
            }
            if (by < 0 && !client && _serverLocks <= 0)
            {
                throw new InvalidOperationException("Time skipping lock count would go below zero");
            }
            if (client)
            {
                _clientLocks += by;
            }
            else
            {
                _serverLocks += by;
            }
            if (Unlocked)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    private bool Unlocked => _serverLocks == 0 && _clientLocks <= 0;

    /// <summary>Holds a time-skipping lock for the duration of a mutation.</summary>
    public Hold HoldLock()
    {
        Lock();
        return new Hold(this);
    }

    /// <summary>Completes once the clock reaches now + <paramref name="duration"/> (which may be skipped to).</summary>
    public Task SleepAsync(TimeSpan duration, CancellationToken ct = default)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = Schedule(duration, () => tcs.TrySetResult());
        if (ct.CanBeCanceled)
        {
            var registration = ct.Register(() =>
            {
                timer.Cancel();
                tcs.TrySetCanceled(ct);
            });
            tcs.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return tcs.Task;
    }

    /// <summary>Shifts the clock forward regardless of locks; due timers then fire in order.</summary>
    public void Shift(TimeSpan by)
    {
        lock (_gate)
        {
            _base += by;
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
        _pump.Join(TimeSpan.FromSeconds(5));
    }

    private DateTimeOffset NowLocked() => _base + (_stopwatch.Elapsed - _anchor);

    private void Pump()
    {
        while (true)
        {
            ClockTimer? due = null;
            lock (_gate)
            {
                while (due == null)
                {
                    if (_stopped)
                    {
                        return;
                    }
                    while (_timers.TryPeek(out var head, out _) && head.IsCancelled)
                    {
                        _timers.Dequeue();
                    }
                    if (!_timers.TryPeek(out var next, out _))
                    {
                        Monitor.Wait(_gate);
                        continue;
                    }
                    var now = NowLocked();
                    if (next.Due <= now)
                    {
                        due = _timers.Dequeue();
                        if (TimeSkipping)
                        {
                            _serverLocks++;
                        }
                    }
                    else if (TimeSkipping && Unlocked)
                    {
                        _base = next.Due;
                        _anchor = _stopwatch.Elapsed;
                    }
                    else
                    {
                        var wait = next.Due - now;
                        Monitor.Wait(_gate, wait > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait + TimeSpan.FromMilliseconds(1));
                    }
                }
            }
            try
            {
                due.Callback();
            }
#pragma warning disable CA1031 // a failing callback must not stop the clock
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogError(e, "Timer callback failed");
            }
            finally
            {
                if (TimeSkipping)
                {
                    Unlock();
                }
            }
        }
    }

    public readonly struct Hold(VirtualClock clock) : IDisposable
    {
        public void Dispose() => clock.Unlock();
    }
}

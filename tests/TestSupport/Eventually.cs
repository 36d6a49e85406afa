namespace FlashFundX.TestSupport;

/// <summary>
/// The one way tests wait for a condition: poll a probe until its value satisfies the condition, or fail after a
/// generous timeout (a guard against a hung test, not a latency limit) naming what was awaited and the last value seen.
/// </summary>
/// <example><code>
/// var order = await Eventually.WaitAsync(() => service.GetOrderAsync(id), o => o.OrderStatus == "completed", what: $"order {id} completed");
/// </code></example>
public static class Eventually
{
    /// <summary>How long a wait lasts unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How often the probe runs unless told otherwise.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="probe"/> until <paramref name="done"/> holds for its value and returns that value. After
    /// <paramref name="timeout"/> throws <see cref="EventuallyTimeoutException"/> naming <paramref name="what"/> and the
    /// last value (as <paramref name="describe"/> shows it, else its <c>ToString()</c>). An exception from the probe
    /// ends the wait at once.
    /// </summary>
    public static async Task<T> WaitAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        TimeSpan? timeout = null,
        string? what = null,
        TimeSpan? interval = null,
        Func<T, string>? describe = null,
        CancellationToken cancellationToken = default)
    {
        var (reached, last) = await TryWaitAsync(probe, done, timeout, interval, cancellationToken).ConfigureAwait(false);
        if (!reached)
        {
            throw new EventuallyTimeoutException(what ?? "the condition", timeout ?? DefaultTimeout, describe is null ? Show(last) : describe(last));
        }
        return last;
    }

    /// <summary>Waits until <paramref name="condition"/> returns true; see <see cref="WaitAsync{T}"/>.</summary>
    public static Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        WaitAsync(condition, reached => reached, timeout, what, interval);

    /// <summary>Waits until <paramref name="condition"/> (a synchronous check, e.g. of an in-memory counter) returns true.</summary>
    public static Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitAsync(() => Task.FromResult(condition()), reached => reached, timeout, what, interval);
    }

    /// <summary>
    /// Like <see cref="WaitAsync{T}"/> but never throws on timeout: returns whether the condition was reached and the
    /// last value, for callers that report a shortfall themselves (drills print it, then assert on it).
    /// </summary>
    public static async Task<(bool Reached, T Last)> TryWaitAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        TimeSpan? timeout = null,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        while (true)
        {
            var last = await probe().ConfigureAwait(false);
            if (done(last))
            {
                return (true, last);
            }
            try
            {
                await Task.Delay(interval ?? DefaultInterval, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // One last look, so a condition reached during the final interval is not reported as missed.
                last = await probe().ConfigureAwait(false);
                return (done(last), last);
            }
        }
    }

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Select(i => i?.ToString() ?? "null")) + "]",
        _ => value.ToString() ?? "",
    };
}

/// <summary>An <see cref="Eventually"/> wait that ran out: what was awaited, for how long, and the last value seen.</summary>
public sealed class EventuallyTimeoutException : TimeoutException
{
    public EventuallyTimeoutException(string what, TimeSpan timeout, string lastObserved)
        : base($"Timed out after {timeout} waiting for {what}; last observed: {lastObserved}")
    {
        What = what;
        LastObserved = lastObserved;
    }

    public EventuallyTimeoutException()
    {
        What = LastObserved = "";
    }

    public EventuallyTimeoutException(string message)
        : base(message)
    {
        What = LastObserved = "";
    }

    public EventuallyTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
        What = LastObserved = "";
    }

    public string What { get; }

    public string LastObserved { get; }
}

namespace FlashFundX.NowPayments.Client;

/// <summary>
/// The process's one NowPayments JWT, shared by every <see cref="NowPaymentsClient"/> instance (typed clients are
/// transient). One login at a time; a token is reused until shortly before NowPayments lets it expire, or until the
/// provider refuses it. A login the provider rejects (wrong password) is not tried again for
/// <see cref="RefusedLoginPause"/>: readiness probes and lookups must not hammer <c>POST /auth</c> with bad credentials.
/// </summary>
public sealed class NowPaymentsAccessToken(TimeProvider time) : IDisposable
{
    /// <summary>NowPayments tokens last five minutes; a token is renewed one minute early.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(4);

    public static readonly TimeSpan RefusedLoginPause = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _login = new(1, 1);
    private Entry? _entry;
    private Refusal? _refusal;

    public NowPaymentsAccessToken()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The cached token, or a new one from <paramref name="login"/>.</summary>
    public async Task<string> GetAsync(Func<CancellationToken, Task<string>> login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (Current() is { } cached)
        {
            return cached;
        }
        await _login.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current() is { } fresh)
            {
                return fresh; // another caller logged in while this one waited
            }
            if (Volatile.Read(ref _refusal) is { } refusal && time.GetUtcNow() < refusal.Until)
            {
                throw new NowPaymentsException(
                    $"{refusal.Failure.Message} (not tried again before {refusal.Until:HH:mm:ss} UTC)", refusal.Failure.StatusCode, isRetryable: false);
            }
            string token;
            try
            {
                token = await login(cancellationToken).ConfigureAwait(false);
            }
            catch (NowPaymentsException e) when (!e.IsRetryable)
            {
                Volatile.Write(ref _refusal, new Refusal(e, time.GetUtcNow() + RefusedLoginPause));
                throw;
            }
            Volatile.Write(ref _refusal, null);
            Volatile.Write(ref _entry, new Entry(token, time.GetUtcNow() + Lifetime));
            return token;
        }
        finally
        {
            _login.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> once the provider refused it; a newer token stays.</summary>
    public void Reject(string token)
    {
        if (Volatile.Read(ref _entry) is { } entry && entry.Token == token)
        {
            Interlocked.CompareExchange(ref _entry, null, entry);
        }
    }

    /// <summary>The token in use, if any, so that answers echoing it can be scrubbed.</summary>
    public string? Peek() => Volatile.Read(ref _entry)?.Token;

    public void Dispose() => _login.Dispose();

    private string? Current() => Volatile.Read(ref _entry) is { } entry && time.GetUtcNow() < entry.RenewAt ? entry.Token : null;

    private sealed record Entry(string Token, DateTimeOffset RenewAt);

    private sealed record Refusal(NowPaymentsException Failure, DateTimeOffset Until);
}

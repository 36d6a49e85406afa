using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Webhooks;

/// <summary>The per-minute allowance of webhook_events rows for refused and duplicate IPNs (<see cref="RejectedIpnOptions"/>).</summary>
public sealed partial class RejectedIpnBudget : IDisposable
{
    private readonly FixedWindowRateLimiter? limiter;
    private readonly ILogger<RejectedIpnBudget> logger;
    private int exhaustedLogged;

    public RejectedIpnBudget(IOptions<RejectedIpnOptions> options, ILogger<RejectedIpnBudget> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.logger = logger;
        var perMinute = options.Value.RejectedRowsPerMinute;
        limiter = perMinute == 0 ? null : new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>True while this minute's allowance lasts; the first refusal of a window is logged once.</summary>
    public bool TryTake()
    {
        if (limiter is not null)
        {
            using var lease = limiter.AttemptAcquire();
            if (lease.IsAcquired)
            {
                Interlocked.Exchange(ref exhaustedLogged, 0);
                return true;
            }
        }
        if (Interlocked.Exchange(ref exhaustedLogged, 1) == 0)
        {
            LogExhausted(logger);
        }
        return false;
    }

    public void Dispose() => limiter?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused and duplicate IPNs exceed Webhooks:RejectedRowsPerMinute: further ones this minute are answered and counted (ffx_webhooks_unrecorded_total), not stored")]
    private static partial void LogExhausted(ILogger logger);
}

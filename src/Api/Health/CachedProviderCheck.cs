using FlashFundX.NowPayments;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Health;

/// <summary>
/// <see cref="NowPaymentsHealthCheck"/> asked at most once per <see cref="HealthOptions.ProviderStatusCacheFor"/>:
/// concurrent readiness requests share one provider call, and a change of the provider's state is logged with its reason.
/// </summary>
internal sealed partial class CachedProviderCheck(
    IServiceProvider services,
    IOptions<HealthOptions> options,
    TimeProvider time,
    ILogger<CachedProviderCheck> logger) : IHealthCheck, IDisposable
{
    private readonly SemaphoreSlim refresh = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }
        await refresh.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } refreshed)
            {
                return refreshed;
            }
            // Resolved per refresh: the typed HTTP client behind it must not live as long as this singleton.
            var provider = services.GetRequiredService<NowPaymentsHealthCheck>();
            var result = await provider.CheckHealthAsync(context, cancellationToken);
            if (last is not { } previous || previous.Result.Status != result.Status)
            {
                if (result.Status == HealthStatus.Healthy)
                {
                    LogProviderHealthy(logger);
                }
                else
                {
                    LogProviderUnhealthy(logger, result.Status, result.Description ?? "no reason given");
                }
            }
            last = (result, time.GetUtcNow());
            return result;
        }
        finally
        {
            refresh.Release();
        }
    }

    public void Dispose() => refresh.Dispose();

    private HealthCheckResult? Fresh() =>
        last is { } entry && time.GetUtcNow() - entry.At < options.Value.ProviderStatusCacheFor ? entry.Result : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "NowPayments readiness: healthy")]
    private static partial void LogProviderHealthy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NowPayments readiness: {Status}, {Reason}")]
    private static partial void LogProviderUnhealthy(ILogger logger, HealthStatus status, string reason);
}

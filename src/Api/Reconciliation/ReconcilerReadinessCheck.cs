using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Reconciliation;

/// <summary>Unhealthy when no reconciler pass completed for two intervals (Temporal or the database failing every pass).</summary>
internal sealed class ReconcilerReadinessCheck(ReconcilerStatus status, IOptions<ReconcilerOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Reconciler disabled in this process (Reconciler:Enabled)."));
        }
        var since = status.Since;
        var stamp = since.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (time.GetUtcNow() - since > 2 * settings.Interval)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(status.LastCompleted is null
                ? $"No reconciler pass has completed since the process started at {stamp}; see the API's log."
                : $"No reconciler pass has completed since {stamp} (two intervals); see the API's log."));
        }
        return Task.FromResult(HealthCheckResult.Healthy(status.LastCompleted is null
            ? "First reconciler pass under way."
            : $"Last reconciler pass completed at {stamp}."));
    }
}

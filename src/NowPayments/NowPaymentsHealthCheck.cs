using FlashFundX.NowPayments.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlashFundX.NowPayments;

/// <summary>
/// Readiness: healthy when <c>GET /status</c> answers OK; otherwise the registration's failure status (the API
/// registers it as degraded: a provider outage must not take the webhook receiver out of the load balancer).
/// </summary>
public sealed class NowPaymentsHealthCheck(INowPaymentsClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var status = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            return status.IsOk
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(FailureStatus(context), $"NowPayments status says '{status.Message}'.");
        }
        catch (NowPaymentsException ex)
        {
            return new HealthCheckResult(FailureStatus(context), ex.Message);
        }
    }

    // A context built by hand (tests, direct calls) has no registration: then a failure is plainly unhealthy.
    private static HealthStatus FailureStatus(HealthCheckContext context) =>
        context.Registration is { } registration ? registration.FailureStatus : HealthStatus.Unhealthy;
}

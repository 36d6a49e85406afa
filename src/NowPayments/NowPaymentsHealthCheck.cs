using FlashFundX.NowPayments.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlashFundX.NowPayments;

/// <summary>
/// Readiness: healthy when <c>GET /status</c> answers OK and, if configured, the account login works (a wrong
/// <c>NowPayments:Password</c> shows here, not only at some order's first invoice lookup); otherwise the registration's
/// failure status (the API registers it as degraded: a provider outage must not take the webhook receiver out of the
/// load balancer).
/// </summary>
public sealed class NowPaymentsHealthCheck(INowPaymentsClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var status = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            if (!status.IsOk)
            {
                return new HealthCheckResult(FailureStatus(context), $"NowPayments status says '{status.Message}'.");
            }
        }
        catch (NowPaymentsException ex)
        {
            return new HealthCheckResult(FailureStatus(context), ex.Message);
        }
        try
        {
            await client.CheckLoginAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (NowPaymentsException ex)
        {
            return new HealthCheckResult(FailureStatus(context), $"NowPayments account login (NowPayments:Email, NowPayments:Password) failed: {ex.Message}");
        }
    }

    // A context built by hand (tests, direct calls) has no registration: then a failure is plainly unhealthy.
    private static HealthStatus FailureStatus(HealthCheckContext context) =>
        context.Registration is { } registration ? registration.FailureStatus : HealthStatus.Unhealthy;
}

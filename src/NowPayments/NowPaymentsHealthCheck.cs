using FlashFundX.NowPayments.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlashFundX.NowPayments;

/// <summary>Readiness: healthy when <c>GET /status</c> answers OK. Add with <c>AddHealthChecks().AddCheck&lt;NowPaymentsHealthCheck&gt;("nowpayments")</c>.</summary>
public sealed class NowPaymentsHealthCheck(INowPaymentsClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            return status.IsOk
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"NowPayments status says '{status.Message}'.");
        }
        catch (NowPaymentsException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Temporalio.Client;

namespace FlashFundX.Api.Health;

/// <summary>Ready when the Temporal frontend answers its gRPC health check.</summary>
internal sealed class TemporalReadinessCheck(ITemporalClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var healthy = await client.Connection.CheckHealthAsync(
                options: new RpcOptions { CancellationToken = cancellationToken, Timeout = TimeSpan.FromSeconds(3) });
            return healthy ? HealthCheckResult.Healthy("Temporal answered.") : HealthCheckResult.Unhealthy("Temporal reports not serving.");
        }
#pragma warning disable CA1031 // any failure to reach Temporal means not ready
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"Temporal unreachable ({ex.GetType().Name}).");
        }
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace FlashFundX.Api.Health;

/// <summary>Ready when the Temporal frontend answers its gRPC health check.</summary>
internal sealed class TemporalReadinessCheck(ITemporalClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // GetSystemInfo rather than the gRPC health service: every Temporal frontend (and the embedded server) answers it.
            await client.Connection.WorkflowService.GetSystemInfoAsync(
                new GetSystemInfoRequest(),
                new RpcOptions { CancellationToken = cancellationToken, Timeout = TimeSpan.FromSeconds(3) });
            return HealthCheckResult.Healthy("Temporal answered.");
        }
#pragma warning disable CA1031 // any failure to reach Temporal means not ready
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"Temporal unreachable ({ex.GetType().Name}).");
        }
    }
}

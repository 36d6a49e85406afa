using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FlashFundX.Api.Health;

/// <summary>Ready when PostgreSQL answers a query through the process's data source.</summary>
internal sealed class PostgresReadinessCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answered.");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // The exception type only: messages can carry host names and user names.
            return HealthCheckResult.Unhealthy($"PostgreSQL unreachable ({ex.GetType().Name}).");
        }
    }
}

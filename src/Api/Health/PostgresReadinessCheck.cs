using FlashFundX.Api.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FlashFundX.Api.Health;

/// <summary>Ready when PostgreSQL answers a query through the API's data source (its login role; no table needed).</summary>
internal sealed class PostgresReadinessCheck(CallerScopedDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = database.DataSource.CreateCommand("SELECT 1");
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

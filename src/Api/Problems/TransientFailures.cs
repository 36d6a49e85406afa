using System.Net.Sockets;
using Npgsql;
using FlashFundX.Api.Temporal;

namespace FlashFundX.Api.Problems;

/// <summary>Tells an unavailable dependency (PostgreSQL, Temporal) apart from a bug, so the former answers 503.</summary>
public static class TransientFailures
{
    public static bool IsDatabaseUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => IsUnavailableSqlState(postgres.SqlState),
        NpgsqlException => true, // connection refused, reset, timeout, pool exhausted: never a problem with the request
        SocketException or TimeoutException => true,
        _ => exception.InnerException is { } inner && IsDatabaseUnavailable(inner),
    };

    public static bool IsTemporalUnavailable(Exception exception) =>
        OrderWorkflowClient.IsUnavailable(exception)
        || (exception.InnerException is { } inner && IsTemporalUnavailable(inner));

    /// <summary>Class 08 (connection), 53 (insufficient resources), 57P01–57P05 (shutdown, cannot connect now).</summary>
    private static bool IsUnavailableSqlState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57P", StringComparison.Ordinal);
}

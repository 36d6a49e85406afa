using Microsoft.Extensions.Logging;
using Npgsql;

namespace FlashFundX.Data.Database;

/// <summary>Builds the process's <see cref="NpgsqlDataSource"/> the way the app runs it (tests and the bench use the same).</summary>
public static class FulfillmentDataSource
{
    /// <summary>
    /// Statements used at least twice are prepared server-side (Npgsql auto-prepare) unless the connection string says
    /// otherwise: the activities' single-statement CTEs then skip planning on every call.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        DapperConventions.Apply();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            // Nothing the process does leaves session state behind (the API's caller settings are SET LOCAL, ended
            // by their transaction), so the per-checkout session reset is pure overhead.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }
        return builder.Build();
    }
}

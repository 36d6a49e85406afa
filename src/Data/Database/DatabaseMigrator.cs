using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FlashFundX.Data.Database;

/// <summary>
/// Applies the numbered scripts of <c>sql/</c> (embedded in this assembly) with DbUp, journalled in <c>public.schemaversions</c>.
/// The app's start-up, the worker and the test fixture all migrate through here.
/// </summary>
public static partial class DatabaseMigrator
{
    private const string ScriptPrefix = "FlashFundX.Sql.";

    // Any constant works; it only keeps two processes starting at once from running the same scripts side by side.
    private const long MigrationLockKey = 0x46_46_58_4D_49_47; // "FFXMIG"

    /// <summary>Creates the database when allowed and missing, then applies pending scripts. Returns the names of the scripts applied now.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(
        string connectionString, ILogger? logger = null, bool ensureDatabase = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        logger ??= NullLogger.Instance;
        var upgradeLog = new UpgradeLogAdapter(logger);
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;

        if (ensureDatabase)
        {
            EnsureDatabaseExists(connectionString, database, upgradeLog, logger);
        }

        var lockConnection = new NpgsqlConnection(connectionString);
        await using (lockConnection.ConfigureAwait(false))
        {
            try
            {
                await lockConnection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(lockConnection, "SELECT pg_advisory_lock(@key)", cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw new DatabaseMigrationException(
                    $"Database migration failed: cannot connect to database '{database}' ({e.Message}). Check ConnectionStrings:FlashFundX.", e);
            }

            try
            {
                var result = await Task.Run(() => Upgrade(connectionString, upgradeLog), cancellationToken).ConfigureAwait(false);
                if (!result.Successful)
                {
                    var script = result.ErrorScript?.Name.Replace(ScriptPrefix, string.Empty, StringComparison.Ordinal) ?? "(unknown script)";
                    throw new DatabaseMigrationException(
                        $"Database migration failed in {script} on database '{database}': {result.Error?.Message}", result.Error);
                }
                var applied = result.Scripts.Select(s => s.Name.Replace(ScriptPrefix, string.Empty, StringComparison.Ordinal)).ToArray();
                LogUpToDate(logger, database, applied.Length);
                return applied;
            }
            finally
            {
                await ExecuteAsync(lockConnection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Compares the database's migration journal with <see cref="ScriptNames"/> without changing anything: what the
    /// service's start expects after <c>migrate</c> (the <c>migrate --check</c> verb, scripts/restore).
    /// </summary>
    public static async Task<SchemaCheck> CheckAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var connection = new NpgsqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var applied = new List<string>();
            // A database never migrated has no journal: nothing applied.
            if (await JournalExistsAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                var command = new NpgsqlCommand("SELECT scriptname FROM public.schemaversions", connection);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            applied.Add(reader.GetString(0).Replace(ScriptPrefix, string.Empty, StringComparison.Ordinal));
                        }
                    }
                }
            }
            var known = ScriptNames();
            return new SchemaCheck(
                applied.Count,
                known.Except(applied, StringComparer.Ordinal).ToArray(),
                applied.Except(known, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
        }
    }

    private static async Task<bool> JournalExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("SELECT to_regclass('public.schemaversions') IS NOT NULL", connection);
        await using (command.ConfigureAwait(false))
        {
            return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>The migration scripts this build carries, in the order they apply.</summary>
    public static IReadOnlyList<string> ScriptNames() =>
        typeof(DatabaseMigrator).Assembly.GetManifestResourceNames()
            .Where(IsMigrationScript)
            .Select(n => n[ScriptPrefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static DatabaseUpgradeResult Upgrade(string connectionString, UpgradeLogAdapter upgradeLog) =>
        DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, IsMigrationScript)
            .JournalToPostgresqlTable("public", "schemaversions")
            .WithTransactionPerScript()
            // Scripts use $$ dollar quoting; DbUp's $variable$ substitution must not touch it.
            .WithVariablesDisabled()
            .LogTo(upgradeLog)
            .Build()
            .PerformUpgrade();

    private static void EnsureDatabaseExists(string connectionString, string? database, UpgradeLogAdapter upgradeLog, ILogger logger)
    {
        try
        {
            EnsureDatabase.For.PostgresqlDatabase(connectionString, upgradeLog);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.InvalidCatalogName)
        {
            // A managed server may not let the app connect to 'postgres' or create databases: then the database must exist already.
            LogCannotEnsure(logger, database, e.MessageText);
        }
        catch (NpgsqlException e)
        {
            throw new DatabaseMigrationException(
                $"Database migration failed: cannot reach the PostgreSQL server for database '{database}' ({e.Message}). Check ConnectionStrings:FlashFundX.", e);
        }
    }

    private static bool IsMigrationScript(string resourceName) =>
        resourceName.StartsWith(ScriptPrefix, StringComparison.Ordinal) && resourceName.EndsWith(".sql", StringComparison.Ordinal);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} is up to date ({AppliedCount} scripts applied now)")]
    private static partial void LogUpToDate(ILogger logger, string? database, int appliedCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ensure database {Database} exists ({Reason}); assuming it does")]
    private static partial void LogCannotEnsure(ILogger logger, string? database, string reason);
}

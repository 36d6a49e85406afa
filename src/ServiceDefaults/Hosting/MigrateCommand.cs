using FlashFundX.Data.Database;
using FlashFundX.ServiceDefaults.Logging;
using FlashFundX.ServiceDefaults.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashFundX.ServiceDefaults.Hosting;

/// <summary>
/// <c>migrate</c>: applies the <c>sql/</c> migrations (embedded in the binary) to <c>ConnectionStrings:FlashFundX</c> and
/// exits, for deploy pipelines. 0 when the schema is current, 1 when the setting is missing or a migration failed.
/// <c>migrate --check</c> changes nothing: 0 when the database applied exactly this build's migrations,
/// <see cref="SchemaMismatchExitCode"/> when not (scripts/restore runs it after a restore).
/// </summary>
public static class MigrateCommand
{
    public const string Verb = "migrate";

    public const string CheckOption = "--check";

    public const int SchemaMismatchExitCode = 3;

    /// <summary>Null when <paramref name="args"/> do not start with the verb; otherwise the exit code.</summary>
    public static async Task<int?> TryRunAsync(string[] args, string application)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || !string.Equals(args[0], Verb, StringComparison.Ordinal))
        {
            return null;
        }
        var checkOnly = args.Skip(1).Contains(CheckOption, StringComparer.Ordinal);
        var settingsArgs = args[1..].Where(a => !string.Equals(a, CheckOption, StringComparison.Ordinal)).ToArray();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = settingsArgs, ContentRootPath = AppContext.BaseDirectory });
        builder.AddFulfillmentLogging();
        builder.Services.AddOptionsWithValidateOnStart<DatabaseConnection>()
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(DatabaseConnection.Name) ?? "")
            .ValidateSettings("ConnectionStrings");
        using var host = builder.Build();
        var problems = StartupSettings.Problems(host.Services);
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync(StartupSettings.Describe(application, problems)).ConfigureAwait(false);
            return StartupSettings.InvalidSettingsExitCode;
        }
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MigrateCommand));
        try
        {
            var connection = host.Services.GetRequiredService<IOptions<DatabaseConnection>>().Value;
            if (checkOnly)
            {
                return await CheckAsync(connection.ConnectionString, logger).ConfigureAwait(false);
            }
            var applied = await DatabaseMigrator.MigrateAsync(connection.ConnectionString, logger, ensureDatabase: true).ConfigureAwait(false);
            logger.LogInformation("Database schema is current: {Applied} migration(s) applied now", applied.Count);
            return 0;
        }
        catch (Exception e) when (e is DatabaseMigrationException or Npgsql.NpgsqlException)
        {
            logger.LogError(e, "{Verb} failed", checkOnly ? "Checking the database's migrations" : "Migrating the database");
            return 1;
        }
    }

    private static async Task<int> CheckAsync(string connectionString, ILogger logger)
    {
        var check = await DatabaseMigrator.CheckAsync(connectionString).ConfigureAwait(false);
        if (check.IsCurrent)
        {
            logger.LogInformation("Migration check OK: {Result}", check.Describe());
            return 0;
        }
        logger.LogError("Migration check: the database does not match this build: {Result}", check.Describe());
        return SchemaMismatchExitCode;
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashFundX.Data.Database;

/// <summary>
/// With <c>Database:MigrateOnStart</c>, migrates the database before the host starts serving (hosted services start in
/// registration order).
/// </summary>
public sealed class DatabaseMigrationService(
    IOptions<DatabaseOptions> options, FulfillmentDatabase database, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStart
            ? DatabaseMigrator.MigrateAsync(database.ConnectionString, logger, ensureDatabase: true, cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

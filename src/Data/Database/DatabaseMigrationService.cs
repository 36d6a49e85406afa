using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlashFundX.Data.Database;

/// <summary>Migrates the database before the host starts serving (hosted services start in registration order).</summary>
public sealed class DatabaseMigrationService(FulfillmentDatabase database, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        DatabaseMigrator.MigrateAsync(database.ConnectionString, logger, ensureDatabase: true, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

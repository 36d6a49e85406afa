using FlashFundX.Data.Database;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Postgres;
using Npgsql;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class DatabaseMigratorTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrate_EmptyDatabase_AppliesEveryScriptInOrder()
    {
        await using var database = await postgres.CreateDatabaseAsync("migrator_empty", migrate: false);

        var applied = await DatabaseMigrator.MigrateAsync(database.ConnectionString);

        Assert.Equal(DatabaseMigrator.ScriptNames(), applied);
        Assert.Equal("0001_baseline.sql", applied[0]);
    }

    [Fact]
    public async Task Migrate_EmptyDatabase_LeavesThePriceListEmpty()
    {
        await using var database = await postgres.CreateDatabaseAsync("migrator_noprices", migrate: false);

        await DatabaseMigrator.MigrateAsync(database.ConnectionString);

        Assert.Equal(0, await new OrderScenario(database).ScalarAsync<long>("SELECT count(*) FROM trading_rules"));
    }

    [Fact]
    public async Task Migrate_RunAgain_AppliesNothingAndKeepsData()
    {
        await using var database = await postgres.CreateDatabaseAsync("migrator_again");
        var scenario = new OrderScenario(database);
        await scenario.CreateUserAsync();

        var applied = await DatabaseMigrator.MigrateAsync(database.ConnectionString);

        Assert.Empty(applied);
        Assert.Equal(1, await scenario.ScalarAsync<long>("SELECT count(*) FROM users"));
        Assert.Equal(24, await scenario.ScalarAsync<long>("SELECT count(*) FROM trading_rules"));
        Assert.Equal(DatabaseMigrator.ScriptNames().Count, (int)await scenario.ScalarAsync<long>("SELECT count(*) FROM schemaversions"));
    }

    [Fact]
    public async Task Migrate_ConcurrentStarts_ApplyEachScriptOnce()
    {
        await using var database = await postgres.CreateDatabaseAsync("migrator_concurrent", migrate: false);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => DatabaseMigrator.MigrateAsync(database.ConnectionString))));

        Assert.Equal(DatabaseMigrator.ScriptNames().Count, results.Sum(r => r.Count));
    }

    [Fact]
    public async Task Migrate_MissingDatabase_CreatesIt()
    {
        var name = $"ffx_t_ensure_{Guid.NewGuid():N}"[..30];
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ServerConnectionString) { Database = name }.ConnectionString;

        var applied = await DatabaseMigrator.MigrateAsync(connectionString, ensureDatabase: true);

        Assert.Equal(DatabaseMigrator.ScriptNames(), applied);
    }

    [Fact]
    public async Task Migrate_UnreachableServer_FailsWithClearMessage()
    {
        const string connectionString = "Host=127.0.0.1;Port=1;Database=nowhere;Username=postgres;Timeout=2";

        var error = await Assert.ThrowsAsync<DatabaseMigrationException>(() => DatabaseMigrator.MigrateAsync(connectionString));

        Assert.Contains("ConnectionStrings:FlashFundX", error.Message, StringComparison.Ordinal);
    }
}

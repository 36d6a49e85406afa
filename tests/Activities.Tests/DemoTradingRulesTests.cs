using FlashFundX.Data.Database;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.LocalDev.Seed;
using FlashFundX.TestSupport.Postgres;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class DemoTradingRulesTests(PostgresFixture postgres)
{
    private const string LastIdSql = "SELECT pg_sequence_last_value(pg_get_serial_sequence('trading_rules', 'id'))";

    [Fact]
    public async Task Load_MigratedDatabase_AddsEveryTypeAndSize()
    {
        await using var database = await postgres.CreateDatabaseAsync("demo_rules", migrate: false);
        await DatabaseMigrator.MigrateAsync(database.ConnectionString);
        var scenario = new OrderScenario(database);

        var added = await DemoTradingRules.LoadAsync(database.ConnectionString);

        Assert.Equal(24, added);
        Assert.Equal(4, await scenario.ScalarAsync<long>("SELECT count(DISTINCT account_type) FROM trading_rules WHERE is_active"));
        Assert.Equal(6, await scenario.ScalarAsync<long>("SELECT count(DISTINCT account_size) FROM trading_rules WHERE is_active"));
    }

    [Fact]
    public async Task Load_Again_AddsNothingAndKeepsEditedRows()
    {
        await using var database = await postgres.CreateDatabaseAsync("demo_rules_again");
        var scenario = new OrderScenario(database);
        await scenario.ExecuteAsync("UPDATE trading_rules SET price = 1.00 WHERE account_type = 'hft' AND account_size = 5000");
        var lastId = await scenario.ScalarAsync<long>(LastIdSql);

        var added = await DemoTradingRules.LoadAsync(database.ConnectionString);

        Assert.Equal(0, added);
        Assert.Equal(24, await scenario.ScalarAsync<long>("SELECT count(*) FROM trading_rules"));
        Assert.Equal(1.00m, await scenario.ScalarAsync<decimal>("SELECT price FROM trading_rules WHERE account_type = 'hft' AND account_size = 5000"));
        Assert.Equal(lastId, await scenario.ScalarAsync<long>(LastIdSql));
    }
}

using FlashFundX.Data.Database;
using FlashFundX.Data.Products;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.LocalDev.Seed;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class DemoProductsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Load_MigratedDatabase_HadNoProducts_AddsEveryTypeAndSize()
    {
        await using var database = await postgres.CreateDatabaseAsync("demo_products", migrate: false);
        await DatabaseMigrator.MigrateAsync(database.ConnectionString);
        var scenario = new OrderScenario(database);
        var before = await scenario.ScalarAsync<long>("SELECT count(*) FROM trading_rules");

        var added = await DemoProducts.LoadAsync(database.ConnectionString);

        Assert.Equal(0, before);
        Assert.Equal(24, added);
        Assert.Equal(4, await scenario.ScalarAsync<long>("SELECT count(DISTINCT account_type) FROM trading_rules WHERE is_active"));
        Assert.Equal(6, await scenario.ScalarAsync<long>("SELECT count(DISTINCT account_size) FROM trading_rules WHERE is_active"));
    }

    [Fact]
    public async Task Load_Again_AddsNothingAndKeepsAnAdminsPrice()
    {
        await using var database = await postgres.CreateDatabaseAsync("demo_products_again");
        var scenario = new OrderScenario(database);
        var store = new ProductStore(database.DataSource);
        var hft5k = (await store.ListAsync(CancellationToken.None)).Single(p => p.AccountType == AccountType.Hft && p.AccountSize == 5000);
        await store.PutAsync(AccountType.Hft, 5000, hft5k.Terms with { Price = 1.00m }, admin: null, CancellationToken.None);

        var added = await DemoProducts.LoadAsync(database.ConnectionString);

        Assert.Equal(0, added);
        Assert.Equal(24, await scenario.ScalarAsync<long>("SELECT count(*) FROM trading_rules WHERE replaced_at IS NULL"));
        Assert.Equal(1.00m, await scenario.ScalarAsync<decimal>(
            "SELECT price FROM trading_rules WHERE account_type = 'hft' AND account_size = 5000 AND replaced_at IS NULL"));
    }
}

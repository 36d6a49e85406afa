using FlashFundX.Activities.Tests.Support;
using FlashFundX.Data.Products;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Activities.Tests;

/// <summary>Products as versioned data: what a change does to the current version, to the orders already placed, and under concurrency.</summary>
[Collection(PostgresTests.Collection)]
public sealed class ProductStoreTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Put_NewPrice_RetiresTheVersionItsOrdersKeep_NewOrdersGetTheNewOne()
    {
        await using var database = await postgres.CreateDatabaseAsync("products_reprice");
        var scenario = new OrderScenario(database);
        var store = new ProductStore(database.DataSource);
        var before = await CurrentAsync(store, AccountType.TwoStep, 10_000);
        var oldOrder = await scenario.CreatePaidOrderAsync(AccountType.TwoStep, 10_000);

        var change = await store.PutAsync(AccountType.TwoStep, 10_000, before.Terms with { Price = 129.00m, ProfitSplit = 90m }, admin: null, CancellationToken.None);
        var newOrder = await scenario.CreatePaidOrderAsync(AccountType.TwoStep, 10_000);

        Assert.Equal(ProductChangeKind.Changed, change.Kind);
        Assert.NotEqual(before.Version, change.After.Version);
        Assert.Equal((before.Version, before.Terms.Price), await OrderTermsAsync(scenario, oldOrder));
        Assert.Equal((change.After.Version, 129.00m), await OrderTermsAsync(scenario, newOrder));
        Assert.False(await scenario.ScalarAsync<bool>("SELECT is_active FROM trading_rules WHERE id = @Version", new { before.Version }));
    }

    [Fact]
    public async Task Put_OnlyActiveChanged_KeepsTheVersion_SameTermsAgain_Unchanged()
    {
        await using var database = await postgres.CreateDatabaseAsync("products_active");
        var store = new ProductStore(database.DataSource);
        var before = await CurrentAsync(store, AccountType.Hft, 25_000);

        var off = await store.PutAsync(AccountType.Hft, 25_000, before.Terms with { Active = false }, admin: null, CancellationToken.None);
        var again = await store.PutAsync(AccountType.Hft, 25_000, before.Terms with { Active = false }, admin: null, CancellationToken.None);

        Assert.Equal((ProductChangeKind.Changed, before.Version, false), (off.Kind, off.After.Version, off.After.Terms.Active));
        Assert.Equal(ProductChangeKind.Unchanged, again.Kind);
    }

    [Fact]
    public async Task Put_ConcurrentChangesOfOneProduct_OneCurrentVersionEachChangeKept()
    {
        await using var database = await postgres.CreateDatabaseAsync("products_race");
        var scenario = new OrderScenario(database);
        var store = new ProductStore(database.DataSource);
        var before = await CurrentAsync(store, AccountType.OneStep, 50_000);

        var changes = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(() =>
            store.PutAsync(AccountType.OneStep, 50_000, before.Terms with { Price = 300m + i }, admin: null, CancellationToken.None))));

        Assert.All(changes, c => Assert.Equal(ProductChangeKind.Changed, c.Kind));
        Assert.Equal(1, await scenario.ScalarAsync<long>(
            "SELECT count(*) FROM trading_rules WHERE account_type = 'one_step' AND account_size = 50000 AND replaced_at IS NULL"));
        Assert.Equal(9, await scenario.ScalarAsync<long>(
            "SELECT count(*) FROM trading_rules WHERE account_type = 'one_step' AND account_size = 50000"));
    }

    private static async Task<Product> CurrentAsync(ProductStore store, AccountType type, int size) =>
        (await store.ListAsync(CancellationToken.None)).Single(p => p.AccountType == type && p.AccountSize == size);

    private static async Task<(long, decimal)> OrderTermsAsync(OrderScenario scenario, string orderId) =>
        (await scenario.QueryAsync<(long, decimal)>(
            "SELECT trading_rules_id, price_amount FROM orders WHERE order_id = @orderId", new { orderId })).Single();
}

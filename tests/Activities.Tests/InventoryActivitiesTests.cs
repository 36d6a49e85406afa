using System.Collections.Concurrent;
using FlashFundX.Activities.Inventory;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class InventoryActivitiesTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    private InventoryActivities Activities => new(Database.DataSource, NullLogger<InventoryActivities>.Instance);

    [Fact]
    public async Task ReserveAccount_RunTwice_ReservesOneAccount()
    {
        await Scenario.AddAccountsAsync(3);
        var orderId = await Scenario.CreatePaidOrderAsync();

        var first = await InActivity.RunAsync(() => Activities.ReserveAccountAsync(new OrderRef(orderId)));
        var second = await InActivity.RunAsync(() => Activities.ReserveAccountAsync(new OrderRef(orderId)));

        Assert.True(first.Reserved);
        Assert.Equal(first, second);
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status = 'reserved'"));
    }

    [Fact]
    public async Task ReserveAccount_SeveralMatching_TakesOldestOfOrdersSizeAndPlatform()
    {
        await Scenario.AddAccountsAsync(2, accountSize: 10_000, platform: TradingPlatform.Mt4);
        await Scenario.AddAccountsAsync(2, accountSize: 25_000, platform: TradingPlatform.Mt5);
        var matching = await Scenario.AddAccountsAsync(3, accountSize: 10_000, platform: TradingPlatform.Mt5);
        var orderId = await Scenario.CreatePaidOrderAsync(accountSize: 10_000, platform: TradingPlatform.Mt5);

        var outcome = await InActivity.RunAsync(() => Activities.ReserveAccountAsync(new OrderRef(orderId)));

        Assert.Equal(new ReservationOutcome(true, matching[0]), outcome);
        Assert.Equal(orderId, await Scenario.ScalarAsync<string>(
            "SELECT reserved_for_order_id FROM account_container WHERE id = @id AND status = 'reserved' AND reserved_at IS NOT NULL",
            new { id = matching[0] }));
    }

    [Fact]
    public async Task ReserveAccount_NoMatchingStock_ReturnsOutOfStock()
    {
        await Scenario.AddAccountsAsync(2, accountSize: 10_000, platform: TradingPlatform.Mt4);
        var orderId = await Scenario.CreatePaidOrderAsync(accountSize: 10_000, platform: TradingPlatform.Mt5);

        var outcome = await InActivity.RunAsync(() => Activities.ReserveAccountAsync(new OrderRef(orderId)));

        Assert.Equal(ReservationOutcome.OutOfStock, outcome);
        Assert.Equal(0, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status <> 'available'"));
    }

    [Fact]
    public async Task ReserveAccount_OutOfStockThenRestocked_Reserves()
    {
        var orderId = await Scenario.CreatePaidOrderAsync();
        var before = await InActivity.RunAsync(() => Activities.ReserveAccountAsync(new OrderRef(orderId)));

        var added = await Scenario.AddAccountsAsync(1);
        var after = await InActivity.RunAsync(() => Activities.ReserveAccountAsync(new OrderRef(orderId)));

        Assert.False(before.Reserved);
        Assert.Equal(new ReservationOutcome(true, added[0]), after);
    }

    [Fact]
    public async Task ReserveAccount_64ParallelOrdersFor50Accounts_Reserves50DistinctAccountsAnd14OutOfStock()
    {
        var accounts = await Scenario.AddAccountsAsync(50);
        var orders = new List<string>();
        for (var i = 0; i < 64; i++)
        {
            orders.Add(await Scenario.CreatePaidOrderAsync());
        }

        var outcomes = await AllAtOnce.RunAsync(orders, async orderId =>
            (OrderId: orderId, Outcome: await InActivity.RunAsync(() => Activities.ReserveAccountAsync(new OrderRef(orderId)))));

        var reserved = outcomes.Where(o => o.Outcome.Reserved).ToList();
        Assert.Equal(50, reserved.Count);
        Assert.Equal(14, outcomes.Count(o => o.Outcome == ReservationOutcome.OutOfStock));
        Assert.Equal(50, reserved.Select(o => o.Outcome.AccountId).Distinct().Count());
        Assert.Equal(accounts.Order(), reserved.Select(o => o.Outcome.AccountId!.Value).Order());
        Assert.Equal(50, await Scenario.ScalarAsync<long>("SELECT count(DISTINCT reserved_for_order_id) FROM account_container WHERE status = 'reserved'"));
        foreach (var (orderId, outcome) in reserved)
        {
            Assert.Equal(orderId, await Scenario.ScalarAsync<string>(
                "SELECT reserved_for_order_id FROM account_container WHERE id = @id", new { id = outcome.AccountId }));
        }
    }

    [Fact]
    public async Task ReserveAccount_SameOrderConcurrentCopies_GetOneAccount()
    {
        await Scenario.AddAccountsAsync(40);
        for (var round = 0; round < 5; round++)
        {
            var orderId = await Scenario.CreatePaidOrderAsync();
            var results = new ConcurrentBag<ReservationOutcome>();

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
                results.Add(await InActivity.RunAsync(() => Activities.ReserveAccountAsync(new OrderRef(orderId)))))));

            Assert.Single(results.Distinct());
            Assert.True(results.First().Reserved);
            Assert.Equal(1, await Scenario.ScalarAsync<long>(
                "SELECT count(*) FROM account_container WHERE reserved_for_order_id = @orderId", new { orderId }));
        }
        Assert.Equal(35, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status = 'available'"));
    }

    [Fact]
    public async Task ReserveAccount_CancelledOrder_FailsWithoutRetry()
    {
        await Scenario.AddAccountsAsync(1);
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        await Scenario.ExecuteAsync("UPDATE orders SET order_status = 'cancelled', stage = 'cancelled' WHERE order_id = @orderId", new { orderId });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.ReserveAccountAsync(new OrderRef(orderId))));

        Assert.Equal(ActivityErrors.InvalidOrderState, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Equal(0, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status <> 'available'"));
    }
}

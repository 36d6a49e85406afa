using FlashFundX.Data.Products;
using FlashFundX.TestSupport.Metrics;
using FlashFundX.Activities.Delivery;
using FlashFundX.Data.Delivery;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class DeliveryActivitiesTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    private DeliveryActivities Activities => new(Database.DataSource, Announcer, TestMetrics.Instance, NullLogger<DeliveryActivities>.Instance);

    [Theory]
    [InlineData(AccountType.Instant, AccountPhase.Live, "pending|pending|pending|active")]
    [InlineData(AccountType.OneStep, AccountPhase.Challenge, "active|pending|pending|pending")]
    [InlineData(AccountType.Hft, AccountPhase.Challenge, "active|pending|pending|pending")]
    [InlineData(AccountType.TwoStep, AccountPhase.Phase1, "pending|active|pending|pending")]
    public async Task DeliverOrder_AccountType_StartsInItsInitialPhase(AccountType type, AccountPhase phase, string statuses)
    {
        await Scenario.AddAccountsAsync(1);
        var orderId = await Scenario.CreatePaidOrderAsync(type, 10_000);

        var outcome = await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId)));

        Assert.Equal(phase, outcome.Phase);
        Assert.Equal($"{WireName.Of(phase)}|{statuses}", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', current_phase, challenge_status, phase_1_status, phase_2_status, live_status) FROM delivered_accounts WHERE order_id = @orderId",
            new { orderId }));
    }

    [Fact]
    public async Task DeliverOrder_TwoOrdersOfOneUser_AddsBothToTheTotals()
    {
        await Scenario.AddAccountsAsync(2, accountSize: 5_000);
        await Scenario.AddAccountsAsync(1);
        var firstOrder = await Scenario.CreatePaidOrderAsync(AccountType.Instant, 5_000);
        var userId = await UserOfAsync(firstOrder);
        var secondOrder = await Scenario.CreateOrderAsync(userId, AccountType.OneStep, 10_000);

        await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(firstOrder)));
        await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(secondOrder)));
        await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(firstOrder)));

        Assert.Equal("2|198.00", await UserTotalsAsync(userId));
    }

    [Fact]
    public async Task DeliverOrder_RunTwice_DeliversOldestMatchingAccountCompletesAndAppliesTotalsOnce()
    {
        await Scenario.AddAccountsAsync(2, accountSize: 25_000, platform: TradingPlatform.Mt4);
        var matching = await Scenario.AddAccountsAsync(2, accountSize: 25_000);
        var orderId = await Scenario.CreatePaidOrderAsync(AccountType.TwoStep, 25_000);

        var first = await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId)));
        var second = await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId)));

        Assert.True(first.Delivered);
        Assert.Equal(matching[0], first.AccountId);
        Assert.Equal(AccountPhase.Phase1, first.Phase);
        Assert.Equal(first, second);
        Assert.Equal(first.DeliveredAccountId, await Scenario.ScalarAsync<Guid>(
            "SELECT id FROM delivered_accounts WHERE order_id = @orderId AND container_account_id = @accountId AND trading_rules_id = @rulesId",
            new { orderId, accountId = first.AccountId, rulesId = first.TradingRulesId }));
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts"));
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status <> 'available'"));
        Assert.Equal("1|179.00", await UserTotalsAsync(await UserOfAsync(orderId)));
        Assert.Equal("completed|completed|delivered", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', order_status, stage, delivery_status) FROM orders WHERE order_id = @orderId AND delivered_at = @deliveredAt",
            new { orderId, deliveredAt = first.DeliveredAt }));
    }

    [Fact]
    public async Task DeliverOrder_ConcurrentCopies_OneAccountOneDeliveredRowTotalsOnce()
    {
        await Scenario.AddAccountsAsync(40, accountSize: 5_000);
        for (var round = 0; round < 5; round++)
        {
            var orderId = await Scenario.CreatePaidOrderAsync(AccountType.Instant, 5_000);

            var results = await AllAtOnce.RunAsync(Enumerable.Range(0, 4), _ =>
                InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId))));

            var result = Assert.Single(results.Distinct());
            Assert.True(result.Delivered);
            Assert.Equal(1, await Scenario.ScalarAsync<long>(
                "SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
            Assert.Equal(result.AccountId, await Scenario.ScalarAsync<long>(
                "SELECT id FROM account_container WHERE reserved_for_order_id = @orderId AND status = 'delivered'", new { orderId }));
            Assert.Equal("1|99.00", await UserTotalsAsync(await UserOfAsync(orderId)));
        }
        Assert.Equal(35, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status = 'available'"));
        Assert.Equal(5, await Scenario.ScalarAsync<long>("SELECT count(*) FROM orders WHERE stats_applied_at IS NOT NULL"));
    }

    [Fact]
    public async Task DeliverOrder_64ParallelOrdersFor50Accounts_Delivers50DistinctAccountsAnd14OutOfStock()
    {
        var accounts = await Scenario.AddAccountsAsync(50);
        var orders = new List<string>();
        for (var i = 0; i < 64; i++)
        {
            orders.Add(await Scenario.CreatePaidOrderAsync());
        }

        var outcomes = await AllAtOnce.RunAsync(orders, async orderId =>
            (OrderId: orderId, Outcome: await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId)))));

        var delivered = outcomes.Where(o => o.Outcome.Delivered).ToList();
        var waiting = outcomes.Where(o => o.Outcome == OrderDeliveryOutcome.OutOfStock).Select(o => o.OrderId).ToArray();
        Assert.Equal(50, delivered.Count);
        Assert.Equal(14, waiting.Length);
        Assert.Equal(accounts.Order(), delivered.Select(o => o.Outcome.AccountId!.Value).Order());
        Assert.Equal(50, await Scenario.ScalarAsync<long>(
            "SELECT count(DISTINCT container_account_id) FROM delivered_accounts d JOIN orders o USING (order_id) WHERE o.order_status = 'completed'"));
        Assert.Equal(50, await Scenario.ScalarAsync<long>("SELECT count(*) FROM orders WHERE stats_applied_at IS NOT NULL"));
        foreach (var (orderId, outcome) in delivered)
        {
            Assert.Equal(orderId, await Scenario.ScalarAsync<string>(
                "SELECT reserved_for_order_id FROM account_container WHERE id = @id AND status = 'delivered'", new { id = outcome.AccountId }));
        }
        Assert.Equal(14, await Scenario.ScalarAsync<long>(
            """
            SELECT count(*) FROM orders o
             WHERE o.order_id = ANY(@waiting) AND o.order_status = 'paid' AND o.stage = 'paid' AND o.delivered_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM delivered_accounts d WHERE d.order_id = o.order_id)
               AND NOT EXISTS (SELECT 1 FROM account_container a WHERE a.reserved_for_order_id = o.order_id)
               AND o.stats_applied_at IS NULL
            """, new { waiting }));
    }

    [Fact]
    public async Task DeliverOrder_ProductRepricedAndTakenOffSaleAfterOrdering_DeliversUnderTheOrdersRules()
    {
        await Scenario.AddAccountsAsync(1, accountSize: 25_000);
        var orderId = await Scenario.CreatePaidOrderAsync(AccountType.Hft, 25_000);
        var soldUnder = await Scenario.ScalarAsync<long>("SELECT trading_rules_id FROM orders WHERE order_id = @orderId", new { orderId });
        var store = new ProductStore(Database.DataSource);
        var product = (await store.ListAsync(CancellationToken.None)).Single(p => p.AccountType == AccountType.Hft && p.AccountSize == 25_000);
        await store.PutAsync(AccountType.Hft, 25_000, product.Terms with { ProfitSplit = 50m, Active = false }, admin: null, CancellationToken.None);

        var outcome = await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId)));

        Assert.True(outcome.Delivered);
        Assert.Equal(soldUnder, outcome.TradingRulesId);
        Assert.Equal(soldUnder, await Scenario.ScalarAsync<long>("SELECT trading_rules_id FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
    }

    [Theory]
    [InlineData("cancelled")]
    [InlineData("expired")]
    [InlineData("failed")]
    public async Task DeliverOrder_OrderNoLongerWantsAnAccount_FailsWithInvalidOrderState(string status)
    {
        await Scenario.AddAccountsAsync(1);
        var orderId = await Scenario.CreatePaidOrderAsync();
        await Scenario.ExecuteAsync("UPDATE orders SET order_status = @status WHERE order_id = @orderId", new { status, orderId });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId))));

        Assert.Equal(ActivityErrors.InvalidOrderState, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        await AssertNothingWrittenAsync(orderId);
    }

    [Fact]
    public async Task DeliverOrder_UnknownOrder_FailsWithoutRetry()
    {
        await Scenario.AddAccountsAsync(1);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef("FFX999999999"))));

        Assert.Equal(ActivityErrors.OrderNotFound, failure.ErrorType);
        Assert.True(failure.NonRetryable);
    }

    [Fact]
    public async Task DeliverOrder_NoMatchingStock_OutOfStockAndWritesNothing()
    {
        await Scenario.AddAccountsAsync(2, platform: TradingPlatform.Mt4);
        var orderId = await Scenario.CreatePaidOrderAsync();

        var outcome = await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId)));

        Assert.Equal(OrderDeliveryOutcome.OutOfStock, outcome);
        await AssertNothingWrittenAsync(orderId);
    }

    private async Task AssertNothingWrittenAsync(string orderId)
    {
        Assert.Equal("paid|pending|true", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', stage, delivery_status, (delivered_at IS NULL)::text) FROM orders WHERE order_id = @orderId",
            new { orderId }));
        Assert.Equal(0, await Scenario.ScalarAsync<long>(
            """
            SELECT (SELECT count(*) FROM delivered_accounts) + (SELECT count(*) FROM orders WHERE stats_applied_at IS NOT NULL)
                 + (SELECT count(*) FROM account_container WHERE status <> 'available')
                 + (SELECT count(*) FROM users WHERE total_orders <> 0)
            """));
    }

    private Task<Guid> UserOfAsync(string orderId) =>
        Scenario.ScalarAsync<Guid>("SELECT user_id FROM orders WHERE order_id = @orderId", new { orderId });

    private Task<string> UserTotalsAsync(Guid userId) =>
        Scenario.ScalarAsync<string>("SELECT total_orders || '|' || total_spent FROM users WHERE id = @userId", new { userId });
}

using FlashFundX.TestSupport.Metrics;
using FlashFundX.Activities.Delivery;
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
public sealed class DeliveryActivitiesTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    private DeliveryActivities Activities => new(Database.DataSource, Announcer, TestMetrics.Instance, NullLogger<DeliveryActivities>.Instance);

    private InventoryActivities Inventory => new(Database.DataSource, NullLogger<InventoryActivities>.Instance);

    [Fact]
    public async Task GetTradingRules_SeededPriceList_ReturnsRulesOfOrdersTypeAndSize()
    {
        var orderId = await Scenario.CreatePaidOrderAsync(AccountType.OneStep, 50_000);

        var rules = await InActivity.RunAsync(() => Activities.GetTradingRulesAsync(new OrderRef(orderId)));

        Assert.Equal(AccountType.OneStep, rules.AccountType);
        Assert.Equal(50_000, rules.AccountSize);
        Assert.Equal(299.00m, rules.Price);
        Assert.Equal(rules.RulesId, await Scenario.ScalarAsync<long>(
            "SELECT id FROM trading_rules WHERE account_type = 'one_step' AND account_size = 50000"));
    }

    [Fact]
    public async Task GetTradingRules_RulesMissing_FailsWithoutRetry()
    {
        var orderId = await Scenario.CreatePaidOrderAsync(AccountType.Hft, 25_000);
        await Scenario.ExecuteAsync("UPDATE trading_rules SET is_active = false WHERE account_type = 'hft' AND account_size = 25000");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.GetTradingRulesAsync(new OrderRef(orderId))));

        Assert.Equal(ActivityErrors.TradingRulesMissing, failure.ErrorType);
        Assert.True(failure.NonRetryable);
    }

    [Theory]
    [InlineData(AccountType.Instant, AccountPhase.Live, "pending|pending|pending|active")]
    [InlineData(AccountType.OneStep, AccountPhase.Challenge, "active|pending|pending|pending")]
    [InlineData(AccountType.Hft, AccountPhase.Challenge, "active|pending|pending|pending")]
    [InlineData(AccountType.TwoStep, AccountPhase.Phase1, "pending|active|pending|pending")]
    public async Task RecordDelivery_AccountType_StartsInItsInitialPhase(AccountType type, AccountPhase phase, string statuses)
    {
        var (orderId, accountId, rulesId) = await ReservedOrderAsync(type);

        var recorded = await InActivity.RunAsync(() => Activities.RecordDeliveryAsync(new DeliveryInput(orderId, accountId, rulesId)));

        Assert.Equal(phase, recorded.Phase);
        Assert.Equal($"{WireName.Of(phase)}|{statuses}", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', current_phase, challenge_status, phase_1_status, phase_2_status, live_status) FROM delivered_accounts WHERE order_id = @orderId",
            new { orderId }));
    }

    [Fact]
    public async Task RecordDelivery_RunTwice_OneDeliveredRecordAndAccountDelivered()
    {
        var (orderId, accountId, rulesId) = await ReservedOrderAsync(AccountType.TwoStep);
        var input = new DeliveryInput(orderId, accountId, rulesId);

        var first = await InActivity.RunAsync(() => Activities.RecordDeliveryAsync(input));
        var second = await InActivity.RunAsync(() => Activities.RecordDeliveryAsync(input));

        Assert.Equal(first, second);
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts"));
        Assert.Equal("delivered", await Scenario.ScalarAsync<string>(
            "SELECT status FROM account_container WHERE id = @accountId AND delivered_at IS NOT NULL", new { accountId }));
    }

    [Fact]
    public async Task RecordDelivery_ConcurrentCopies_OneDeliveredRecord()
    {
        var (orderId, accountId, rulesId) = await ReservedOrderAsync(AccountType.Instant);
        var input = new DeliveryInput(orderId, accountId, rulesId);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => InActivity.RunAsync(() => Activities.RecordDeliveryAsync(input)))));

        Assert.Single(results.Distinct());
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task RecordDelivery_AccountNotReservedForOrder_FailsWithoutRetry()
    {
        var (orderId, _, rulesId) = await ReservedOrderAsync(AccountType.TwoStep);
        var otherAccount = (await Scenario.AddAccountsAsync(1))[0];

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.RecordDeliveryAsync(new DeliveryInput(orderId, otherAccount, rulesId))));

        Assert.Equal(ActivityErrors.ReservationMissing, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Equal(0, await Scenario.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts"));
    }

    [Fact]
    public async Task CompleteOrder_RunTwice_StatsAppliedOnce()
    {
        var (orderId, userId) = await DeliveredOrderAsync(AccountType.TwoStep, 25_000);

        var first = await InActivity.RunAsync(() => Activities.CompleteOrderAsync(new OrderRef(orderId)));
        var second = await InActivity.RunAsync(() => Activities.CompleteOrderAsync(new OrderRef(orderId)));

        Assert.True(first.AppliedNow);
        Assert.False(second.AppliedNow);
        Assert.Equal(first.DeliveredAt, second.DeliveredAt);
        Assert.Equal("1|179.00", await UserTotalsAsync(userId));
        Assert.Equal("completed|completed|delivered", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', order_status, stage, delivery_status) FROM orders WHERE order_id = @orderId AND delivered_at IS NOT NULL",
            new { orderId }));
    }

    [Fact]
    public async Task CompleteOrder_ConcurrentCopies_StatsAppliedOnce()
    {
        var (orderId, userId) = await DeliveredOrderAsync(AccountType.Instant, 5_000);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => InActivity.RunAsync(() => Activities.CompleteOrderAsync(new OrderRef(orderId))))));

        Assert.Single(results, r => r.AppliedNow);
        Assert.Equal("1|99.00", await UserTotalsAsync(userId));
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM orders WHERE stats_applied_at IS NOT NULL"));
    }

    [Fact]
    public async Task CompleteOrder_TwoOrdersOfOneUser_AddsBoth()
    {
        var (firstOrder, userId) = await DeliveredOrderAsync(AccountType.Instant, 5_000);
        var accountId = (await Scenario.AddAccountsAsync(1))[0];
        var secondOrder = await Scenario.CreateOrderAsync(userId, AccountType.OneStep, 10_000);
        await InActivity.RunAsync(() => Inventory.ReserveAccountAsync(new OrderRef(secondOrder)));
        var rules = await InActivity.RunAsync(() => Activities.GetTradingRulesAsync(new OrderRef(secondOrder)));
        await InActivity.RunAsync(() => Activities.RecordDeliveryAsync(new DeliveryInput(secondOrder, accountId, rules.RulesId)));

        await InActivity.RunAsync(() => Activities.CompleteOrderAsync(new OrderRef(firstOrder)));
        await InActivity.RunAsync(() => Activities.CompleteOrderAsync(new OrderRef(secondOrder)));
        await InActivity.RunAsync(() => Activities.CompleteOrderAsync(new OrderRef(firstOrder)));

        Assert.Equal("2|198.00", await UserTotalsAsync(userId));
    }

    [Fact]
    public async Task CompleteOrder_NotDelivered_FailsWithoutRetry()
    {
        var orderId = await Scenario.CreatePaidOrderAsync();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.CompleteOrderAsync(new OrderRef(orderId))));

        Assert.Equal(ActivityErrors.InvalidOrderState, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Equal(0, await Scenario.ScalarAsync<long>("SELECT count(*) FROM orders WHERE stats_applied_at IS NOT NULL"));
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
    public async Task DeliverOrder_SameEndStateAsTheFourOldActivities()
    {
        await Scenario.AddAccountsAsync(2);
        var (oldOrder, oldUser) = await DeliveredOrderAsync(AccountType.OneStep, 10_000);
        await InActivity.RunAsync(() => Activities.CompleteOrderAsync(new OrderRef(oldOrder)));
        var newOrder = await Scenario.CreatePaidOrderAsync(AccountType.OneStep, 10_000);

        await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(newOrder)));

        Assert.Equal(await EndStateAsync(oldOrder), await EndStateAsync(newOrder));
        Assert.Equal(await UserTotalsAsync(oldUser), await UserTotalsAsync(await UserOfAsync(newOrder)));
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
    public async Task DeliverOrder_RacingTheOldReserveAccount_DeliversTheOneAccountReservedForTheOrder()
    {
        await Scenario.AddAccountsAsync(40);
        for (var round = 0; round < 10; round++)
        {
            var orderId = await Scenario.CreatePaidOrderAsync();

            var accounts = await AllAtOnce.RunAsync(["reserve", "deliver"], async call => call == "reserve"
                ? (await InActivity.RunAsync(() => Inventory.ReserveAccountAsync(new OrderRef(orderId)))).AccountId
                : (await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId)))).AccountId);

            Assert.Equal(accounts[0], accounts[1]);
            Assert.Equal(accounts[1], await Scenario.ScalarAsync<long>(
                "SELECT container_account_id FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
        }
        Assert.Equal(10, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status = 'delivered'"));
        Assert.Equal(30, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status = 'available'"));
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
    public async Task DeliverOrder_RulesMissing_FailsWithoutRetryAndWritesNothing()
    {
        await Scenario.AddAccountsAsync(1, accountSize: 25_000);
        var orderId = await Scenario.CreatePaidOrderAsync(AccountType.Hft, 25_000);
        await Scenario.ExecuteAsync("UPDATE trading_rules SET is_active = false WHERE account_type = 'hft' AND account_size = 25000");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId))));

        Assert.Equal(ActivityErrors.TradingRulesMissing, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        await AssertNothingWrittenAsync(orderId);
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

    [Fact]
    public async Task DeliverOrder_OrderReservedByReserveAccount_DeliversThatAccount()
    {
        var (orderId, reservedAccount, _) = await ReservedOrderAsync(AccountType.Instant);
        await Scenario.AddAccountsAsync(3);
        await Scenario.ExecuteAsync("UPDATE account_container SET created_at = created_at - interval '1 day' WHERE id <> @reservedAccount",
            new { reservedAccount });

        var outcome = await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId)));

        Assert.Equal(reservedAccount, outcome.AccountId);
        Assert.Equal(AccountPhase.Live, outcome.Phase);
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status <> 'available'"));
        Assert.Equal("delivered", await Scenario.ScalarAsync<string>(
            "SELECT status FROM account_container WHERE id = @reservedAccount AND reserved_at < delivered_at", new { reservedAccount }));
        Assert.Equal("1|179.00", await UserTotalsAsync(await UserOfAsync(orderId)));
    }

    [Fact]
    public async Task DeliverOrder_DeliveredByTheOldActivities_ReturnsThatDeliveryAndAppliesTotalsOnce()
    {
        var (orderId, userId) = await DeliveredOrderAsync(AccountType.TwoStep, 10_000);
        var recorded = await Scenario.ScalarAsync<Guid>("SELECT id FROM delivered_accounts WHERE order_id = @orderId", new { orderId });
        await Scenario.AddAccountsAsync(1);

        var outcome = await InActivity.RunAsync(() => Activities.DeliverOrderAsync(new OrderRef(orderId)));
        await InActivity.RunAsync(() => Activities.CompleteOrderAsync(new OrderRef(orderId)));

        Assert.Equal(recorded, outcome.DeliveredAccountId);
        Assert.Equal("1|89.00", await UserTotalsAsync(userId));
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status = 'available'"));
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

    /// <summary>Every column the delivery sets, without the ids and timestamps that differ between two orders.</summary>
    private Task<string> EndStateAsync(string orderId) => Scenario.ScalarAsync<string>(
        """
        SELECT concat_ws('|', o.order_status, o.stage, o.payment_status, o.delivery_status, o.delivered_at = d.delivered_at,
                         d.trading_rules_id, d.account_type, d.account_size, d.platform, d.server, d.current_phase,
                         d.challenge_status, d.phase_1_status, d.phase_2_status, d.live_status, d.user_id = o.user_id,
                         a.status, a.reserved_at IS NOT NULL, a.delivered_at IS NOT NULL, a.login = d.login,
                         o.stats_applied_at IS NOT NULL)
          FROM orders o
          JOIN delivered_accounts d ON d.order_id = o.order_id
          JOIN account_container a ON a.id = d.container_account_id AND a.reserved_for_order_id = o.order_id
         WHERE o.order_id = @orderId
        """, new { orderId });

    private Task<Guid> UserOfAsync(string orderId) =>
        Scenario.ScalarAsync<Guid>("SELECT user_id FROM orders WHERE order_id = @orderId", new { orderId });

    private async Task<(string OrderId, long AccountId, long RulesId)> ReservedOrderAsync(AccountType type, int size = 10_000)
    {
        await Scenario.AddAccountsAsync(1, accountSize: size);
        var orderId = await Scenario.CreatePaidOrderAsync(type, size);
        var reservation = await InActivity.RunAsync(() => Inventory.ReserveAccountAsync(new OrderRef(orderId)));
        var rules = await InActivity.RunAsync(() => Activities.GetTradingRulesAsync(new OrderRef(orderId)));
        return (orderId, reservation.AccountId!.Value, rules.RulesId);
    }

    private async Task<(string OrderId, Guid UserId)> DeliveredOrderAsync(AccountType type, int size)
    {
        var (orderId, accountId, rulesId) = await ReservedOrderAsync(type, size);
        await InActivity.RunAsync(() => Activities.RecordDeliveryAsync(new DeliveryInput(orderId, accountId, rulesId)));
        var userId = await Scenario.ScalarAsync<Guid>("SELECT user_id FROM orders WHERE order_id = @orderId", new { orderId });
        return (orderId, userId);
    }

    private Task<string> UserTotalsAsync(Guid userId) =>
        Scenario.ScalarAsync<string>("SELECT total_orders || '|' || total_spent FROM users WHERE id = @userId", new { userId });
}

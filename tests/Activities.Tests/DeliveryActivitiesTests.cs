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
    private DeliveryActivities Activities => new(Database.DataSource, TestMetrics.Instance, NullLogger<DeliveryActivities>.Instance);

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
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM user_stats_applied"));
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
        Assert.Equal(0, await Scenario.ScalarAsync<long>("SELECT count(*) FROM user_stats_applied"));
    }

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

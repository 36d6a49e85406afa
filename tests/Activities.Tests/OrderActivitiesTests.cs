using FlashFundX.TestSupport.Metrics;
using FlashFundX.Activities.Orders;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class OrderActivitiesTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    private OrderActivities Activities => new(Database.DataSource, TestMetrics.Instance, NullLogger<OrderActivities>.Instance);

    [Fact]
    public async Task UpdateOrderState_RunTwice_WritesSameState()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var change = new OrderStateChange(orderId, OrderStage.AwaitingPayment, OrderStatus.AwaitingPayment, PaymentStatus.Waiting, DeliveryStatus.Pending, "invoice sent");

        await InActivity.RunAsync(() => Activities.UpdateOrderStateAsync(change));
        await InActivity.RunAsync(() => Activities.UpdateOrderStateAsync(change));

        var row = await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', stage, order_status, payment_status, delivery_status, status_note, (paid_at IS NULL)::text) FROM orders WHERE order_id = @orderId",
            new { orderId });
        Assert.Equal("awaiting_payment|awaiting_payment|waiting|pending|invoice sent|true", row);
    }

    [Fact]
    public async Task UpdateOrderState_PaidThenLaterStages_SetsPaidAtOnce()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var paid = new OrderStateChange(orderId, OrderStage.Paid, OrderStatus.Paid, PaymentStatus.Finished, DeliveryStatus.Pending);

        await InActivity.RunAsync(() => Activities.UpdateOrderStateAsync(paid));
        var firstPaidAt = await Scenario.ScalarAsync<DateTime>("SELECT paid_at FROM orders WHERE order_id = @orderId", new { orderId });
        await Task.Delay(20);
        await InActivity.RunAsync(() => Activities.UpdateOrderStateAsync(paid));
        await InActivity.RunAsync(() => Activities.UpdateOrderStateAsync(
            paid with { Stage = OrderStage.Delivering, OrderStatus = OrderStatus.Fulfilling }));

        var paidAt = await Scenario.ScalarAsync<DateTime>("SELECT paid_at FROM orders WHERE order_id = @orderId", new { orderId });
        Assert.Equal(firstPaidAt, paidAt);
    }

    [Fact]
    public async Task UpdateOrderState_ConcurrentCopies_EndInTheGivenState()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var change = new OrderStateChange(orderId, OrderStage.Paid, OrderStatus.Paid, PaymentStatus.Confirmed, DeliveryStatus.Pending);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => InActivity.RunAsync(() => Activities.UpdateOrderStateAsync(change))));

        Assert.Equal("paid|confirmed", await Scenario.ScalarAsync<string>(
            "SELECT order_status || '|' || payment_status FROM orders WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task UpdateOrderState_UnknownOrder_FailsWithoutRetry()
    {
        var change = new OrderStateChange("FFX999999999", OrderStage.Paid, OrderStatus.Paid, PaymentStatus.Finished, DeliveryStatus.Pending);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.UpdateOrderStateAsync(change)));

        Assert.Equal(ActivityErrors.OrderNotFound, failure.ErrorType);
        Assert.True(failure.NonRetryable);
    }
}

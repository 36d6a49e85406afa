using FlashFundX.Activities.Orders;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Metrics;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Tests;

/// <summary>The admin tools' writes: a manual payment with the paid state, and a refund; each run twice = one effect.</summary>
[Collection(PostgresTests.Collection)]
public sealed class AdminToolActivitiesTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    private OrderActivities Orders => new(Database.DataSource, TestMetrics.Instance, NullLogger<OrderActivities>.Instance);

    private RefundActivities Refunds => new(Database.DataSource, NullLogger<RefundActivities>.Instance);

    [Fact]
    public async Task SyncOrder_WithManualPayment_RunTwice_OneRowWithThePaidOrder()
    {
        var admin = await Scenario.CreateUserAsync();
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var sync = new OrderSync(orderId, [], new OrderStateChange(orderId, OrderStage.Paid, OrderStatus.Paid, PaymentStatus.Pending, DeliveryStatus.Pending),
            new ManualPaymentRequest("wire-1", 89m, "usd", "bank", admin, "ops@flashfundx.test"));

        await InActivity.RunAsync(() => Orders.SyncOrderAsync(sync));
        await InActivity.RunAsync(() => Orders.SyncOrderAsync(sync));

        Assert.Equal($"wire-1|89.00|usd|{admin}", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', reference, amount, currency, admin_user_id) FROM manual_payments WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(1L, await Scenario.ScalarAsync<long>("SELECT count(*) FROM manual_payments"));
        Assert.Equal("paid|false", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', order_status, (paid_at IS NULL)::text) FROM orders WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task RecordRefund_RefundRequiredOrder_RunTwice_OneRefund_OtherReferenceAndOtherOrdersRefused()
    {
        var admin = await Scenario.CreateUserAsync();
        var user = await Scenario.CreateUserAsync();
        var orderId = await Scenario.CreateOrderAsync(user, paid: false);
        var open = await Scenario.CreateOrderAsync(user, paid: false);
        await InActivity.RunAsync(() => Orders.SyncOrderAsync(new OrderSync(orderId, [],
            new OrderStateChange(orderId, OrderStage.RefundRequired, OrderStatus.Cancelled, PaymentStatus.Finished, DeliveryStatus.RefundRequired))));
        var refund = new RecordRefundInput(orderId, new RefundRequest("refund-1", "sent back", admin, "ops@flashfundx.test"));

        var first = await InActivity.RunAsync(() => Refunds.RecordRefundAsync(refund));
        var second = await InActivity.RunAsync(() => Refunds.RecordRefundAsync(refund));
        var other = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            InActivity.RunAsync(() => Refunds.RecordRefundAsync(refund with { Refund = refund.Refund with { Reference = "refund-2" } })));
        var notRequired = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            InActivity.RunAsync(() => Refunds.RecordRefundAsync(refund with { OrderId = open })));

        Assert.Equal((false, OrderStage.Refunded, OrderStatus.Refunded, DeliveryStatus.Refunded), (first.AlreadyRecorded, first.Stage, first.OrderStatus, first.DeliveryStatus));
        Assert.True(second.AlreadyRecorded);
        Assert.Equal((AdminToolRefusals.OtherReference, true), (other.ErrorType, other.NonRetryable));
        Assert.Equal((AdminToolRefusals.NotRefundRequired, true), (notRequired.ErrorType, notRequired.NonRetryable));
        Assert.Equal("refunded|refunded|refunded|finished", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', stage, order_status, delivery_status, payment_status) FROM orders WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(1L, await Scenario.ScalarAsync<long>("SELECT count(*) FROM order_refunds"));
        Assert.Equal(1L, await Scenario.ScalarAsync<long>(
            "SELECT count(*) FROM order_events WHERE order_id = @orderId AND order_status = 'refunded'", new { orderId }));
    }
}

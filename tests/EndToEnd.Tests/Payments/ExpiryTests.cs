using System.Net;
using FlashFundX.EndToEnd.Tests.Infrastructure;
using FlashFundX.NowPayments;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using Xunit;

namespace FlashFundX.EndToEnd.Tests.Payments;

/// <summary>Orders not (fully) paid before <c>Fulfillment:PaymentTimeout</c> (a few seconds here) end expired and are never delivered.</summary>
public sealed class ExpiryTests(ExpiryServiceFixture fixture) : IClassFixture<ExpiryServiceFixture>
{
    private static readonly TimeSpan ExpiryWait = ExpiryServiceFixture.PaymentTimeout + TimeSpan.FromSeconds(20);

    private readonly FulfillmentService _service = fixture.Service;

    [Fact]
    public async Task CreateOrder_NotPaidBeforeDeadline_ExpiresAndLatePaymentIsFlaggedForRefundNotDelivered()
    {
        await _service.ImportInventoryAsync(1, accountSize: 10000, platform: "mt5");
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "two_step", 10000, "mt5", "usdt_trc20");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        var expired = await _service.WaitForOrderAsync(created.OrderId, o => o.OrderStatus == "expired", ExpiryWait, ownerClient, "expired");
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);
        var late = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished);
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);
        var after = await _service.GetOrderAsync(created.OrderId, ownerClient);

        // Money that arrives after expiry cannot buy the account any more: recorded, flagged for refund, nothing delivered.
        Assert.Equal(("expired", "pending", "expired"), (expired.Stage, expired.DeliveryStatus, after.OrderStatus));
        Assert.Equal(("finished", "refund_required"), (after.PaymentStatus, after.DeliveryStatus));
        Assert.Null(after.DeliveredAt);
        Assert.All(late.Deliveries, d => Assert.Equal(200, d.StatusCode));
        await Http.GetAsync(ownerClient, $"orders/{created.OrderId}/account", HttpStatusCode.Conflict);
        Assert.Empty(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(["available"], (await _service.StockAsync(10000, "mt5")).Select(s => s.Status));
        Assert.Equal((0, 0m), await _service.TotalsAsync(owner.Id));
        Assert.All(await _service.WebhooksAsync(created.OrderId), w => Assert.Equal("late", w.Outcome));
        Assert.Equal((OrderStage.Expired, OrderStatus.Expired, DeliveryStatus.Pending), (result.Stage, result.OrderStatus, result.DeliveryStatus));
        Assert.Equal(0, (await _service.FetchHistoryAsync(created.OrderId)).CountActivities("DeliverOrder"));
    }

    [Fact]
    public async Task PayInvoice_EveryIpnLostBeforeTheFirstLookup_CheckAtTheDeadlineDelivers()
    {
        await _service.ImportInventoryAsync(1, accountSize: 50000, platform: "mt5");
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "instant", 50000, "mt5", "btc");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        // The first invoice lookup is 5 min away: only the check at the 4 s deadline can see this payment.
        var paid = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);
        var delivered = await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered", timeout: ExpiryWait);
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);

        Assert.Empty(paid.Deliveries);
        Assert.Equal("finished", delivered.PaymentStatus);
        Assert.Single(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        var payment = Assert.Single(await _service.PaymentsAsync(created.OrderId));
        Assert.Equal(("finished", "poll"), (payment.ProviderStatus, payment.Source));
        Assert.Equal((OrderStage.Completed, DeliveryStatus.Delivered), (result.Stage, result.DeliveryStatus));
        var history = await _service.FetchHistoryAsync(created.OrderId);
        // One lookup, and no regular one could have come before the deadline: this was the deadline's check.
        Assert.Equal(1, history.CountActivities("FindInvoicePayments"));
    }

    [Fact]
    public async Task PayInvoice_PartiallyPaidWhenDeadlinePasses_ExpiresWithRefundRequired()
    {
        await _service.ImportInventoryAsync(1, accountSize: 25000, platform: "mt5");
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "two_step", 25000, "mt5", "usdt_trc20");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        var partial = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.PartiallyPaid);
        var expired = await _service.WaitForOrderAsync(created.OrderId, o => o.OrderStatus == "expired", ExpiryWait, ownerClient, "expired");
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);

        Assert.All(partial.Deliveries, d => Assert.Equal(200, d.StatusCode));
        Assert.Equal(("partially_paid", "refund_required"), (expired.PaymentStatus, expired.DeliveryStatus));
        Assert.Empty(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(["available"], (await _service.StockAsync(25000, "mt5")).Select(s => s.Status));
        Assert.Equal((0, 0m), await _service.TotalsAsync(owner.Id));
        Assert.Equal((OrderStatus.Expired, DeliveryStatus.RefundRequired), (result.OrderStatus, result.DeliveryStatus));
    }
}

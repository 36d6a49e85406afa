using System.Net;
using FlashFundX.EndToEnd.Tests.Infrastructure;
using FlashFundX.NowPayments;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using Xunit;

namespace FlashFundX.EndToEnd.Tests.Payments;

/// <summary>
/// The provider's IPNs get lost: the workflow's own polling (every ~1 s here) must see the payment, by payment id once an
/// IPN named it, or else through the invoice's payment list.
/// </summary>
public sealed class PaymentByPollingTests(PollingServiceFixture fixture) : IClassFixture<PollingServiceFixture>
{
    private readonly FulfillmentService _service = fixture.Service;

    [Fact]
    public async Task PayInvoice_IpnsSuppressedAfterWaiting_PollingSeesPaymentAndDelivers()
    {
        await _service.ImportInventoryAsync(1, accountSize: 10000, platform: "mt4");
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "instant", 10000, "mt4", "btc");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        // The first IPN tells the workflow the payment id; every later status change is only visible by polling.
        var waiting = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Waiting);
        await _service.WaitForOrderAsync(created.OrderId, paymentStatus: "waiting");
        var paid = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);
        var delivered = await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered", timeout: TimeSpan.FromSeconds(30));
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);

        Assert.Equal(200, Assert.Single(waiting.Deliveries).StatusCode);
        Assert.Empty(paid.Deliveries);
        Assert.Equal(waiting.PaymentId, paid.PaymentId);
        Assert.Equal("finished", delivered.PaymentStatus);
        await Http.GetAsync(ownerClient, $"orders/{created.OrderId}/account", HttpStatusCode.OK);
        Assert.Single(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        var webhook = Assert.Single(await _service.WebhooksAsync(created.OrderId));
        Assert.Equal(("waiting", "accepted"), (webhook.PaymentStatus, webhook.Outcome));
        var payments = await _service.PaymentsAsync(created.OrderId);
        Assert.Equal("ipn", Assert.Single(payments, p => p.ProviderStatus == "waiting").Source);
        Assert.Equal("poll", Assert.Single(payments, p => p.ProviderStatus == "finished").Source);
        Assert.Contains(_service.Simulator.GetApiCalls(), c => c.Method == "GET" && c.Path.EndsWith($"/payment/{waiting.PaymentId}", StringComparison.Ordinal) && c.StatusCode == 200);
        Assert.Equal((OrderStage.Completed, DeliveryStatus.Delivered), (result.Stage, result.DeliveryStatus));
        var history = await _service.FetchHistoryAsync(created.OrderId);
        Assert.Equal(1, history.CountPaymentReports());
        Assert.True(history.CountActivities("CheckPayment") >= 1);
        Assert.Equal(1, history.CountActivities("DeliverOrder"));
    }

    [Fact]
    public async Task PayInvoice_EveryIpnLost_InvoiceLookupSeesPaymentAndDelivers()
    {
        await _service.ImportInventoryAsync(1, accountSize: 25000, platform: "mt5");
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "one_step", 25000, "mt5", "btc");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        var paid = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);
        var delivered = await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered", timeout: TimeSpan.FromSeconds(30));
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);

        Assert.Empty(paid.Deliveries);
        Assert.Empty(await _service.WebhooksAsync(created.OrderId));
        Assert.Equal("finished", delivered.PaymentStatus);
        await Http.GetAsync(ownerClient, $"orders/{created.OrderId}/account", HttpStatusCode.OK);
        Assert.Single(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        var payment = Assert.Single(await _service.PaymentsAsync(created.OrderId));
        Assert.Equal(("finished", "poll"), (payment.ProviderStatus, payment.Source));
        var calls = _service.Simulator.GetApiCalls();
        Assert.Contains(calls, c => c.Method == "POST" && c.Path == "/auth" && c.StatusCode == 200);
        Assert.Contains(calls, c => c.Method == "GET" && c.Path == "/payment/" && c.StatusCode == 200);
        Assert.Equal((OrderStage.Completed, DeliveryStatus.Delivered), (result.Stage, result.DeliveryStatus));
        var history = await _service.FetchHistoryAsync(created.OrderId);
        Assert.Equal(0, history.CountPaymentReports());
        Assert.True(history.CountActivities("FindInvoicePayments") >= 1);
        Assert.Equal(0, history.CountActivities("CheckPayment"));
        Assert.DoesNotContain(_service.AccountPassword, history.ToJson(), StringComparison.Ordinal);
    }
}

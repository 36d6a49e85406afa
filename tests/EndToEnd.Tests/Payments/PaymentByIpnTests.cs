using System.Net;
using FlashFundX.EndToEnd.Tests.Infrastructure;
using FlashFundX.NowPayments;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using Xunit;

namespace FlashFundX.EndToEnd.Tests.Payments;

/// <summary>
/// Orders paid through the simulator's signed IPNs to the real webhook over HTTP, with production poll timings so
/// that within a test only IPNs move the payment. Each test has its own user and its own account size/platform.
/// </summary>
public sealed class PaymentByIpnTests(IpnServiceFixture fixture) : IClassFixture<IpnServiceFixture>
{
    private static readonly string[] HappyPath = ["waiting", "confirming", "confirmed", "sending", "finished"];

    private readonly FulfillmentService _service = fixture.Service;

    [Fact]
    public async Task PayInvoice_IpnsWaitingToFinished_DeliversAccountReadableOnlyByOwner()
    {
        var stock = await _service.ImportInventoryAsync(2, accountSize: 10000, platform: "mt5");
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "two_step", 10000, "mt5", "usdt_trc20");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        var payment = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished);
        var delivered = await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);

        // HTTP: the order, its invoice, and the account for the owner only.
        Assert.Equal(invoice.Id, created.InvoiceId);
        Assert.Equal(invoice.InvoiceUrl, created.InvoiceUrl);
        Assert.Equal(created.PriceAmount, invoice.PriceAmount);
        Assert.Equal(HappyPath, payment.Deliveries.Select(d => d.Status));
        Assert.All(payment.Deliveries, d => Assert.Equal(200, d.StatusCode));
        Assert.Equal("completed", delivered.Stage);
        Assert.NotNull(delivered.PaidAt);
        Assert.NotNull(delivered.DeliveredAt);
        var viewedByOwner = await _service.GetOrderAsync(created.OrderId, ownerClient);
        Assert.Equal("delivered", viewedByOwner.DeliveryStatus);
        using var accountResponse = await ownerClient.GetAsync(new Uri($"orders/{created.OrderId}/account", UriKind.Relative));
        var account = await Http.ExpectAsync(accountResponse, HttpStatusCode.OK);
        Assert.Equal("no-store", accountResponse.Headers.CacheControl?.ToString());
        var sold = Assert.Single(stock.Accounts, a => a.Login == account.GetProperty("login").GetString());
        Assert.Equal(sold.Password, account.GetProperty("password").GetString());
        Assert.Equal(sold.InvestorPassword, account.GetProperty("investorPassword").GetString());
        Assert.Equal(sold.Server, account.GetProperty("server").GetString());
        Assert.Equal("phase_1", account.GetProperty("phase").GetString());
        var stranger = _service.CreateClient(_service.NewUser());
        await Http.GetAsync(stranger, $"orders/{created.OrderId}/account", HttpStatusCode.NotFound);
        await Http.GetAsync(stranger, $"orders/{created.OrderId}", HttpStatusCode.NotFound);
        await Http.GetAsync(_service.CreateClient(), $"orders/{created.OrderId}/account", HttpStatusCode.Unauthorized);

        // Rows: one delivery of the account the owner read, the stock moved, totals once, every IPN accepted.
        var delivery = Assert.Single(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(owner.Id, delivery.UserId);
        Assert.Equal(sold.Login, delivery.Login);
        var rows = await _service.StockAsync(10000, "mt5");
        Assert.Equal(["delivered", "available"], rows.Select(r => r.Status));
        Assert.Equal(created.OrderId, rows[0].ReservedForOrderId);
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        // Every IPN is recorded; those that reached the running workflow were signalled (from confirmed on, the order
        // may already be done: later ones are then recorded by the API as late), and the order shows the last one.
        var webhooks = await _service.WebhooksAsync(created.OrderId);
        Assert.Equal(HappyPath, webhooks.Select(w => w.PaymentStatus));
        Assert.All(webhooks, w => Assert.Equal((200, true), (w.HttpStatus, w.SignatureValid)));
        var accepted = webhooks.TakeWhile(w => w.Outcome == "accepted").Select(w => w.PaymentStatus).ToArray();
        Assert.InRange(accepted.Length, 3, 5);
        Assert.All(webhooks.Skip(accepted.Length), w => Assert.Equal("late", w.Outcome));
        Assert.Equal(("finished", "delivered"), ((await _service.GetOrderAsync(created.OrderId, ownerClient)).PaymentStatus, delivered.DeliveryStatus));
        var payments = await _service.PaymentsAsync(created.OrderId);
        Assert.Equal(HappyPath, payments.Select(p => p.ProviderStatus));
        Assert.All(payments, p => Assert.Equal((payment.PaymentId, "ipn"), (p.PaymentId, p.Source)));

        // Workflow: completed with that delivery, every IPN signalled once, one delivery step, no polling.
        Assert.Equal((OrderStage.Completed, OrderStatus.Completed, DeliveryStatus.Delivered), (result.Stage, result.OrderStatus, result.DeliveryStatus));
        Assert.Equal(delivery.Id, result.DeliveredAccountId);
        var history = await _service.FetchHistoryAsync(created.OrderId);
        Assert.True(history.CompletedSuccessfully());
        Assert.Equal(accepted.Length, history.CountPaymentReports());
        Assert.Equal(1, history.CountActivities("DeliverOrder"));
        Assert.Equal(0, history.CountActivities("CheckPayment"));

        // Logs: the run logged about the order, and none of the secrets it handled.
        Assert.NotEmpty(_service.Logs.LinesContaining(created.OrderId));
        foreach (var secret in new[] { sold.Password, sold.InvestorPassword, _service.NowPaymentsApiKey, _service.IpnSecret, _service.AccountPassword, owner.Token })
        {
            Assert.Empty(_service.Logs.LinesContaining(secret));
        }
    }

    [Fact]
    public async Task PayInvoice_PartiallyPaidThenFinished_ShowsPartialPaymentThenDelivers()
    {
        await _service.ImportInventoryAsync(1, accountSize: 25000, platform: "mt5");
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "two_step", 25000, "mt5", "btc");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        var partial = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.PartiallyPaid);
        var waiting = await _service.WaitForOrderAsync(created.OrderId, paymentStatus: "partially_paid", client: ownerClient);
        using var tooEarly = await ownerClient.GetAsync(new Uri($"orders/{created.OrderId}/account", UriKind.Relative));
        var completion = await _service.Simulator.SetStatusAsync(partial.PaymentId, NowPaymentsStatuses.Finished);
        var delivered = await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);

        Assert.Equal(["waiting", "partially_paid"], partial.Deliveries.Select(d => d.Status));
        Assert.Equal(("awaiting_payment", "pending", "partially_paid"), (waiting.OrderStatus, waiting.DeliveryStatus, waiting.Stage));
        Assert.Null(waiting.PaidAt);
        await Http.ExpectAsync(tooEarly, HttpStatusCode.Conflict);
        Assert.Equal(200, Assert.Single(completion.Deliveries).StatusCode);
        Assert.Equal("finished", delivered.PaymentStatus);
        await Http.GetAsync(ownerClient, $"orders/{created.OrderId}/account", HttpStatusCode.OK);
        Assert.Single(await _service.DeliveredAsync(created.OrderId));
        var payments = await _service.PaymentsAsync(created.OrderId);
        Assert.Equal(["waiting", "partially_paid", "finished"], payments.Select(p => p.ProviderStatus));
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        Assert.Equal(DeliveryStatus.Delivered, result.DeliveryStatus);
    }

    [Fact]
    public async Task PayInvoice_AmountBelowPrice_AmountMismatchRefundRequiredNothingDelivered()
    {
        await _service.ImportInventoryAsync(1, accountSize: 50000, platform: "mt5");
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "two_step", 50000, "mt5", "usdt_bsc");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        var payment = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, amountOverride: created.PriceAmount - 50m);
        var ended = await _service.WaitForOrderAsync(created.OrderId, o => o.DeliveryStatus == "refund_required", client: ownerClient, what: "refund_required");
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);

        Assert.All(payment.Deliveries, d => Assert.Equal(200, d.StatusCode));
        Assert.Equal(("amount_mismatch", "failed", "refund_required"), (ended.PaymentStatus, ended.OrderStatus, ended.Stage));
        Assert.Null(ended.DeliveredAt);
        await Http.GetAsync(ownerClient, $"orders/{created.OrderId}/account", HttpStatusCode.Conflict);
        Assert.Empty(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(["available"], (await _service.StockAsync(50000, "mt5")).Select(s => s.Status));
        Assert.Equal((0, 0m), await _service.TotalsAsync(owner.Id));
        Assert.Contains(await _service.PaymentsAsync(created.OrderId), p => p.EvaluatedStatus == "amount_mismatch");
        Assert.Equal((OrderStage.RefundRequired, PaymentStatus.AmountMismatch, DeliveryStatus.RefundRequired), (result.Stage, result.PaymentStatus, result.DeliveryStatus));
        Assert.Null(result.DeliveredAccountId);
        Assert.Equal(0, (await _service.FetchHistoryAsync(created.OrderId)).CountActivities("DeliverOrder"));
    }

    [Fact]
    public async Task PayInvoice_EveryIpnTenTimes_DeliversOnce()
    {
        await _service.ImportInventoryAsync(2, accountSize: 5000, platform: "mt5");
        var owner = _service.NewUser();
        var created = await _service.CreateOrderAsync(_service.CreateClient(owner), "two_step", 5000, "mt5", "trx");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        var payment = await _service.Simulator.PayInvoiceAsync(invoice.Id, new PayInvoice { Delivery = new IpnDelivery(Duplicates: 9) });
        await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        await _service.WaitForWorkflowResultAsync(created.OrderId);
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);

        Assert.Equal(50, payment.Deliveries.Count);
        Assert.All(payment.Deliveries, d => Assert.Equal(200, d.StatusCode));
        // Per status: the first copy is taken (signalled, or recorded as late once the run is over), the other nine are duplicates.
        var webhooks = await _service.WebhooksAsync(created.OrderId);
        Assert.All(webhooks.GroupBy(w => w.PaymentStatus), copies =>
        {
            Assert.Equal(9, copies.Count(w => w.Outcome == "duplicate"));
            Assert.Single(copies, w => w.Outcome is "accepted" or "late");
        });
        Assert.Equal(5, webhooks.Select(w => w.PaymentStatus).Distinct().Count());
        Assert.Single(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(["delivered", "available"], (await _service.StockAsync(5000, "mt5")).Select(s => s.Status));
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        var history = await _service.FetchHistoryAsync(created.OrderId);
        Assert.Equal(webhooks.Count(w => w.Outcome == "accepted"), history.CountPaymentReports());
        Assert.Equal(1, history.CountActivities("DeliverOrder"));
    }

    [Fact]
    public async Task PayInvoice_IpnsOutOfOrderFinishedFirstThenStaleWaiting_DeliversOnceAndStaysFinished()
    {
        await _service.ImportInventoryAsync(2, accountSize: 100000, platform: "mt5");
        var owner = _service.NewUser();
        var created = await _service.CreateOrderAsync(_service.CreateClient(owner), "two_step", 100000, "mt5", "usdt_polygon");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);

        var payment = await _service.Simulator.PayInvoiceAsync(invoice.Id, new PayInvoice { Delivery = IpnDelivery.OutOfOrder });
        await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        var stale = await _service.Simulator.SendIpnAsync(payment.PaymentId, NowPaymentsStatuses.Waiting);
        var after = await _service.GetOrderAsync(created.OrderId);
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);

        Assert.Equal(["finished", "sending", "confirmed", "confirming", "waiting"], payment.Deliveries.Select(d => d.Status));
        Assert.All(payment.Deliveries, d => Assert.Equal(200, d.StatusCode));
        Assert.Equal(200, Assert.Single(stale).StatusCode);
        Assert.Equal(("completed", "finished", "delivered"), (after.OrderStatus, after.PaymentStatus, after.DeliveryStatus));
        Assert.Single(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(["delivered", "available"], (await _service.StockAsync(100000, "mt5")).Select(s => s.Status));
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        Assert.Equal(PaymentStatus.Finished, result.PaymentStatus);
        Assert.Equal(1, (await _service.FetchHistoryAsync(created.OrderId)).CountActivities("DeliverOrder"));
    }

    [Fact]
    public async Task PayInvoice_RepeatDepositAfterDelivery_NoSecondDelivery()
    {
        await _service.ImportInventoryAsync(2, accountSize: 200000, platform: "mt5");
        var owner = _service.NewUser();
        var created = await _service.CreateOrderAsync(_service.CreateClient(owner), "two_step", 200000, "mt5", "usdt_trc20");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);
        var first = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished);
        await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        await _service.WaitForWorkflowResultAsync(created.OrderId);
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);

        var repeat = await _service.Simulator.PayInvoiceAsync(invoice.Id, new PayInvoice { NewPayment = true });
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);
        var after = await _service.GetOrderAsync(created.OrderId);

        Assert.Equal(first.PaymentId, repeat.ParentPaymentId);
        Assert.All(repeat.Deliveries, d => Assert.Equal(200, d.StatusCode));
        Assert.Equal(("completed", "delivered"), (after.OrderStatus, after.DeliveryStatus));
        Assert.Single(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(["delivered", "available"], (await _service.StockAsync(200000, "mt5")).Select(s => s.Status));
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        var repeatEvents = (await _service.WebhooksAsync(created.OrderId)).Where(w => w.PaymentId == repeat.PaymentId).ToArray();
        Assert.Equal(5, repeatEvents.Length);
        Assert.All(repeatEvents, w => Assert.NotEqual("accepted", w.Outcome));
    }

    [Fact]
    public async Task PayInvoice_RepeatDepositWhileWaitingForStock_DeliversOnceAfterImport()
    {
        var owner = _service.NewUser();
        var created = await _service.CreateOrderAsync(_service.CreateClient(owner), "one_step", 50000, "mt4", "usdt_trc20");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);
        var first = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished);
        await _service.WaitForOrderAsync(created.OrderId, deliveryStatus: "waiting_inventory");

        var repeat = await _service.Simulator.PayInvoiceAsync(invoice.Id, new PayInvoice { NewPayment = true });
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);
        var stillWaiting = await _service.GetOrderAsync(created.OrderId);
        var import = await _service.ImportInventoryAsync(2, accountSize: 50000, platform: "mt4");
        var delivered = await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        await _service.WaitForWorkflowResultAsync(created.OrderId);
        await _service.WaitForIpnsDispatchedAsync(created.OrderId);

        Assert.Equal(first.PaymentId, repeat.ParentPaymentId);
        Assert.All(repeat.Deliveries, d => Assert.Equal(200, d.StatusCode));
        Assert.Equal("waiting_inventory", stillWaiting.DeliveryStatus);
        Assert.Equal(1, import.NotifiedOrders);
        Assert.Equal("finished", delivered.PaymentStatus);
        Assert.Single(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(["delivered", "available"], (await _service.StockAsync(50000, "mt4")).Select(s => s.Status));
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        var repeatEvents = (await _service.WebhooksAsync(created.OrderId)).Where(w => w.PaymentId == repeat.PaymentId).ToArray();
        Assert.Equal(5, repeatEvents.Length);
        Assert.All(repeatEvents, w => Assert.Equal("accepted", w.Outcome)); // the running workflow got them, and ignored them
        Assert.Equal(first.PaymentId, await _service.ScalarAsync<string>("SELECT payment_id FROM orders WHERE order_id = @id", new { id = created.OrderId }));
        var history = await _service.FetchHistoryAsync(created.OrderId);
        Assert.Equal(10, history.CountPaymentReports());
        Assert.Equal(2, history.CountActivities("DeliverOrder")); // out of stock, then delivered after the import
    }
}

using System.Net;
using System.Net.Http.Json;
using FlashFundX.Drills.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using Xunit;
using Xunit.Abstractions;

namespace FlashFundX.Drills.Tests;

/// <summary>
/// Issue 26, the admin's manual payment: a customer pays in full, every IPN is lost on the way (the provider posts them
/// to an address nothing listens on) and no provider login is configured, so the order's run cannot look the invoice's
/// payments up either. An admin marks the order paid through the HTTP API; it is delivered exactly once, and the same
/// request again, after the run has closed, changes nothing.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class LostIpnsManualPaymentDrill(ITestOutputHelper output)
{
    private const string Reference = "bank-statement-2026-12-07-0042";

    [Fact]
    public async Task EveryIpnLost_NoProviderLogin_AdminMarksPaid_DeliveredExactlyOnce_RepeatChangesNothing()
    {
        var log = new DrillLog(output, "lost-ipns-manual-payment");
        await using var service = await FulfillmentService.StartAsync(new()
        {
            DatabaseLabel = "drill_manual_pay",
            PollInitialInterval = TimeSpan.FromSeconds(1),
            Settings =
            {
                // Nothing listens there: the provider's every IPN for the order is dropped before reaching the API.
                ["NowPayments:IpnCallbackUrl"] = "http://127.0.0.1:9/webhooks/nowpayments",
                // No account login: the run's invoice lookup is unavailable.
                ["NowPayments:Email"] = null,
                ["NowPayments:Password"] = null,
            },
        });
        await service.ImportInventoryAsync(1);
        using var customer = service.CreateClient(service.NewUser());
        var order = await service.CreateOrderAsync(customer);
        var orderId = order.OrderId;
        var payment = await service.PayOrderAsync(orderId);
        log.Line($"order {orderId} ({order.PriceAmount} {order.PriceCurrency}) paid in full at the provider as payment {payment.PaymentId}");

        var lost = await Eventually.WaitAsync(
            () => Task.FromResult(service.Simulator.GetIpnDeliveries().Where(d => d.PaymentId == payment.PaymentId).ToArray()),
            deliveries => deliveries.Any(d => d.Status == "finished"),
            TimeSpan.FromSeconds(30), "the provider's IPNs for the payment sent");
        // The run asked for the invoice's payments once (its first lookup is due after a second) and learnt it cannot.
        var progress = await Eventually.WaitAsync(
            () => service.QueryStatusAsync(orderId), p => p.Attempts >= 1, TimeSpan.FromSeconds(30), "the run's first invoice lookup");
        var stuck = await service.GetOrderAsync(orderId);
        log.Count("IPNs the provider sent for the payment", lost.Length);
        log.Count("IPNs that reached the API", lost.Count(d => d.Succeeded), 0);
        log.Count("webhook_events rows", await service.ScalarAsync<long>("SELECT count(*) FROM webhook_events"), 0);
        log.Line($"the order is {stuck.OrderStatus} / payment {stuck.PaymentStatus}; the run made {progress.Attempts} lookup(s), stage {WireName.Of(progress.Stage)}");

        using var marked = await service.AdminClient.PostAsJsonAsync(
            $"/admin/orders/{orderId}/mark-paid", new { reference = Reference, amount = order.PriceAmount, currency = order.PriceCurrency, note = "seen on the bank statement" });
        var markedBody = await marked.Content.ReadAsStringAsync();
        log.Line($"admin mark-paid: {(int)marked.StatusCode}");
        var delivered = await service.WaitForOrderAsync(orderId, orderStatus: "completed", deliveryStatus: "delivered");
        var histories = await HistoryCounts.ReadAsync(service, [orderId], WorkerCrashDrill.HistoryTimeout);
        var ledger = await Ledger.ReadAsync(service.DataSource);
        ledger.Print(log, 1);
        histories.Print(log, 1);
        var events = await service.ScalarAsync<long>("SELECT count(*) FROM order_events WHERE order_id = @orderId", new { orderId });

        using var repeat = await service.AdminClient.PostAsJsonAsync(
            $"/admin/orders/{orderId}/mark-paid", new { reference = Reference, amount = order.PriceAmount, currency = order.PriceCurrency, note = "clicked twice" });
        log.Line($"the same mark-paid again after the run closed: {(int)repeat.StatusCode}");
        var ledgerAfter = await Ledger.ReadAsync(service.DataSource);
        var manualPayments = await service.ScalarAsync<long>("SELECT count(*) FROM manual_payments WHERE order_id = @orderId AND reference = @Reference", new { orderId, Reference });
        var audits = await service.ScalarAsync<long>("SELECT count(*) FROM admin_audit_log WHERE action = 'order.marked_paid' AND target = @orderId", new { orderId });
        var eventsAfter = await service.ScalarAsync<long>("SELECT count(*) FROM order_events WHERE order_id = @orderId", new { orderId });
        log.Count("manual_payments rows", manualPayments, 1);
        log.Count("audit rows order.marked_paid", audits, 1);
        log.Count("order events added by the repeat", eventsAfter - events, 0);

        Assert.NotEmpty(lost);
        Assert.DoesNotContain(lost, d => d.Succeeded);
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM webhook_events"));
        Assert.Equal("awaiting_payment", stuck.OrderStatus);
        Assert.True(marked.StatusCode == HttpStatusCode.OK, markedBody);
        Assert.Equal("delivered", delivered.DeliveryStatus);
        WorkerCrashDrill.AssertDeliveredExactlyOnce(ledger, 1);
        Assert.Equal((1, 1, 1, 0), (histories.Workflows, histories.CompletedSuccessfully, histories.Deliveries, histories.WithRepeatedDelivery));
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(ledger, ledgerAfter);
        Assert.Equal(1L, manualPayments);
        Assert.Equal(1L, audits);
        Assert.Equal(events, eventsAfter);
    }
}

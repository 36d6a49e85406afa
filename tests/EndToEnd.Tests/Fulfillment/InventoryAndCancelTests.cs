using System.Net;
using System.Net.Http.Json;
using FlashFundX.EndToEnd.Tests.Infrastructure;
using FlashFundX.NowPayments;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using Xunit;

namespace FlashFundX.EndToEnd.Tests.Fulfillment;

/// <summary>Paid orders without stock wait for an admin import; unpaid orders can be cancelled by an admin.</summary>
public sealed class InventoryAndCancelTests(IpnServiceFixture fixture) : IClassFixture<IpnServiceFixture>
{
    private readonly FulfillmentService _service = fixture.Service;

    [Fact]
    public async Task PayInvoice_OutOfStock_WaitsForInventoryThenAdminImportDelivers()
    {
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "hft", 100000, "mt4", "bnb");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);
        await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished);

        var waiting = await _service.WaitForOrderAsync(created.OrderId, deliveryStatus: "waiting_inventory");
        using var tooEarly = await ownerClient.GetAsync(new Uri($"orders/{created.OrderId}/account", UriKind.Relative));
        var progress = await _service.QueryStatusAsync(created.OrderId);
        var import = await _service.ImportInventoryAsync(1, accountSize: 100000, platform: "mt4");
        var delivered = await _service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);

        Assert.Equal(("fulfilling", "waiting_inventory"), (waiting.OrderStatus, waiting.Stage));
        Assert.NotNull(waiting.PaidAt);
        await Http.ExpectAsync(tooEarly, HttpStatusCode.Conflict);
        Assert.Equal(OrderStage.WaitingInventory, progress.Stage);
        Assert.Equal((1, 0, 1), (import.Imported, import.Skipped, import.NotifiedOrders));
        Assert.Equal("finished", delivered.PaymentStatus);
        var account = await Http.GetAsync(ownerClient, $"orders/{created.OrderId}/account", HttpStatusCode.OK);
        Assert.Equal(import.Accounts[0].Login, account.GetProperty("login").GetString());
        Assert.Equal("challenge", account.GetProperty("phase").GetString());
        Assert.Single(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(["delivered"], (await _service.StockAsync(100000, "mt4")).Select(s => s.Status));
        Assert.Equal((1, created.PriceAmount), await _service.TotalsAsync(owner.Id));
        Assert.Equal(DeliveryStatus.Delivered, result.DeliveryStatus);
        var history = await _service.FetchHistoryAsync(created.OrderId);
        Assert.Equal(1, history.CountSignals("InventoryRestocked"));
        Assert.Equal(2, history.CountActivities("DeliverOrder"));
    }

    [Fact]
    public async Task CancelOrder_UnpaidByAdmin_CancelledAndNeverDelivered()
    {
        await _service.ImportInventoryAsync(1, accountSize: 5000, platform: "mt4");
        var owner = _service.NewUser();
        var ownerClient = _service.CreateClient(owner);
        var created = await _service.CreateOrderAsync(ownerClient, "instant", 5000, "mt4", "usdt_trc20");
        var invoice = await _service.WaitForInvoiceAsync(created.OrderId);
        await _service.WaitForOrderAsync(created.OrderId, orderStatus: "awaiting_payment");

        using var cancel = await _service.AdminClient.PostAsJsonAsync($"admin/orders/{created.OrderId}/cancel", new { reason = "customer asked by e-mail" });
        var cancelled = await _service.WaitForOrderAsync(created.OrderId, orderStatus: "cancelled", client: ownerClient);
        var result = await _service.WaitForWorkflowResultAsync(created.OrderId);
        var late = await _service.Simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished);
        using var again = await _service.AdminClient.PostAsJsonAsync($"admin/orders/{created.OrderId}/cancel", new { reason = "twice" });

        await Http.ExpectAsync(cancel, HttpStatusCode.Accepted);
        Assert.Equal(("cancelled", "pending"), (cancelled.Stage, cancelled.DeliveryStatus));
        Assert.Equal((OrderStage.Cancelled, OrderStatus.Cancelled), (result.Stage, result.OrderStatus));
        Assert.All(late.Deliveries, d => Assert.Equal(200, d.StatusCode));
        await Http.ExpectAsync(again, HttpStatusCode.Conflict);
        Assert.Equal("cancelled", (await _service.GetOrderAsync(created.OrderId)).OrderStatus);
        Assert.Empty(await _service.DeliveredAsync(created.OrderId));
        Assert.Equal(["available"], (await _service.StockAsync(5000, "mt4")).Select(s => s.Status));
        Assert.Equal((0, 0m), await _service.TotalsAsync(owner.Id));
        // The refused second cancel changed nothing, so only the first is audited.
        Assert.Equal(1L, await _service.ScalarAsync<long>(
            "SELECT count(*) FROM admin_audit_log WHERE admin_user_id = @id AND target = @orderId", new { id = _service.Admin.Id, orderId = created.OrderId }));
        Assert.Equal(1, (await _service.FetchHistoryAsync(created.OrderId)).CountSignals("Cancel"));
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Admin;

/// <summary>
/// <c>POST /admin/orders/{orderId}/mark-paid</c> and <c>/refunded</c>: through the order's workflow, idempotent per
/// reference, 409 when the order's state does not allow it, an audit row only when something changed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AdminOrderToolsTests() : ApiTestBase("admintools", worker: true)
{
    private static readonly string[] PaidStatuses = ["paid", "fulfilling", "completed"];
    private static int _paymentIds = 8_100_000;

    [Fact]
    public async Task MarkPaid_PriceMatches_OrderPaidAndDelivered_RepeatChangesNothing_OtherReference409()
    {
        await Service.ImportInventoryAsync(1, prefix: "mp");
        using var owner = Service.CreateClient(Service.NewUser());
        var (orderId, price) = await CreateAwaitingPaymentAsync(owner);
        var body = new { reference = "wire-2026-12-07-001", amount = price, currency = "usd", note = "seen on the bank statement" };

        using var marked = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/mark-paid", body);

        Assert.True(marked.StatusCode == HttpStatusCode.OK, await marked.Content.ReadAsStringAsync());
        var order = await Json.ReadAsync(marked);
        Assert.Contains(order.GetProperty("orderStatus").GetString(), PaidStatuses);
        Assert.NotEqual(JsonValueKind.Null, order.GetProperty("paidAt").ValueKind);
        await OrderSteps.WaitForAsync(owner, orderId, "deliveryStatus", "delivered");
        var detail = await Service.AdminClient.GetFromJsonAsync<JsonElement>($"/admin/orders/{orderId}");
        var manual = detail.GetProperty("manualPayment");
        Assert.Equal("wire-2026-12-07-001", manual.GetProperty("reference").GetString());
        Assert.Equal(Service.Admin.Id, manual.GetProperty("adminUserId").GetGuid());
        Assert.Equal(1L, await AuditRowsAsync("order.marked_paid", orderId));

        using var repeat = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/mark-paid", body);
        using var other = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/mark-paid", body with { reference = "wire-2" } );

        Assert.True(repeat.StatusCode == HttpStatusCode.OK, await repeat.Content.ReadAsStringAsync());
        Assert.Equal("completed", (await Json.ReadAsync(repeat)).GetProperty("orderStatus").GetString());
        var conflict = await ProblemAssert.IsProblemAsync(other, HttpStatusCode.Conflict);
        Assert.Contains("wire-2026-12-07-001", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1L, await AuditRowsAsync("order.marked_paid", orderId));
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM manual_payments WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
    }

    [Theory]
    [InlineData("0.01", "usd")]
    [InlineData("0", "eur")]
    public async Task MarkPaid_AmountOrCurrencyNotThePrice_409_NothingWritten(string amountOffset, string currency)
    {
        using var owner = Service.CreateClient(Service.NewUser());
        var (orderId, price) = await CreateAwaitingPaymentAsync(owner);
        var amount = price + decimal.Parse(amountOffset, CultureInfo.InvariantCulture);

        using var response = await Service.AdminClient.PostAsJsonAsync(
            $"/admin/orders/{orderId}/mark-paid", new { reference = "wire-x", amount, currency, note = (string?)null });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("not the price", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await Service.ScalarAsync<long>("SELECT count(*) FROM manual_payments WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(0L, await AuditRowsAsync("order.marked_paid", orderId));
        Assert.Equal("awaiting_payment", (await OrderSteps.GetAsync(owner, orderId)).GetProperty("orderStatus").GetString());
    }

    [Fact]
    public async Task MarkPaid_CancelledOrder_409_UnknownOrder_404_BadBody_400()
    {
        using var owner = Service.CreateClient(Service.NewUser());
        var (orderId, price) = await CreateAwaitingPaymentAsync(owner);
        using var cancel = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/cancel", new { reason = "test" });
        await OrderSteps.WaitForAsync(owner, orderId, "orderStatus", "cancelled");
        var body = new { reference = "wire-late", amount = price, currency = "usd" };

        using var closed = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/mark-paid", body);
        using var unknown = await Service.AdminClient.PostAsJsonAsync("/admin/orders/FFX000000001/mark-paid", body);
        using var noReference = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/mark-paid", new { amount = price, currency = "usd" });

        await ProblemAssert.IsProblemAsync(closed, HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(noReference, HttpStatusCode.BadRequest, "reference");
        Assert.Equal(0L, await AuditRowsAsync("order.marked_paid", orderId));
    }

    [Fact]
    public async Task Refunded_RefundRequiredOrderWithClosedRun_BecomesRefunded_ThroughANewRun_Idempotent_Audited()
    {
        using var owner = Service.CreateClient(Service.NewUser());
        var orderId = await CreateRefundRequiredAsync(owner);
        var body = new { reference = "refund-tx-0x5f2c", note = "sent back in USDT" };

        using var refunded = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/refunded", body);

        Assert.True(refunded.StatusCode == HttpStatusCode.OK, await refunded.Content.ReadAsStringAsync());
        var order = await Json.ReadAsync(refunded);
        Assert.Equal("refunded", order.GetProperty("orderStatus").GetString());
        Assert.Equal("refunded", order.GetProperty("stage").GetString());
        Assert.Equal("refunded", order.GetProperty("deliveryStatus").GetString());
        Assert.Equal(2, await RunCountAsync(orderId));
        var detail = await Service.AdminClient.GetFromJsonAsync<JsonElement>($"/admin/orders/{orderId}");
        Assert.Equal("refund-tx-0x5f2c", detail.GetProperty("refund").GetProperty("reference").GetString());
        Assert.Equal(Service.Admin.Id, detail.GetProperty("refund").GetProperty("adminUserId").GetGuid());
        Assert.Contains(detail.GetProperty("orderEvents").EnumerateArray(), e => e.GetProperty("orderStatus").GetString() == "refunded");
        Assert.Equal(1L, await AuditRowsAsync("order.refunded", orderId));

        using var repeat = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/refunded", body);
        using var other = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/refunded", body with { reference = "refund-2" });

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.Conflict);
        Assert.Equal(1L, await AuditRowsAsync("order.refunded", orderId));
        Assert.Equal(2, await RunCountAsync(orderId));
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM order_refunds WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task Refunded_OrderNotRefundRequired_409_NothingWritten()
    {
        using var owner = Service.CreateClient(Service.NewUser());
        var (orderId, _) = await CreateAwaitingPaymentAsync(owner);

        using var response = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/refunded", new { reference = "refund-x" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("not refund_required", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await AuditRowsAsync("order.refunded", orderId));
        Assert.Equal(0L, await Service.ScalarAsync<long>("SELECT count(*) FROM order_refunds WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task EveryAdminOrderTool_Anonymous401_Customer403_NothingWritten()
    {
        using var owner = Service.CreateClient(Service.NewUser());
        var (orderId, price) = await CreateAwaitingPaymentAsync(owner);
        using var anonymous = Service.CreateClient((string?)null);
        var requests = new Func<HttpRequestMessage>[]
        {
            () => new HttpRequestMessage(HttpMethod.Get, "/admin/orders"),
            () => new HttpRequestMessage(HttpMethod.Get, $"/admin/orders/{orderId}"),
            () => new HttpRequestMessage(HttpMethod.Post, $"/admin/orders/{orderId}/mark-paid") { Content = JsonContent.Create(new { reference = "r", amount = price, currency = "usd" }) },
            () => new HttpRequestMessage(HttpMethod.Post, $"/admin/orders/{orderId}/refunded") { Content = JsonContent.Create(new { reference = "r" }) },
        };

        foreach (var request in requests)
        {
            using var byOwner = await owner.SendAsync(request());
            using var byAnonymous = await anonymous.SendAsync(request());
            await ProblemAssert.IsProblemAsync(byOwner, HttpStatusCode.Forbidden);
            await ProblemAssert.IsProblemAsync(byAnonymous, HttpStatusCode.Unauthorized);
        }
        Assert.Equal(0L, await Service.ScalarAsync<long>("SELECT count(*) FROM admin_audit_log WHERE target = @orderId", new { orderId }));
        Assert.Equal("awaiting_payment", (await OrderSteps.GetAsync(owner, orderId)).GetProperty("orderStatus").GetString());
    }

    private static async Task<(string OrderId, decimal Price)> CreateAwaitingPaymentAsync(HttpClient owner)
    {
        var created = await OrderSteps.CreateAsync(owner);
        var orderId = created.GetProperty("orderId").GetString()!;
        await OrderSteps.WaitForAsync(owner, orderId, "orderStatus", "awaiting_payment");
        return (orderId, created.GetProperty("priceAmount").GetDecimal());
    }

    /// <summary>Paid (no stock, so it waits), then cancelled by an admin: refund_required, and its run closes.</summary>
    private async Task<string> CreateRefundRequiredAsync(HttpClient owner)
    {
        var (orderId, price) = await CreateAwaitingPaymentAsync(owner);
        var paymentId = Interlocked.Increment(ref _paymentIds).ToString(CultureInfo.InvariantCulture);
        using var provider = Service.CreateClient((string?)null);
        using (var ipn = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, "finished", price), Service.IpnSecret)))
        {
            Assert.True(ipn.StatusCode == HttpStatusCode.OK, await ipn.Content.ReadAsStringAsync());
        }
        await OrderSteps.WaitForAsync(owner, orderId, "deliveryStatus", "waiting_inventory");
        using (var cancel = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/cancel", new { reason = "customer changed their mind" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }
        await OrderSteps.WaitForAsync(owner, orderId, "deliveryStatus", "refund_required");
        await Service.WaitForWorkflowResultAsync(orderId);
        return orderId;
    }

    private Task<long> AuditRowsAsync(string action, string orderId) =>
        Service.ScalarAsync<long>("SELECT count(*) FROM admin_audit_log WHERE action = @action AND target = @orderId", new { action, orderId });

    private async Task<int> RunCountAsync(string orderId)
    {
        var runs = 0;
        await foreach (var _ in Temporal.ListWorkflowsAsync($"WorkflowId = '{FlashFundX.Workflows.Domain.OrderIds.WorkflowId(orderId)}'"))
        {
            runs++;
        }
        return runs;
    }
}

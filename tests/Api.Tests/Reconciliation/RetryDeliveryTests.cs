using System.Globalization;
using System.Net;
using System.Text.Json;
using FlashFundX.Api.Admin;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.Api.Tests.Reconciliation;

/// <summary>
/// <c>POST /admin/orders/{orderId}/retry-delivery</c>: a running order waiting for stock is signalled; a paid order whose
/// run stopped undelivered gets a new run from its recorded state; anything else is refused (409) and not audited.
/// The inventory re-check timer is left at its default (10 min), so only the retry can make a waiting order deliver here.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RetryDeliveryTests() : ApiTestBase("retry", worker: true, configure: options =>
{
    // Orders of this class are never old enough for the reconciler: only the admin's retry acts on them.
    options.Settings["Reconciler:MinOrderAge"] = "1.00:00:00";
})
{
    private static int _paymentIds = 8_200_000;

    [Fact]
    public async Task WaitingForStock_RunningRun_SignalledAndDelivered_Audited()
    {
        var order = await PaidOrderWaitingForStockAsync(Identities.UserA, platform: "mt5");
        await StockWithoutRestockSignalAsync(accountSize: 10000, platform: "mt5");

        using var response = await Service.AdminClient.PostAsync($"/admin/orders/{order.OrderId}/retry-delivery", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(AdminRetryDeliveryApi.RestockSignalled, body.GetProperty("action").GetString());
        await Service.WaitForOrderAsync(order.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        Assert.Equal(1L, await AuditRowsAsync(order.OrderId));
        Assert.Equal(AdminRetryDeliveryApi.RestockSignalled, await Service.ScalarAsync<string>(
            "SELECT details->>'action' FROM admin_audit_log WHERE target = @Id AND action = @Action",
            new { Id = order.OrderId, Action = AdminActions.OrderDeliveryRetried }));
    }

    [Fact]
    public async Task PaidOrderStoppedAtDelivery_RunClosed_RestartedFromRecordedState_DeliveredOnce()
    {
        var order = await PaidOrderWaitingForStockAsync(Identities.UserB, platform: "mt4");
        var stopped = await Service.Workflow(order.OrderId).DescribeAsync();
        // What a run whose delivery retries ran out leaves behind: the run closed, the order refund_required.
        await Service.Workflow(order.OrderId).TerminateAsync("delivery retries ran out (simulated)");
        await Service.ScalarAsync<int>("""
            UPDATE orders SET stage = 'refund_required', order_status = 'failed', delivery_status = 'refund_required',
                              status_note = 'Stopped at delivering: DatabaseUnavailable'
             WHERE order_id = @Id
            """, new { Id = order.OrderId });
        await StockWithoutRestockSignalAsync(accountSize: 10000, platform: "mt4");

        using var response = await Service.AdminClient.PostAsync($"/admin/orders/{order.OrderId}/retry-delivery", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(AdminRetryDeliveryApi.Restarted, (await Json.ReadAsync(response)).GetProperty("action").GetString());
        await Service.WaitForOrderAsync(order.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        Assert.NotEqual(stopped.RunId, (await Service.Workflow(order.OrderId).DescribeAsync()).RunId);
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts WHERE order_id = @Id", new { Id = order.OrderId }));
        Assert.Equal(1L, await AuditRowsAsync(order.OrderId));

        using var again = await Service.AdminClient.PostAsync($"/admin/orders/{order.OrderId}/retry-delivery", null);

        var problem = await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("delivered", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1L, await AuditRowsAsync(order.OrderId));
    }

    [Fact]
    public async Task OpenOrder_RunClosedNotYetFlagged_409_NotRestarted_NothingAudited()
    {
        var order = await PaidOrderWaitingForStockAsync(Identities.UserB, platform: "mt5");
        await Service.Workflow(order.OrderId).TerminateAsync("closed behind the order's back (simulated)");
        var closed = await Service.Workflow(order.OrderId).DescribeAsync();

        using var response = await Service.AdminClient.PostAsync($"/admin/orders/{order.OrderId}/retry-delivery", null);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("flagged for review", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(closed.RunId, (await Service.Workflow(order.OrderId).DescribeAsync()).RunId);
        Assert.Equal(0L, await AuditRowsAsync(order.OrderId));
    }

    [Fact]
    public async Task UnpaidRunningOrder_409_UnknownOrder_404_NothingAudited()
    {
        using var customer = Service.CreateClient(Identities.UserA);
        var order = await Service.CreateOrderAsync(customer, "two_step", 10000, "mt5", "usdt_trc20");

        using var unpaid = await Service.AdminClient.PostAsync($"/admin/orders/{order.OrderId}/retry-delivery", null);
        using var unknown = await Service.AdminClient.PostAsync("/admin/orders/FFX000000000/retry-delivery", null);

        var problem = await ProblemAssert.IsProblemAsync(unpaid, HttpStatusCode.Conflict);
        Assert.Contains("not paid", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Equal(0L, await AuditRowsAsync(order.OrderId));
        Assert.Equal(0L, await AuditRowsAsync("FFX000000000"));
        Assert.Equal("awaiting_payment", (await Service.GetOrderAsync(order.OrderId)).OrderStatus);
    }

    [Fact]
    public async Task Customer403_Anonymous401_NothingAudited()
    {
        using var owner = Service.CreateClient(Identities.UserA);
        using var anonymous = Service.CreateClient();
        var order = await Service.CreateOrderAsync(owner, "two_step", 10000, "mt5", "usdt_trc20");

        using var byOwner = await owner.PostAsync($"/admin/orders/{order.OrderId}/retry-delivery", null);
        using var byAnonymous = await anonymous.PostAsync($"/admin/orders/{order.OrderId}/retry-delivery", null);

        await ProblemAssert.IsProblemAsync(byOwner, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(byAnonymous, HttpStatusCode.Unauthorized);
        Assert.Equal(0L, await AuditRowsAsync(order.OrderId));
    }

    /// <summary>
    /// Stock for the size and platform without the restock signal an import sends: imported as another size, then moved
    /// to this one in the database.
    /// </summary>
    private async Task StockWithoutRestockSignalAsync(int accountSize, string platform)
    {
        var import = await Service.ImportInventoryAsync(1, accountSize: 5000, platform: "mt4", prefix: $"quiet-{Guid.NewGuid():N}"[..16]);
        await Service.ScalarAsync<int>(
            "UPDATE account_container SET account_size = @Size, platform = @Platform WHERE login = @Login",
            new { Size = accountSize, Platform = platform, Login = import.Accounts[0].Login });
    }

    /// <summary>A two_step 10000 order of <paramref name="token"/>'s user, paid by IPN, waiting for stock that is not there.</summary>
    private async Task<OrderSnapshot> PaidOrderWaitingForStockAsync(string token, string platform)
    {
        using var customer = Service.CreateClient(token);
        var order = await Service.CreateOrderAsync(customer, "two_step", 10000, platform, "usdt_trc20");
        await PayByIpnAsync(order);
        await Service.WaitForOrderAsync(order.OrderId, deliveryStatus: "waiting_inventory");
        return order;
    }

    private async Task PayByIpnAsync(OrderSnapshot order)
    {
        using var provider = Service.CreateClient();
        var paymentId = Interlocked.Increment(ref _paymentIds).ToString(CultureInfo.InvariantCulture);
        using var response = await provider.SendAsync(IpnBuilder.SignedRequest(
            IpnBuilder.Body(order.OrderId, paymentId, "finished", order.PriceAmount), Service.IpnSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<long> AuditRowsAsync(string orderId) =>
        Service.ScalarAsync<long>("SELECT count(*) FROM admin_audit_log WHERE target = @Id AND action = @Action",
            new { Id = orderId, Action = AdminActions.OrderDeliveryRetried });
}

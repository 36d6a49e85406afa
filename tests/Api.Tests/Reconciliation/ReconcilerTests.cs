using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FlashFundX.Api.Admin;
using FlashFundX.Api.Reconciliation;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Api.Enums.V1;
using Xunit;

namespace FlashFundX.Api.Tests.Reconciliation;

/// <summary>
/// The reconciler (src/Api/Reconciliation) against the real embedded Temporal server and PostgreSQL: a run an operator
/// terminated and a database restored behind Temporal are flagged, never restarted; an order whose run Temporal does not
/// have is started again from its recorded state. Orders are made visible to it by ageing them past
/// <c>Reconciler:MinOrderAge</c>, so each test decides when the reconciler may look at its orders.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReconcilerTests() : ApiTestBase("reconciler", worker: true, configure: options =>
{
    options.PollInitialInterval = TimeSpan.FromSeconds(1);
    options.Settings["Reconciler:Interval"] = "00:00:00.500";
    options.Settings["Reconciler:MinOrderAge"] = "01:00:00";
})
{
    private static int _paymentIds = 8_100_000;

    [Fact]
    public async Task TerminatedRun_OpenOrder_IsFlaggedForAdmins_Counted_NotRestarted()
    {
        using var metric = new ReconcilerMetric(Service.Services);
        using var customer = Service.CreateClient(Identities.UserA);
        var order = await Service.CreateOrderAsync(customer, "two_step", 10000, "mt5", "usdt_trc20");
        var terminated = await Service.Workflow(order.OrderId).DescribeAsync();
        await Service.Workflow(order.OrderId).TerminateAsync("operator cleaning up");

        await AgeAsync(order.OrderId);
        var flagged = await WaitForAttentionAsync(order.OrderId);
        await WaitForFullPassAsync();

        Assert.Equal("run_terminated", flagged.GetProperty("reason").GetString());
        Assert.Equal(1, metric.Count(OrderReconciler.Flagged, "run_terminated"));
        var latest = await Service.Workflow(order.OrderId).DescribeAsync();
        Assert.Equal(terminated.RunId, latest.RunId);
        Assert.Equal(WorkflowExecutionStatus.Terminated, latest.Status);
        var seenByCustomer = await OrderSteps.GetAsync(customer, order.OrderId);
        Assert.False(seenByCustomer.TryGetProperty("attention", out _));
        Assert.Equal("awaiting_payment", seenByCustomer.GetProperty("orderStatus").GetString());
        Assert.Contains(Service.Logs.LinesContaining(order.OrderId), line => line.Contains("run_terminated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DatabaseRestoredBehindTemporal_CompletedOrdersRolledBack_FlaggedNeverDeliveredTwice()
    {
        using var metric = new ReconcilerMetric(Service.Services);
        await Service.ImportInventoryAsync(2, accountSize: 10000, platform: "mt4", prefix: "restore");
        using var customer = Service.CreateClient(Identities.UserB);
        var orders = new List<OrderSnapshot>();
        for (var i = 0; i < 2; i++)
        {
            var order = await Service.CreateOrderAsync(customer, "two_step", 10000, "mt4", "usdt_trc20");
            // Paid at the provider; the run finds it by looking the invoice up (these tests' IPNs go nowhere).
            await Service.PayOrderAsync(order.OrderId, delivery: NowPayments.Simulator.IpnDelivery.Suppressed);
            await Service.WaitForOrderAsync(order.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
            await Service.WaitForWorkflowResultAsync(order.OrderId);
            orders.Add(order);
        }
        var runs = new Dictionary<string, string>();
        foreach (var order in orders)
        {
            runs[order.OrderId] = (await Service.Workflow(order.OrderId).DescribeAsync()).RunId;
        }

        // The restore: the rows are back to before the payment, Temporal still has the completed runs.
        await Service.ScalarAsync<int>("""
            UPDATE orders SET order_status = 'awaiting_payment', stage = 'awaiting_payment', payment_status = 'waiting',
                              delivery_status = 'pending', payment_id = NULL, actually_paid = NULL, paid_at = NULL, delivered_at = NULL
             WHERE order_id = ANY(@Ids)
            """, new { Ids = orders.Select(o => o.OrderId).ToArray() });
        foreach (var order in orders)
        {
            await AgeAsync(order.OrderId);
        }
        foreach (var order in orders)
        {
            Assert.Equal("run_completed", (await WaitForAttentionAsync(order.OrderId)).GetProperty("reason").GetString());
        }
        await WaitForFullPassAsync();

        Assert.Equal(2, metric.Count(OrderReconciler.Flagged, "run_completed"));
        Assert.Equal(0, metric.Count(OrderReconciler.Restarted, OrderReconciler.RunMissing));
        foreach (var order in orders)
        {
            Assert.Equal(runs[order.OrderId], (await Service.Workflow(order.OrderId).DescribeAsync()).RunId);
            Assert.Equal("awaiting_payment", (await Service.GetOrderAsync(order.OrderId)).OrderStatus);
        }
        Assert.Equal(2L, await DeliveredAccountsAsync(orders));

        // The operator's retry restarts the order from its recorded state: the new run finds the payment at the provider
        // again, and the account the order holds is answered, not a second one.
        using var retry = await Service.AdminClient.PostAsync($"/admin/orders/{orders[0].OrderId}/retry-delivery", null);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(AdminRetryDeliveryApi.Restarted, (await Json.ReadAsync(retry)).GetProperty("action").GetString());
        var redone = await Service.WaitForOrderAsync(orders[0].OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        Assert.False(redone.Json.TryGetProperty("attention", out _));
        Assert.Equal(2L, await DeliveredAccountsAsync(orders));
        Assert.Equal(2, await Service.ScalarAsync<int>("SELECT total_orders FROM users WHERE id = @Id", new { Id = Identities.UserBId }));
    }

    [Fact]
    public async Task RunMissing_OrderRestartedFromRecordedState_StoredIpnDispatched_StillPayable_ExpiresAtOriginalDeadline()
    {
        using var metric = new ReconcilerMetric(Service.Services);
        await Service.ImportInventoryAsync(2, accountSize: 10000, platform: "mt5", prefix: "missing");
        var user = Service.NewUser();
        using (var customer = Service.CreateClient(user))
        {
            (await customer.GetAsync("/me")).Dispose(); // the first request creates the user's row
        }
        var paidByStoredIpn = await InsertOrderWithoutRunAsync(user.Id, deadlineIn: TimeSpan.FromHours(1));
        var paidLater = await InsertOrderWithoutRunAsync(user.Id, deadlineIn: TimeSpan.FromHours(1));
        var unpaid = await InsertOrderWithoutRunAsync(user.Id, deadlineIn: TimeSpan.FromSeconds(6));

        // An IPN arrives while the order has no run: stored, but nothing can act on it.
        var price = await Service.ScalarAsync<decimal>("SELECT price_amount FROM orders WHERE order_id = @Id", new { Id = paidByStoredIpn });
        using (var provider = Service.CreateClient())
        using (var ipn = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(paidByStoredIpn, NextPaymentId(), "finished", price), Service.IpnSecret)))
        {
            Assert.Equal(HttpStatusCode.OK, ipn.StatusCode);
        }
        await Eventually.WaitAsync(
            () => Service.ScalarAsync<string?>("SELECT outcome FROM webhook_events WHERE order_id = @Id", new { Id = paidByStoredIpn }),
            outcome => outcome == "orphaned",
            what: "the IPN of an order without a run stored as orphaned");
        var recordedDeadline = await Service.ScalarAsync<DateTime>("SELECT payment_deadline FROM orders WHERE order_id = @Id", new { Id = unpaid });

        foreach (var orderId in new[] { paidByStoredIpn, paidLater, unpaid })
        {
            await AgeAsync(orderId);
        }

        await Service.WaitForOrderAsync(paidByStoredIpn, orderStatus: "completed", deliveryStatus: "delivered");
        var status = await Eventually.WaitAsync(() => Service.QueryStatusAsync(unpaid), s => s.InvoiceId is not null, what: "the restarted unpaid order's invoice");
        Assert.Equal(recordedDeadline, status.PaymentDeadline!.Value.ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        await Service.WaitForInvoiceAsync(paidLater);
        await Service.PayOrderAsync(paidLater, delivery: NowPayments.Simulator.IpnDelivery.Suppressed);
        await Service.WaitForOrderAsync(paidLater, orderStatus: "completed", deliveryStatus: "delivered");
        await Service.WaitForOrderAsync(unpaid, orderStatus: "expired");

        Assert.Equal(3, metric.Count(OrderReconciler.Restarted, OrderReconciler.RunMissing));
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts WHERE order_id = @Id", new { Id = paidByStoredIpn }));
        Assert.Equal("accepted", await Service.ScalarAsync<string>("SELECT outcome FROM webhook_events WHERE order_id = @Id", new { Id = paidByStoredIpn }));
        var expiredAt = await Service.ScalarAsync<DateTime>(
            "SELECT created_at FROM order_events WHERE order_id = @Id AND order_status = 'expired' ORDER BY id LIMIT 1", new { Id = unpaid });
        Assert.True(expiredAt >= recordedDeadline, $"expired at {expiredAt:o}, before its deadline {recordedDeadline:o}");
    }

    [Fact]
    public async Task Readiness_ReportsReconcilerHealthy_AfterAPass()
    {
        using var anonymous = Service.CreateClient();

        var check = await Eventually.WaitAsync(async () =>
        {
            using var ready = await anonymous.GetAsync("/health/ready");
            var report = await Json.ReadAsync(ready);
            return report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "reconciler").Clone();
        }, c => c.GetProperty("description").GetString()!.StartsWith("Last reconciler pass completed", StringComparison.Ordinal), what: "a completed reconciler pass");

        Assert.Equal("healthy", check.GetProperty("status").GetString());
    }

    /// <summary>An order row as <c>POST /orders</c> inserts it, whose workflow was never started (Temporal lost it).</summary>
    private async Task<string> InsertOrderWithoutRunAsync(Guid userId, TimeSpan deadlineIn)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        var orderId = await connection.QuerySingleAsync<string>("""
            SELECT order_id FROM create_order(@User, NULL,
                (SELECT id FROM trading_rules WHERE account_type = 'two_step' AND account_size = 10000 AND is_active), 'mt5', 'usdt_trc20')
            """, new { User = userId });
        await connection.ExecuteAsync("UPDATE orders SET payment_deadline = now() + @In WHERE order_id = @Id", new { In = deadlineIn, Id = orderId });
        return orderId;
    }

    /// <summary>Makes the order old enough for the reconciler (<c>Reconciler:MinOrderAge</c>).</summary>
    private async Task AgeAsync(string orderId) =>
        await Service.ScalarAsync<int>("UPDATE orders SET created_at = created_at - interval '2 hours' WHERE order_id = @Id", new { Id = orderId });

    private async Task<JsonElement> WaitForAttentionAsync(string orderId)
    {
        var order = await Service.WaitForOrderAsync(orderId, o => o.Json.TryGetProperty("attention", out _), what: "flagged for an operator");
        return order.Json.GetProperty("attention");
    }

    /// <summary>Waits until a pass that started after this call has completed.</summary>
    private async Task WaitForFullPassAsync()
    {
        var status = Service.Services.GetRequiredService<ReconcilerStatus>();
        var now = DateTimeOffset.UtcNow;
        var first = await Eventually.WaitAsync(() => Task.FromResult(status.LastCompleted), c => c > now, what: "a reconciler pass completed");
        await Eventually.WaitAsync(() => Task.FromResult(status.LastCompleted), c => c > first, what: "a whole reconciler pass completed");
    }

    private Task<long> DeliveredAccountsAsync(IEnumerable<OrderSnapshot> orders) =>
        Service.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts WHERE order_id = ANY(@Ids)", new { Ids = orders.Select(o => o.OrderId).ToArray() });

    private static string NextPaymentId() => Interlocked.Increment(ref _paymentIds).ToString(CultureInfo.InvariantCulture);
}

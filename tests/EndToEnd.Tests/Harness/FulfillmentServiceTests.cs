using FlashFundX.EndToEnd.Tests.Infrastructure;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using Serilog.Events;
using Xunit;

namespace FlashFundX.EndToEnd.Tests.Harness;

/// <summary>The harness itself: instances are isolated, settings take effect, logs are captured, workers can run outside the API.</summary>
public sealed class FulfillmentServiceTests
{
    [Fact]
    public async Task StartAsync_TwoInstancesInParallel_EachUsesItsOwnTaskQueueDatabaseCallbackAndLogs()
    {
        var starting = new[] { FulfillmentService.StartAsync(new() { DatabaseLabel = "e2e_iso_a" }), FulfillmentService.StartAsync(new() { DatabaseLabel = "e2e_iso_b" }) };
        var started = await Task.WhenAll(starting);
        await using var a = started[0];
        await using var b = started[1];

        var orders = await Task.WhenAll(PayAndDeliverAsync(a), PayAndDeliverAsync(b));

        Assert.NotEqual(a.TaskQueue, b.TaskQueue);
        Assert.NotEqual(a.Database.Name, b.Database.Name);
        Assert.NotEqual(a.BaseAddress, b.BaseAddress);
        foreach (var (service, other, orderId) in new[] { (a, b, orders[0]), (b, a, orders[1]) })
        {
            var description = await service.Workflow(orderId).DescribeAsync();
            Assert.Equal(service.TaskQueue, description.TaskQueue);
            Assert.Equal(new Uri(service.BaseAddress, "webhooks/nowpayments").ToString(), service.Simulator.GetInvoiceByOrderId(orderId)!.IpnCallbackUrl);
            Assert.Null(other.Simulator.GetInvoiceByOrderId(orderId));
            Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM orders WHERE order_id = @orderId", new { orderId }));
            Assert.Equal(0L, await other.ScalarAsync<long>("SELECT count(*) FROM orders WHERE order_id = @orderId", new { orderId }));
            Assert.Contains(service.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Order {OrderId} created", StringComparison.Ordinal) && Mentions(e, orderId));
            Assert.DoesNotContain(other.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Order {OrderId} created", StringComparison.Ordinal) && Mentions(e, orderId));
            // Workflow and activity logs of the in-process worker reach the capture too.
            Assert.Contains(service.Logs.Events, e => e.Properties.ContainsKey("WorkflowId") && Mentions(e, orderId));
        }
    }

    [Fact]
    public async Task StartAsync_WithoutInProcessWorker_OrdersWaitUntilAWorkerServesTheTaskQueue()
    {
        await using var service = await FulfillmentService.StartAsync(new() { InProcessWorker = false, DatabaseLabel = "e2e_noworker" });
        await service.ImportInventoryAsync(1, accountSize: 10000, platform: "mt5");
        var owner = service.NewUser();
        var created = await service.CreateOrderAsync(service.CreateClient(owner));
        var beforeWorker = await service.GetOrderAsync(created.OrderId);
        var pendingHistory = await service.FetchHistoryAsync(created.OrderId);

        await service.StartWorkerAsync();
        await service.PayOrderAsync(created.OrderId);
        var delivered = await service.WaitForOrderAsync(created.OrderId, orderStatus: "completed", deliveryStatus: "delivered");

        Assert.Equal(("created", null), (beforeWorker.OrderStatus, beforeWorker.InvoiceId));
        Assert.DoesNotContain(pendingHistory.Events, e => e.EventType == Temporalio.Api.Enums.V1.EventType.WorkflowTaskStarted);
        Assert.Equal(service.TaskQueue, (await service.Workflow(created.OrderId).DescribeAsync()).TaskQueue);
        Assert.NotNull(delivered.InvoiceId);
        Assert.Single(await service.DeliveredAsync(created.OrderId));
        var environment = service.WorkerEnvironment();
        Assert.Equal(service.TaskQueue, environment["Temporal__TaskQueue"]);
        Assert.Equal(service.Database.ConnectionString, environment["ConnectionStrings__FlashFundX"]);
        Assert.False(environment.ContainsKey("Auth__SigningKey"));
    }

    private static async Task<string> PayAndDeliverAsync(FulfillmentService service)
    {
        await service.ImportInventoryAsync(1);
        var order = await service.CreateOrderAsync(service.CreateClient(service.NewUser()));
        var payment = await service.PayOrderAsync(order.OrderId);
        Assert.All(payment.Deliveries, d => Assert.Equal(200, d.StatusCode));
        await service.WaitForOrderAsync(order.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
        return order.OrderId;
    }

    private static bool Mentions(LogEvent logEvent, string orderId) =>
        logEvent.Properties.Values.Any(v => v.ToString().Contains(orderId, StringComparison.Ordinal));
}

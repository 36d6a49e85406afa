using FlashFundX.Drills.Tests.Infrastructure;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using Xunit;
using Xunit.Abstractions;

namespace FlashFundX.Drills.Tests;

/// <summary>
/// Issue 5, "Inventory race": more orders than matching accounts, all paid at the same moment. Exactly as many are
/// delivered as there are accounts, the rest wait for inventory (visible as such), and an import delivers the rest.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class InventoryRaceDrill(ITestOutputHelper output)
{
    private static readonly int OrderCount = DrillScale.Pick(ci: 100, full: 500);
    private static readonly int AccountCount = DrillScale.Pick(ci: 60, full: 300);

    [Fact]
    public async Task PayAtOnce_MoreOrdersThanAccounts_ExactlyStockDeliveredRestWaitUntilImport()
    {
        var log = new DrillLog(output, "inventory-race");
        log.Line($"{DrillScale.Describe("orders/accounts", "100/60", "500/300")}: {OrderCount} orders for {AccountCount} accounts");
        // Waiting orders re-check stock only every 10 min on their own: within the drill only the import's signal wakes them.
        await using var service = await FulfillmentService.StartAsync(new() { DatabaseLabel = "drill_race" });
        var first = await service.ImportInventoryAsync(AccountCount, accountSize: 25000, platform: "mt4");
        var orders = await Orders.CreateManyAsync(service, OrderCount, users: Math.Max(1, OrderCount / 5), accountSize: 25000, platform: "mt4");
        var invoices = await Task.WhenAll(orders.Select(o => service.WaitForInvoiceAsync(o.Order.OrderId, TimeSpan.FromSeconds(60))));
        log.Line($"imported {first.Imported} accounts (25k MT4); created {orders.Count} orders with invoices");

        // Every customer pays at the same moment: one 'finished' IPN each, all sent at once.
        using var go = new ManualResetEventSlim();
        var paying = invoices.Select(invoice => Task.Run(async () =>
        {
            go.Wait();
            return await service.Simulator.PayInvoiceAsync(invoice.Id, new PayInvoice { WalkStatuses = false });
        })).ToArray();
        go.Set();
        var payments = await Task.WhenAll(paying);
        var acknowledged = payments.SelectMany(p => p.Deliveries).Count(d => d.Succeeded);
        log.Line($"paid {payments.Length} orders at once; IPNs acknowledged {acknowledged}/{payments.Length}");

        var delivered = await Orders.WaitForCountAsync(service.DataSource,
            "SELECT count(*) FROM delivered_accounts", AccountCount, TimeSpan.FromMinutes(2), log, "delivered");
        var waiting = await Orders.WaitForCountAsync(service.DataSource,
            "SELECT count(*) FROM orders WHERE delivery_status = 'waiting_inventory'", OrderCount - AccountCount, TimeSpan.FromMinutes(1), log, "waiting_inventory");
        // Nothing more may happen without stock: every run is closed (delivered) or parked waiting for a restock signal.
        await Settled.WaitAsync(service, orders.Select(o => o.Order.OrderId), TimeSpan.FromMinutes(1));
        var race = await Ledger.ReadAsync(service.DataSource);
        var waitingSeenByApi = await CountWaitingThroughApiAsync(service, orders.Select(o => o.Order.OrderId));
        log.Line("after the race:");
        log.Count("delivered_accounts rows", race.DeliveredRows, AccountCount);
        log.Count("distinct accounts delivered", race.DeliveredDistinctAccounts, AccountCount);
        log.Count("orders completed", race.OrdersCompleted, AccountCount);
        log.Count("orders waiting_inventory (database)", race.OrdersWaitingInventory, OrderCount - AccountCount);
        log.Count("orders waiting_inventory (GET /orders/{id})", waitingSeenByApi, OrderCount - AccountCount);
        log.Count("accounts still available", race.AccountsAvailable, 0);
        log.Count("orders failed", race.OrdersFailed, 0);

        var restock = await service.ImportInventoryAsync(OrderCount - AccountCount, accountSize: 25000, platform: "mt4");
        log.Line($"imported {restock.Imported} more accounts; the import signalled {restock.NotifiedOrders} waiting orders");
        var completed = await Orders.WaitForCountAsync(service.DataSource,
            "SELECT count(*) FROM orders WHERE order_status = 'completed'", OrderCount, TimeSpan.FromMinutes(2), log, "orders completed after the import");
        var ledger = await Ledger.ReadAsync(service.DataSource);
        ledger.Print(log, OrderCount);
        log.Line($"drill took {log.Elapsed.TotalSeconds:0}s");

        Assert.Equal(OrderCount, acknowledged);
        Assert.Equal(AccountCount, delivered);
        Assert.Equal(OrderCount - AccountCount, waiting);
        Assert.Equal((AccountCount, AccountCount, AccountCount, OrderCount - AccountCount, 0L, 0L),
            (race.DeliveredRows, race.DeliveredDistinctAccounts, race.OrdersCompleted, race.OrdersWaitingInventory, race.AccountsAvailable, race.OrdersFailed));
        Assert.Equal(OrderCount - AccountCount, waitingSeenByApi);
        Assert.Equal(OrderCount - AccountCount, restock.NotifiedOrders);
        Assert.True(completed == OrderCount, $"{completed}/{OrderCount} completed after the import: {await Ledger.OrderStatesAsync(service.DataSource)}\n{service.Logs.Tail()}");
        WorkerCrashDrill.AssertDeliveredExactlyOnce(ledger, OrderCount);
    }

    private static async Task<int> CountWaitingThroughApiAsync(FulfillmentService service, IEnumerable<string> orderIds)
    {
        var waiting = 0;
        await Parallel.ForEachAsync(orderIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (orderId, ct) =>
        {
            var order = await service.GetOrderAsync(orderId, cancellationToken: ct);
            if (order is { DeliveryStatus: "waiting_inventory", OrderStatus: "fulfilling" })
            {
                Interlocked.Increment(ref waiting);
            }
        });
        return waiting;
    }
}

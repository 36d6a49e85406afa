using FlashFundX.Drills.Tests.Infrastructure;
using FlashFundX.TestSupport.Service;
using Xunit;
using Xunit.Abstractions;

namespace FlashFundX.Drills.Tests;

/// <summary>
/// Issue 5, "Worker crash": paid orders are in flight while the worker process (src/Worker, a separate process) is
/// killed with SIGKILL at random moments and started again. Afterwards every order is delivered exactly once.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class WorkerCrashDrill(ITestOutputHelper output)
{
    private static readonly int OrderCount = DrillScale.Pick(ci: 60, full: 200);
    private static readonly int KillCount = DrillScale.Pick(ci: 4, full: 10);

    [Fact]
    public async Task KillWorker_AtRandomPointsWhileOrdersAreFulfilled_EveryOrderDeliveredExactlyOnce()
    {
        var log = new DrillLog(output, "worker-crash");
        var seed = DrillScale.Seed();
        var random = new Random(seed);
        log.Line($"{DrillScale.Describe("orders × SIGKILLs", "60 × 4", "200 × 10")}: {OrderCount} orders × {KillCount} kills, seed {seed} ({DrillScale.SeedVariable} replays it)");
        await using var service = await FulfillmentService.StartAsync(new() { InProcessWorker = false, DatabaseLabel = "drill_crash" });
        var environment = service.WorkerEnvironment();
        var import = await service.ImportInventoryAsync(OrderCount);
        log.Line($"service on {service.BaseAddress} (API only), task queue {service.TaskQueue}; imported {import.Imported} accounts; worker binary {WorkerBinary.Path}");

        var worker = WorkerProcess.Start(environment, generation: 1);
        var workers = new List<WorkerProcess> { worker };
        try
        {
            log.Line($"worker #1 started (pid {worker.Pid})");
            var orders = await Orders.CreateManyAsync(service, OrderCount, users: Math.Max(1, OrderCount / 3));
            log.Line($"created {orders.Count} orders for {orders.Select(o => o.User.Id).Distinct().Count()} users; paying each as soon as its invoice exists");

            // Customers pay (5 signed IPNs each, waiting → finished) while the worker is killed and restarted.
            var paying = PayAllAsync(service, orders.Select(o => o.Order.OrderId).ToArray(), log);
            var kills = new List<string>();
            for (var kill = 1; kill <= KillCount; kill++)
            {
                // The first kill lands during invoice creation and payment, the others spread over the deliveries:
                // kill k waits until (k-1)/K of the orders completed, then a random 0.5–2.5 s more (at most 25 s per worker).
                var threshold = (long)(kill - 1) * OrderCount / KillCount;
                var jitter = TimeSpan.FromMilliseconds(500 + random.Next(2000));
                var completedNow = await WaitForProgressAsync(service, worker, threshold, TimeSpan.FromSeconds(25));
                await Task.Delay(jitter);
                var stages = await Ledger.StagesAsync(service.DataSource);
                worker.Kill();
                kills.Add($"#{kill} pid {worker.Pid} {(DateTime.UtcNow - worker.StartedAt).TotalSeconds:0.0}s after its start " +
                          $"({completedNow} completed ≥ {threshold}, +{jitter.TotalSeconds:0.0}s) with stages {stages}");
                log.Line($"SIGKILL {kills[^1]}");
                await Task.Delay(random.Next(500));
                worker = WorkerProcess.Start(environment, generation: kill + 1);
                workers.Add(worker);
                log.Line($"worker #{kill + 1} started (pid {worker.Pid})");
            }
            var paid = await paying;
            log.Line($"all {paid} orders paid; last worker (pid {worker.Pid}) runs until every order is delivered");

            var timeout = DrillScale.Pick(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(8));
            var completed = await Orders.WaitForCountAsync(service.DataSource,
                "SELECT count(*) FROM orders WHERE order_status = 'completed'", OrderCount, timeout, log, "orders completed");
            var ledger = await Ledger.ReadAsync(service.DataSource);
            ledger.Print(log, OrderCount);
            var histories = await HistoryCounts.ReadAsync(service, orders.Select(o => o.Order.OrderId), TimeSpan.FromMinutes(1));
            histories.Print(log, OrderCount);
            log.Line($"kills: {kills.Count}; worker processes started: {workers.Count}; drill took {log.Elapsed.TotalSeconds:0}s");

            Assert.True(completed == OrderCount,
                $"{completed}/{OrderCount} orders completed: {await Ledger.OrderStatesAsync(service.DataSource)}\nlast worker output:\n{worker.Tail()}\napi warnings:\n{service.Logs.Tail()}");
            Assert.Equal(KillCount, kills.Count);
            AssertDeliveredExactlyOnce(ledger, OrderCount);
            Assert.Equal((OrderCount, OrderCount, OrderCount, 0),
                (histories.CompletedSuccessfully, histories.RecordDeliveryScheduled, histories.CompleteOrderScheduled, histories.WithRepeatedDelivery));
        }
        finally
        {
            foreach (var process in workers)
            {
                process.Dispose();
            }
        }
    }

    internal static void AssertDeliveredExactlyOnce(Ledger ledger, long expected)
    {
        Assert.Equal(expected, ledger.OrdersCompleted);
        Assert.Equal(0, ledger.OrdersFailed);
        Assert.Equal(expected, ledger.DeliveredRows);
        Assert.Equal(expected, ledger.DeliveredOrders);
        Assert.Equal(0, ledger.OrdersWithMoreThanOneDelivery);
        Assert.Equal(expected, ledger.DeliveredDistinctAccounts);
        Assert.Equal(expected, ledger.AccountsDelivered);
        Assert.Equal(0, ledger.AccountsDeliveredWithoutRow);
        Assert.Equal(expected, ledger.StatsApplied);
        Assert.Equal(0, ledger.UsersWithWrongTotals);
        Assert.Equal(expected, ledger.TotalOrdersOfUsers);
        Assert.Equal(ledger.SumOfDeliveredOrders, ledger.TotalSpentOfUsers);
    }

    private static async Task<long> WaitForProgressAsync(FulfillmentService service, WorkerProcess worker, long completed, TimeSpan atMost)
    {
        while (true)
        {
            var now = await service.ScalarAsync<long>("SELECT count(*) FROM orders WHERE order_status = 'completed'");
            if ((worker.Started && now >= completed) || DateTime.UtcNow - worker.StartedAt > atMost)
            {
                return now;
            }
            await Task.Delay(100);
        }
    }

    private static async Task<int> PayAllAsync(FulfillmentService service, IReadOnlyList<string> orderIds, DrillLog log)
    {
        var paid = 0;
        var failedIpns = 0;
        await Parallel.ForEachAsync(orderIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (orderId, ct) =>
        {
            // Invoices are created by the worker being killed: a lost attempt is retried after its 30 s start-to-close timeout.
            var invoice = await service.Simulator.WaitForInvoiceAsync(orderId, TimeSpan.FromMinutes(3), ct);
            var payment = await service.Simulator.PayInvoiceAsync(invoice.Id, cancellationToken: ct);
            Interlocked.Add(ref failedIpns, payment.Deliveries.Count(d => !d.Succeeded));
            Interlocked.Increment(ref paid);
        });
        log.Line($"IPNs not acknowledged with 2xx while paying: {failedIpns} (the API, not the worker, receives them)");
        Assert.Equal(0, failedIpns);
        return paid;
    }
}

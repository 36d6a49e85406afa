using FlashFundX.Drills.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Processes;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Orders;
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
    private static readonly TimeSpan ChaosWindow = DrillScale.Pick(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(45));

    /// <summary>How long each order's workflow may take to close once its order completed (see <see cref="HistoryCounts"/>).</summary>
    internal static readonly TimeSpan HistoryTimeout =
        FulfillmentActivityOptions.Notification.StartToCloseTimeout!.Value + TimeSpan.FromMinutes(1);

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
        log.Line($"service on {service.BaseAddress} (API only), task queue {service.TaskQueue}; imported {import.Imported} accounts; worker binary {HostBinaries.Worker}");

        var worker = HostProcess.Start([HostBinaries.Worker], environment);
        var workers = new List<HostProcess> { worker };
        try
        {
            log.Line($"worker #1 started (pid {worker.Pid})");
            var orders = await Orders.CreateManyAsync(service, OrderCount, users: Math.Max(1, OrderCount / 3));
            log.Line($"created {orders.Count} orders for {orders.Select(o => o.User.Id).Distinct().Count()} users; paying them evenly over {ChaosWindow.TotalSeconds:0}s while the worker is killed {KillCount} times");

            // Customers pay at a steady pace over the chaos window (5 signed IPNs each, waiting → finished), so orders
            // are creating invoices, recording payments and being delivered all along. The window is cut into one slot
            // per kill; kill k lands at a random moment of slot k, and never before the current worker is doing work
            // (5 order_events rows written by a worker since it started, waiting at most 20 s), plus a random 0–1 s.
            var chaos = System.Diagnostics.Stopwatch.StartNew();
            var paying = PayAllAsync(service, orders.Select(o => o.Order.OrderId).ToArray(), ChaosWindow, log);
            var slot = ChaosWindow / KillCount;
            var kills = new List<string>();
            var inFlightAtKills = new List<long>();
            for (var kill = 1; kill <= KillCount; kill++)
            {
                var planned = slot * (kill - 1) + TimeSpan.FromMilliseconds(random.Next((int)slot.TotalMilliseconds));
                if (planned > chaos.Elapsed)
                {
                    await Task.Delay(planned - chaos.Elapsed);
                }
                var moved = await WaitForProgressAsync(service, worker, events: 5, atMost: TimeSpan.FromSeconds(20));
                var jitter = TimeSpan.FromMilliseconds(random.Next(1000));
                await Task.Delay(jitter);
                var stages = await Ledger.StagesAsync(service.DataSource);
                var inFlight = await service.ScalarAsync<long>("SELECT count(*) FROM orders WHERE order_status <> 'completed'");
                worker.Kill();
                inFlightAtKills.Add(inFlight);
                kills.Add($"#{kill} at {chaos.Elapsed.TotalSeconds:0.0}s of the window (planned {planned.TotalSeconds:0.0}s), pid {worker.Pid} " +
                          $"{(DateTime.UtcNow - worker.StartedAt).TotalSeconds:0.0}s after its start ({moved} order changes by it, +{jitter.TotalSeconds:0.0}s), " +
                          $"{inFlight} orders in flight, at stages {stages}");
                log.Line($"SIGKILL {kills[^1]}");
                await Task.Delay(random.Next(500));
                worker = HostProcess.Start([HostBinaries.Worker], environment);
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
            Assert.True(completed == OrderCount,
                $"{completed}/{OrderCount} orders completed: {await Ledger.OrderStatesAsync(service.DataSource)}\nlast worker output:\n{worker.Tail()}\napi warnings:\n{service.Logs.Tail()}");
            // A workflow closes after its order e-mail: one whose SendOrderEmail attempt died with a worker waits for
            // that attempt's start-to-close timeout before the retry, so each run gets that long and a minute more.
            var histories = await HistoryCounts.ReadAsync(service, orders.Select(o => o.Order.OrderId), HistoryTimeout);
            histories.Print(log, OrderCount);
            log.Line($"kills: {kills.Count} (orders in flight at each: {string.Join(", ", inFlightAtKills)}); worker processes started: {workers.Count}; drill took {log.Elapsed.TotalSeconds:0}s");

            Assert.Equal(KillCount, kills.Count);
            Assert.All(inFlightAtKills, n => Assert.True(n > 0, "a SIGKILL landed when no order was in flight"));
            AssertDeliveredExactlyOnce(ledger, OrderCount);
            Assert.Equal((OrderCount, OrderCount, 0), (histories.CompletedSuccessfully, histories.Deliveries, histories.WithRepeatedDelivery));
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

    /// <summary>
    /// Waits until workers wrote <paramref name="events"/> order_events rows (one per order state change) since this
    /// worker started. The API writes only an order's first row (stage <c>created</c>, on insert); every later change is a worker's.
    /// </summary>
    private static async Task<long> WaitForProgressAsync(FulfillmentService service, HostProcess worker, int events, TimeSpan atMost)
    {
        const string Sql = "SELECT count(*) FROM order_events WHERE created_at >= @since AND stage <> 'created'";
        var left = atMost - (DateTime.UtcNow - worker.StartedAt);
        var (_, moved) = await Eventually.TryWaitAsync(
            () => service.ScalarAsync<long>(Sql, new { since = worker.StartedAt }),
            count => count >= events, left > TimeSpan.Zero ? left : TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
        return moved;
    }

    /// <summary>Pays order i at i × window / N (late ones at once, 8 at a time).</summary>
    private static async Task<int> PayAllAsync(FulfillmentService service, string[] orderIds, TimeSpan window, DrillLog log)
    {
        var paid = 0;
        var failedIpns = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, orderIds.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var orderId = orderIds[i];
            var due = window * i / orderIds.Length;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, ct);
            }
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

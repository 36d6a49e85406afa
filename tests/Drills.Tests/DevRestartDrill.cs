using System.Net;
using System.Text.Json;
using Dapper;
using FlashFundX.Drills.Tests.Infrastructure;
using FlashFundX.LocalDev;
using FlashFundX.LocalDev.Postgres;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using Temporalio.Api.TestService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit;
using Xunit.Abstractions;

namespace FlashFundX.Drills.Tests;

/// <summary>
/// Issue 28, "nothing is lost when Temporal forgets": the development run (src/DevHost as a child process, with its own
/// PostgreSQL cluster, embedded Temporal server and NowPayments simulator) has 50 orders in flight — some unpaid, some
/// paid and waiting for stock — when it is killed with SIGKILL and started again on the same folder. The embedded
/// server's runs are gone; the reconciler starts them again from the database. Then stock arrives: every paid order is
/// delivered exactly once; half of the unpaid ones are paid through the simulator (which still knows their invoices)
/// and delivered; the rest expire at the deadline their first run set, reached by moving the server's virtual clock.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class DevRestartDrill(ITestOutputHelper output) : IAsyncLifetime
{
    private const int OrderCount = 50;
    private const int PaidBeforeKill = 20;
    private const int PaidAfterRestart = 15;
    private const int Users = 10;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ffx-devrestart-{Guid.NewGuid():N}");
    private readonly List<IDisposable> _runs = [];
    private LocalPostgresCluster? _cluster;
    private NpgsqlDataSource? _database;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var run in _runs)
        {
            run.Dispose();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        // The cluster is not among the run's child processes: it outlived the SIGKILL and is stopped here.
        if (_cluster is not null)
        {
            await _cluster.StopServerAsync();
            await _cluster.DisposeAsync();
            if (!_cluster.RootDirectory.StartsWith(_folder, StringComparison.Ordinal))
            {
                Directory.Delete(_cluster.RootDirectory, recursive: true);
            }
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task KillDevelopmentRun_WithOrdersInFlight_RestartDeliversPaidOnceLetsUnpaidBePaidAndExpiresTheRest()
    {
        var log = new DrillLog(output, "dev-restart");
        var port = LoopbackPorts.Free();
        var first = await StartRunAsync(port, log);
        _cluster = await LocalPostgresCluster.StartAsync(LocalPostgresOptions.Persistent(Path.Combine(_folder, "postgres")));
        _database = NpgsqlDataSource.Create(_cluster.ConnectionStringFor("flashfundx"));

        var signingKey = first.SigningKey;
        var customers = Enumerable.Range(0, Users).Select(_ => FulfillmentApi.CreateClient(first.Api, FulfillmentApi.NewUser(signingKey).Token)).ToArray();
        using var admin = FulfillmentApi.CreateClient(first.Api, FulfillmentApi.NewAdmin(signingKey).Token);
        var orders = new string[OrderCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, OrderCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            orders[i] = (await FulfillmentApi.CreateOrderAsync(customers[i % Users], cancellationToken: ct)).OrderId);
        var paidFirst = orders[..PaidBeforeKill];
        var unpaid = orders[PaidBeforeKill..];
        var paidLater = unpaid[..PaidAfterRestart];
        var expiring = unpaid[PaidAfterRestart..];
        await WaitForAsync("orders with an invoice", "invoice_id IS NOT NULL", orders, log);
        await PayAsync(first.Simulator, paidFirst);
        await WaitForAsync("paid orders waiting for stock", "delivery_status = 'waiting_inventory'", paidFirst, log);
        await WaitForAsync("unpaid orders awaiting payment", "order_status = 'awaiting_payment'", unpaid, log);
        var deadlines = await DeadlinesAsync(unpaid);
        log.Line($"{OrderCount} orders for {Users} users: {PaidBeforeKill} paid and waiting for stock, {unpaid.Length} awaiting payment; stages {await Ledger.StagesAsync(_database)}");

        first.Kill();
        log.Line($"SIGKILL to the development run (pid {first.Pid}) and its process tree");
        var second = await StartRunAsync(port, log);
        Assert.Equal(first.Simulator, second.Simulator);
        var temporal = await TemporalClient.ConnectAsync(new(second.TemporalAddress) { Namespace = "default" });
        await Eventually.WaitAsync(async () => await CountRunningAsync(temporal, orders) == OrderCount,
            $"a running workflow for each of the {OrderCount} orders after the restart", SettleTimeout);
        log.Line($"the reconciler started a run again for each of the {OrderCount} orders");
        foreach (var orderId in unpaid)
        {
            var status = await temporal.GetWorkflowHandle<OrderFulfillmentWorkflow>(OrderIds.WorkflowId(orderId)).QueryAsync(wf => wf.GetStatus());
            Assert.True(status.PaymentDeadline is { } deadline && Math.Abs((deadline - deadlines[orderId]).TotalMilliseconds) < 1,
                $"order {orderId}: the restarted run's deadline {status.PaymentDeadline:O} is not the first run's {deadlines[orderId]:O}");
        }

        var import = await FulfillmentApi.ImportInventoryAsync(admin, FulfillmentApi.NewAccounts(PaidBeforeKill + PaidAfterRestart));
        log.Line($"imported {import.Imported} accounts ({import.NotifiedOrders} waiting orders notified)");
        await WaitForAsync("orders paid before the kill delivered", "order_status = 'completed'", paidFirst, log);
        await PayAsync(second.Simulator, paidLater);
        await WaitForAsync("orders paid after the restart delivered", "order_status = 'completed'", paidLater, log);

        var serverNow = (await temporal.Connection.TestService.GetCurrentTimeAsync(new Empty())).Time.ToDateTime();
        var earliest = expiring.Min(id => deadlines[id]);
        var latest = expiring.Max(id => deadlines[id]);
        await AdvanceAsync(temporal, earliest - TimeSpan.FromMinutes(1) - serverNow);
        var beforeDeadline = await CountAsync("order_status = 'awaiting_payment'", expiring);
        log.Line($"virtual clock moved to a minute before the first deadline ({earliest:O}): {beforeDeadline}/{expiring.Length} still awaiting payment");
        await AdvanceAsync(temporal, latest + TimeSpan.FromSeconds(1) - earliest + TimeSpan.FromMinutes(1));
        await WaitForAsync("unpaid orders expired at their deadline", "order_status = 'expired'", expiring, log);

        var ledger = await Ledger.ReadAsync(_database);
        ledger.Print(log, PaidBeforeKill + PaidAfterRestart);
        log.Line($"final states: {await Ledger.OrderStatesAsync(_database)}; drill took {log.Elapsed.TotalSeconds:0}s");
        Assert.Equal(expiring.Length, beforeDeadline);
        WorkerCrashDrill.AssertDeliveredExactlyOnce(ledger, PaidBeforeKill + PaidAfterRestart);
        Assert.Equal(OrderCount, ledger.Orders);
        Assert.Equal(expiring.Length, await CountAsync("order_status = 'expired' AND delivery_status = 'pending'", expiring));
        foreach (var client in customers)
        {
            client.Dispose();
        }
    }

    private async Task<DevRun> StartRunAsync(int port, DrillLog log)
    {
        var run = await DevRun.StartAsync(_folder, port, StartTimeout);
        _runs.Add(run);
        log.Line($"development run up (pid {run.Pid}): API {run.Api}, Temporal {run.TemporalAddress}, simulator {run.Simulator}");
        return run;
    }

    /// <summary>What the banner's curl line does, for each order: the simulator pays its invoice and sends the signed IPNs.</summary>
    private static async Task PayAsync(Uri simulator, string[] orderIds)
    {
        using var http = new HttpClient { BaseAddress = simulator, Timeout = TimeSpan.FromSeconds(60) };
        await Parallel.ForEachAsync(orderIds, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (orderId, ct) =>
        {
            using var pay = await http.PostAsync(new Uri($"simulator/orders/{orderId}/pay", UriKind.Relative), null, ct);
            var body = await pay.Content.ReadAsStringAsync(ct);
            Assert.True(pay.StatusCode == HttpStatusCode.OK, $"paying {orderId} through the simulator answered {(int)pay.StatusCode}: {body}");
            var deliveries = JsonDocument.Parse(body).RootElement.GetProperty("deliveries").EnumerateArray()
                .Select(d => d.GetProperty("status_code").GetInt32()).ToArray();
            Assert.True(deliveries.Length > 0 && deliveries.All(code => code == 200), $"the IPNs for {orderId} were answered {string.Join(", ", deliveries)}");
        });
    }

    /// <summary>Waits until every one of <paramref name="orderIds"/> matches <paramref name="condition"/> (SQL on orders).</summary>
    private async Task WaitForAsync(string what, string condition, string[] orderIds, DrillLog log)
    {
        // Order ids are FFX and nine digits (a CHECK of the orders table): safe to inline as an array literal.
        var ids = "'{" + string.Join(',', orderIds) + "}'::text[]";
        var reached = await Orders.WaitForCountAsync(
            _database!, $"SELECT count(*) FROM orders WHERE order_id = ANY({ids}) AND {condition}", orderIds.Length, SettleTimeout, log, what);
        Assert.True(reached == orderIds.Length, $"{what}: {reached}/{orderIds.Length}; states {await Ledger.OrderStatesAsync(_database!)}; stages {await Ledger.StagesAsync(_database!)}\nlast output of the run:\n{Tail()}");
    }

    private async Task<long> CountAsync(string condition, string[] orderIds)
    {
        await using var connection = await _database!.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM orders WHERE order_id = ANY(@ids) AND {condition}", new { ids = orderIds });
    }

    /// <summary>The deadlines the orders' first runs recorded.</summary>
    private async Task<Dictionary<string, DateTime>> DeadlinesAsync(string[] orderIds)
    {
        await using var connection = await _database!.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string OrderId, DateTime? Deadline)>(
            "SELECT order_id, payment_deadline FROM orders WHERE order_id = ANY(@ids)", new { ids = orderIds });
        var deadlines = rows.ToDictionary(r => r.OrderId, r => r.Deadline ?? throw new InvalidOperationException($"order {r.OrderId} has no recorded payment deadline"));
        Assert.Equal(orderIds.Length, deadlines.Count);
        return deadlines;
    }

    private static async Task<int> CountRunningAsync(TemporalClient temporal, IEnumerable<string> orderIds)
    {
        var running = 0;
        foreach (var orderId in orderIds)
        {
            try
            {
                var description = await temporal.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).DescribeAsync();
                running += description.Status == Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Running ? 1 : 0;
            }
            catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
            {
                // Not started again yet.
            }
        }
        return running;
    }

    /// <summary>Lets <paramref name="by"/> of virtual time pass on the run's Temporal server: due timers fire in order, the workflows react between them.</summary>
    private static async Task AdvanceAsync(TemporalClient temporal, TimeSpan by) =>
        await temporal.Connection.TestService.UnlockTimeSkippingWithSleepAsync(
            new SleepRequest { Duration = Duration.FromTimeSpan(by > TimeSpan.Zero ? by : TimeSpan.Zero) },
            new RpcOptions { Timeout = SettleTimeout });

    private string Tail() => _runs.Count > 0 && _runs[^1] is DevRun run ? run.Tail() : "";
}

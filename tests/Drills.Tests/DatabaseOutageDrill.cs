using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Drills.Tests.Infrastructure;
using FlashFundX.LocalDev.Postgres;
using FlashFundX.NowPayments.Ipn;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace FlashFundX.Drills.Tests;

/// <summary>
/// Issue 5, "Database outage": PostgreSQL is stopped for 10 s while orders are being fulfilled, then started again.
/// All orders complete, none fails or is duplicated; meanwhile the API answers 503 problem details (never 500) and
/// <c>/health/ready</c> reports PostgreSQL down. Runs on a PostgreSQL cluster of its own, not the shared one.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class DatabaseOutageDrill(ITestOutputHelper output)
{
    private static readonly int OrderCount = DrillScale.Pick(ci: 40, full: 100);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StopPostgres_WhileOrdersAreFulfilled_AllCompleteExactlyOnceAndApiAnswers503()
    {
        var log = new DrillLog(output, "db-outage");
        log.Line($"{DrillScale.Describe("orders", "40", "100")}: {OrderCount} orders, PostgreSQL down for {Outage.TotalSeconds:0}s");
        await using var postgres = await OutagePostgres.StartAsync();
        var connectionString = await postgres.CreateMigratedDatabaseAsync("ffx_drill_outage");
        var apiConnectionString = await ApiLoginRole.EnsureAsync(connectionString, "drill-api-login");
        await using var database = NpgsqlDataSource.Create(connectionString);
        await using var service = await FulfillmentService.StartAsync(new()
        {
            DatabaseLabel = "drill_outage_unused",
            // IPN first; polling (2 s, then 4 s) picks up what an IPN refused during the outage could not tell.
            PollInitialInterval = TimeSpan.FromSeconds(2),
            PollMaxInterval = TimeSpan.FromSeconds(4),
            Settings = { ["ConnectionStrings:FlashFundX"] = apiConnectionString },
            OwnerConnectionString = connectionString,
        });
        log.Line($"dedicated PostgreSQL on 127.0.0.1:{postgres.Port}; service on {service.BaseAddress} (worker in-process)");
        await service.ImportInventoryAsync(OrderCount);
        var orders = await Orders.CreateManyAsync(service, OrderCount, users: Math.Max(1, OrderCount / 4));
        var probeUser = orders[0].User;
        var probeClient = service.CreateClient(probeUser);
        var invoices = await Task.WhenAll(orders.Select(o => service.WaitForInvoiceAsync(o.Order.OrderId, TimeSpan.FromSeconds(60))));
        log.Line($"created {orders.Count} orders with invoices; paying them (5 IPNs each), PostgreSQL stops once a quarter is delivered");

        var payments = new ConcurrentBag<SimulatedPayment>();
        var paying = Parallel.ForEachAsync(invoices, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (invoice, ct) =>
            payments.Add(await service.Simulator.PayInvoiceAsync(invoice.Id, cancellationToken: ct)));
        var before = await Orders.WaitForCountAsync(database,
            "SELECT count(*) FROM orders WHERE order_status = 'completed'", OrderCount / 4, TimeSpan.FromSeconds(60), log, "completed before the outage");
        var stagesBefore = await Ledger.StagesAsync(database);

        await postgres.StopAsync();
        var down = System.Diagnostics.Stopwatch.StartNew();
        log.Line($"PostgreSQL STOPPED (pg_ctl -m immediate) with orders at stages {stagesBefore}; IPNs paid so far: {payments.Count}/{OrderCount}");
        // Existing customers take turns at POST /orders, so the probes stay under Limits:OrderCreationsPerUser.
        var customers = orders.Select(o => o.User).Distinct().Select(u => service.CreateClient(u)).ToArray();
        var probes = await ProbeWhileDownAsync(service, probeClient, customers, orders[0].Order.OrderId, Outage);
        await postgres.StartAgainAsync();
        var downtime = down.Elapsed;
        log.Line($"PostgreSQL STARTED again after {downtime.TotalSeconds:0.0}s down; what the API answered while it was down:");
        foreach (var group in probes.GroupBy(p => (p.Endpoint, p.Status)).OrderBy(g => g.Key.Endpoint))
        {
            var detail = group.Key.Endpoint == ReadyEndpoint
                ? $"postgresql check: {string.Join(", ", group.GroupBy(p => p.PostgresCheck ?? "absent").Select(g => $"{g.Key}×{g.Count()}"))}"
                : $"problem details: {group.Count(p => p.ProblemDetails)}";
            log.Line($"  {group.Key.Endpoint} → {group.Key.Status}: {group.Count()}× ({detail}, body e.g. {group.First().Body})");
        }

        await paying;
        var deliveries = payments.SelectMany(p => p.Deliveries).ToArray();
        var refused = deliveries.Where(d => !d.Succeeded).ToArray();
        log.Line($"IPNs sent {deliveries.Length}: acknowledged {deliveries.Length - refused.Length}, refused {refused.Length} " +
                 $"({string.Join(", ", refused.GroupBy(d => d.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? d.Error ?? "none").Select(g => $"{g.Key}×{g.Count()}"))})");
        // NowPayments resends an IPN that was not acknowledged; the simulator does not, so the drill does it (same bytes, same signature).
        var redelivered = await RedeliverAsync(refused);
        log.Line($"provider retries of refused IPNs: {redelivered.Count(s => s is >= 200 and < 300)}/{refused.Length} acknowledged ({string.Join(", ", redelivered.GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}"))})");

        var completed = await Orders.WaitForCountAsync(database,
            "SELECT count(*) FROM orders WHERE order_status = 'completed'", OrderCount, TimeSpan.FromMinutes(2), log, "orders completed");
        var readyAfter = await ProbeAsync(ReadyEndpoint, service.CreateClient().GetAsync(new Uri("health/ready", UriKind.Relative)), problem: false);
        var ledger = await Ledger.ReadAsync(database);
        ledger.Print(log, OrderCount);
        Assert.True(completed == OrderCount, $"{completed}/{OrderCount} completed: {await Ledger.OrderStatesAsync(database)}\n{service.Logs.Tail(30)}");
        var histories = await HistoryCounts.ReadAsync(service, orders.Select(o => o.Order.OrderId), WorkerCrashDrill.HistoryTimeout);
        histories.Print(log, OrderCount);
        log.Count("/health/ready after the restart", readyAfter.Status, 200);
        log.Line($"  /health/ready after the restart: postgresql check {readyAfter.PostgresCheck ?? "absent"}, body {readyAfter.Body}");
        log.Line($"drill took {log.Elapsed.TotalSeconds:0}s");

        Assert.True(before >= OrderCount / 4, $"only {before} orders completed before the outage");
        Assert.True(downtime >= Outage, $"PostgreSQL was down {downtime}, not {Outage}");
        Assert.DoesNotContain(probes, p => p.Status >= 500 && p.Status != 503);
        Assert.All(probes, p => Assert.True(p.Status == 503 && p.ProblemDetails, $"{p.Endpoint} answered {p.Status} while PostgreSQL was down: {p.Body}"));
        foreach (var endpoint in new[] { "GET /orders/{id}", "GET /orders", "POST /orders", "POST /orders (new user)", ReadyEndpoint })
        {
            Assert.Contains(probes, p => p.Endpoint == endpoint);
        }
        Assert.All(probes.Where(p => p.Endpoint == ReadyEndpoint), p => Assert.Equal("unhealthy", p.PostgresCheck));
        Assert.All(refused, d => Assert.Equal(503, d.StatusCode));
        Assert.All(redelivered, s => Assert.Equal(200, s));
        WorkerCrashDrill.AssertDeliveredExactlyOnce(ledger, OrderCount);
        Assert.Equal((OrderCount, OrderCount, 0), (histories.CompletedSuccessfully, histories.Deliveries, histories.WithRepeatedDelivery));
        Assert.Equal(((int)HttpStatusCode.OK, "healthy"), (readyAfter.Status, readyAfter.PostgresCheck));
    }

    private const string ReadyEndpoint = "GET /health/ready";

    /// <summary>One API answer; <see cref="PostgresCheck"/> is the status of the <c>postgresql</c> entry of a /health/ready body.</summary>
    private sealed record Probe(string Endpoint, int Status, bool ProblemDetails, string Body, string? PostgresCheck);

    /// <summary>Calls the API the way customers and the load balancer do, every 250 ms, for as long as the database is down.</summary>
    private static async Task<List<Probe>> ProbeWhileDownAsync(
        FulfillmentService service, HttpClient customer, HttpClient[] orderingCustomers, string orderId, TimeSpan duration)
    {
        var probes = new List<Probe>();
        var anonymous = service.CreateClient();
        var until = DateTime.UtcNow + duration;
        for (var round = 0; DateTime.UtcNow < until; round++)
        {
            var newcomer = service.CreateClient(service.NewUser());
            probes.Add(await ProbeAsync("GET /orders/{id}", customer.GetAsync(new Uri($"orders/{orderId}", UriKind.Relative))));
            probes.Add(await ProbeAsync("GET /orders", customer.GetAsync(new Uri("orders", UriKind.Relative))));
            probes.Add(await ProbeAsync("POST /orders", orderingCustomers[round % orderingCustomers.Length].PostAsJsonAsync("orders", NewOrder)));
            probes.Add(await ProbeAsync("POST /orders (new user)", newcomer.PostAsJsonAsync("orders", NewOrder)));
            probes.Add(await ProbeAsync(ReadyEndpoint, anonymous.GetAsync(new Uri("health/ready", UriKind.Relative)), problem: false));
            await Task.Delay(250);
        }
        return probes;
    }

    private static readonly object NewOrder = new { accountType = "two_step", accountSize = 10000, platform = "mt5", payCurrency = "usdt_trc20" };

    private static async Task<Probe> ProbeAsync(string endpoint, Task<HttpResponseMessage> call, bool problem = true)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        var isProblem = !problem
            || (response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                && JsonDocument.Parse(body).RootElement.TryGetProperty("status", out var status) && status.GetInt32() == (int)response.StatusCode);
        return new Probe(endpoint, (int)response.StatusCode, isProblem, body.Length > 160 ? body[..160] + "…" : body, PostgresCheckOf(body));
    }

    private static string? PostgresCheckOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("checks", out var checks)
                ? checks.EnumerateArray()
                    .Where(c => c.GetProperty("name").GetString() == "postgresql")
                    .Select(c => c.GetProperty("status").GetString())
                    .FirstOrDefault()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<List<int>> RedeliverAsync(IReadOnlyList<IpnDeliveryResult> refused)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var statuses = new List<int>();
        foreach (var ipn in refused)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, ipn.CallbackUrl)
            {
                Content = new StringContent(ipn.Body, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(IpnSignature.HeaderName, ipn.Signature);
            using var response = await http.SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }
        return statuses;
    }
}

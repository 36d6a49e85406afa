using System.Diagnostics;
using System.Net;
using System.Text;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.Api.Webhooks;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FlashFundX.Api.Tests.Webhooks;

/// <summary>
/// The way a stored IPN reaches its workflow after the webhook acknowledged it: the dispatcher, and the sweep that
/// sends what no process dispatched (rows written here as a process that died after its commit would leave them).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IpnDispatchTests(PostgresFixture postgres, TemporalTestEnvironment temporal, SimulatorFixture simulator) : IAsyncLifetime
{
    private const decimal Price = 89.00m; // two_step 10k

    private const string InsertStoredSql = """
        INSERT INTO webhook_events (order_id, payment_id, payment_status, signature_valid, outcome, dedupe_key,
                                    body_sha256, body, http_status, received_at)
        VALUES (@OrderId, @PaymentId, @Status, true, 'accepted', @OrderId || '|' || @Status, 'test', @Body, 200,
                now() - interval '1 minute')
        RETURNING id
        """;

    private ApiApp _app = null!;
    private TestDatabase _database = null!;
    private HttpClient _user = null!;
    private static int _paymentIds = 6_000_000;

    public async Task InitializeAsync()
    {
        // The periodic sweep stays out of the way: each test runs the sweep itself, when its rows are in place.
        (_app, _database) = await ApiApp.StartAsync(postgres, temporal, simulator, "dispatch", worker: true,
            settings => settings["Webhooks:SweepInterval"] = "00:10:00");
        _user = _app.ClientFor(_app.Identities.UserA);
        using var admin = _app.ClientFor(_app.Identities.Admin);
        await OrderSteps.ImportAsync(admin, 5, prefix: "dp");
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task StoredButNeverDispatched_SweepSendsItsReportsInOneSignal_OrderDelivered()
    {
        var orderId = await NewOrderAsync();
        var paymentId = NextPaymentId();
        var ids = new List<long>();
        foreach (var status in new[] { "waiting", "confirming", "finished" })
        {
            ids.Add(await StoreAsync(orderId, paymentId, status));
        }

        var swept = await _app.Services.GetRequiredService<IpnDispatcher>().SweepAsync(CancellationToken.None);

        Assert.Equal(3, swept);
        await WaitUntilAsync($"rows of {orderId} dispatched", async () => await CountAsync(
            "SELECT count(*) FROM webhook_events WHERE id = ANY(@ids) AND dispatched_at IS NOT NULL", new { ids = ids.ToArray() }) == 3);
        var order = await OrderSteps.WaitForAsync(_user, orderId, "orderStatus", "completed");
        Assert.Equal("finished", order.GetProperty("paymentStatus").GetString());
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(temporal.Client, orderId, "PaymentStatusesChanged"));
        Assert.Equal(0, await WorkflowHistory.CountSignalsAsync(temporal.Client, orderId, "PaymentStatusChanged"));
        await temporal.Client.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).GetResultAsync();
        Assert.Equal(["waiting", "confirming", "finished"], await PaymentReportsAsync(orderId));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task Sweep_LeavesDispatchedAndFreshRowsAlone()
    {
        var orderId = await NewOrderAsync();
        var paymentId = NextPaymentId();
        using (var provider = _app.ClientFor(null))
        using (var response = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, "waiting", Price))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await WaitUntilAsync($"the IPN of {orderId} dispatched", async () => await CountAsync(
            "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND dispatched_at IS NOT NULL", new { orderId }) == 1);

        await _app.Services.GetRequiredService<IpnDispatcher>().SweepAsync(CancellationToken.None);

        Assert.Equal(0, await CountAsync(
            "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND dispatch_claimed_at IS NOT NULL", new { orderId }));
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(temporal.Client, orderId, "PaymentStatusChanged"));
    }

    [Fact]
    public async Task StoredForAnEndedRun_SweepRecordsItLate()
    {
        var orderId = await NewOrderAsync();
        using (var admin = _app.ClientFor(_app.Identities.Admin))
        using (var cancel = await admin.PostAsync(new Uri($"/admin/orders/{orderId}/cancel", UriKind.Relative), Json.Raw("""{"reason":"customer asked"}""")))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }
        await temporal.Client.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).GetResultAsync();
        var id = await StoreAsync(orderId, NextPaymentId(), "finished");

        await _app.Services.GetRequiredService<IpnDispatcher>().SweepAsync(CancellationToken.None);

        await WaitUntilAsync($"row {id} recorded late", async () => await CountAsync(
            "SELECT count(*) FROM webhook_events WHERE id = @id AND outcome = 'late' AND dispatched_at IS NOT NULL", new { id }) == 1);
        var order = await OrderSteps.GetAsync(_user, orderId);
        Assert.Equal(("cancelled", "refund_required"), (order.GetProperty("orderStatus").GetString(), order.GetProperty("deliveryStatus").GetString()));
    }

    private async Task<long> StoreAsync(string orderId, string paymentId, string status)
    {
        var body = Encoding.UTF8.GetString(IpnBuilder.Body(orderId, paymentId, status, Price));
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(InsertStoredSql, new { OrderId = orderId, PaymentId = paymentId, Status = status, Body = body });
    }

    private async Task<string> NewOrderAsync()
    {
        var order = await OrderSteps.CreateAsync(_user);
        return order.GetProperty("orderId").GetString()!;
    }

    private static string NextPaymentId() => Interlocked.Increment(ref _paymentIds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<int> CountAsync(string sql, object parameters)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(sql, parameters);
    }

    private async Task<string[]> PaymentReportsAsync(string orderId)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>(
            "SELECT provider_status FROM payment_transactions WHERE order_id = @orderId ORDER BY id", new { orderId })];
    }

    private static async Task WaitUntilAsync(string what, Func<Task<bool>> done)
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"{what}: not after {watch.Elapsed}");
            await Task.Delay(20);
        }
    }
}

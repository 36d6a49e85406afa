using FlashFundX.LocalDev;
using FlashFundX.NowPayments.Simulator;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using Xunit;

namespace FlashFundX.Api.Tests.Health;

/// <summary>Health endpoints, and what callers see while PostgreSQL or Temporal cannot be reached.</summary>
[Collection(ApiCollection.Name)]
public sealed class OutageTests(PostgresFixture postgres, TemporalTestEnvironment temporal, SimulatorFixture simulator)
{
    [Fact]
    public async Task Health_AllUp_LiveAndReady200()
    {
        var (app, database) = await ApiApp.StartAsync(postgres, temporal, simulator, "health");
        await using var _ = database;
        await using var __ = app;
        using var client = app.ClientFor(null);

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        var report = await Json.ReadAsync(ready);
        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal(["nowpayments", "postgresql", "temporal"], report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order().ToArray());
    }

    [Fact]
    public async Task ProviderDown_ReadyStays200_ReportsNowPaymentsDegraded()
    {
        var database = await postgres.CreateDatabaseAsync("providerdown");
        await using var _ = database;
        await using var app = ApiApp.Create(ApiApp.DefaultSettings(database.ConnectionString, temporal, simulator, worker: false));
        using var client = app.ClientFor(null);
        simulator.Simulator.InjectFaults(new SimulatorFault { StatusCode = 503, Count = 1, PathPrefix = "/status" });

        using var ready = await client.GetAsync("/health/ready");

        simulator.Simulator.ClearFaults();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await Json.ReadAsync(ready);
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        Assert.Equal("degraded", report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "nowpayments").GetProperty("status").GetString());
    }

    [Fact]
    public async Task DatabaseDown_Answers503Problem_ReadyReportsIt()
    {
        var database = await postgres.CreateDatabaseAsync("dbdown");
        await using var _ = database;
        var settings = ApiApp.DefaultSettings(
            $"Host=127.0.0.1;Port={LoopbackPorts.Free()};Database=none;Username=none;Password=secret-db-password;Timeout=2", temporal, simulator, worker: false);
        await using var app = ApiApp.Create(settings);
        using var user = app.ClientFor(app.Identities.UserA);
        using var anonymous = app.ClientFor(null);

        using var orders = await user.GetAsync("/orders");
        using var create = await user.PostAsJsonAsync("/orders", OrderSteps.Body());
        using var ready = await anonymous.GetAsync("/health/ready");
        using var live = await anonymous.GetAsync("/health/live");

        var problem = await ProblemAssert.IsProblemAsync(orders, HttpStatusCode.ServiceUnavailable);
        await ProblemAssert.IsProblemAsync(create, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(orders.Headers.RetryAfter);
        Assert.DoesNotContain("secret-db-password", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = await Json.ReadAsync(ready);
        Assert.Equal("unhealthy", report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "postgresql").GetProperty("status").GetString());
        Assert.DoesNotContain("secret-db-password", report.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task TemporalDown_CreateOrder_Answers503_AndLeavesNoOrder()
    {
        var database = await postgres.CreateDatabaseAsync("temporaldown");
        await using var _ = database;
        var settings = ApiApp.DefaultSettings(database.ConnectionString, temporal, simulator, worker: false);
        settings["Temporal:Address"] = $"127.0.0.1:{LoopbackPorts.Free()}";
        await using var app = ApiApp.Create(settings);
        using var user = app.ClientFor(app.Identities.UserA);
        using var anonymous = app.ClientFor(null);

        using var create = await user.PostAsJsonAsync("/orders", OrderSteps.Body());
        using var ready = await anonymous.GetAsync("/health/ready");

        await ProblemAssert.IsProblemAsync(create, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(database, "SELECT count(*) FROM orders"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = await Json.ReadAsync(ready);
        Assert.Equal("unhealthy", report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "temporal").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TemporalUnreachableFromTheWebhook_IpnAcknowledgedAndStored_SweepDeliversIt()
    {
        // The process that runs the order; its sweep is quick, so the test need not wait the default 15 s.
        var (app, database) = await ApiApp.StartAsync(postgres, temporal, simulator, "ipnoutage", worker: true, settings =>
        {
            settings["Webhooks:SweepInterval"] = "00:00:00.200";
            settings["Webhooks:RedispatchAfter"] = "00:00:01";
        });
        await using var _ = database;
        await using var __ = app;
        using (var admin = app.ClientFor(app.Identities.Admin))
        {
            await OrderSteps.ImportAsync(admin, 1, prefix: "io");
        }
        using var user = app.ClientFor(app.Identities.UserA);
        var orderId = (await OrderSteps.CreateAsync(user)).GetProperty("orderId").GetString()!;
        // A second API process on the same database, cut off from Temporal, receives the IPN.
        var cutOff = ApiApp.DefaultSettings(database.ConnectionString, temporal, simulator, worker: false);
        cutOff["Temporal:Address"] = $"127.0.0.1:{LoopbackPorts.Free()}";
        cutOff["Webhooks:SweepInterval"] = "00:10:00";
        await using var isolated = ApiApp.Create(cutOff);
        using var provider = isolated.ClientFor(null);

        using var response = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, "7000001", "finished", 89.00m)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("accepted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var order = await OrderSteps.WaitForAsync(user, orderId, "orderStatus", "completed");
        Assert.Equal("finished", order.GetProperty("paymentStatus").GetString());
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(database, "SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(database,
            "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND outcome = 'accepted' AND dispatch_claimed_at IS NOT NULL", new { orderId }));
    }
}

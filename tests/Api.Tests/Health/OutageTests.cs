using FlashFundX.LocalDev;
using FlashFundX.NowPayments.Simulator;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using Xunit;

namespace FlashFundX.Api.Tests.Health;

/// <summary>Health endpoints, and what callers see while PostgreSQL or Temporal cannot be reached.</summary>
[Collection(ApiCollection.Name)]
public sealed class OutageTests
{
    [Fact]
    public async Task Health_AllUp_LiveAndReady200()
    {
        await using var service = await ApiService.StartAsync("health");
        using var client = service.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        var report = await Json.ReadAsync(ready);
        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal(["nowpayments", "postgresql", "reconciler", "temporal"], report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order().ToArray());
    }

    [Fact]
    public async Task ProviderDown_ReadyStays200_ReportsNowPaymentsDegraded()
    {
        await using var service = await ApiService.StartAsync("providerdown");
        using var client = service.CreateClient();
        service.Simulator.InjectFaults(new SimulatorFault { StatusCode = 503, Count = 1, PathPrefix = "/status" });

        using var ready = await client.GetAsync("/health/ready");

        service.Simulator.ClearFaults();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await Json.ReadAsync(ready);
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        Assert.Equal("degraded", report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "nowpayments").GetProperty("status").GetString());
    }

    [Fact]
    public async Task DatabaseDown_Answers503Problem_ReadyReportsIt()
    {
        await using var service = await ApiService.StartAsync("dbdown", configure: options =>
            options.Settings["ConnectionStrings:FlashFundX"] = $"Host=127.0.0.1;Port={LoopbackPorts.Free()};Database=none;Username=none;Password=secret-db-password;Timeout=2");
        using var user = service.CreateClient(new TestIdentities(service.SigningKey).UserA);
        using var anonymous = service.CreateClient();

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
    public async Task DatabaseDown_NoReconcilerPassForTwoIntervals_ReadyReportsReconcilerUnhealthy()
    {
        await using var service = await ApiService.StartAsync("reconcilerdown", configure: options =>
        {
            options.Settings["ConnectionStrings:FlashFundX"] = $"Host=127.0.0.1;Port={LoopbackPorts.Free()};Database=none;Username=none;Password=secret-db-password;Timeout=2";
            options.Settings["Reconciler:Interval"] = "00:00:00.300";
        });
        using var anonymous = service.CreateClient();

        var reconciler = await Eventually.WaitAsync(async () =>
        {
            using var ready = await anonymous.GetAsync("/health/ready");
            var report = await Json.ReadAsync(ready);
            return report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "reconciler").Clone();
        }, check => check.GetProperty("status").GetString() == "unhealthy", what: "the reconciler reported unhealthy");

        Assert.StartsWith("No reconciler pass has completed since", reconciler.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemporalDown_CreateOrder_Answers503_AndLeavesNoOrder()
    {
        await using var service = await ApiService.StartAsync("temporaldown", configure: options =>
            options.Settings["Temporal:Address"] = $"127.0.0.1:{LoopbackPorts.Free()}");
        using var user = service.CreateClient(new TestIdentities(service.SigningKey).UserA);
        using var anonymous = service.CreateClient();

        using var create = await user.PostAsJsonAsync("/orders", OrderSteps.Body());
        using var ready = await anonymous.GetAsync("/health/ready");

        await ProblemAssert.IsProblemAsync(create, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(service.Database, "SELECT count(*) FROM orders"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = await Json.ReadAsync(ready);
        Assert.Equal("unhealthy", report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "temporal").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TemporalUnreachableFromTheWebhook_IpnAcknowledgedAndStored_SweepDeliversIt()
    {
        // The process that runs the order; its sweep is quick, so the test need not wait the default 15 s.
        await using var service = await ApiService.StartAsync("ipnoutage", worker: true, options =>
        {
            options.Settings["Webhooks:SweepInterval"] = "00:00:00.200";
            options.Settings["Webhooks:RedispatchAfter"] = "00:00:01";
        });
        var identities = new TestIdentities(service.SigningKey);
        var database = service.Database;
        using (var admin = service.CreateClient(identities.Admin))
        {
            await OrderSteps.ImportAsync(admin, 1, prefix: "io");
        }
        using var user = service.CreateClient(identities.UserA);
        var orderId = (await OrderSteps.CreateAsync(user)).GetProperty("orderId").GetString()!;
        // A second API process on the same database, cut off from Temporal, receives the IPN.
        await using var isolated = await ApiService.StartAsync("ipnoutage-cutoff", configure: options =>
        {
            options.Database = database;
            options.Settings["Temporal:Address"] = $"127.0.0.1:{LoopbackPorts.Free()}";
            options.Settings["Webhooks:SweepInterval"] = "00:10:00";
        });
        using var provider = isolated.CreateClient();

        using var response = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, "7000001", "finished", 89.00m), isolated.IpnSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("accepted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var order = await OrderSteps.WaitForAsync(user, orderId, "orderStatus", "completed");
        Assert.Equal("finished", order.GetProperty("paymentStatus").GetString());
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(database, "SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(database,
            "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND outcome = 'accepted' AND dispatch_claimed_at IS NOT NULL", new { orderId }));
    }
}

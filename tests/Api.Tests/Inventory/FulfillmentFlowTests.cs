using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Inventory;

/// <summary>Inventory import, delivery, credentials, restock and cancel through the API with the worker running.</summary>
[Collection(ApiCollection.Name)]
public sealed class FulfillmentFlowTests : ApiTestBase
{
    public FulfillmentFlowTests()
        : base("flow", worker: true)
    {
    }

    private HttpClient? _admin;
    private HttpClient? _userA;
    private HttpClient? _provider;

    private HttpClient Admin => _admin ??= Service.CreateClient(Identities.Admin);

    private HttpClient UserA => _userA ??= Service.CreateClient(Identities.UserA);

    private HttpClient Provider => _provider ??= Service.CreateClient();

    [Fact]
    public async Task Import_Twice_SkipsDuplicates_AndShowsLevels()
    {
        var body = new
        {
            accounts = new[]
            {
                new { login = "9001", password = "p1", investorPassword = "i1", server = "S1", platform = "mt4", accountSize = 5000 },
                new { login = "9002", password = "p2", investorPassword = "i2", server = "S1", platform = "mt4", accountSize = 5000 },
                new { login = "9001", password = "p1", investorPassword = "i1", server = "S1", platform = "mt4", accountSize = 5000 },
            },
        };

        using var first = await Admin.PostAsJsonAsync("/admin/inventory", body);
        using var second = await Admin.PostAsJsonAsync("/admin/inventory", body);
        var levels = await Admin.GetFromJsonAsync<JsonElement>("/admin/inventory");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstResult = await Json.ReadAsync(first);
        Assert.Equal(2, firstResult.GetProperty("imported").GetInt32());
        Assert.Equal(1, firstResult.GetProperty("skipped").GetInt32());
        var secondResult = await Json.ReadAsync(second);
        Assert.Equal(0, secondResult.GetProperty("imported").GetInt32());
        Assert.Equal(3, secondResult.GetProperty("skipped").GetInt32());
        var level = levels.EnumerateArray().Single(l => l.GetProperty("accountSize").GetInt32() == 5000 && l.GetProperty("platform").GetString() == "mt4");
        Assert.Equal(2, level.GetProperty("available").GetInt64());
        Assert.False(level.TryGetProperty("reserved", out _));
        Assert.Equal(0, level.GetProperty("delivered").GetInt64());
        var audits = await OrderSteps.ScalarAsync<long>(Database,
            "SELECT count(*) FROM admin_audit_log WHERE admin_user_id = @id AND action IN ('inventory.imported', 'inventory.viewed')", new { id = Identities.AdminId });
        Assert.Equal(3L, audits);
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM admin_audit_log WHERE details::text LIKE '%p1%'"));
    }

    [Fact]
    public async Task PaidOrder_IsDelivered_OwnerReadsCredentials_OthersCannot()
    {
        await OrderSteps.ImportAsync(Admin, 1, accountSize: 25000, platform: "mt4", prefix: "cred");
        var order = await OrderSteps.CreateAsync(UserA, OrderSteps.Body("one_step", 25000, "mt4", "btc"));
        var orderId = order.GetProperty("orderId").GetString()!;

        await PayAsync(orderId, 199.00m);
        var delivered = await OrderSteps.WaitForAsync(UserA, orderId, "deliveryStatus", "delivered");
        using var account = await UserA.GetAsync($"/orders/{orderId}/account");
        using var userB = Service.CreateClient(Identities.UserB);
        using var byB = await userB.GetAsync($"/orders/{orderId}/account");
        using var byAdmin = await Admin.GetAsync($"/orders/{orderId}/account");

        Assert.NotEqual(JsonValueKind.Null, delivered.GetProperty("deliveredAt").ValueKind);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Equal("no-store", account.Headers.CacheControl?.ToString());
        var credentials = await Json.ReadAsync(account);
        Assert.Equal("cred-1", credentials.GetProperty("login").GetString());
        Assert.Equal("Pw!cred-1", credentials.GetProperty("password").GetString());
        Assert.Equal("Inv!cred-1", credentials.GetProperty("investorPassword").GetString());
        Assert.Equal("FFX-Live-01", credentials.GetProperty("server").GetString());
        Assert.Equal("mt4", credentials.GetProperty("platform").GetString());
        Assert.Equal(25000, credentials.GetProperty("accountSize").GetInt32());
        Assert.Equal("challenge", credentials.GetProperty("phase").GetString());
        Assert.Equal(10m, credentials.GetProperty("tradingRules").GetProperty("profitTargetPhase1").GetDecimal());
        await ProblemAssert.IsProblemAsync(byB, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(byAdmin, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OutOfStock_WaitsForInventory_ImportWakesIt()
    {
        var order = await OrderSteps.CreateAsync(UserA, OrderSteps.Body("hft", 200000, "mt5", "usdt_bsc"));
        var orderId = order.GetProperty("orderId").GetString()!;
        await PayAsync(orderId, 1099.00m);
        await OrderSteps.WaitForAsync(UserA, orderId, "deliveryStatus", "waiting_inventory");

        var accounts = new[] { new { login = "restock-1", password = "p", investorPassword = "i", server = "S9", platform = "mt5", accountSize = 200000 } };
        using var import = await Admin.PostAsJsonAsync("/admin/inventory", new { accounts });

        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        Assert.Equal(1, (await Json.ReadAsync(import)).GetProperty("notifiedOrders").GetInt32());
        await OrderSteps.WaitForAsync(UserA, orderId, "deliveryStatus", "delivered", TimeSpan.FromSeconds(20));
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, "InventoryRestocked"));
    }

    [Fact]
    public async Task AdminCancel_UnpaidOrder_Returns202_OrderCancelled_Audited()
    {
        var order = await OrderSteps.CreateAsync(UserA);
        var orderId = order.GetProperty("orderId").GetString()!;

        using var response = await Admin.PostAsJsonAsync($"/admin/orders/{orderId}/cancel", new { reason = "customer asked" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await OrderSteps.WaitForAsync(UserA, orderId, "orderStatus", "cancelled");
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(Database,
            "SELECT count(*) FROM admin_audit_log WHERE action = 'order.cancel_requested' AND target = @orderId AND details->>'reason' = 'customer asked'",
            new { orderId }));
        using var again = await Admin.PostAsJsonAsync($"/admin/orders/{orderId}/cancel", new { reason = "twice" });
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    private Task PayAsync(string orderId, decimal price) => OrderSteps.PayAsync(Provider, Service.IpnSecret, orderId, price);
}

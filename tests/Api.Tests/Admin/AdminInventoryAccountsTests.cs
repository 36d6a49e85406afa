using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Admin;

/// <summary>GET, PATCH and DELETE /admin/inventory/accounts with the worker running: upkeep of single stock accounts.</summary>
[Collection(ApiCollection.Name)]
public sealed class AdminInventoryAccountsTests() : ApiTestBase("admin-inventory", worker: true)
{
    private HttpClient? _admin;
    private HttpClient? _userA;
    private HttpClient? _provider;

    private HttpClient Admin => _admin ??= Service.CreateClient(Identities.Admin);

    private HttpClient UserA => _userA ??= Service.CreateClient(Identities.UserA);

    private HttpClient Provider => _provider ??= Service.CreateClient();

    [Fact]
    public async Task List_FiltersAndPagesNewestFirst_NeverShowsPasswords()
    {
        await OrderSteps.ImportAsync(Admin, 3, accountSize: 50000, platform: "mt4", prefix: "list4");
        await OrderSteps.ImportAsync(Admin, 2, accountSize: 50000, platform: "mt5", prefix: "list5");
        await PatchAsync(await AccountIdAsync("list4-2"), new { status = "disabled" });

        var mt4 = await Admin.GetFromJsonAsync<JsonElement>("/admin/inventory/accounts?accountSize=50000&platform=mt4");
        var disabled = await Admin.GetFromJsonAsync<JsonElement>("/admin/inventory/accounts?accountSize=50000&status=disabled");
        using var secondPage = await Admin.GetAsync("/admin/inventory/accounts?accountSize=50000&page=2&pageSize=2");
        using var badStatus = await Admin.GetAsync("/admin/inventory/accounts?status=sold");
        using var badPageSize = await Admin.GetAsync("/admin/inventory/accounts?pageSize=201");

        Assert.Equal(3, mt4.GetProperty("total").GetInt64());
        Assert.Equal(["list4-3", "list4-2", "list4-1"], Logins(mt4));
        Assert.Equal(["list4-2"], Logins(disabled));
        var item = disabled.GetProperty("items")[0];
        Assert.Equal("disabled", item.GetProperty("status").GetString());
        Assert.Equal("FFX-Live-01", item.GetProperty("server").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("orderId").ValueKind);
        var page = await Json.ReadAsync(secondPage);
        Assert.Equal(5, page.GetProperty("total").GetInt64());
        Assert.Equal(["list4-3", "list4-2"], Logins(page)); // newest first: list5-2, list5-1 | list4-3, list4-2 | list4-1
        var text = await secondPage.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Pw!", text, StringComparison.Ordinal);
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ciphertext", text, StringComparison.OrdinalIgnoreCase);
        await ProblemAssert.IsProblemAsync(badStatus, HttpStatusCode.BadRequest, "status");
        await ProblemAssert.IsProblemAsync(badPageSize, HttpStatusCode.BadRequest, "pageSize");
    }

    [Fact]
    public async Task DisableTheOnlyMatchingAccount_PaidOrderWaitsForStock_EnableDeliversIt_ThenItCannotChange()
    {
        await OrderSteps.ImportAsync(Admin, 1, accountSize: 100000, platform: "mt4", prefix: "only");
        var accountId = await AccountIdAsync("only-1");

        using var disable = await PatchAsync(accountId, new { status = "disabled" });
        Assert.True(disable.StatusCode == HttpStatusCode.OK, await disable.Content.ReadAsStringAsync() + Service.Logs.Tail(5));
        var order = await OrderSteps.CreateAsync(UserA, OrderSteps.Body("two_step", 100000, "mt4", "btc"));
        var orderId = order.GetProperty("orderId").GetString()!;
        await OrderSteps.PayAsync(Provider, Service.IpnSecret, orderId, order.GetProperty("priceAmount").GetDecimal());
        await OrderSteps.WaitForAsync(UserA, orderId, "deliveryStatus", "waiting_inventory");
        Assert.Equal("disabled", await OrderSteps.ScalarAsync<string>(Database, "SELECT status::text FROM account_container WHERE id = @accountId", new { accountId }));

        using var enable = await PatchAsync(accountId, new { status = "available" });
        await OrderSteps.WaitForAsync(UserA, orderId, "deliveryStatus", "delivered");
        using var changeDelivered = await PatchAsync(accountId, new { server = "Elsewhere-01" });
        using var deleteDelivered = await Admin.DeleteAsync($"/admin/inventory/accounts/{accountId}");

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal("disabled", (await Json.ReadAsync(disable)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        var delivered = await Admin.GetFromJsonAsync<JsonElement>("/admin/inventory/accounts?accountSize=100000&platform=mt4");
        Assert.Equal(orderId, delivered.GetProperty("items")[0].GetProperty("orderId").GetString());
        Assert.Equal("delivered", delivered.GetProperty("items")[0].GetProperty("status").GetString());
        var conflict = await ProblemAssert.IsProblemAsync(changeDelivered, HttpStatusCode.Conflict);
        Assert.Contains(orderId, conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(deleteDelivered, HttpStatusCode.Conflict);
        Assert.Equal("FFX-Live-01", await OrderSteps.ScalarAsync<string>(Database, "SELECT server FROM account_container WHERE id = @accountId", new { accountId }));
        // Two changes, two rows (disable, enable); the refused change and delete wrote none.
        Assert.Equal(["available", "disabled"], await AuditedStatusesAsync(accountId));
    }

    [Fact]
    public async Task FixServerAndLogin_DeliveredUnderTheFixedNames_OwnerReadsThePasswords()
    {
        var accounts = new[] { new { login = "typo-login", password = "Pw!fixed", investorPassword = "Inv!fixed", server = "FFX-Lvie-01", platform = "mt5", accountSize = 25000 } };
        using var import = await Admin.PostAsJsonAsync("/admin/inventory", new { accounts });
        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        var accountId = await AccountIdAsync("typo-login");

        using var fix = await PatchAsync(accountId, new { server = " FFX-Live-01 ", login = "5123456" });
        var order = await OrderSteps.CreateAsync(UserA, OrderSteps.Body("one_step", 25000, "mt5", "btc"));
        var orderId = order.GetProperty("orderId").GetString()!;
        await OrderSteps.PayAsync(Provider, Service.IpnSecret, orderId, order.GetProperty("priceAmount").GetDecimal());
        await OrderSteps.WaitForAsync(UserA, orderId, "deliveryStatus", "delivered");
        using var credentials = await UserA.GetAsync($"/orders/{orderId}/account");

        Assert.Equal(HttpStatusCode.OK, fix.StatusCode);
        var fixedAccount = await Json.ReadAsync(fix);
        Assert.Equal("FFX-Live-01", fixedAccount.GetProperty("server").GetString());
        Assert.Equal("5123456", fixedAccount.GetProperty("login").GetString());
        Assert.True(credentials.StatusCode == HttpStatusCode.OK, await credentials.Content.ReadAsStringAsync());
        var account = await Json.ReadAsync(credentials);
        Assert.Equal("5123456", account.GetProperty("login").GetString());
        Assert.Equal("FFX-Live-01", account.GetProperty("server").GetString());
        Assert.Equal("Pw!fixed", account.GetProperty("password").GetString());
        Assert.Equal("Inv!fixed", account.GetProperty("investorPassword").GetString());
        var audit = await OrderSteps.ScalarAsync<string>(Database,
            "SELECT details::text FROM admin_audit_log WHERE action = 'inventory.account_updated' AND target = @target AND admin_user_id = @admin",
            new { target = $"account:{accountId}", admin = Identities.AdminId });
        var changes = JsonDocument.Parse(audit).RootElement.GetProperty("changes");
        Assert.Equal("FFX-Lvie-01", changes.GetProperty("server").GetProperty("from").GetString());
        Assert.Equal("5123456", changes.GetProperty("login").GetProperty("to").GetString());
        Assert.DoesNotContain("Pw!", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_LoginOfAnotherAccount_409_NothingChanged()
    {
        await OrderSteps.ImportAsync(Admin, 2, accountSize: 5000, platform: "mt5", prefix: "twin");
        var second = await AccountIdAsync("twin-2");

        using var response = await PatchAsync(second, new { login = "twin-1", status = "disabled" });
        using var unchanged = await PatchAsync(second, new { login = "twin-2" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("twin-1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("twin-2/available", await OrderSteps.ScalarAsync<string>(Database,
            "SELECT login || '/' || status FROM account_container WHERE id = @second", new { second }));
        Assert.Equal(HttpStatusCode.OK, unchanged.StatusCode); // the same values: nothing to change, nothing audited
        Assert.Equal(0L, await AuditCountAsync(second));
    }

    [Fact]
    public async Task Patch_InvalidOrUnknown_400Or404_WritesNothing()
    {
        await OrderSteps.ImportAsync(Admin, 1, accountSize: 5000, platform: "mt4", prefix: "bad");
        var id = await AccountIdAsync("bad-1");

        using var delivered = await PatchAsync(id, new { status = "delivered" });
        using var blank = await PatchAsync(id, new { server = "  " });
        using var tooLong = await PatchAsync(id, new { login = new string('9', 65) });
        using var empty = await PatchAsync(id, new { });
        using var unknown = await Admin.PatchAsJsonAsync("/admin/inventory/accounts/999999999", new { status = "disabled" });
        using var garbage = await Admin.PatchAsJsonAsync("/admin/inventory/accounts/abc", new { status = "disabled" });

        await ProblemAssert.IsProblemAsync(delivered, HttpStatusCode.BadRequest, "status");
        await ProblemAssert.IsProblemAsync(blank, HttpStatusCode.BadRequest, "server");
        await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest, "login");
        await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest, "body");
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(garbage, HttpStatusCode.NotFound);
        Assert.Equal("bad-1/FFX-Live-01/available", await OrderSteps.ScalarAsync<string>(Database,
            "SELECT login || '/' || server || '/' || status FROM account_container WHERE id = @id", new { id }));
        Assert.Equal(0L, await AuditCountAsync(id));
    }

    [Fact]
    public async Task Delete_NeverDelivered_204_Audited_ThenGone()
    {
        await OrderSteps.ImportAsync(Admin, 1, accountSize: 10000, platform: "mt4", prefix: "gone");
        var id = await AccountIdAsync("gone-1");

        using var deleted = await Admin.DeleteAsync($"/admin/inventory/accounts/{id}");
        using var again = await Admin.DeleteAsync($"/admin/inventory/accounts/{id}");
        using var patchGone = await PatchAsync(id, new { status = "disabled" });

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(patchGone, HttpStatusCode.NotFound);
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM account_container WHERE id = @id", new { id }));
        Assert.Equal("gone-1", await OrderSteps.ScalarAsync<string>(Database,
            "SELECT details->>'login' FROM admin_audit_log WHERE action = 'inventory.account_deleted' AND target = @target AND admin_user_id = @admin",
            new { target = $"account:{id}", admin = Identities.AdminId }));
        Assert.Equal(1L, await AuditCountAsync(id));
    }

    [Fact]
    public async Task CustomerAndAnonymous_403And401_ChangeNothing()
    {
        await OrderSteps.ImportAsync(Admin, 1, accountSize: 10000, platform: "mt5", prefix: "guarded");
        var id = await AccountIdAsync("guarded-1");
        using var anonymous = Service.CreateClient();

        using var customerList = await UserA.GetAsync("/admin/inventory/accounts");
        using var customerPatch = await UserA.PatchAsJsonAsync($"/admin/inventory/accounts/{id}", new { status = "disabled" });
        using var customerDelete = await UserA.DeleteAsync($"/admin/inventory/accounts/{id}");
        using var anonymousList = await anonymous.GetAsync("/admin/inventory/accounts");
        using var anonymousPatch = await anonymous.PatchAsJsonAsync($"/admin/inventory/accounts/{id}", new { status = "disabled" });
        using var anonymousDelete = await anonymous.DeleteAsync($"/admin/inventory/accounts/{id}");

        await ProblemAssert.IsProblemAsync(customerList, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(customerPatch, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(customerDelete, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(anonymousList, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(anonymousPatch, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(anonymousDelete, HttpStatusCode.Unauthorized);
        Assert.Equal("available", await OrderSteps.ScalarAsync<string>(Database, "SELECT status::text FROM account_container WHERE id = @id", new { id }));
        Assert.Equal(0L, await AuditCountAsync(id));
    }

    private Task<HttpResponseMessage> PatchAsync(long accountId, object body) =>
        Admin.PatchAsJsonAsync($"/admin/inventory/accounts/{accountId}", body);

    private Task<long> AccountIdAsync(string login) =>
        OrderSteps.ScalarAsync<long>(Database, "SELECT id FROM account_container WHERE login = @login", new { login });

    private Task<long> AuditCountAsync(long accountId) =>
        OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM admin_audit_log WHERE target = @target", new { target = $"account:{accountId}" });

    /// <summary>The status each audited change of the account set, newest first.</summary>
    private async Task<string[]> AuditedStatusesAsync(long accountId)
    {
        var joined = await OrderSteps.ScalarAsync<string?>(Database, """
            SELECT string_agg(details->'changes'->'status'->>'to', ',' ORDER BY id DESC)
              FROM admin_audit_log WHERE target = @target AND details->'changes' ? 'status'
            """, new { target = $"account:{accountId}" });
        return joined is null ? [] : joined.Split(',');
    }

    private static string[] Logins(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("login").GetString()!).ToArray();
}

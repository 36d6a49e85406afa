using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Admin;

/// <summary>GET /admin/audit: the trail the admin actions write, newest first, filtered and paged.</summary>
[Collection(ApiCollection.Name)]
public sealed class AdminAuditTests() : ApiTestBase("admin-audit")
{
    [Fact]
    public async Task List_NewestFirst_FiltersByActionActorOrderAndTime()
    {
        using var admin = Service.CreateClient(Identities.Admin);
        var second = Service.NewAdmin("night-shift@example.test");
        using var secondAdmin = Service.CreateClient(second);
        using var user = Service.CreateClient(Identities.UserA);
        await OrderSteps.ImportAsync(admin, 1, accountSize: 5000, platform: "mt5", prefix: "audit");
        var accountId = await OrderSteps.ScalarAsync<long>(Database, "SELECT id FROM account_container WHERE login = 'audit-1'");
        using var disable = await admin.PatchAsJsonAsync($"/admin/inventory/accounts/{accountId}", new { status = "disabled" });
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        var orderId = (await OrderSteps.CreateAsync(user)).GetProperty("orderId").GetString()!;
        using var cancel = await secondAdmin.PostAsJsonAsync($"/admin/orders/{orderId}/cancel", new { reason = "duplicate order" });
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await OrderSteps.ScalarAsync<int>(Database, """
            INSERT INTO admin_audit_log (admin_user_id, action, target, details, created_at)
            VALUES (@admin, 'inventory.imported', NULL, '{"imported": 9}', '2020-01-01T12:00:00Z'),
                   (@admin, 'inventory.imported', NULL, '{"imported": 8}', '2020-01-03T12:00:00Z')
            RETURNING 1
            """, new { admin = Identities.AdminId });

        var all = await admin.GetFromJsonAsync<JsonElement>("/admin/audit");
        var updates = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=inventory.account_updated");
        var byId = await admin.GetFromJsonAsync<JsonElement>($"/admin/audit?actor={second.Id}");
        var byEmail = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?actor=NIGHT-SHIFT@example.test");
        var byOrder = await admin.GetFromJsonAsync<JsonElement>($"/admin/audit?orderId={orderId}");
        var inJanuary2020 = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z");
        var secondPage = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?page=2&pageSize=1");

        Assert.Equal(["order.cancel_requested", "inventory.account_updated", "inventory.imported", "inventory.imported", "inventory.imported"], Actions(all));
        Assert.Equal(5, all.GetProperty("total").GetInt64());
        var newest = all.GetProperty("items")[0];
        Assert.Equal(second.Id, newest.GetProperty("actorId").GetGuid());
        Assert.Equal("night-shift@example.test", newest.GetProperty("actorEmail").GetString());
        Assert.Equal("duplicate order", newest.GetProperty("details").GetProperty("reason").GetString());
        var update = Assert.Single(updates.GetProperty("items").EnumerateArray());
        Assert.Equal($"account:{accountId}", update.GetProperty("target").GetString());
        Assert.Equal("ops@example.test", update.GetProperty("actorEmail").GetString());
        Assert.Equal(["order.cancel_requested"], Actions(byId));
        Assert.Equal(["order.cancel_requested"], Actions(byEmail));
        Assert.Equal(orderId, Assert.Single(byOrder.GetProperty("items").EnumerateArray()).GetProperty("target").GetString());
        Assert.Equal(9, Assert.Single(inJanuary2020.GetProperty("items").EnumerateArray()).GetProperty("details").GetProperty("imported").GetInt32());
        Assert.Equal(5, secondPage.GetProperty("total").GetInt64());
        Assert.Equal(["inventory.account_updated"], Actions(secondPage));
    }

    [Fact]
    public async Task List_BadFilters_400_AndReadingWritesNothing()
    {
        using var admin = Service.CreateClient(Identities.Admin);
        using var first = await admin.GetAsync("/admin/audit");
        var before = await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM admin_audit_log");

        using var badOrder = await admin.GetAsync("/admin/audit?orderId=abc");
        using var badFrom = await admin.GetAsync("/admin/audit?from=yesterday");
        using var backwards = await admin.GetAsync("/admin/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
        using var badPage = await admin.GetAsync("/admin/audit?page=0");
        using var blankAction = await admin.GetAsync("/admin/audit?action=%20");
        using var again = await admin.GetAsync("/admin/audit?action=order.cancel_requested");

        Assert.True(first.StatusCode == HttpStatusCode.OK, Service.Logs.Tail(10));
        await ProblemAssert.IsProblemAsync(badOrder, HttpStatusCode.BadRequest, "orderId");
        await ProblemAssert.IsProblemAsync(badFrom, HttpStatusCode.BadRequest, "from");
        await ProblemAssert.IsProblemAsync(backwards, HttpStatusCode.BadRequest, "to");
        await ProblemAssert.IsProblemAsync(badPage, HttpStatusCode.BadRequest, "page");
        await ProblemAssert.IsProblemAsync(blankAction, HttpStatusCode.BadRequest, "action");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(before, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM admin_audit_log"));
    }

    [Fact]
    public async Task List_CustomerAndAnonymous_403And401()
    {
        using var customer = Service.CreateClient(Identities.UserA);
        using var anonymous = Service.CreateClient();

        using var byCustomer = await customer.GetAsync("/admin/audit");
        using var byAnonymous = await anonymous.GetAsync("/admin/audit");

        await ProblemAssert.IsProblemAsync(byCustomer, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(byAnonymous, HttpStatusCode.Unauthorized);
    }

    private static string[] Actions(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!).ToArray();
}

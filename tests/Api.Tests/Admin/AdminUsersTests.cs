using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Admin;

/// <summary>GET /admin/users and /admin/users/{userId} with the worker running, so totals come from real deliveries.</summary>
[Collection(ApiCollection.Name)]
public sealed class AdminUsersTests() : ApiTestBase("admin-users", worker: true)
{
    [Fact]
    public async Task ListAndGet_TotalsMatchTheUsersOwnMe_ProfileAndOrdersShown()
    {
        using var admin = Service.CreateClient(Identities.Admin);
        using var provider = Service.CreateClient();
        var carol = Service.NewUser("Carol.Unique_1@example.test");
        using var asCarol = Service.CreateClient(carol);
        using var lookalike = Service.CreateClient(Service.NewUser("carol.uniqueX1@example.test"));
        Assert.Equal(HttpStatusCode.OK, (await lookalike.GetAsync("/me")).StatusCode);
        using var profile = await asCarol.PatchAsJsonAsync("/me", new { firstName = "Carol", country = "GB" });
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        await OrderSteps.ImportAsync(admin, 1, accountSize: 10000, platform: "mt4", prefix: "carol");
        var paid = await OrderSteps.CreateAsync(asCarol, OrderSteps.Body("two_step", 10000, "mt4", "btc"));
        var paidId = paid.GetProperty("orderId").GetString()!;
        await OrderSteps.PayAsync(provider, Service.IpnSecret, paidId, paid.GetProperty("priceAmount").GetDecimal());
        await OrderSteps.WaitForAsync(asCarol, paidId, "orderStatus", "completed");
        var unpaidId = (await OrderSteps.CreateAsync(asCarol)).GetProperty("orderId").GetString()!;
        var auditRows = await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM admin_audit_log");

        var me = await asCarol.GetFromJsonAsync<JsonElement>("/me");
        var list = await admin.GetFromJsonAsync<JsonElement>("/admin/users?email=UNIQUE_1");
        var everyone = await admin.GetFromJsonAsync<JsonElement>("/admin/users?pageSize=1");
        var detail = await admin.GetFromJsonAsync<JsonElement>($"/admin/users/{carol.Id}");

        Assert.Equal(1, list.GetProperty("total").GetInt64()); // '_' is a character here, not a wildcard
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(carol.Id, item.GetProperty("id").GetGuid());
        Assert.Equal("user", item.GetProperty("role").GetString());
        var totals = item.GetProperty("totals");
        var myTotals = me.GetProperty("totals");
        Assert.Equal(2, totals.GetProperty("orders").GetInt32());
        Assert.Equal(1, totals.GetProperty("completedOrders").GetInt32());
        Assert.Equal(myTotals.GetProperty("totalOrders").GetInt32(), totals.GetProperty("completedOrders").GetInt32());
        Assert.Equal(myTotals.GetProperty("totalSpent").GetDecimal(), totals.GetProperty("totalSpent").GetDecimal());
        Assert.Equal(paid.GetProperty("priceAmount").GetDecimal(), totals.GetProperty("totalSpent").GetDecimal());
        Assert.Equal(myTotals.GetProperty("currency").GetString(), totals.GetProperty("currency").GetString());
        Assert.True(everyone.GetProperty("total").GetInt64() >= 3, everyone.GetRawText()); // at least the admin, carol and the lookalike
        Assert.Single(everyone.GetProperty("items").EnumerateArray());
        Assert.Equal(carol.Email, detail.GetProperty("email").GetString());
        Assert.Equal("Carol", detail.GetProperty("profile").GetProperty("firstName").GetString());
        Assert.Equal("GB", detail.GetProperty("profile").GetProperty("country").GetString());
        Assert.Equal(totals.GetRawText(), detail.GetProperty("totals").GetRawText());
        Assert.Equal(1, detail.GetProperty("ordersByStatus").GetProperty("completed").GetInt32());
        Assert.Equal([unpaidId, paidId], detail.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()!));
        Assert.Equal(auditRows, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM admin_audit_log")); // reads are not audited
    }

    [Fact]
    public async Task Get_UnknownOrMalformedId_404_BadPaging_400()
    {
        using var admin = Service.CreateClient(Identities.Admin);

        using var unknown = await admin.GetAsync($"/admin/users/{Guid.NewGuid()}");
        using var malformed = await admin.GetAsync("/admin/users/not-a-user");
        using var bigPage = await admin.GetAsync("/admin/users?pageSize=500");
        using var blankEmail = await admin.GetAsync("/admin/users?email=%20");

        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(malformed, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(bigPage, HttpStatusCode.BadRequest, "pageSize");
        await ProblemAssert.IsProblemAsync(blankEmail, HttpStatusCode.BadRequest, "email");
    }

    [Fact]
    public async Task CustomerAndAnonymous_403And401()
    {
        using var customer = Service.CreateClient(Identities.UserA);
        using var anonymous = Service.CreateClient();

        using var customerList = await customer.GetAsync("/admin/users");
        using var customerOwn = await customer.GetAsync($"/admin/users/{Identities.UserAId}");
        using var anonymousList = await anonymous.GetAsync("/admin/users");
        using var anonymousOne = await anonymous.GetAsync($"/admin/users/{Identities.UserAId}");

        await ProblemAssert.IsProblemAsync(customerList, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(customerOwn, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(anonymousList, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(anonymousOne, HttpStatusCode.Unauthorized);
    }
}

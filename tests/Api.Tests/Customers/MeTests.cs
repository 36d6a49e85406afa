using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using Xunit;

namespace FlashFundX.Api.Tests.Customers;

/// <summary>The signed-in customer's own view: totals after a delivered order, their accounts, and the profile patch.</summary>
public sealed class MeTests() : ApiTestBase("me", worker: true)
{
    [Fact]
    public async Task AfterADeliveredOrder_TotalsCountItAndAccountsListIt_OnlyForItsOwner()
    {
        var import = await Service.ImportInventoryAsync(1);
        using var customer = Service.CreateClient(Service.NewUser());
        using var other = Service.CreateClient(Service.NewUser());
        using var provider = Service.CreateClient((string?)null);
        var order = await Service.CreateOrderAsync(customer);
        var paymentId = (7_000_000_000L + Random.Shared.Next(1_000_000)).ToString(CultureInfo.InvariantCulture);

        using (var ipn = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(order.OrderId, paymentId, "finished", order.PriceAmount), Service.IpnSecret)))
        {
            Assert.Equal(HttpStatusCode.OK, ipn.StatusCode);
        }
        await Service.WaitForOrderAsync(order.OrderId, o => o.OrderStatus == "completed");

        var me = await Json.ReadAsync(await customer.GetAsync(new Uri("/me", UriKind.Relative)));
        var totals = me.GetProperty("totals");
        Assert.Equal((1, order.PriceAmount, order.PriceCurrency), (totals.GetProperty("totalOrders").GetInt32(), totals.GetProperty("totalSpent").GetDecimal(), totals.GetProperty("currency").GetString()));
        Assert.Equal(1, me.GetProperty("ordersByStatus").GetProperty("completed").GetInt32());
        var accounts = (await Json.ReadAsync(await customer.GetAsync(new Uri("/me/accounts", UriKind.Relative)))).EnumerateArray().ToArray();
        var account = Assert.Single(accounts);
        Assert.Equal((order.OrderId, import.Accounts[0].Login), (account.GetProperty("orderId").GetString(), account.GetProperty("login").GetString()));
        Assert.False(account.TryGetProperty("password", out _));
        Assert.Empty((await Json.ReadAsync(await other.GetAsync(new Uri("/me/accounts", UriKind.Relative)))).EnumerateArray());
        var otherMe = await Json.ReadAsync(await other.GetAsync(new Uri("/me", UriKind.Relative)));
        Assert.Equal(0, otherMe.GetProperty("totals").GetProperty("totalOrders").GetInt32());
    }

    [Fact]
    public async Task PatchMe_MergePatch_SetsAndClearsFields_LeavesOthers()
    {
        using var customer = Service.CreateClient(Service.NewUser());

        var set = await PatchAsync(customer, """{"firstName":"Ada","lastName":"Lovelace","country":"GB","marketingConsent":true}""");
        var cleared = await PatchAsync(customer, """{"firstName":null}""");

        Assert.Equal(HttpStatusCode.OK, set.Status);
        Assert.Equal(("Ada", "GB", true), (set.Profile.GetProperty("firstName").GetString(), set.Profile.GetProperty("country").GetString(), set.Profile.GetProperty("marketingConsent").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, cleared.Profile.GetProperty("firstName").ValueKind);
        Assert.Equal(("Lovelace", "GB"), (cleared.Profile.GetProperty("lastName").GetString(), cleared.Profile.GetProperty("country").GetString()));
    }

    [Theory]
    [InlineData("""{"country":"gbr"}""", "country")]
    [InlineData("""{"phone":"call me"}""", "phone")]
    [InlineData("""{"firstName":""}""", "firstName")]
    [InlineData("""{"email":"new@example.test"}""", "email")]
    [InlineData("""{"role":"admin"}""", "role")]
    [InlineData("""{"nickname":"x"}""", "nickname")]
    [InlineData("""{"marketingConsent":"yes"}""", "marketingConsent")]
    public async Task PatchMe_BadField_400NamingIt_NothingChanged(string body, string field)
    {
        using var customer = Service.CreateClient(Service.NewUser());
        await PatchAsync(customer, """{"lastName":"Before"}""");

        using var response = await customer.SendAsync(Patch(body.Replace("}", ""","lastName":"After"}""", StringComparison.Ordinal)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        var me = await Json.ReadAsync(await customer.GetAsync(new Uri("/me", UriKind.Relative)));
        Assert.Equal("Before", me.GetProperty("profile").GetProperty("lastName").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Profile)> PatchAsync(HttpClient client, string body)
    {
        using var response = await client.SendAsync(Patch(body));
        var json = await Json.ReadAsync(response);
        return (response.StatusCode, json.TryGetProperty("profile", out var profile) ? profile : default);
    }

    private static HttpRequestMessage Patch(string body) =>
        new(HttpMethod.Patch, "/me") { Content = new StringContent(body, Encoding.UTF8, "application/merge-patch+json") };
}

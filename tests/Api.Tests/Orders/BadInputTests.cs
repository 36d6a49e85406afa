using System.Net;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Orders;

/// <summary>Bad input on every endpoint with a body or parameters → 4xx problem details naming the field, no 500, nothing written.</summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests() : ApiTestBase("badinput")
{
    public static TheoryData<string, string?> InvalidOrderBodies => new()
    {
        { """{"accountSize":10000,"platform":"mt5","payCurrency":"btc"}""", "accountType" },
        { """{"accountType":"three_step","accountSize":10000,"platform":"mt5","payCurrency":"btc"}""", "accountType" },
        { """{"accountType":"TWO_STEP","accountSize":10000,"platform":"mt5","payCurrency":"btc"}""", "accountType" },
        { """{"accountType":2,"accountSize":10000,"platform":"mt5","payCurrency":"btc"}""", "accountType" },
        { """{"accountType":"two_step","platform":"mt5","payCurrency":"btc"}""", "accountSize" },
        { """{"accountType":"two_step","accountSize":7000,"platform":"mt5","payCurrency":"btc"}""", "accountSize" },
        { """{"accountType":"two_step","accountSize":-10000,"platform":"mt5","payCurrency":"btc"}""", "accountSize" },
        { """{"accountType":"two_step","accountSize":0,"platform":"mt5","payCurrency":"btc"}""", "accountSize" },
        { """{"accountType":"two_step","accountSize":"10000","platform":"mt5","payCurrency":"btc"}""", "accountSize" },
        { """{"accountType":"two_step","accountSize":"ten","platform":"mt5","payCurrency":"btc"}""", "accountSize" },
        { """{"accountType":"two_step","accountSize":10000.5,"platform":"mt5","payCurrency":"btc"}""", "accountSize" },
        { """{"accountType":"two_step","accountSize":99999999999999999999999999999,"platform":"mt5","payCurrency":"btc"}""", "accountSize" },
        { """{"accountType":"two_step","accountSize":1e400,"platform":"mt5","payCurrency":"btc"}""", "accountSize" },
        { """{"accountType":"two_step","accountSize":10000,"platform":"mt6","payCurrency":"btc"}""", "platform" },
        { """{"accountType":"two_step","accountSize":10000,"payCurrency":"btc"}""", "platform" },
        { """{"accountType":"two_step","accountSize":10000,"platform":"mt5","payCurrency":"doge"}""", "payCurrency" },
        { """{"accountType":"two_step","accountSize":10000,"platform":"mt5","payCurrency":null}""", "payCurrency" },
        { """{"accountType":"two_step","accountSize":10000,"platform":"mt5","payCurrency":["btc"]}""", "payCurrency" },
        { """{"accountType":"two_step","accountSize":10000,"platform":"mt5","payCurrency":"btc" """, null },
        { """not json""", null },
        { """[]""", null },
        { """null""", null },
        { "", null },
    };

    [Theory]
    [MemberData(nameof(InvalidOrderBodies))]
    public async Task CreateOrder_InvalidBody_Returns400NamingField(string body, string? field)
    {
        using var client = Service.CreateClient(Identities.UserA);

        using var response = await client.PostAsync("/orders", Json.Raw(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(0, await CountAsync("orders"));
    }

    [Fact]
    public async Task CreateOrder_OneMegabyteBody_Returns413()
    {
        using var client = Service.CreateClient(Identities.UserA);
        var padding = new string('x', 1024 * 1024);

        using var response = await client.PostAsync("/orders", Json.Raw($$"""{"accountType":"two_step","note":"{{padding}}"}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await CountAsync("orders"));
    }

    [Fact]
    public async Task CreateOrder_ChunkedOversizedBody_Returns413()
    {
        using var client = Service.CreateClient(Identities.UserA);
        var content = new StreamContent(new MemoryStream(new byte[1024 * 1024]));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task CreateOrder_WrongContentType_Returns415()
    {
        using var client = Service.CreateClient(Identities.UserA);

        using var response = await client.PostAsync("/orders", Json.Raw("accountType=two_step", "application/x-www-form-urlencoded"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task CreateOrder_OversizedIdempotencyKey_Returns400()
    {
        using var client = Service.CreateClient(Identities.UserA);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = Json.Raw("""{"accountType":"two_step","accountSize":10000,"platform":"mt5","payCurrency":"btc"}"""),
        };
        request.Headers.Add("Idempotency-Key", new string('k', 500));

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "Idempotency-Key");
        Assert.Equal(0, await CountAsync("orders"));
    }

    [Theory]
    [InlineData("/orders?page=0", "page")]
    [InlineData("/orders?pageSize=1000", "pageSize")]
    [InlineData("/orders?pageSize=-1", "pageSize")]
    [InlineData("/orders?page=abc", null)]
    [InlineData("/orders?page=99999999999999999999", null)]
    public async Task ListOrders_BadPaging_Returns400(string path, string? field)
    {
        using var client = Service.CreateClient(Identities.UserA);

        using var response = await client.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    public static TheoryData<string, string?> InvalidInventoryBodies => new()
    {
        { """{"accounts":[]}""", "accounts" },
        { """{}""", "accounts" },
        { """{"accounts":[{"login":"1","password":"p","investorPassword":"i","server":"s","platform":"mt9","accountSize":5000}]}""", "accounts[0].platform" },
        { """{"accounts":[{"login":"1","password":"p","investorPassword":"i","server":"s","platform":"mt4","accountSize":-5000}]}""", "accounts[0].accountSize" },
        { """{"accounts":[{"login":"1","password":"p","investorPassword":"i","server":"s","platform":"mt4","accountSize":7777}]}""", "accounts[0].accountSize" },
        { """{"accounts":[{"login":"1","investorPassword":"i","server":"s","platform":"mt4","accountSize":5000}]}""", "accounts[0].password" },
        { """{"accounts":[{"login":"","password":"p","investorPassword":"i","server":"s","platform":"mt4","accountSize":5000}]}""", "accounts[0].login" },
        { """{"accounts":[null]}""", "accounts[0]" },
        { """{"accounts":[{"login":"1","password":"p","investorPassword":"i","server":"s","platform":"mt4","accountSize":"big"}]}""", "accounts[0].accountSize" },
        { """{"accounts":"all of them"}""", "accounts" },
        { """{"accounts":[{"login":1e999}]}""", null },
        { """{"accounts":[""", null },
    };

    [Theory]
    [MemberData(nameof(InvalidInventoryBodies))]
    public async Task ImportInventory_InvalidBody_Returns400NamingField(string body, string? field)
    {
        using var client = Service.CreateClient(Identities.Admin);

        using var response = await client.PostAsync("/admin/inventory", Json.Raw(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(0, await CountAsync("account_container"));
    }

    [Fact]
    public async Task ImportInventory_OneMegabyteOfGarbage_Returns4xx()
    {
        using var client = Service.CreateClient(Identities.Admin);
        var garbage = "{\"accounts\":[" + new string('[', 1024 * 1024);

        using var response = await client.PostAsync("/admin/inventory", Json.Raw(garbage));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountAsync("account_container"));
    }

    [Theory]
    [InlineData("""{}""", "reason")]
    [InlineData("""{"reason":""}""", "reason")]
    [InlineData("""{"reason":42}""", "reason")]
    [InlineData("""{"reason":"x" """, null)]
    public async Task CancelOrder_InvalidBody_Returns400(string body, string? field)
    {
        using var client = Service.CreateClient(Identities.Admin);

        using var response = await client.PostAsync("/admin/orders/FFX000000001/cancel", Json.Raw(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(0, await CountAsync("admin_audit_log"));
    }

    [Fact]
    public async Task CancelOrder_UnknownOrder_Returns404()
    {
        using var client = Service.CreateClient(Identities.Admin);

        using var response = await client.PostAsync("/admin/orders/FFX000000001/cancel", Json.Raw("""{"reason":"test"}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        using var client = Service.CreateClient(Identities.UserA);

        using var response = await client.GetAsync("/nothing-here");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }
}

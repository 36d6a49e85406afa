using System.Net;
using System.Text;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// Bad input that <c>Orders/BadInputTests</c> and the webhook tests do not cover yet: malformed ids in routes, the remaining
/// paging parameters, the cancel endpoint's limits, wrongly typed or absurd IPN fields and wrong methods. Each answers
/// 4xx problem details, never 500, and writes nothing (for the webhook: only its own webhook_events record).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputGapTests() : ApiTestBase("badinputgaps")
{
    private const string ValidOrderBody = """{"accountType":"two_step","accountSize":10000,"platform":"mt5","payCurrency":"btc"}""";

    [Theory]
    [InlineData("/orders/abc")]
    [InlineData("/orders/FFX12")]
    [InlineData("/orders/ffx000000001")]
    [InlineData("/orders/FFX0000000011")]
    [InlineData("/orders/FFX000000001'%20OR%20'1'='1")]
    [InlineData("/orders/%E2%82%AC%F0%9F%92%A5")]
    [InlineData("/orders/FFX999999999")]
    [InlineData("/orders/abc/account")]
    [InlineData("/orders/FFX999999999/account")]
    [InlineData("/orders/FFX000000001'--/account")]
    public async Task OrderRoutes_MalformedOrUnknownId_Return404Problem(string path)
    {
        using var client = Service.CreateClient(Identities.UserA);

        using var response = await client.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OrderRoutes_HugeId_Return4xxProblem()
    {
        using var client = Service.CreateClient(Identities.UserA);
        var id = new string('9', 8000);

        using var order = await client.GetAsync($"/orders/FFX{id}");
        using var account = await client.GetAsync($"/orders/FFX{id}/account");

        await ProblemAssert.IsProblemAsync(order, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(account, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/orders?pageSize=abc", null)]
    [InlineData("/orders?pageSize=0", "pageSize")]
    [InlineData("/orders?pageSize=101", "pageSize")]
    [InlineData("/orders?pageSize=99999999999", null)]
    [InlineData("/orders?page=-1", "page")]
    [InlineData("/orders?page=1000001", "page")]
    [InlineData("/orders?page=1.5", null)]
    [InlineData("/orders?page=", null)]
    [InlineData("/orders?page=1&page=2", null)]
    [InlineData("/orders?page=%00", null)]
    public async Task ListOrders_MorePagingMistakes_Return400(string path, string? field)
    {
        using var client = Service.CreateClient(Identities.UserA);

        using var response = await client.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task ListOrders_LargestAllowedPage_Returns200Empty()
    {
        using var client = Service.CreateClient(Identities.UserA);

        using var response = await client.GetAsync("/orders?page=1000000&pageSize=100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Json.ReadAsync(response);
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    public static TheoryData<string, string?> InvalidCancelBodies => new()
    {
        { $$"""{"reason":"{{new string('r', 501)}}"}""", "reason" },
        { """{"reason":"   "}""", "reason" },
        { """{"reason":null}""", "reason" },
        { """{"reason":["a"]}""", "reason" },
        { """{"reason":{"text":"a"}}""", "reason" },
        { """null""", null },
        { """[]""", null },
        { """not json""", null },
        { "", null },
    };

    [Theory]
    [MemberData(nameof(InvalidCancelBodies))]
    public async Task CancelOrder_MoreInvalidBodies_Return400_NothingWritten(string body, string? field)
    {
        var orderId = await CreateOrderAsync();
        using var admin = Service.CreateClient(Identities.Admin);

        using var response = await admin.PostAsync($"/admin/orders/{orderId}/cancel", Json.Raw(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        await AssertNothingCancelledAsync(orderId);
    }

    [Fact]
    public async Task CancelOrder_OneMegabyteReason_Returns413_NothingWritten()
    {
        var orderId = await CreateOrderAsync();
        using var admin = Service.CreateClient(Identities.Admin);

        using var response = await admin.PostAsync($"/admin/orders/{orderId}/cancel", Json.Raw($$"""{"reason":"{{new string('r', 1024 * 1024)}}"}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNothingCancelledAsync(orderId);
    }

    [Fact]
    public async Task CancelOrder_WrongContentType_Returns415_NothingWritten()
    {
        var orderId = await CreateOrderAsync();
        using var admin = Service.CreateClient(Identities.Admin);

        using var response = await admin.PostAsync($"/admin/orders/{orderId}/cancel", Json.Raw("reason=because", "application/x-www-form-urlencoded"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertNothingCancelledAsync(orderId);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("FFX12")]
    [InlineData("FFX000000001'--")]
    public async Task CancelOrder_MalformedId_Returns404_NothingWritten(string orderId)
    {
        using var admin = Service.CreateClient(Identities.Admin);

        using var response = await admin.PostAsync($"/admin/orders/{Uri.EscapeDataString(orderId)}/cancel", Json.Raw("""{"reason":"test"}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(0L, await CountAsync("admin_audit_log"));
    }

    public static TheoryData<string> InvalidIpnBodies => new()
    {
        """{"order_id":"FFX000000001","payment_id":5001,"payment_status":"finished","price_amount":1e400}""",
        """{"order_id":"FFX000000001","payment_id":5001,"payment_status":"finished","price_amount":"lots"}""",
        """{"order_id":"FFX000000001","payment_id":5001,"payment_status":"finished","actually_paid":[1]}""",
        """{"order_id":"FFX000000001","payment_id":{"id":1},"payment_status":"finished"}""",
        """{"order_id":"FFX000000001","payment_id":5001,"payment_status":"finished"} trailing""",
        """null""",
        """"a string"""",
        "",
    };

    [Theory]
    [MemberData(nameof(InvalidIpnBodies))]
    public async Task Webhook_WronglyTypedFields_SignedOrNot_Return400_SignalNothing(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var provider = Service.CreateClient();

        using var signed = await provider.SendAsync(IpnBuilder.SignedRequest(body, Service.IpnSecret));
        using var unsigned = await provider.SendAsync(IpnBuilder.Request(body, signature: null));

        await ProblemAssert.IsProblemAsync(signed, HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(unsigned, HttpStatusCode.BadRequest);
        Assert.Equal(2L, await CountAsync("webhook_events WHERE outcome = 'malformed'"));
        Assert.Equal(0L, await CountAsync("webhook_events WHERE outcome = 'accepted'"));
        Assert.Equal(0L, await CountAsync("payment_transactions"));
    }

    /// <summary>
    /// A NUL (<c>\u0000</c> in the JSON) fits a signature — JSON.stringify writes it so — but not PostgreSQL text: it is
    /// refused as malformed whatever the signature, and its row keeps what arrived with each NUL replaced.
    /// </summary>
    [Theory]
    [InlineData("""{"order_id":"FFX000000001\u0000x","payment_id":5001,"payment_status":"finished"}""", "order_id", "FFX000000001\uFFFDx")]
    [InlineData("""{"order_id":"FFX000000001","payment_id":5001,"payment_status":"fini\u0000shed"}""", "payment_status", "FFX000000001")]
    [InlineData("""{"order_id":"FFX000000001","payment_id":"50\u000001","payment_status":"finished"}""", "payment_id", "FFX000000001")]
    [InlineData("""{"order_id":"FFX000000001","pay_currency":"usdt\u0000","payment_id":5001,"payment_status":"finished"}""", "pay_currency", "FFX000000001")]
    [InlineData("""{"a\u0000":1,"order_id":"FFX000000001","payment_id":5001,"payment_status":"finished"}""", "a key", "FFX000000001")]
    public async Task Webhook_NulInAnyField_SignedOrNot_Returns400_StoresSanitisedRow(string json, string field, string storedOrderId)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var provider = Service.CreateClient();

        using var signed = await provider.SendAsync(IpnBuilder.SignedRequest(body, Service.IpnSecret));
        using var unsigned = await provider.SendAsync(IpnBuilder.Request(body, signature: null));

        var problem = await ProblemAssert.IsProblemAsync(signed, HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(unsigned, HttpStatusCode.BadRequest);
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(string? OrderId, string? PaymentId, string? PaymentStatus, bool SignatureValid, string Body)>(
            "SELECT order_id, payment_id, payment_status, signature_valid, body FROM webhook_events WHERE outcome = 'malformed' ORDER BY id")).ToList();
        Assert.Equal([true, false], rows.Select(r => r.SignatureValid));
        Assert.All(rows, r =>
        {
            Assert.Equal(storedOrderId, r.OrderId);
            Assert.DoesNotContain('\0', r.PaymentId + r.PaymentStatus);
            Assert.Equal(json, r.Body);
        });
        Assert.Equal(0L, await CountAsync("webhook_events WHERE outcome <> 'malformed'"));
        Assert.Equal(0L, await CountAsync("payment_transactions"));
    }

    /// <summary>
    /// NowPayments sends ids as JSON numbers, so the IPN parser reads scalars leniently: a numeric order_id or status is
    /// text. Signed, it is the provider's word about an order that does not exist — acknowledged as orphaned (a 4xx would
    /// only make the provider retry); unsigned, it is refused. Either way nothing is signalled or paid.
    /// </summary>
    [Theory]
    [InlineData("""{"order_id":123,"payment_id":5001,"payment_status":"finished"}""")]
    [InlineData("""{"order_id":"FFX000000001","payment_id":5001,"payment_status":7}""")]
    public async Task Webhook_NumericScalars_SignedIsOrphaned_UnsignedIs401_SignalNothing(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var provider = Service.CreateClient();

        using var signed = await provider.SendAsync(IpnBuilder.SignedRequest(body, Service.IpnSecret));
        using var unsigned = await provider.SendAsync(IpnBuilder.Request(body, signature: null));

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Contains("orphaned", await signed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(unsigned, HttpStatusCode.Unauthorized);
        Assert.Equal(0L, await CountAsync("webhook_events WHERE outcome = 'accepted'"));
        Assert.Equal(0L, await CountAsync("payment_transactions"));
        Assert.Equal(0L, await CountAsync("orders"));
    }

    [Theory]
    [InlineData("GET", "/webhooks/nowpayments")]
    [InlineData("PUT", "/orders")]
    [InlineData("DELETE", "/orders/FFX000000001")]
    [InlineData("PATCH", "/admin/inventory")]
    [InlineData("GET", "/admin/orders/FFX000000001/cancel")]
    public async Task WrongMethod_Returns405Problem(string method, string path)
    {
        using var client = Service.CreateClient(Identities.Admin);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    public static TheoryData<string, string?> MoreInvalidInventoryBodies => new()
    {
        { $$"""{"accounts":[{"login":"{{new string('l', 65)}}","password":"p","investorPassword":"i","server":"s","platform":"mt4","accountSize":5000}]}""", "accounts[0].login" },
        { $$"""{"accounts":[{"login":"1","password":"{{new string('p', 257)}}","investorPassword":"i","server":"s","platform":"mt4","accountSize":5000}]}""", "accounts[0].password" },
        { """{"accounts":[{"login":"1","password":"p","investorPassword":"i","server":"s","platform":"mt4","accountSize":99999999999}]}""", "accounts[0].accountSize" },
        { """{"accounts":[{"login":"1","password":"p","investorPassword":"i","server":"s","platform":"mt4","accountSize":5000.5}]}""", "accounts[0].accountSize" },
        { """{"accounts":[{"login":"1","password":"p","investorPassword":"i","server":"s","platform":"MT4","accountSize":5000}]}""", "accounts[0].platform" },
        { """{"accounts":[{"login":"1","password":"p","investorPassword":"i","server":"s","platform":4,"accountSize":5000}]}""", "accounts[0].platform" },
        { """null""", null },
        { """not json""", null },
    };

    [Theory]
    [MemberData(nameof(MoreInvalidInventoryBodies))]
    public async Task ImportInventory_MoreInvalidBodies_Return400_NothingWritten(string body, string? field)
    {
        using var admin = Service.CreateClient(Identities.Admin);

        using var response = await admin.PostAsync("/admin/inventory", Json.Raw(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(0L, await CountAsync("account_container"));
        Assert.Equal(0L, await CountAsync("admin_audit_log"));
    }

    [Fact]
    public async Task ImportInventory_WrongContentType_Returns415_NothingWritten()
    {
        using var admin = Service.CreateClient(Identities.Admin);

        using var response = await admin.PostAsync("/admin/inventory", Json.Raw("accounts=1", "text/plain"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0L, await CountAsync("account_container"));
    }

    private async Task<string> CreateOrderAsync()
    {
        using var user = Service.CreateClient(Identities.UserA);
        using var response = await user.PostAsync("/orders", Json.Raw(ValidOrderBody));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Json.ReadAsync(response)).GetProperty("orderId").GetString()!;
    }

    private async Task AssertNothingCancelledAsync(string orderId)
    {
        Assert.Equal(0L, await CountAsync("admin_audit_log"));
        var history = await Temporal.GetWorkflowHandle($"order-{orderId}").FetchHistoryAsync();
        Assert.DoesNotContain(history.Events, e => e.EventType == Temporalio.Api.Enums.V1.EventType.WorkflowExecutionSignaled);
    }

    private async Task<long> CountAsync(string tableAndFilter)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {tableAndFilter}");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Orders;

/// <summary>The issue-2 order contract with the worker running in the app: create, read, list, idempotency.</summary>
[Collection(ApiCollection.Name)]
public sealed class OrderContractTests() : ApiTestBase("contract", worker: true)
{
    [Fact]
    public async Task CreateOrder_Valid_Returns201WithInvoiceAndLocation()
    {
        using var client = Service.CreateClient(Identities.UserA);

        using var response = await client.PostAsJsonAsync("/orders", OrderSteps.Body("two_step", 10000, "mt5", "usdt_trc20"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await Json.ReadAsync(response);
        var orderId = order.GetProperty("orderId").GetString()!;
        Assert.Matches("^FFX[0-9]{9}$", orderId);
        Assert.Equal($"/orders/{orderId}", response.Headers.Location?.OriginalString);
        Assert.Equal("awaiting_payment", order.GetProperty("orderStatus").GetString());
        Assert.True(order.GetProperty("paymentStatus").GetString() is "pending" or "waiting", order.GetRawText());
        Assert.Equal("pending", order.GetProperty("deliveryStatus").GetString());
        Assert.Equal(89.00m, order.GetProperty("priceAmount").GetDecimal());
        Assert.Equal("usd", order.GetProperty("priceCurrency").GetString());
        Assert.False(string.IsNullOrEmpty(order.GetProperty("invoiceId").GetString()));
        Assert.StartsWith("http", order.GetProperty("invoiceUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal("two_step", order.GetProperty("accountType").GetString());
        Assert.Equal("mt5", order.GetProperty("platform").GetString());
        Assert.True(order.TryGetProperty("createdAt", out _));
        Assert.NotNull(Service.Simulator.GetInvoiceByOrderId(orderId));
    }

    [Fact]
    public async Task GetOrder_Owner_ReturnsOrderWithStageAndDeliveredAt()
    {
        using var client = Service.CreateClient(Identities.UserA);
        var created = await OrderSteps.CreateAsync(client);
        var orderId = created.GetProperty("orderId").GetString()!;

        var order = await OrderSteps.GetAsync(client, orderId);

        Assert.Equal(orderId, order.GetProperty("orderId").GetString());
        Assert.Equal("awaiting_payment", order.GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("deliveredAt").ValueKind);
        Assert.Equal(created.GetProperty("invoiceUrl").GetString(), order.GetProperty("invoiceUrl").GetString());
    }

    [Fact]
    public async Task ListOrders_NewestFirst_Paged()
    {
        using var client = Service.CreateClient(Identities.UserB);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await OrderSteps.CreateAsync(client)).GetProperty("orderId").GetString()!);
        }

        var first = await client.GetFromJsonAsync<JsonElement>("/orders?page=1&pageSize=2");
        var second = await client.GetFromJsonAsync<JsonElement>("/orders?page=2&pageSize=2");

        Assert.Equal(3, first.GetProperty("totalCount").GetInt64());
        var listed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(o => o.GetProperty("orderId").GetString()).ToArray();
        Assert.Equal(Enumerable.Reverse(ids).ToArray(), listed);
        Assert.Equal(2, first.GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task CreateOrder_SameIdempotencyKey_ReturnsSameOrderAndOneWorkflow()
    {
        using var client = Service.CreateClient(Identities.UserA);
        var key = Guid.NewGuid().ToString();

        var first = await OrderSteps.CreateAsync(client, idempotencyKey: key);
        var again = await OrderSteps.CreateAsync(client, idempotencyKey: key);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => OrderSteps.CreateAsync(client, idempotencyKey: key)));

        var orderId = first.GetProperty("orderId").GetString()!;
        Assert.Equal(orderId, again.GetProperty("orderId").GetString());
        Assert.All(concurrent, o => Assert.Equal(orderId, o.GetProperty("orderId").GetString()));
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM orders WHERE idempotency_key = @key", new { key }));
        var run = await Temporal.GetWorkflowHandle($"order-{orderId}").DescribeAsync();
        Assert.Equal($"order-{orderId}", run.Id);
        Assert.Single(Service.Simulator.GetInvoices(), i => i.OrderId == orderId);
    }

    [Fact]
    public async Task CreateOrder_SameKeyOtherUser_CreatesSeparateOrders()
    {
        using var a = Service.CreateClient(Identities.UserA);
        using var b = Service.CreateClient(Identities.UserB);
        var key = Guid.NewGuid().ToString();

        var ofA = await OrderSteps.CreateAsync(a, idempotencyKey: key);
        var ofB = await OrderSteps.CreateAsync(b, idempotencyKey: key);

        Assert.NotEqual(ofA.GetProperty("orderId").GetString(), ofB.GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task CreateOrder_SameKeyDifferentBody_Returns422()
    {
        using var client = Service.CreateClient(Identities.UserA);
        var key = Guid.NewGuid().ToString();
        await OrderSteps.CreateAsync(client, OrderSteps.Body(accountSize: 10000), key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(OrderSteps.Body(accountSize: 25000)) };
        request.Headers.Add("Idempotency-Key", key);

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM orders WHERE idempotency_key = @key", new { key }));
    }
}

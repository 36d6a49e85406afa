using System.Globalization;
using System.Net;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.Api.Tests.Limits;

/// <summary>
/// The rate limiter's limits over real HTTP, with small configured values: <c>POST /orders</c> per user, the webhook
/// per source address, and concurrent order event streams per user and per process. Windows are an hour long, so a
/// refusal cannot be a window that happened to roll over; what proves a limit is its own is that another caller passes.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RequestLimitTests() : ApiTestBase("limits", configure: options =>
{
    options.Settings["Limits:OrderCreationsPerUser"] = "2";
    options.Settings["Limits:OrderCreationWindow"] = "01:00:00";
    options.Settings["Limits:WebhookRequestsPerAddress"] = "3";
    options.Settings["Limits:WebhookWindow"] = "01:00:00";
    options.Settings["Limits:StreamsPerUser"] = "2";
    options.Settings["Limits:StreamsPerProcess"] = "3";
})
{
    [Fact]
    public async Task CreateOrder_OverThePerUserRate_429WithRetryAfter_OtherUserStillCreates()
    {
        var alice = Service.CreateClient(Service.NewUser());
        var bob = Service.CreateClient(Service.NewUser());
        await OrderSteps.CreateAsync(alice);
        await OrderSteps.CreateAsync(alice);

        using var refused = await OrderSteps.PostAsync(alice);
        var bobsOrder = await OrderSteps.CreateAsync(bob);

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("Limits:OrderCreationsPerUser", problem.GetProperty("setting").GetString());
        Assert.Equal(2, problem.GetProperty("limit").GetInt32());
        Assert.InRange(RetryAfterSeconds(refused), 1, 3600);
        Assert.True(bobsOrder.TryGetProperty("orderId", out _));
        Assert.Equal(3L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM orders"));
    }

    [Fact]
    public async Task Webhook_OverThePerAddressRate_429WithRetryAfter_NothingStored()
    {
        var anonymous = Service.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await anonymous.PostAsync("/webhooks/nowpayments", Json.Raw("{}"));
            Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);
        }
        var storedBefore = await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM webhook_events");

        using var refused = await anonymous.PostAsync("/webhooks/nowpayments", Json.Raw("{}"));

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("Limits:WebhookRequestsPerAddress", problem.GetProperty("setting").GetString());
        Assert.InRange(RetryAfterSeconds(refused), 1, 3600);
        Assert.Equal(storedBefore, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM webhook_events"));
    }

    [Fact]
    public async Task Streams_OverThePerUserAndPerProcessCaps_429_ASlotFreedIsUsable()
    {
        using var http = StreamClient.For(Service);
        var (alice, aliceOrder) = await UserWithOrderAsync();
        var (bob, bobOrder) = await UserWithOrderAsync();
        var (carol, carolOrder) = await UserWithOrderAsync();
        await using var first = await OpenAsync(http, alice, aliceOrder, HttpStatusCode.OK);
        await using var second = await OpenAsync(http, alice, aliceOrder, HttpStatusCode.OK);

        await using var aliceThird = await SseConnection.OpenAsync(http, alice.Token, aliceOrder);
        await using var bobs = await OpenAsync(http, bob, bobOrder, HttpStatusCode.OK);
        await using var carolRefused = await SseConnection.OpenAsync(http, carol.Token, carolOrder);
        await first.DisposeAsync();
        // The server sees the closed connection, ends that stream and frees its slot.
        await using var carols = (await Eventually.WaitAsync(
            () => OpenIfAllowedAsync(http, carol, carolOrder),
            stream => stream is not null,
            TimeSpan.FromSeconds(30),
            "a stream for carol once one of alice's closed"))!;

        var perUser = await ProblemAssert.IsProblemAsync(aliceThird.Response, HttpStatusCode.TooManyRequests);
        Assert.Equal("Limits:StreamsPerUser", perUser.GetProperty("setting").GetString());
        var perProcess = await ProblemAssert.IsProblemAsync(carolRefused.Response, HttpStatusCode.TooManyRequests);
        Assert.Equal("Limits:StreamsPerProcess", perProcess.GetProperty("setting").GetString());
        Assert.Equal(HttpStatusCode.OK, carols.Response.StatusCode);
    }

    private async Task<(TestUser User, string OrderId)> UserWithOrderAsync()
    {
        var user = Service.NewUser();
        var order = await OrderSteps.CreateAsync(Service.CreateClient(user));
        return (user, order.GetProperty("orderId").GetString()!);
    }

    private static async Task<SseConnection> OpenAsync(HttpClient http, TestUser user, string orderId, HttpStatusCode expected)
    {
        var stream = await SseConnection.OpenAsync(http, user.Token, orderId);
        if (stream.Response.StatusCode != expected)
        {
            Assert.Fail($"{(int)stream.Response.StatusCode}: {await stream.Response.Content.ReadAsStringAsync()}");
        }
        return stream;
    }

    /// <summary>An open stream, or null when refused (the refused response is disposed at once, holding nothing).</summary>
    private static async Task<SseConnection?> OpenIfAllowedAsync(HttpClient http, TestUser user, string orderId)
    {
        var stream = await SseConnection.OpenAsync(http, user.Token, orderId);
        if (stream.Response.StatusCode == HttpStatusCode.OK)
        {
            return stream;
        }
        await stream.DisposeAsync();
        return null;
    }

    private static long RetryAfterSeconds(HttpResponseMessage response)
    {
        var values = response.Headers.GetValues("Retry-After").ToArray();
        Assert.Single(values);
        return long.Parse(values[0], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}

using System.Globalization;
using System.Net;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.Api.Tests.Orders;

/// <summary>
/// <c>GET /orders/events</c> over real HTTP: every change of all the caller's orders, nobody else's, resumable. The
/// simulator's IPNs reach this service (the API tests' default drops them), so paying moves the orders.
/// </summary>
public sealed class MyOrderEventsTests() : ApiTestBase("myevents", worker: true, o => o.Settings.Remove("NowPayments:IpnCallbackUrl")), IDisposable
{
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(60);

    private HttpClient? _http;

    private HttpClient Http => _http ??= StreamClient.For(Service);

    public void Dispose() => _http?.Dispose();

    [Fact]
    public async Task Stream_ChangesOfTwoOrdersOfTheCaller_NoneOfAnotherUser_AnAdminOnlyTheirOwn()
    {
        var user = Service.NewUser();
        using var owner = Service.CreateClient(user);
        using var stranger = Service.CreateClient(Service.NewUser());
        var first = await Service.CreateOrderAsync(owner);
        await Service.WaitForOrderAsync(first.OrderId, o => o.Stage == "awaiting_payment", client: owner);
        await using var stream = await SseConnection.OpenMineAsync(Http, user.Token);
        await using var adminStream = await SseConnection.OpenMineAsync(Http, Service.Admin.Token);
        var current = await stream.ReadUntilAsync(e => e.Count == 1, StreamWait, "the current state");

        var second = await Service.CreateOrderAsync(owner);
        var foreign = await Service.CreateOrderAsync(stranger);
        await Service.PayOrderAsync(foreign.OrderId, status: "confirming");
        await Service.WaitForOrderAsync(foreign.OrderId, paymentStatus: "confirming");
        await Service.PayOrderAsync(first.OrderId, status: "confirming");
        // The stranger's changes were committed (and announced) before this one: had they been sent, they came first.
        var live = await stream.ReadUntilAsync(
            e => e.Any(m => m.Field("orderId") == first.OrderId && m.Field("paymentStatus") == "confirming"), StreamWait, "the first order confirming");
        var adminsOwn = await Service.CreateOrderAsync(Service.AdminClient);
        var adminFirst = await adminStream.ReadUntilAsync(e => e.Count == 1, StreamWait, "the admin's first event");

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((first.OrderId, "awaiting_payment"), (current[0].Field("orderId"), current[0].Field("stage")));
        Assert.Contains(live, e => e.Field("orderId") == second.OrderId);
        Assert.All(live, e => Assert.Contains(e.Field("orderId"), new[] { first.OrderId, second.OrderId }));
        Assert.Equal(adminsOwn.OrderId, adminFirst[0].Field("orderId"));
    }

    [Fact]
    public async Task Resume_WithLastEventId_GetsEveryLaterEventOfEachOrder()
    {
        var (user, first, second) = await TwoOrdersAwaitingPaymentAsync();
        long lastSeen;
        await using (var before = await SseConnection.OpenMineAsync(Http, user.Token))
        {
            lastSeen = (await before.ReadUntilAsync(e => e.Count == 2, StreamWait, "both orders' current state")).Max(e => e.EventId);
        }

        await Service.PayOrderAsync(first.OrderId, status: "confirming");
        await Service.PayOrderAsync(second.OrderId, status: "confirming");
        await Service.WaitForOrderAsync(first.OrderId, paymentStatus: "confirming");
        await Service.WaitForOrderAsync(second.OrderId, paymentStatus: "confirming");
        var missed = await Service.QueryAsync<long>(
            "SELECT id FROM order_events WHERE order_id = ANY(@Orders) AND id > @LastSeen ORDER BY id",
            new { Orders = new[] { first.OrderId, second.OrderId }, LastSeen = lastSeen });
        await using var resumed = await SseConnection.OpenMineAsync(Http, user.Token, lastSeen.ToString(CultureInfo.InvariantCulture));
        var received = await resumed.ReadUntilAsync(
            e => missed.All(id => e.Any(m => m.EventId == id)), StreamWait, "every event after Last-Event-ID");

        Assert.True(missed.Count >= 4, $"two IPNs per order: {string.Join(", ", missed)}");
        Assert.All(received, e => Assert.Contains(e.Field("orderId"), new[] { first.OrderId, second.OrderId }));
        Assert.Equal(received.Count, received.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Resume_AnEarlierIdOfAnotherOrderCommittedAfterLastEventId_IsStillSent()
    {
        var (user, slow, fast) = await TwoOrdersAwaitingPaymentAsync();
        await using var live = await SseConnection.OpenMineAsync(Http, user.Token);
        await live.ReadUntilAsync(e => e.Count == 2, StreamWait, "both orders' current state");

        // The slow order's change takes its event id first but commits last.
        await using var slowConnection = await Service.DataSource.OpenConnectionAsync();
        await using var slowChange = await slowConnection.BeginTransactionAsync();
        var slowEventId = await ChangePaymentStatusAsync(slowConnection, slowChange, slow.OrderId);
        long fastEventId;
        await using (var fastConnection = await Service.DataSource.OpenConnectionAsync())
        {
            fastEventId = await ChangePaymentStatusAsync(fastConnection, null, fast.OrderId);
        }
        long lastSeen;
        await using (var before = await SseConnection.OpenMineAsync(Http, user.Token))
        {
            lastSeen = (await before.ReadUntilAsync(e => e.Any(m => m.EventId == fastEventId), StreamWait, "the fast order's change")).Max(e => e.EventId);
        }
        await slowChange.CommitAsync();
        var liveEvents = await live.ReadUntilAsync(
            e => e.Any(m => m.EventId == slowEventId) && e.Any(m => m.EventId == fastEventId), StreamWait, "both changes live");
        // The hub has handed the slow change out before this stream subscribes: it can only come from the resume read.
        await using var resumed = await SseConnection.OpenMineAsync(Http, user.Token, lastSeen.ToString(CultureInfo.InvariantCulture));
        var afterResume = await resumed.ReadUntilAsync(e => e.Any(m => m.EventId == slowEventId), StreamWait, "the slow order's change");

        Assert.True(slowEventId < fastEventId);
        Assert.Equal(fastEventId, lastSeen);
        Assert.Equal("waiting", afterResume.Single(e => e.EventId == slowEventId).Field("paymentStatus"));
        Assert.Equal(2, liveEvents.Count(e => e.EventId == slowEventId || e.EventId == fastEventId));
    }

    [Fact]
    public async Task Anonymous_401_BadLastEventId_400()
    {
        var user = Service.NewUser();

        await using var anonymous = await SseConnection.OpenMineAsync(Http, token: null);
        await using var badId = await SseConnection.OpenMineAsync(Http, user.Token, "abc");
        await using var negative = await SseConnection.OpenMineAsync(Http, user.Token, "-1");

        await ProblemAssert.IsProblemAsync(anonymous.Response, HttpStatusCode.Unauthorized);
        var problem = await ProblemAssert.IsProblemAsync(badId.Response, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid Last-Event-ID", problem.GetProperty("title").GetString());
        await ProblemAssert.IsProblemAsync(negative.Response, HttpStatusCode.BadRequest);
    }

    /// <summary>A new user with two orders, both awaiting payment (their invoice-time events all written).</summary>
    private async Task<(TestUser User, OrderSnapshot First, OrderSnapshot Second)> TwoOrdersAwaitingPaymentAsync()
    {
        var user = Service.NewUser();
        using var owner = Service.CreateClient(user);
        var first = await Service.CreateOrderAsync(owner);
        var second = await Service.CreateOrderAsync(owner);
        await Service.WaitForOrderAsync(first.OrderId, o => o.Stage == "awaiting_payment", client: owner);
        await Service.WaitForOrderAsync(second.OrderId, o => o.Stage == "awaiting_payment", client: owner);
        return (user, first, second);
    }

    /// <summary>An order change as the worker writes it (the trigger records the event); the new event's id.</summary>
    private static async Task<long> ChangePaymentStatusAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction? transaction, string orderId)
    {
        await using var update = new Npgsql.NpgsqlCommand(
            "UPDATE orders SET payment_status = 'waiting' WHERE order_id = @orderId", connection, transaction);
        update.Parameters.AddWithValue("orderId", orderId);
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
        await using var read = new Npgsql.NpgsqlCommand(
            "SELECT max(id) FROM order_events WHERE order_id = @orderId", connection, transaction);
        read.Parameters.AddWithValue("orderId", orderId);
        return (long)(await read.ExecuteScalarAsync())!;
    }
}

using System.Net;
using FlashFundX.Notifications.Tests.Infrastructure;
using FlashFundX.TestSupport.Service;
using FlashFundX.TestSupport.Service.Streams;

namespace FlashFundX.Notifications.Tests.Events;

/// <summary><c>GET /orders/{id}/events</c> over real HTTP: every change in order, resume without gap or duplicate, same access rule as the order.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class OrderEventsStreamTests(NotificationsFixture fixture) : IDisposable
{
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(60);
    private readonly FulfillmentService _service = fixture.Service;
    private readonly HttpClient _http = StreamClient.For(fixture.Service);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Stream_ConnectedBeforePayment_SeesEveryTransitionToDeliveredInOrder()
    {
        await _service.ImportInventoryAsync(1, accountSize: 50000, platform: "mt5");
        var user = _service.NewUser();
        var order = await _service.CreateOrderAsync(_service.CreateClient(user), "two_step", 50000, "mt5");
        await using var stream = await SseConnection.OpenAsync(_http, user.Token, order.OrderId);
        var first = await stream.ReadEventAsync(new CancellationTokenSource(StreamWait).Token);

        await _service.PayOrderAsync(order.OrderId);
        var rest = await stream.ReadToEndAsync(StreamWait);

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        var received = new[] { first! }.Concat(rest).ToArray();
        // Up to the completion: the stream ends there, while late payment reports may still be recorded after it.
        var rows = (await _service.EventsAsync(order.OrderId)).Where(r => r.Id >= first!.EventId).ToList();
        rows = rows.Take(rows.FindIndex(r => r.Stage == "completed") + 1).ToList();
        Assert.Equal(rows.Select(r => r.Id), received.Select(e => e.EventId));
        Assert.Equal(rows.Select(r => (r.Stage, r.OrderStatus, r.PaymentStatus, r.DeliveryStatus)),
            received.Select(e => (e.Field("stage"), e.Field("orderStatus"), e.Field("paymentStatus"), e.Field("deliveryStatus"))));
        Assert.Equal(order.OrderId, received[0].Field("orderId"));
        Assert.True(received[0].Json.TryGetProperty("timestamp", out _));
        Assert.Contains(received, e => e.Field("paymentStatus") == "waiting");
        Assert.Contains(received, e => e.Field("stage") == "paid");
        var last = received[^1];
        Assert.Equal(("completed", "completed", "delivered"), (last.Field("stage"), last.Field("orderStatus"), last.Field("deliveryStatus")));
        Assert.Equal(received.Length, received.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Stream_ReconnectWithLastEventId_GetsExactlyTheMissedEvents()
    {
        await _service.ImportInventoryAsync(1, accountSize: 50000, platform: "mt4");
        var user = _service.NewUser();
        var order = await _service.CreateOrderAsync(_service.CreateClient(user), "one_step", 50000, "mt4");
        // The 201 comes once the invoice is stored; the workflow writes its awaiting-payment stage just after. Waiting
        // for it makes that the event the first connection sees, so the missed ones start with the first IPN.
        await _service.WaitForOrderAsync(order.OrderId, o => o.Stage == "awaiting_payment");
        long lastSeen;
        await using (var first = await SseConnection.OpenAsync(_http, user.Token, order.OrderId))
        {
            lastSeen = (await first.ReadEventAsync(new CancellationTokenSource(StreamWait).Token))!.EventId;
        }

        await _service.PayOrderAsync(order.OrderId, status: "confirming");
        await _service.WaitForOrderAsync(order.OrderId, paymentStatus: "confirming");
        await using var resumed = await SseConnection.OpenAsync(_http, user.Token, order.OrderId, lastEventId: lastSeen);
        var missed = await resumed.ReadEventAsync(new CancellationTokenSource(StreamWait).Token);
        await _service.PayOrderAsync(order.OrderId);
        var rest = await resumed.ReadToEndAsync(StreamWait);
        await _service.WaitForWorkflowResultAsync(order.OrderId);
        var lastRecorded = (await _service.EventsAsync(order.OrderId))[^1].Id;
        await using var afterEnd = await SseConnection.OpenAsync(_http, user.Token, order.OrderId, lastEventId: lastRecorded);

        var received = new[] { missed! }.Concat(rest).ToArray();
        var rows = await _service.EventsAsync(order.OrderId);
        Assert.Equal(UpToCompletion(rows.Where(r => r.Id > lastSeen)), received.Select(e => e.EventId));
        Assert.Equal("waiting", missed!.Field("paymentStatus"));
        Assert.Contains(received, e => e.Field("paymentStatus") == "confirming" && e.Field("orderStatus") == "awaiting_payment");
        Assert.Equal("delivered", rest[^1].Field("deliveryStatus"));
        Assert.Equal(HttpStatusCode.NoContent, afterEnd.Response.StatusCode);
    }

    [Fact]
    public async Task Stream_OtherUser_404_AdminAllowed_AnonymousUnauthorized()
    {
        var owner = _service.NewUser();
        var order = await _service.CreateOrderAsync(_service.CreateClient(owner));

        await using var byOther = await SseConnection.OpenAsync(_http, _service.NewUser().Token, order.OrderId);
        await using var byAdmin = await SseConnection.OpenAsync(_http, _service.Admin.Token, order.OrderId);
        await using var unknown = await SseConnection.OpenAsync(_http, owner.Token, "FFX000000001");
        using var anonymous = await _http.GetAsync(new Uri($"orders/{order.OrderId}/events", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, byOther.Response.StatusCode);
        Assert.Equal("application/problem+json", byOther.Response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(owner.Email, await byOther.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdmin.Response.StatusCode);
        var current = await byAdmin.ReadEventAsync(new CancellationTokenSource(StreamWait).Token);
        Assert.Equal(order.OrderId, current!.Field("orderId"));
    }

    [Fact]
    public async Task Stream_Idle_SendsCommentHeartbeats()
    {
        var user = _service.NewUser();
        var order = await _service.CreateOrderAsync(_service.CreateClient(user));
        await using var stream = await SseConnection.OpenAsync(_http, user.Token, order.OrderId);
        using var cancel = new CancellationTokenSource(StreamWait);
        await stream.ReadEventAsync(cancel.Token);

        var heartbeats = 0;
        var started = DateTime.UtcNow;
        while (heartbeats < 3)
        {
            var message = await stream.ReadAsync(cancel.Token);
            if (message is { IsEvent: false, Comment: "heartbeat" })
            {
                heartbeats++;
            }
        }

        Assert.InRange(DateTime.UtcNow - started, NotificationsFixture.Heartbeat * 2, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Stream_ListenConnectionKilled_ReconnectsAndReplaysWhatItMissed()
    {
        await _service.ImportInventoryAsync(1, accountSize: 100000, platform: "mt5");
        var user = _service.NewUser();
        var order = await _service.CreateOrderAsync(_service.CreateClient(user), "two_step", 100000, "mt5");
        await using var stream = await SseConnection.OpenAsync(_http, user.Token, order.OrderId);
        var first = await stream.ReadEventAsync(new CancellationTokenSource(StreamWait).Token);
        var killed = await _service.ScalarAsync<int>(
            "SELECT pg_terminate_backend(pid)::int FROM pg_stat_activity WHERE application_name = 'flashfundx-order-events' AND datname = current_database()");

        // The listener waits 2 s before reconnecting: the payment's changes commit while nobody listens.
        await _service.PayOrderAsync(order.OrderId);
        var rest = await stream.ReadToEndAsync(StreamWait);

        Assert.Equal(1, killed);
        var rows = await _service.EventsAsync(order.OrderId);
        Assert.Equal(UpToCompletion(rows.Where(r => r.Id > first!.EventId)), rest.Select(e => e.EventId));
        Assert.Equal("delivered", rest[^1].Field("deliveryStatus"));
        Assert.NotEmpty(_service.Logs.LinesContaining("order events connection failed"));
    }

    [Fact]
    public async Task Stream_ChangeWhoseWriterNeverAnnouncedIt_ArrivesByTheSweep()
    {
        var user = _service.NewUser();
        var order = await _service.CreateOrderAsync(_service.CreateClient(user), "instant", 5000, "mt4");
        await using var stream = await SseConnection.OpenAsync(_http, user.Token, order.OrderId);
        var first = await stream.ReadEventAsync(new CancellationTokenSource(StreamWait).Token);

        // A writer that takes over announcing (as DeliverOrder does) and dies after its commit: the event row exists,
        // no NOTIFY was ever sent for it.
        await _service.ScalarAsync<int>("""
            SELECT length(pg_catalog.set_config('flashfundx.announce_events', 'caller', true));
            UPDATE orders SET status_note = 'sweep test', payment_status = 'confirming' WHERE order_id = @orderId;
            SELECT 1
            """, new { orderId = order.OrderId });
        var swept = await stream.ReadEventAsync(new CancellationTokenSource(StreamWait).Token);

        var row = (await _service.EventsAsync(order.OrderId)).Single(r => r.PaymentStatus == "confirming");
        Assert.Equal(row.Id, swept!.EventId);
        Assert.True(swept.EventId > first!.EventId);
    }

    [Fact]
    public async Task Stream_MalformedLastEventId_400()
    {
        var user = _service.NewUser();
        var order = await _service.CreateOrderAsync(_service.CreateClient(user));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"orders/{order.OrderId}/events", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", user.Token);
        request.Headers.Add("Last-Event-ID", "abc");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Event ids up to the order's completion, where a stream ends (late payment reports may follow in the table).</summary>
    private static long[] UpToCompletion(IEnumerable<OrderEventRows.Row> rows)
    {
        var list = rows.ToList();
        return list.Take(list.FindIndex(r => r.Stage == "completed") + 1).Select(r => r.Id).ToArray();
    }
}

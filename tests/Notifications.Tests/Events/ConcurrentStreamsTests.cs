using System.Diagnostics;
using System.Net;
using FlashFundX.Notifications.Tests.Infrastructure;
using FlashFundX.TestSupport.Service;
using FlashFundX.TestSupport.Service.Streams;
using Xunit.Abstractions;

namespace FlashFundX.Notifications.Tests.Events;

/// <summary>1,000 open streams on one API process must not hold up order processing, and every stream gets the end.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class ConcurrentStreamsTests(NotificationsFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const int Streams = 1000;

    // Generous for a loaded 2-core machine; an order completes in a few seconds here without streams.
    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(45);

    private readonly FulfillmentService _service = fixture.Service;
    private readonly HttpClient _http = StreamClient.For(fixture.Service);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task ThousandIdleStreams_OrderStillDeliveredWithinBound_EveryStreamGetsTheFinalEvent()
    {
        await _service.ImportInventoryAsync(2, accountSize: 200000, platform: "mt4");
        var user = _service.NewUser();
        var client = _service.CreateClient(user);
        var baselineOrder = await _service.CreateOrderAsync(client, "instant", 200000, "mt4");
        var baseline = await TimeDeliveryAsync(baselineOrder);
        var order = await _service.CreateOrderAsync(client, "instant", 200000, "mt4");

        var connections = new SseConnection[Streams];
        using var throttle = new SemaphoreSlim(50);
        await Task.WhenAll(Enumerable.Range(0, Streams).Select(async i =>
        {
            await throttle.WaitAsync();
            try
            {
                connections[i] = await SseConnection.OpenAsync(_http, user.Token, order.OrderId);
                await connections[i].ReadEventAsync(new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
            }
            finally
            {
                throttle.Release();
            }
        }));
        var endings = connections.Select(c => c.ReadToEndAsync(TimeSpan.FromSeconds(120))).ToArray();
        var loaded = await TimeDeliveryAsync(order);
        var finals = await Task.WhenAll(endings);
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        var (baselineServer, loadedServer) = (await ServerSideAsync(baselineOrder.OrderId), await ServerSideAsync(order.OrderId));
        output.WriteLine($"payment → delivered, seen by the client: {baseline.TotalSeconds:0.00} s without streams, {loaded.TotalSeconds:0.00} s with {Streams} open streams");
        output.WriteLine($"first payment change → completed, in order_events: {baselineServer.TotalSeconds:0.00} s without streams, {loadedServer.TotalSeconds:0.00} s with {Streams}");
        Assert.All(connections, c => Assert.Equal(HttpStatusCode.OK, c.Response.StatusCode));
        Assert.True(loaded < DeliveryBound, $"delivery took {loaded} with {Streams} streams open (baseline {baseline})");
        Assert.True(loadedServer < DeliveryBound, $"processing took {loadedServer} with {Streams} streams open (baseline {baselineServer})");
        Assert.All(finals, events => Assert.Equal("delivered", events[^1].Field("deliveryStatus")));
        var finalId = (await _service.EventsAsync(order.OrderId)).First(r => r.Stage == "completed").Id;
        Assert.All(finals, events => Assert.Equal(finalId, events[^1].EventId));
    }

    /// <summary>From the order's first payment change to its completion, by the database's own clock.</summary>
    private async Task<TimeSpan> ServerSideAsync(string orderId)
    {
        var span = await _service.QueryAsync<double>(
            """
            SELECT extract(epoch FROM max(created_at) FILTER (WHERE stage = 'completed') - min(created_at) FILTER (WHERE payment_status <> 'pending'))::float8
              FROM order_events WHERE order_id = @orderId
            """, new { orderId });
        return TimeSpan.FromSeconds(span[0]);
    }

    private async Task<TimeSpan> TimeDeliveryAsync(OrderSnapshot order)
    {
        var clock = Stopwatch.StartNew();
        await _service.PayOrderAsync(order.OrderId);
        await _service.WaitForOrderAsync(order.OrderId, deliveryStatus: "delivered", timeout: TimeSpan.FromSeconds(90));
        return clock.Elapsed;
    }
}

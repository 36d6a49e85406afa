using System.Net;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.Api.Tests.Limits;

/// <summary>
/// <c>Limits:StreamMaxDuration</c> (1 s here): the server ends an order event stream that is still open after it, and a
/// client that reconnects with <c>Last-Event-ID</c> each time, as EventSource does, receives every event exactly once.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StreamMaxDurationTests() : ApiTestBase("streammax", worker: true, configure: options =>
{
    options.Settings["Limits:StreamMaxDuration"] = "00:00:01";
    // The provider's IPNs reach this instance's webhook, so the payment moves the order along while streams reconnect.
    options.Settings.Remove("NowPayments:IpnCallbackUrl");
    options.PollInitialInterval = TimeSpan.FromSeconds(1);
})
{
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stream_ClosedAfterMaxDuration_ResumingWithLastEventIdMissesNothing()
    {
        await Service.ImportInventoryAsync(1);
        var user = Service.NewUser();
        var order = await Service.CreateOrderAsync(Service.CreateClient(user));
        await Service.WaitForOrderAsync(order.OrderId, o => o.Stage == "awaiting_payment");
        using var http = StreamClient.For(Service);
        IReadOnlyList<SseMessage> first;
        await using (var stream = await SseConnection.OpenAsync(http, user.Token, order.OrderId))
        {
            first = await stream.ReadToEndAsync(StreamWait);
        }
        var openWhenClosed = await Service.GetOrderAsync(order.OrderId);

        await Service.PayOrderAsync(order.OrderId);
        var received = first.ToList();
        var connections = 1;
        while (received[^1].Field("stage") != "completed")
        {
            Assert.True(connections < 100, $"no completion after {connections} connections");
            await using var resumed = await SseConnection.OpenAsync(http, user.Token, order.OrderId, lastEventId: received[^1].EventId);
            connections++;
            Assert.Equal(HttpStatusCode.OK, resumed.Response.StatusCode);
            received.AddRange(await resumed.ReadToEndAsync(StreamWait));
        }

        Assert.NotEmpty(first);
        Assert.Equal("awaiting_payment", first[^1].Field("stage"));
        Assert.Equal("awaiting_payment", openWhenClosed.Stage);
        var rows = await Service.EventsAsync(order.OrderId);
        var expected = rows.Where(r => r.Id >= first[0].EventId).Select(r => r.Id).ToList();
        expected = expected.Take(expected.IndexOf(rows.First(r => r.Stage == "completed").Id) + 1).ToList();
        Assert.Equal(expected, received.Select(e => e.EventId));
    }
}

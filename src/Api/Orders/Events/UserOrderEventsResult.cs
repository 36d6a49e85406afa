using FlashFundX.Api.Auth;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// One client's stream of all its orders' status events (<c>GET /orders/events</c>): first the current state of each
/// open order — or, resuming, what <see cref="OrderEventStore.UserResumeAsync"/> returns — then every change the hub
/// announces for any of the caller's orders, with heartbeats, until the client leaves or the server stops (closing an
/// order does not end it). Ids increase per order but not across orders, so what was sent is tracked per order.
/// </summary>
public sealed class UserOrderEventsResult(Caller caller, long? lastEventId) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => EventStream.RunAsync(httpContext, StreamAsync);

    private async Task StreamAsync(EventStream stream)
    {
        var store = stream.Services.GetRequiredService<OrderEventStore>();
        var window = stream.Services.GetRequiredService<IOptions<OrderEventsOptions>>().Value.ResumeWindow;
        var ct = stream.CancellationToken;

        using var subscription = stream.Services.GetRequiredService<OrderEventHub>().SubscribeUser(caller.UserId);
        var backlog = lastEventId is { } after
            ? await store.UserResumeAsync(caller, after, window, ct).ConfigureAwait(false)
            : [.. (await store.UserLatestAsync(caller, ct).ConfigureAwait(false)).Where(e => !e.IsClosed)];

        await stream.Writer.StartAsync(ct).ConfigureAwait(false);
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        bool Send(OrderEvent orderEvent)
        {
            if (sent.TryGetValue(orderEvent.OrderId, out var last) && orderEvent.Id <= last)
            {
                return false;
            }
            sent[orderEvent.OrderId] = orderEvent.Id;
            return true;
        }
        foreach (var orderEvent in backlog.Where(Send))
        {
            await stream.Writer.WriteAsync(orderEvent, ct).ConfigureAwait(false);
        }
        await stream.FollowAsync(subscription.Events, Send, last: _ => false).ConfigureAwait(false);
    }
}

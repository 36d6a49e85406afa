using FlashFundX.Api.Auth;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// One client's stream of an order's status events: the current state (or, resuming, every event after
/// <c>Last-Event-ID</c>), then each change as the hub announces it, until the order is closed. Idle, it sends a comment
/// heartbeat. Subscribing before the first read, then skipping ids already sent, leaves no gap and no duplicate.
/// </summary>
public sealed class OrderEventsResult(string orderId, Caller caller, long? lastEventId) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => EventStream.RunAsync(httpContext, StreamAsync);

    private async Task StreamAsync(EventStream stream)
    {
        var store = stream.Services.GetRequiredService<OrderEventStore>();
        var ct = stream.CancellationToken;

        using var subscription = stream.Services.GetRequiredService<OrderEventHub>().Subscribe(orderId);
        IReadOnlyList<OrderEvent> backlog;
        if (lastEventId is { } after)
        {
            backlog = await store.AfterAsync(orderId, after, caller, ct).ConfigureAwait(false);
            if (backlog.Count == 0 && await store.LatestAsync(orderId, caller, ct).ConfigureAwait(false) is { IsClosed: true })
            {
                // Nothing after the client's last event and nothing more to come: 204 tells EventSource to stop reconnecting.
                stream.HttpContext.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }
        else
        {
            backlog = await store.LatestAsync(orderId, caller, ct).ConfigureAwait(false) is { } current ? [current] : [];
        }

        await stream.Writer.StartAsync(ct).ConfigureAwait(false);
        var sent = lastEventId ?? 0;
        foreach (var orderEvent in backlog)
        {
            await stream.Writer.WriteAsync(orderEvent, ct).ConfigureAwait(false);
            sent = orderEvent.Id;
            if (orderEvent.IsClosed)
            {
                return;
            }
        }
        await stream.FollowAsync(
            subscription.Events,
            send: e =>
            {
                if (e.Id <= sent)
                {
                    return false;
                }
                sent = e.Id;
                return true;
            },
            last: e => e.IsClosed).ConfigureAwait(false);
    }
}

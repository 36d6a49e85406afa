using FlashFundX.Api.Auth;
using FlashFundX.Api.Limits;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// One client's stream of an order's status events: the current state (or, resuming, every event after
/// <c>Last-Event-ID</c>), then each change as the hub announces it, until the order is closed. Idle, it sends a comment
/// heartbeat. Subscribing before the first read, then skipping ids already sent, leaves no gap and no duplicate.
/// After <see cref="LimitsOptions.StreamMaxDuration"/> the stream ends; the client's reconnect with <c>Last-Event-ID</c>
/// gets every event after the last one it received from <c>order_events</c>, so the close loses nothing.
/// </summary>
public sealed class OrderEventsResult(string orderId, Caller caller, long? lastEventId) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var store = services.GetRequiredService<OrderEventStore>();
        var heartbeat = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OrderEventsOptions>>().Value.HeartbeatInterval;
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var maxDuration = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LimitsOptions>>().Value.StreamMaxDuration;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        ended.CancelAfter(maxDuration);
        var ct = ended.Token;

        using var subscription = services.GetRequiredService<OrderEventHub>().Subscribe(orderId);
        IReadOnlyList<OrderEvent> backlog;
        if (lastEventId is { } after)
        {
            backlog = await store.AfterAsync(orderId, after, caller, ct).ConfigureAwait(false);
            if (backlog.Count == 0 && await store.LatestAsync(orderId, caller, ct).ConfigureAwait(false) is { IsClosed: true })
            {
                // Nothing after the client's last event and nothing more to come: 204 tells EventSource to stop reconnecting.
                httpContext.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }
        else
        {
            backlog = await store.LatestAsync(orderId, caller, ct).ConfigureAwait(false) is { } current ? [current] : [];
        }

        var writer = new ServerSentEventWriter(httpContext.Response);
        try
        {
            await writer.StartAsync(ct).ConfigureAwait(false);
            var sent = lastEventId ?? 0;
            foreach (var orderEvent in backlog)
            {
                await writer.WriteAsync(orderEvent, ct).ConfigureAwait(false);
                sent = orderEvent.Id;
                if (orderEvent.IsClosed)
                {
                    return;
                }
            }
            await FollowAsync(subscription, writer, sent, heartbeat, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away, the server is stopping or the stream reached its maximum duration: it just ends.
        }
    }

    private static async Task FollowAsync(
        OrderEventSubscription subscription, ServerSentEventWriter writer, long sent, TimeSpan heartbeat, CancellationToken ct)
    {
        var reader = subscription.Events;
        Task<bool>? pendingRead = null;
        while (true)
        {
            pendingRead ??= reader.WaitToReadAsync(ct).AsTask();
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                var beat = Task.Delay(heartbeat, idle.Token);
                if (await Task.WhenAny(pendingRead, beat).ConfigureAwait(false) == beat)
                {
                    ct.ThrowIfCancellationRequested();
                    await writer.WriteHeartbeatAsync(ct).ConfigureAwait(false);
                    continue;
                }
                await idle.CancelAsync().ConfigureAwait(false);
            }
            if (!await pendingRead.ConfigureAwait(false))
            {
                return;
            }
            pendingRead = null;
            while (reader.TryRead(out var orderEvent))
            {
                if (orderEvent.Id <= sent)
                {
                    continue;
                }
                await writer.WriteAsync(orderEvent, ct).ConfigureAwait(false);
                sent = orderEvent.Id;
                if (orderEvent.IsClosed)
                {
                    return;
                }
            }
        }
    }
}

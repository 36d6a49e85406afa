using System.Threading.Channels;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// One stream's feed from the <see cref="OrderEventHub"/>: every event of the order (or, for a user's stream, of any of
/// the user's orders) the hub reads after the subscription started, possibly some the stream already sent: streams skip
/// the ids they have passed, per order. Dispose to leave the hub.
/// </summary>
public sealed class OrderEventSubscription : IDisposable
{
    private readonly Channel<OrderEvent> _events = Channel.CreateUnbounded<OrderEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<OrderEventSubscription> _leave;

    internal OrderEventSubscription(string? orderId, Guid? userId, Action<OrderEventSubscription> leave)
    {
        OrderId = orderId;
        UserId = userId;
        _leave = leave;
    }

    /// <summary>The order of a per-order stream; null for a user's stream.</summary>
    public string? OrderId { get; }

    /// <summary>The user of a user's stream (<c>GET /orders/events</c>); null for a per-order stream.</summary>
    public Guid? UserId { get; }

    public ChannelReader<OrderEvent> Events => _events.Reader;

    internal void Publish(OrderEvent orderEvent) => _events.Writer.TryWrite(orderEvent);

    public void Dispose()
    {
        _leave(this);
        _events.Writer.TryComplete();
    }
}

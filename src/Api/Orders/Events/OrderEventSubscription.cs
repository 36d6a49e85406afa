using System.Threading.Channels;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// One stream's feed from the <see cref="OrderEventHub"/>: every event of the order the hub reads after the subscription
/// started (possibly some the stream already sent: streams skip ids they have passed). Dispose to leave the hub.
/// </summary>
public sealed class OrderEventSubscription : IDisposable
{
    private readonly Channel<OrderEvent> _events = Channel.CreateUnbounded<OrderEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<OrderEventSubscription> _leave;

    internal OrderEventSubscription(string orderId, Action<OrderEventSubscription> leave)
    {
        OrderId = orderId;
        _leave = leave;
    }

    public string OrderId { get; }

    public ChannelReader<OrderEvent> Events => _events.Reader;

    internal void Publish(OrderEvent orderEvent) => _events.Writer.TryWrite(orderEvent);

    public void Dispose()
    {
        _leave(this);
        _events.Writer.TryComplete();
    }
}

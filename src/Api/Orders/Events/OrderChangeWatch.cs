using System.Threading.Channels;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// A wake-up from the <see cref="OrderEventHub"/> whenever the order changes, carrying nothing: the watcher reads what it
/// needs itself. Wake-ups that arrive while nobody waits fold into one. Dispose to stop watching.
/// </summary>
public sealed class OrderChangeWatch : IDisposable
{
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly Action<OrderChangeWatch> _leave;

    internal OrderChangeWatch(string orderId, Action<OrderChangeWatch> leave)
    {
        OrderId = orderId;
        _leave = leave;
    }

    public string OrderId { get; }

    /// <summary>
    /// True as soon as the order changed since the last call (or since the watch began), false when
    /// <paramref name="timeout"/> passed first. Throws when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_changed.Reader.TryRead(out _))
        {
            return true;
        }
        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _changed.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        return _changed.Reader.TryRead(out _);
    }

    internal void Wake() => _changed.Writer.TryWrite(true);

    public void Dispose() => _leave(this);
}

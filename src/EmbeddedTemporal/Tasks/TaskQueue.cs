namespace FlashFundX.EmbeddedTemporal.Tasks;

/// <summary>
/// Matches queued items with long-polling pollers. An item handed to a poller whose call was cancelled in the
/// meantime is put back at the front, so a task is never knowingly given to a dead poller.
/// </summary>
internal sealed class TaskQueue<T> where T : class
{
    private readonly object _gate = new();
    private readonly LinkedList<T> _items = new();
    private readonly LinkedList<TaskCompletionSource<T>> _waiters = new();

    public void Offer(T item) => Add(item, front: false);

    public async Task<T?> TakeAsync(TimeSpan timeout, CancellationToken ct)
    {
        TaskCompletionSource<T> waiter;
        LinkedListNode<TaskCompletionSource<T>> node;
        lock (_gate)
        {
            if (_items.First is { } first)
            {
                _items.RemoveFirst();
                return first.Value;
            }
            waiter = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using (cts.Token.Register(() =>
               {
                   lock (_gate)
                   {
                       if (node.List != null)
                       {
                           _waiters.Remove(node);
                       }
                   }
                   waiter.TrySetCanceled();
               }))
        {
            T item;
            try
            {
                item = await waiter.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            if (ct.IsCancellationRequested)
            {
                Add(item, front: true);
                return null;
            }
            return item;
        }
    }

    private void Add(T item, bool front)
    {
        lock (_gate)
        {
            while (_waiters.First is { } waiter)
            {
                _waiters.RemoveFirst();
                if (waiter.Value.TrySetResult(item))
                {
                    return;
                }
            }
            if (front)
            {
                _items.AddFirst(item);
            }
            else
            {
                _items.AddLast(item);
            }
        }
    }
}

using System.Diagnostics;

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
    private long _lastPollTimestamp = Stopwatch.GetTimestamp();
    private bool _shutDown;

    /// <summary>Items waiting for a poller; sent to workers as a backlog hint.</summary>
    public int Backlog
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public void Offer(T item) => Add(item, front: false);

    /// <summary>
    /// True while a poller waits, or one polled within <paramref name="window"/> (wall time), and the worker
    /// behind the queue has not announced its shutdown. Used to decide whether a sticky queue is worth trying.
    /// </summary>
    public bool HasLivePoller(TimeSpan window)
    {
        lock (_gate)
        {
            return !_shutDown && (_waiters.Count > 0 || Stopwatch.GetElapsedTime(_lastPollTimestamp) <= window);
        }
    }

    /// <summary>Marks the queue dead (its worker shut down) and returns the items nobody will take now.</summary>
    public IReadOnlyList<T> ShutDown()
    {
        lock (_gate)
        {
            _shutDown = true;
            var items = _items.ToArray();
            _items.Clear();
            return items;
        }
    }

    public async Task<T?> TakeAsync(TimeSpan timeout, CancellationToken ct)
    {
        TaskCompletionSource<T> waiter;
        LinkedListNode<TaskCompletionSource<T>> node;
        lock (_gate)
        {
            _lastPollTimestamp = Stopwatch.GetTimestamp();
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
                           _lastPollTimestamp = Stopwatch.GetTimestamp();
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
                _lastPollTimestamp = Stopwatch.GetTimestamp();
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

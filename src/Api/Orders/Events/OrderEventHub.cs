using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// Fans the process's one LISTEN connection (<see cref="OrderEventListener"/>) out to the open streams. A notification
/// names an order and an event id; the hub reads that order's new events once — however many streams watch it — and
/// hands them to each. Notices are handled one at a time, so per order the hub reads forward only.
/// <para>
/// A user's stream (<see cref="SubscribeUser"/>) gets the events of every order of the user. The hub learns an order's
/// user from its read (joined with <c>orders.user_id</c>, only while a user's stream is open) and then keeps following
/// that order like a streamed one until the order closes or the user's last stream leaves.
/// </para>
/// <para>
/// A <see cref="WatchChanges"/> watcher is only woken: the hub reads nothing for it (the watcher reads the order itself),
/// so a caller waiting for one change of the order costs no query per notification and does not queue behind the streams.
/// </para>
/// </summary>
public sealed partial class OrderEventHub(OrderEventStore store, ILogger<OrderEventHub> logger)
{
    private const int MaxOrderIdLength = 64;

    private static readonly TimeSpan RetryReadAfter = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, OrderGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, HashSet<OrderEventSubscription>> _users = [];
    private readonly Dictionary<string, List<OrderChangeWatch>> _watches = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Channel<Notice> _notices = Channel.CreateUnbounded<Notice>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Number of open subscriptions (all orders).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _groups.Values.Sum(g => g.Subscribers.Count) + _users.Values.Sum(u => u.Count);
            }
        }
    }

    /// <summary>Starts receiving the order's events. Subscribe before reading the order's current events, so none falls between.</summary>
    public OrderEventSubscription Subscribe(string orderId)
    {
        var subscription = new OrderEventSubscription(orderId, userId: null, Leave);
        lock (_gate)
        {
            GetOrAdd(_groups, orderId).Subscribers.Add(subscription);
        }
        return subscription;
    }

    /// <summary>
    /// Starts receiving the events of every order of <paramref name="userId"/> announced from now on (per order in id
    /// order; across orders in the order they are read). Subscribe before reading the user's current events.
    /// </summary>
    public OrderEventSubscription SubscribeUser(Guid userId)
    {
        var subscription = new OrderEventSubscription(orderId: null, userId, Leave);
        lock (_gate)
        {
            GetOrAdd(_users, userId).Add(subscription);
        }
        return subscription;
    }

    /// <summary>
    /// Wakes the watch whenever an event of the order is announced (and after the LISTEN connection was re-established,
    /// when announcements may have been missed). Register before reading the order, so no change falls between.
    /// </summary>
    public OrderChangeWatch WatchChanges(string orderId)
    {
        var watch = new OrderChangeWatch(orderId, Unwatch);
        lock (_gate)
        {
            GetOrAdd(_watches, orderId).Add(watch);
        }
        return watch;
    }

    /// <summary>
    /// A NOTIFY payload arrived: <c>&lt;order_id&gt;:&lt;event_id&gt;</c> from the trigger, or <c>&lt;order_id&gt;</c>
    /// alone from a writer that announces its events after commit (OrderEventAnnouncer).
    /// </summary>
    internal void Notify(string payload)
    {
        var separator = payload.LastIndexOf(':');
        if (separator > 0 && long.TryParse(payload.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var eventId))
        {
            var orderId = payload[..separator];
            WakeWatches(orderId);
            _notices.Writer.TryWrite(new Notice(orderId, eventId));
        }
        else if (separator < 0 && payload.Length is > 0 and <= MaxOrderIdLength)
        {
            WakeWatches(payload);
            _notices.Writer.TryWrite(new Notice(payload, null));
        }
        else
        {
            LogBadPayload(logger, payload);
        }
    }

    /// <summary>
    /// Reads again every streamed order that has events past what the hub has read: the safety net for announcements
    /// lost with a process that committed a change but died before announcing it. One query for all streamed orders.
    /// </summary>
    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, long> lastRead;
        lock (_gate)
        {
            lastRead = _groups.ToDictionary(g => g.Key, g => g.Value.LastRead, StringComparer.Ordinal);
        }
        if (lastRead.Count == 0)
        {
            return;
        }
        foreach (var (orderId, latest) in await store.LatestIdsAsync(lastRead.Keys, cancellationToken).ConfigureAwait(false))
        {
            if (latest > lastRead[orderId])
            {
                _notices.Writer.TryWrite(new Notice(orderId, latest));
            }
        }
    }

    /// <summary>
    /// After (re)connecting: events committed while nobody listened were never announced, so every watched order is read
    /// again from where the hub stands.
    /// </summary>
    internal void ResyncAll()
    {
        string[] orders;
        OrderChangeWatch[] watches;
        lock (_gate)
        {
            orders = [.. _groups.Keys];
            watches = [.. _watches.Values.SelectMany(w => w)];
        }
        foreach (var watch in watches)
        {
            watch.Wake();
        }
        foreach (var orderId in orders)
        {
            _notices.Writer.TryWrite(new Notice(orderId, null));
        }
    }

    /// <summary>Handles notices until <paramref name="cancellationToken"/> fires; run by the listener.</summary>
    internal async Task DispatchAsync(CancellationToken cancellationToken)
    {
        await foreach (var notice in _notices.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            // after: where the hub stands for the order; null: an order it does not follow, of which only the notified
            // event (or, without an id, the latest) is new to anybody.
            long? after;
            bool withOwner;
            lock (_gate)
            {
                withOwner = _users.Count > 0;
                if (_groups.TryGetValue(notice.OrderId, out var group))
                {
                    if (notice.EventId <= group.LastRead)
                    {
                        continue;
                    }
                    after = group.LastRead;
                }
                else if (withOwner)
                {
                    after = notice.EventId - 1;
                }
                else
                {
                    continue;
                }
            }

            IReadOnlyList<OrderEvent> events;
            try
            {
                events = withOwner
                    ? await store.AfterWithOwnerAsync(notice.OrderId, after, cancellationToken).ConfigureAwait(false)
                    : await store.AfterAsync(notice.OrderId, after ?? 0, caller: null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReadFailed(logger, e, notice.OrderId);
                _ = RetryLaterAsync(notice with { EventId = null }, cancellationToken);
                continue;
            }
            if (events.Count == 0)
            {
                continue;
            }

            OrderEventSubscription[] orderTargets = [];
            OrderEventSubscription[] userTargets = [];
            lock (_gate)
            {
                var userId = events[0].UserId;
                var users = userId is { } u && _users.TryGetValue(u, out var subscribers) ? subscribers : null;
                if (!_groups.TryGetValue(notice.OrderId, out var group) && users is not null && !events[^1].IsClosed)
                {
                    group = new OrderGroup();
                    _groups.Add(notice.OrderId, group);
                }
                if (group is not null)
                {
                    group.UserId ??= userId;
                    group.LastRead = Math.Max(group.LastRead, events[^1].Id);
                    orderTargets = [.. group.Subscribers];
                    if (group.Subscribers.Count == 0 && (users is null || events[^1].IsClosed))
                    {
                        _groups.Remove(notice.OrderId);
                    }
                }
                if (users is not null)
                {
                    userTargets = [.. users];
                }
            }
            foreach (var target in orderTargets)
            {
                foreach (var orderEvent in events)
                {
                    target.Publish(orderEvent);
                }
            }
            if (userTargets.Length > 0)
            {
                var forUsers = NewToUserStreams(events, after, notice.EventId);
                foreach (var target in userTargets)
                {
                    foreach (var orderEvent in forUsers)
                    {
                        target.Publish(orderEvent);
                    }
                }
            }
        }
    }

    /// <summary>
    /// A group that had never read (a per-order stream just began) reads the order's whole history for that stream; the
    /// users' streams only need what this notice brought: the notified event on, or the latest without an id.
    /// </summary>
    private static IEnumerable<OrderEvent> NewToUserStreams(IReadOnlyList<OrderEvent> events, long? after, long? noticeEventId) =>
        after != 0 ? events
        : noticeEventId is { } id ? events.Where(e => e.Id >= id)
        : [events[^1]];

    private async Task RetryLaterAsync(Notice notice, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(RetryReadAfter, cancellationToken).ConfigureAwait(false);
            _notices.Writer.TryWrite(notice);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private void Leave(OrderEventSubscription subscription)
    {
        lock (_gate)
        {
            if (subscription.OrderId is { } orderId)
            {
                if (_groups.TryGetValue(orderId, out var group) && group.Subscribers.Remove(subscription) && group.Subscribers.Count == 0
                    && (group.UserId is not { } owner || !_users.ContainsKey(owner)))
                {
                    _groups.Remove(orderId);
                }
            }
            else if (subscription.UserId is { } userId
                && _users.TryGetValue(userId, out var subscribers) && subscribers.Remove(subscription) && subscribers.Count == 0)
            {
                _users.Remove(userId);
                foreach (var (followed, group) in _groups.Where(g => g.Value.UserId == userId && g.Value.Subscribers.Count == 0).ToList())
                {
                    _groups.Remove(followed);
                }
            }
        }
    }

    private void WakeWatches(string orderId)
    {
        lock (_gate)
        {
            if (_watches.TryGetValue(orderId, out var watches))
            {
                foreach (var watch in watches)
                {
                    watch.Wake();
                }
            }
        }
    }

    private void Unwatch(OrderChangeWatch watch)
    {
        lock (_gate)
        {
            if (_watches.TryGetValue(watch.OrderId, out var watches) && watches.Remove(watch) && watches.Count == 0)
            {
                _watches.Remove(watch.OrderId);
            }
        }
    }

    private static TValue GetOrAdd<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key)
        where TKey : notnull
        where TValue : class, new()
    {
        ref var value = ref CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        return value ??= new TValue();
    }

    private sealed class OrderGroup
    {
        public HashSet<OrderEventSubscription> Subscribers { get; } = [];

        /// <summary>The highest event id the hub has read for the order since the group formed (0: none yet).</summary>
        public long LastRead { get; set; }

        /// <summary>The order's owner, once a read joined with <c>orders</c> told it (while a user's stream was open).</summary>
        public Guid? UserId { get; set; }
    }

    /// <summary>An order to read; <see cref="EventId"/> null means "read whatever is new".</summary>
    private sealed record Notice(string OrderId, long? EventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring an order_events notification with payload {Payload}")]
    private static partial void LogBadPayload(ILogger logger, string payload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the events of order {OrderId} failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string orderId);
}

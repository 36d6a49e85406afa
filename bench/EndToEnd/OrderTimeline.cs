using FlashFundX.TestSupport.Service;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>
/// Per order, when it reached each step, from the database: <c>order_events</c> (written by a trigger in the same
/// transaction as each change of the order row, stamped with <c>clock_timestamp()</c>) and <c>orders.delivered_at</c>.
/// Together with the confirmed IPN's acknowledgement time this splits confirmed → delivered into the workflow's stages.
/// </summary>
internal sealed class OrderTimeline
{
    private readonly List<Entry> _entries;

    private OrderTimeline(List<Entry> entries) => _entries = entries;

    public DateTime LastDelivered => _entries.Where(e => e.Delivered is not null).Select(e => e.Delivered!.Value).DefaultIfEmpty(DateTime.MaxValue).Max();

    public static async Task<OrderTimeline> LoadAsync(FulfillmentService service, IReadOnlyList<DrivenOrder> orders)
    {
        var ids = orders.Select(o => o.OrderId).ToArray();
        var events = await service.QueryAsync<EventRow>("""
            SELECT order_id AS OrderId, stage AS Stage, order_status AS OrderStatus, payment_status AS PaymentStatus,
                   delivery_status AS DeliveryStatus, created_at AS CreatedAt
            FROM order_events WHERE order_id = ANY(@Ids) ORDER BY id
            """, new { Ids = ids }).ConfigureAwait(false);
        var rows = await service.QueryAsync<OrderRow>(
            "SELECT order_id AS OrderId, paid_at AS PaidAt, delivered_at AS DeliveredAt FROM orders WHERE order_id = ANY(@Ids)",
            new { Ids = ids }).ConfigureAwait(false);
        var byOrder = events.GroupBy(e => e.OrderId).ToDictionary(g => g.Key, g => g.ToList());
        var orderRows = rows.ToDictionary(r => r.OrderId);
        var entries = new List<Entry>();
        foreach (var order in orders)
        {
            var list = byOrder.GetValueOrDefault(order.OrderId) ?? [];
            DateTime? First(Func<EventRow, bool> predicate) => list.FirstOrDefault(predicate)?.CreatedAt is { } t ? Utc(t) : null;
            entries.Add(new Entry(
                order.ConfirmedAckAt,
                First(e => e.OrderStatus == "paid"),
                First(e => e.DeliveryStatus == "delivered"),
                orderRows.GetValueOrDefault(order.OrderId)?.DeliveredAt is { } d ? Utc(d) : null));
        }
        return new OrderTimeline(entries);
    }

    /// <summary>Confirmed IPN acknowledged → the order shows <c>delivered</c> (what the customer sees).</summary>
    public IEnumerable<double> ConfirmedToDelivered() => Gaps(e => e.ConfirmedAck, e => e.Delivered);

    /// <summary>Confirmed IPN acknowledged → <c>orders.delivered_at</c> (the account was handed over, before completion).</summary>
    public IEnumerable<double> ConfirmedToAccountDelivered() => Gaps(e => e.ConfirmedAck, e => e.AccountDeliveredAt);

    public IEnumerable<(string Name, Samples Samples)> StageGaps()
    {
        (string, Func<Entry, DateTime?>, Func<Entry, DateTime?>)[] stages =
        [
            ("confirmed ack → paid (record payments, write 'paid')", e => e.ConfirmedAck, e => e.Paid),
            ("paid → delivered (DeliverOrder: rules, account, record, totals, completion)", e => e.Paid, e => e.Delivered),
        ];
        foreach (var (name, from, to) in stages)
        {
            yield return (name, new Samples(name, Gaps(from, to)));
        }
    }

    private IEnumerable<double> Gaps(Func<Entry, DateTime?> from, Func<Entry, DateTime?> to) =>
        _entries.Where(e => from(e) is not null && to(e) is not null).Select(e => (to(e)!.Value - from(e)!.Value).TotalMilliseconds);

    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed record Entry(DateTime? ConfirmedAck, DateTime? Paid, DateTime? Delivered, DateTime? AccountDeliveredAt);

    internal sealed class EventRow
    {
        public string OrderId { get; init; } = "";
        public string Stage { get; init; } = "";
        public string OrderStatus { get; init; } = "";
        public string PaymentStatus { get; init; } = "";
        public string DeliveryStatus { get; init; } = "";
        public DateTime CreatedAt { get; init; }
    }

    internal sealed class OrderRow
    {
        public string OrderId { get; init; } = "";
        public DateTime? PaidAt { get; init; }
        public DateTime? DeliveredAt { get; init; }
    }
}

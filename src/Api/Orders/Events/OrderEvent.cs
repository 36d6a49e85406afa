namespace FlashFundX.Api.Orders.Events;

/// <summary>One row of <c>order_events</c>: the order's visible state right after a change.</summary>
public sealed class OrderEvent
{
    private static readonly HashSet<string> ClosedOrderStatuses = new(StringComparer.Ordinal) { "completed", "cancelled", "expired", "failed" };

    public long Id { get; init; }
    public string OrderId { get; init; } = "";
    public string Stage { get; init; } = "";
    public string OrderStatus { get; init; } = "";
    public string PaymentStatus { get; init; } = "";
    public string DeliveryStatus { get; init; } = "";
    public DateTime CreatedAt { get; init; }

    /// <summary>The order has ended (completed, cancelled, expired, failed, refund required): no further event is announced.</summary>
    public bool IsClosed =>
        ClosedOrderStatuses.Contains(OrderStatus) || DeliveryStatus == "refund_required" || Stage == "refund_required";
}

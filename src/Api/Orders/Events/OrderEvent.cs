using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FlashFundX.Api.Orders.Events;

/// <summary>One row of <c>order_events</c>: the order's visible state right after a change.</summary>
public sealed class OrderEvent
{
    private static readonly HashSet<string> ClosedOrderStatuses = new(StringComparer.Ordinal) { "completed", "cancelled", "expired", "failed", "refunded" };
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private byte[]? _frame;

    public long Id { get; init; }
    public string OrderId { get; init; } = "";
    public string Stage { get; init; } = "";
    public string OrderStatus { get; init; } = "";
    public string PaymentStatus { get; init; } = "";
    public string DeliveryStatus { get; init; } = "";
    public DateTime CreatedAt { get; init; }

    /// <summary>The order's owner: read (joined from <c>orders</c>) only while a user's stream is open, else null.</summary>
    public Guid? UserId { get; init; }

    /// <summary>The order has ended (completed, cancelled, expired, failed, refund required, refunded): no further event is announced.</summary>
    public bool IsClosed => IsClosedState(OrderStatus, DeliveryStatus, Stage);

    /// <summary>Whether an order in this state has ended (see <see cref="IsClosed"/>).</summary>
    public static bool IsClosedState(string orderStatus, string deliveryStatus, string stage) =>
        ClosedOrderStatuses.Contains(orderStatus) || deliveryStatus == "refund_required" || stage == "refund_required";

    /// <summary>
    /// The event as written on the stream (<c>id:</c> and <c>data:</c> lines), built once: the hub hands the same
    /// instance to every stream of the order, so a thousand streams share one serialisation.
    /// </summary>
    public byte[] Frame => _frame ??= BuildFrame();

    private byte[] BuildFrame()
    {
        var data = JsonSerializer.Serialize(
            new OrderStatusEventDto(Id, OrderId, OrderStatus, PaymentStatus, DeliveryStatus, Stage, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)),
            Json);
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {Id}\ndata: {data}\n\n"));
    }
}


namespace FlashFundX.TestSupport.Service;

/// <summary>What order_events holds for an order: the truth a stream is compared with.</summary>
public static class OrderEventRows
{
    public sealed record Row(long Id, string Stage, string OrderStatus, string PaymentStatus, string DeliveryStatus);

    public static Task<IReadOnlyList<Row>> EventsAsync(this FulfillmentService service, string orderId) =>
        service.QueryAsync<Row>(
            "SELECT id, stage, order_status AS OrderStatus, payment_status AS PaymentStatus, delivery_status AS DeliveryStatus FROM order_events WHERE order_id = @orderId ORDER BY id",
            new { orderId });
}

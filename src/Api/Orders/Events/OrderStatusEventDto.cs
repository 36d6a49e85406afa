namespace FlashFundX.Api.Orders.Events;

/// <summary>The <c>data:</c> of one status event; <see cref="EventId"/> is also the SSE <c>id:</c> to resume after.</summary>
public sealed record OrderStatusEventDto(
    long EventId,
    string OrderId,
    string OrderStatus,
    string PaymentStatus,
    string DeliveryStatus,
    string Stage,
    DateTime Timestamp);

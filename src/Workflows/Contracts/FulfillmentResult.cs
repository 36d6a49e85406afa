using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Contracts;

/// <summary>How the order's run ended.</summary>
public sealed record FulfillmentResult(string OrderId, OrderStage Stage, OrderStatus OrderStatus, PaymentStatus PaymentStatus, DeliveryStatus DeliveryStatus, Guid? DeliveredAccountId);

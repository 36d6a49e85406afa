using System.Text.Json.Serialization;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Orders;

/// <summary>An order as the API shows it; enums serialise as lower snake_case (<c>awaiting_payment</c>).</summary>
public sealed record OrderDto(
    string OrderId,
    Guid UserId,
    AccountType AccountType,
    int AccountSize,
    TradingPlatform Platform,
    string PayCurrency,
    OrderStatus OrderStatus,
    PaymentStatus PaymentStatus,
    DeliveryStatus DeliveryStatus,
    OrderStage Stage,
    decimal PriceAmount,
    string PriceCurrency,
    string? InvoiceId,
    string? InvoiceUrl,
    DateTime CreatedAt,
    DateTime? PaidAt,
    DateTime? DeliveredAt)
{
    /// <summary>
    /// Admins only: why an operator must look at the order (the reconciler found its workflow closed while the order
    /// is open); absent when nothing is wrong and for other callers.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OrderAttentionDto? Attention { get; init; }
}

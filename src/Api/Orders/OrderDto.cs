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
    DateTime? DeliveredAt);

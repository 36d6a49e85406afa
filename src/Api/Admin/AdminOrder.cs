using FlashFundX.Api.Orders;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Admin;

/// <summary>An order as admins see it: the customer's e-mail, the provider's ids and the status note beside the order's own fields.</summary>
public sealed record AdminOrder(
    string OrderId,
    Guid UserId,
    string UserEmail,
    AccountType AccountType,
    int AccountSize,
    TradingPlatform Platform,
    OrderStatus OrderStatus,
    PaymentStatus PaymentStatus,
    DeliveryStatus DeliveryStatus,
    OrderStage Stage,
    decimal PriceAmount,
    string PriceCurrency,
    string PayCurrency,
    string? InvoiceId,
    string? PaymentId,
    decimal? ActuallyPaid,
    string? StatusNote,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? PaidAt,
    DateTime? DeliveredAt)
{
    /// <summary>Why an operator must look at the order (the reconciler flagged it, docs/operations.md "Reconciler"); null when nothing is wrong.</summary>
    public OrderAttentionDto? Attention { get; init; }
}

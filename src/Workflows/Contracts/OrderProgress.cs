using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Contracts;

/// <summary>The answer of the <c>GetStatus</c> query: where the order is and what went wrong last.</summary>
public sealed record OrderProgress(
    string OrderId,
    OrderStage Stage,
    OrderStatus OrderStatus,
    PaymentStatus PaymentStatus,
    DeliveryStatus DeliveryStatus,
    string? InvoiceId,
    string? InvoiceUrl,
    string? PaymentId,
    int Attempts,
    string? LastError,
    long? AccountId,
    DateTime? PaymentDeadline);

using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Contracts;

/// <summary>Records an admin's refund of the order (the RecordRefund activity).</summary>
public sealed record RecordRefundInput(string OrderId, RefundRequest Refund);

/// <summary>
/// The order after the RecordRefund activity: refunded now, or <paramref name="AlreadyRecorded"/> by an earlier
/// attempt or request with the same reference (nothing written).
/// </summary>
public sealed record RefundRecorded(bool AlreadyRecorded, OrderStage Stage, OrderStatus OrderStatus, PaymentStatus PaymentStatus, DeliveryStatus DeliveryStatus);

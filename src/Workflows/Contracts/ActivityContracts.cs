using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Contracts;

/// <summary>Identifies the order an activity works on; the order id is every activity's idempotency key.</summary>
public sealed record OrderRef(string OrderId);

public sealed record InvoiceCreated(string InvoiceId, string InvoiceUrl);

public sealed record CheckPaymentInput(string OrderId, string PaymentId);

/// <summary>Asks the provider for every payment made on the order's invoice.</summary>
public sealed record FindInvoicePaymentsInput(string OrderId, string InvoiceId);

/// <summary>
/// The payments of an invoice, oldest first. <see cref="LookupAvailable"/> is false when the provider account's login is
/// not configured, so nothing can be listed.
/// </summary>
public sealed record InvoicePayments(bool LookupAvailable, IReadOnlyList<PaymentUpdate> Payments);

/// <summary>Records a provider report on the order and in payment_transactions, with what it meant for the order.</summary>
public sealed record RecordPaymentInput(string OrderId, PaymentUpdate Update, PaymentStatus EvaluatedStatus);

/// <summary>
/// Sets the order's visible state; every field is the new absolute value, so a repeat writes the same row.
/// <see cref="PaymentDeadline"/> is recorded once (the first write that has one) so that a run started again from the
/// recorded state keeps the order's original deadline.
/// </summary>
public sealed record OrderStateChange(
    string OrderId,
    OrderStage Stage,
    OrderStatus OrderStatus,
    PaymentStatus PaymentStatus,
    DeliveryStatus DeliveryStatus,
    string? Note = null)
{
    public DateTime? PaymentDeadline { get; init; }
}

/// <summary>
/// Outcome of handing an account to a paid order in one transaction (rules, reservation, delivered row, totals,
/// completion). Out of stock is an expected, typed answer: <see cref="Delivered"/> false and nothing written.
/// </summary>
public sealed record OrderDeliveryOutcome(
    bool Delivered,
    long? AccountId,
    long? TradingRulesId,
    Guid? DeliveredAccountId,
    AccountPhase? Phase,
    DateTime? DeliveredAt)
{
    public static OrderDeliveryOutcome OutOfStock { get; } = new(false, null, null, null, null, null);
}

/// <summary>
/// Brings the order's rows up to date in one transaction: the provider reports not yet recorded (in arrival order)
/// and then, when given, the order's visible state. Either part may be empty; a repeat writes the same rows.
/// </summary>
public sealed record OrderSync(string OrderId, IReadOnlyList<RecordPaymentInput> Payments, OrderStateChange? State);

namespace FlashFundX.Workflows.Domain;

/// <summary>The order's view of its payment; changed only through <see cref="PaymentTransitions"/>.</summary>
public sealed record PaymentState(PaymentStatus Status, PaymentOutcome Outcome, string? PaymentId, decimal? ActuallyPaid)
{
    public static PaymentState Initial { get; } = new(PaymentStatus.Pending, PaymentOutcome.Open, null, null);

    public bool IsSettled => Outcome != PaymentOutcome.Open;

    /// <summary>
    /// The state the order row records (its payment columns, which the workflow's state sync and the late-payment
    /// recorder write with the reports, in the same transaction): <paramref name="paid"/> is whether the order was ever
    /// paid (<c>paid_at</c> set).
    /// </summary>
    public static PaymentState Recorded(PaymentStatus status, bool paid, string? paymentId, decimal? actuallyPaid) =>
        new(status, OutcomeOf(status, paid), paymentId, actuallyPaid);

    private static PaymentOutcome OutcomeOf(PaymentStatus status, bool paid) => status switch
    {
        _ when paid => PaymentOutcome.Paid,
        PaymentStatus.AmountMismatch => PaymentOutcome.AmountMismatch,
        PaymentStatus.Failed or PaymentStatus.Expired or PaymentStatus.Refunded => PaymentOutcome.Unpaid,
        _ => PaymentOutcome.Open,
    };
}

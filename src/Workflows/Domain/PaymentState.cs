namespace FlashFundX.Workflows.Domain;

/// <summary>The order's view of its payment; changed only through <see cref="PaymentTransitions"/>.</summary>
public sealed record PaymentState(PaymentStatus Status, PaymentOutcome Outcome, string? PaymentId, decimal? ActuallyPaid)
{
    public static PaymentState Initial { get; } = new(PaymentStatus.Pending, PaymentOutcome.Open, null, null);

    public bool IsSettled => Outcome != PaymentOutcome.Open;
}

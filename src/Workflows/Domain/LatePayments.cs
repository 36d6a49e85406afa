using FlashFundX.Workflows.Contracts;

namespace FlashFundX.Workflows.Domain;

/// <summary>
/// A provider report for an order whose workflow run has ended, which therefore cannot apply it. The rules of
/// <see cref="PaymentTransitions"/> still hold: a paid order only moves forward among the paid statuses (NowPayments
/// reports <c>sending</c> and <c>finished</c> after <c>confirmed</c> has already delivered the account), and nothing
/// undoes a payment. An order that ended unpaid (expired, cancelled, failed) cannot be sold any more, so money that
/// arrives for it anyway is recorded and flagged for refund.
/// </summary>
public static class LatePayments
{
    /// <param name="current">The order's payment state as stored.</param>
    /// <param name="paid">Whether the run accepted a payment for the order (it has a paid time).</param>
    public static LatePaymentEffect Evaluate(
        PaymentState current,
        bool paid,
        PaymentUpdate update,
        decimal expectedAmount,
        string expectedCurrency,
        IReadOnlyCollection<string> paidStatuses)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (paid)
        {
            var forward = PaymentTransitions.Apply(current with { Outcome = PaymentOutcome.Paid }, update, expectedAmount, expectedCurrency, paidStatuses);
            return new LatePaymentEffect(forward with { Outcome = current.Outcome }, RefundRequired: false);
        }

        // The order is closed whatever the provider said before, so its report is weighed as if the payment were open.
        var next = PaymentTransitions.Apply(current with { Outcome = PaymentOutcome.Open }, update, expectedAmount, expectedCurrency, paidStatuses);
        if (next.Outcome is PaymentOutcome.Paid or PaymentOutcome.AmountMismatch)
        {
            return current.Outcome == PaymentOutcome.AmountMismatch && next.Status == current.Status
                ? new LatePaymentEffect(current, RefundRequired: false)
                : new LatePaymentEffect(next, RefundRequired: true);
        }
        return next.Status == current.Status
            ? new LatePaymentEffect(current, RefundRequired: false)
            : new LatePaymentEffect(next with { Outcome = current.Outcome }, RefundRequired: false);
    }
}

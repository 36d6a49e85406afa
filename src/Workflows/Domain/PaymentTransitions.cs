using FlashFundX.Workflows.Contracts;

namespace FlashFundX.Workflows.Domain;

/// <summary>
/// The one state transition that IPN signals and status polls both go through, so whichever arrives first wins
/// and repeats, duplicates and out-of-order reports change nothing.
/// </summary>
public static class PaymentTransitions
{
    public static readonly IReadOnlyList<string> DefaultPaidStatuses = ["confirmed", "sending", "finished"];

    public static PaymentState Apply(
        PaymentState current,
        PaymentUpdate update,
        decimal expectedAmount,
        string expectedCurrency,
        IReadOnlyCollection<string> paidStatuses)
    {
        // A repeat deposit on an already created payment never buys a second account.
        if (!string.IsNullOrEmpty(update.ParentPaymentId))
        {
            return current;
        }
        if (!WireName.TryParse<PaymentStatus>(update.ProviderStatus, out var reported) || reported == PaymentStatus.AmountMismatch)
        {
            return current;
        }

        var paymentId = current.PaymentId ?? update.PaymentId;
        if (current.Outcome == PaymentOutcome.Paid)
        {
            // Once paid, only forward movement among the paid statuses is shown; nothing can undo the payment, and an
            // older report arriving later changes nothing (not the amount paid either).
            return paidStatuses.Contains(update.ProviderStatus) && Rank(reported) > Rank(current.Status)
                ? current with { Status = reported, PaymentId = paymentId, ActuallyPaid = update.ActuallyPaid ?? current.ActuallyPaid }
                : current;
        }
        if (current.IsSettled)
        {
            return current;
        }

        if (paidStatuses.Contains(update.ProviderStatus))
        {
            var matches = update.PriceAmount == expectedAmount
                && string.Equals(update.PriceCurrency, expectedCurrency, StringComparison.OrdinalIgnoreCase);
            return matches
                ? new PaymentState(reported, PaymentOutcome.Paid, paymentId, update.ActuallyPaid)
                : new PaymentState(PaymentStatus.AmountMismatch, PaymentOutcome.AmountMismatch, paymentId, update.ActuallyPaid);
        }
        if (reported is PaymentStatus.Failed or PaymentStatus.Expired or PaymentStatus.Refunded)
        {
            return new PaymentState(reported, PaymentOutcome.Unpaid, paymentId, update.ActuallyPaid);
        }
        if (Rank(reported) < Rank(current.Status) || reported == current.Status)
        {
            return current.PaymentId is null ? current with { PaymentId = paymentId } : current;
        }
        return new PaymentState(reported, PaymentOutcome.Open, paymentId, update.ActuallyPaid ?? current.ActuallyPaid);
    }

    private static int Rank(PaymentStatus status) => status switch
    {
        PaymentStatus.Pending => 0,
        PaymentStatus.Waiting => 1,
        PaymentStatus.Confirming or PaymentStatus.PartiallyPaid => 2,
        PaymentStatus.Confirmed => 3,
        PaymentStatus.Sending => 4,
        PaymentStatus.Finished => 5,
        _ => 6,
    };
}

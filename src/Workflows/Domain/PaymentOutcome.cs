namespace FlashFundX.Workflows.Domain;

/// <summary>What the payment means for the order.</summary>
public enum PaymentOutcome
{
    /// <summary>Nothing decisive yet: keep waiting (includes partial payments).</summary>
    Open,
    Paid,
    /// <summary>Paid, but not the order's price or currency: never delivered, flagged for refund.</summary>
    AmountMismatch,
    /// <summary>The provider gave up on the payment (failed, expired, refunded): the order ends unpaid.</summary>
    Unpaid,
}

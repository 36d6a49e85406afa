namespace FlashFundX.Workflows.Contracts;

/// <summary>Error types with which the workflow refuses an admin's mark-paid or refund (the API answers 409 with the message).</summary>
public static class AdminToolRefusals
{
    /// <summary>The order is not waiting for a payment (not invoiced yet, already paid, ended, or being cancelled).</summary>
    public const string NotAwaitingPayment = "NotAwaitingPayment";

    /// <summary>The stated amount or currency is not the order's price.</summary>
    public const string PriceMismatch = "PriceMismatch";

    /// <summary>The order was already marked paid with another reference.</summary>
    public const string OtherReference = "OtherReference";

    /// <summary>The order does not need a refund (not refund_required).</summary>
    public const string NotRefundRequired = "NotRefundRequired";
}

namespace FlashFundX.Workflows.Contracts;

/// <summary>Error types with which the workflow's validator refuses a payment check (<c>CheckPaymentNowAsync</c>).</summary>
public static class PaymentCheckRefusals
{
    /// <summary>The order is not waiting for a payment (no invoice yet, or paid, or ended).</summary>
    public const string NotAwaitingPayment = "NotAwaitingPayment";

    /// <summary>Nothing can be looked up: no payment named yet and the invoice lookup is not available.</summary>
    public const string NothingToLookUp = "NothingToLookUp";

    /// <summary>The previous check was less than <see cref="FulfillmentSettings.PaymentCheckInterval"/> ago; the failure's details hold the seconds to wait.</summary>
    public const string TooSoon = "PaymentCheckTooSoon";
}

namespace FlashFundX.Workflows.Activities;

/// <summary>Error types activities fail with; the workflow's retry policies list the non-retryable ones.</summary>
public static class ActivityErrors
{
    public const string TradingRulesMissing = "TradingRulesMissing";
    public const string OrderNotFound = "OrderNotFound";
    public const string PaymentProviderRejected = "PaymentProviderRejected";
    public const string InvalidOrderState = "InvalidOrderState";

    /// <summary>The SMTP server refused the message itself (a permanent 5xx): sending it again would not help.</summary>
    public const string EmailRejected = "EmailRejected";
}

namespace FlashFundX.Api.Webhooks;

/// <summary>webhook_events.outcome values (the CHECK list of the schema).</summary>
public static class WebhookOutcomes
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Orphaned = "orphaned";

    /// <summary>The detail of an orphaned IPN whose open order had no run; dispatched again when the run is restarted.</summary>
    public const string NoRunDetail = "workflow not running";

    /// <summary>Valid, for an order whose run had ended: recorded in the database instead of signalled.</summary>
    public const string Late = "late";
    public const string InvalidSignature = "invalid_signature";
    public const string Malformed = "malformed";
    public const string TooLarge = "too_large";
}

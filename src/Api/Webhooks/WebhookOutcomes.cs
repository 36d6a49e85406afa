namespace FlashFundX.Api.Webhooks;

/// <summary>webhook_events.outcome values (the CHECK list of the schema).</summary>
public static class WebhookOutcomes
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Orphaned = "orphaned";
    public const string InvalidSignature = "invalid_signature";
    public const string Malformed = "malformed";
    public const string TooLarge = "too_large";
}

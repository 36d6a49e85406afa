namespace FlashFundX.Api.Webhooks;

/// <summary>One received webhook request as recorded in webhook_events.</summary>
public sealed record WebhookEvent(
    string Outcome,
    int HttpStatus,
    bool SignatureValid,
    string? OrderId = null,
    string? PaymentId = null,
    string? PaymentStatus = null,
    string? DedupeKey = null,
    string? BodySha256 = null,
    string? Body = null,
    string? Detail = null);

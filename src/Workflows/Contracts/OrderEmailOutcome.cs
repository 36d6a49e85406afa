namespace FlashFundX.Workflows.Contracts;

/// <summary>
/// What the e-mail activity did: <c>sent</c> (now), <c>already_sent</c> (an earlier attempt did), <c>skipped</c>
/// (SMTP disabled) or <c>failed</c> (the recipient is not a valid address: recorded with its reason, never retried).
/// </summary>
public sealed record OrderEmailOutcome(string Status, string MessageId);

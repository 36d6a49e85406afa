namespace FlashFundX.Workflows.Contracts;

/// <summary>
/// What the e-mail activity did: <c>sent</c> (now), <c>already_sent</c> (an earlier attempt did), <c>skipped</c>
/// (SMTP disabled) or <c>no_recipient</c>.
/// </summary>
public sealed record OrderEmailOutcome(string Status, string MessageId);

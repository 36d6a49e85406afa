namespace FlashFundX.NowPayments.Simulator;

/// <summary>One IPN POST: what was sent and how the receiver answered (<see cref="StatusCode"/> null when no answer came).</summary>
public sealed record IpnDeliveryResult(
    string PaymentId,
    string Status,
    string CallbackUrl,
    string Body,
    string Signature,
    int? StatusCode,
    string? Error,
    TimeSpan Elapsed,
    DateTimeOffset SentAt)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

namespace FlashFundX.NowPayments;

/// <summary>The <c>payment_status</c> values NowPayments sends, as lowercase strings.</summary>
public static class NowPaymentsStatuses
{
    public const string Waiting = "waiting";
    public const string Confirming = "confirming";
    public const string Confirmed = "confirmed";
    public const string Sending = "sending";
    public const string PartiallyPaid = "partially_paid";
    public const string Finished = "finished";
    public const string Failed = "failed";
    public const string Refunded = "refunded";
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All =
        [Waiting, Confirming, Confirmed, Sending, PartiallyPaid, Finished, Failed, Refunded, Expired];

    public static bool IsKnown(string? status) => status is not null && All.Contains(status, StringComparer.Ordinal);
}

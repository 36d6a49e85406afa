namespace FlashFundX.NowPayments.Simulator;

/// <summary>How the IPNs of one control call are delivered.</summary>
/// <param name="Deliver">False suppresses delivery, so only polling <c>GET /payment/{id}</c> sees the change.</param>
/// <param name="Duplicates">Extra copies of every IPN (same bytes, same signature).</param>
/// <param name="Reverse">Deliver the IPNs of a multi-step walk newest first (e.g. <c>finished</c> before <c>waiting</c>).</param>
public sealed record IpnDelivery(bool Deliver = true, int Duplicates = 0, bool Reverse = false)
{
    public static IpnDelivery Normal { get; } = new();

    public static IpnDelivery Suppressed { get; } = new(Deliver: false);

    public static IpnDelivery OutOfOrder { get; } = new(Reverse: true);
}

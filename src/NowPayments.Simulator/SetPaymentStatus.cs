namespace FlashFundX.NowPayments.Simulator;

/// <summary>Moves an existing payment straight to <see cref="Status"/> and sends one IPN (plus duplicates).</summary>
public sealed record SetPaymentStatus(string Status)
{
    public decimal? AmountOverride { get; init; }

    public string? PriceCurrencyOverride { get; init; }

    public decimal? ActuallyPaid { get; init; }

    public IpnDelivery Delivery { get; init; } = IpnDelivery.Normal;
}

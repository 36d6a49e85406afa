namespace FlashFundX.NowPayments.Simulator.Endpoints;

/// <summary>Body of the <c>/simulator</c> control calls (snake_case JSON); every field is optional.</summary>
internal sealed record ControlRequest
{
    public string? Status { get; init; }
    public decimal? AmountOverride { get; init; }
    public string? PriceCurrencyOverride { get; init; }
    public decimal? ActuallyPaid { get; init; }
    public string? PayCurrency { get; init; }
    public bool? NewPayment { get; init; }
    public bool? WalkStatuses { get; init; }
    public bool? DeliverIpn { get; init; }
    public int? Duplicates { get; init; }
    public bool? Reverse { get; init; }

    public IpnDelivery Delivery => new(DeliverIpn ?? true, Duplicates ?? 0, Reverse ?? false);
}

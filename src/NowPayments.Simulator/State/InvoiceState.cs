namespace FlashFundX.NowPayments.Simulator.State;

internal sealed class InvoiceState
{
    public required long Id { get; init; }
    public required string OrderId { get; init; }
    public string? OrderDescription { get; init; }
    public required decimal PriceAmount { get; init; }
    public required string PriceCurrency { get; init; }
    public string? PayCurrency { get; init; }
    public string? IpnCallbackUrl { get; init; }
    public string? SuccessUrl { get; init; }
    public string? CancelUrl { get; init; }
    public required string InvoiceUrl { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Kept in the state file apart, each naming its invoice (<see cref="StoredPayment"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public List<PaymentState> Payments { get; } = [];

    public SimulatedInvoice ToSnapshot() => new(
        Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        OrderId, OrderDescription, PriceAmount, PriceCurrency, PayCurrency, IpnCallbackUrl, SuccessUrl, CancelUrl,
        InvoiceUrl, CreatedAt, Payments.Select(p => p.ToSnapshot()).ToArray());
}

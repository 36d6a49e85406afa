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
    public List<PaymentState> Payments { get; } = [];

    public SimulatedInvoice ToSnapshot() => new(
        Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        OrderId, OrderDescription, PriceAmount, PriceCurrency, PayCurrency, IpnCallbackUrl, SuccessUrl, CancelUrl,
        InvoiceUrl, CreatedAt, Payments.Select(p => p.ToSnapshot()).ToArray());

    public StoredInvoice ToStored() => new(
        Id, OrderId, OrderDescription, PriceAmount, PriceCurrency, PayCurrency, IpnCallbackUrl, SuccessUrl, CancelUrl,
        InvoiceUrl, CreatedAt, Payments.Select(p => p.ToStored()).ToArray());

    public static InvoiceState FromStored(StoredInvoice stored)
    {
        var invoice = new InvoiceState
        {
            Id = stored.Id,
            OrderId = stored.OrderId,
            OrderDescription = stored.OrderDescription,
            PriceAmount = stored.PriceAmount,
            PriceCurrency = stored.PriceCurrency,
            PayCurrency = stored.PayCurrency,
            IpnCallbackUrl = stored.IpnCallbackUrl,
            SuccessUrl = stored.SuccessUrl,
            CancelUrl = stored.CancelUrl,
            InvoiceUrl = stored.InvoiceUrl,
            CreatedAt = stored.CreatedAt,
        };
        invoice.Payments.AddRange(stored.Payments.Select(p => PaymentState.FromStored(p, invoice)));
        return invoice;
    }
}

namespace FlashFundX.NowPayments.Simulator;

/// <summary>A snapshot of an invoice the simulator holds.</summary>
public sealed record SimulatedInvoice(
    string Id,
    string OrderId,
    string? OrderDescription,
    decimal PriceAmount,
    string PriceCurrency,
    string? PayCurrency,
    string? IpnCallbackUrl,
    string? SuccessUrl,
    string? CancelUrl,
    string InvoiceUrl,
    DateTimeOffset CreatedAt,
    IReadOnlyList<SimulatedPayment> Payments);

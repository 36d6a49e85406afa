namespace FlashFundX.NowPayments.Client;

/// <summary>An invoice as NowPayments answers <c>POST /invoice</c>. <see cref="InvoiceUrl"/> is where the payer goes.</summary>
public sealed record Invoice(
    string Id,
    string InvoiceUrl,
    string? OrderId,
    string? OrderDescription,
    decimal? PriceAmount,
    string? PriceCurrency,
    string? PayCurrency,
    string? IpnCallbackUrl,
    string? SuccessUrl,
    string? CancelUrl,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt);

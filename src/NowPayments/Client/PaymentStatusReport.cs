namespace FlashFundX.NowPayments.Client;

/// <summary>
/// A payment as NowPayments answers <c>GET /payment/{id}</c>. Ids are strings whether the provider sent numbers or
/// strings; amounts are exact decimals. <see cref="ParentPaymentId"/> is set for a repeat deposit on the same invoice.
/// </summary>
public sealed record PaymentStatusReport(
    string PaymentId,
    string PaymentStatus,
    decimal? PriceAmount,
    string? PriceCurrency,
    decimal? PayAmount,
    decimal? ActuallyPaid,
    string? PayCurrency,
    string? OrderId,
    string? InvoiceId,
    string? ParentPaymentId,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt)
{
    public string? OrderDescription { get; init; }

    public string? PayAddress { get; init; }

    public decimal? OutcomeAmount { get; init; }

    public string? OutcomeCurrency { get; init; }
}

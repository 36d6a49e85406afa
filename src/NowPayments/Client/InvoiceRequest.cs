namespace FlashFundX.NowPayments.Client;

/// <summary>What we ask NowPayments to invoice.</summary>
/// <param name="PriceAmount">Price in <paramref name="PriceCurrency"/>, sent exactly as given.</param>
/// <param name="PayCurrency">
/// Our currency code (<c>usdt_bsc</c>, …) or its NowPayments ticker (<c>usdtbsc</c>, …); see <see cref="PayCurrencies"/>.
/// Anything else is rejected with a non-retryable <see cref="NowPaymentsException"/> before any HTTP call.
/// </param>
/// <param name="OrderId">Our FFX order id; comes back as <c>order_id</c> in every IPN.</param>
/// <param name="OrderDescription">Shown to the payer on the invoice page.</param>
public sealed record InvoiceRequest(decimal PriceAmount, string PayCurrency, string OrderId, string OrderDescription)
{
    public string PriceCurrency { get; init; } = "usd";

    /// <summary>Overrides <see cref="NowPaymentsOptions.IpnCallbackUrl"/> for this invoice.</summary>
    public string? IpnCallbackUrl { get; init; }

    /// <summary>Overrides <see cref="NowPaymentsOptions.SuccessUrl"/> for this invoice.</summary>
    public string? SuccessUrl { get; init; }

    /// <summary>Overrides <see cref="NowPaymentsOptions.CancelUrl"/> for this invoice.</summary>
    public string? CancelUrl { get; init; }
}

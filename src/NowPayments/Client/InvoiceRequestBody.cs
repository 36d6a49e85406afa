namespace FlashFundX.NowPayments.Client;

/// <summary>The exact <c>POST /invoice</c> body; serialized snake_case.</summary>
internal sealed record InvoiceRequestBody(
    decimal PriceAmount,
    string PriceCurrency,
    string PayCurrency,
    string OrderId,
    string OrderDescription,
    string IpnCallbackUrl,
    string? SuccessUrl,
    string? CancelUrl);

namespace FlashFundX.Workflows.Contracts;

/// <summary>A payment status report from the provider, by IPN signal or by poll. Amounts as the provider stated them.</summary>
public sealed record PaymentUpdate(
    string PaymentId,
    string ProviderStatus,
    decimal? PriceAmount,
    string? PriceCurrency,
    decimal? ActuallyPaid = null,
    string? PayCurrency = null,
    string? ParentPaymentId = null,
    string Source = "ipn");

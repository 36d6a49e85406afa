namespace FlashFundX.NowPayments.Simulator;

/// <summary>
/// Creates a payment for an invoice and moves it to <see cref="Status"/>. With <see cref="WalkStatuses"/> the payment passes
/// through the statuses before it (<c>waiting → confirming → confirmed → sending → finished</c>; other targets go
/// <c>waiting →</c> target) and each step sends an IPN.
/// </summary>
public sealed record PayInvoice
{
    public string Status { get; init; } = NowPaymentsStatuses.Finished;

    /// <summary>Reported <c>price_amount</c> instead of the invoice's, for amount-mismatch tests.</summary>
    public decimal? AmountOverride { get; init; }

    /// <summary>Reported <c>price_currency</c> instead of the invoice's.</summary>
    public string? PriceCurrencyOverride { get; init; }

    /// <summary>Reported <c>actually_paid</c>; by default the full pay amount (half of it for <c>partially_paid</c>).</summary>
    public decimal? ActuallyPaid { get; init; }

    /// <summary>NowPayments ticker the payer chose; defaults to the invoice's, then <see cref="SimulatorOptions.DefaultPayCurrency"/>.</summary>
    public string? PayCurrency { get; init; }

    /// <summary>Always create a new payment; when the invoice already has one, the new one is a repeat deposit (<c>parent_payment_id</c> set).</summary>
    public bool NewPayment { get; init; }

    public bool WalkStatuses { get; init; } = true;

    public IpnDelivery Delivery { get; init; } = IpnDelivery.Normal;
}

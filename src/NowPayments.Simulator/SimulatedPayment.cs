namespace FlashFundX.NowPayments.Simulator;

/// <summary>A snapshot of a payment the simulator holds, with the IPNs sent for it by the call that returned it.</summary>
public sealed record SimulatedPayment(
    string PaymentId,
    string InvoiceId,
    string? ParentPaymentId,
    string OrderId,
    string Status,
    decimal PriceAmount,
    string PriceCurrency,
    decimal PayAmount,
    decimal ActuallyPaid,
    string PayCurrency,
    DateTimeOffset UpdatedAt)
{
    public IReadOnlyList<IpnDeliveryResult> Deliveries { get; init; } = [];
}

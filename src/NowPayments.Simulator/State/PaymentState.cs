using System.Globalization;

namespace FlashFundX.NowPayments.Simulator.State;

internal sealed class PaymentState
{
    public required long Id { get; init; }
    public required InvoiceState Invoice { get; init; }
    public long? ParentPaymentId { get; init; }
    public required string PayAddress { get; init; }
    public required string PurchaseId { get; init; }
    public required string PayCurrency { get; init; }
    public required decimal PayAmount { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string Status { get; set; } = NowPaymentsStatuses.Waiting;
    public required decimal PriceAmount { get; set; }
    public required string PriceCurrency { get; set; }
    public decimal ActuallyPaid { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string IdText => Id.ToString(CultureInfo.InvariantCulture);

    public SimulatedPayment ToSnapshot(IReadOnlyList<IpnDeliveryResult>? deliveries = null) => new(
        IdText,
        Invoice.Id.ToString(CultureInfo.InvariantCulture),
        ParentPaymentId?.ToString(CultureInfo.InvariantCulture),
        Invoice.OrderId,
        Status,
        PriceAmount,
        PriceCurrency,
        PayAmount,
        ActuallyPaid,
        PayCurrency,
        UpdatedAt)
    {
        Deliveries = deliveries ?? [],
    };
}

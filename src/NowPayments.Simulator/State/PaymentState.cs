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

    public StoredPayment ToStored() => new(
        Id, Invoice.Id, ParentPaymentId, PayAddress, PurchaseId, PayCurrency, PayAmount, CreatedAt, Status, PriceAmount, PriceCurrency, ActuallyPaid, UpdatedAt);

    public static PaymentState FromStored(StoredPayment stored, InvoiceState invoice) => new()
    {
        Id = stored.Id,
        Invoice = invoice,
        ParentPaymentId = stored.ParentPaymentId,
        PayAddress = stored.PayAddress,
        PurchaseId = stored.PurchaseId,
        PayCurrency = stored.PayCurrency,
        PayAmount = stored.PayAmount,
        CreatedAt = stored.CreatedAt,
        Status = stored.Status,
        PriceAmount = stored.PriceAmount,
        PriceCurrency = stored.PriceCurrency,
        ActuallyPaid = stored.ActuallyPaid,
        UpdatedAt = stored.UpdatedAt,
    };
}

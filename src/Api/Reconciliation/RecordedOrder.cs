namespace FlashFundX.Api.Reconciliation;

/// <summary>The orders columns a run is started again from, as Dapper maps them.</summary>
public sealed class RecordedOrder
{
    public const string Columns = """
        order_id, user_id, account_type, account_size, platform, pay_currency, price_amount, price_currency,
        order_status, payment_status, delivery_status, stage, invoice_id, invoice_url, created_at, payment_deadline,
        payment_id, actually_paid, paid_at IS NOT NULL AS paid, attention_reason
        """;

    public string OrderId { get; init; } = "";
    public Guid UserId { get; init; }
    public string AccountType { get; init; } = "";
    public int AccountSize { get; init; }
    public string Platform { get; init; } = "";
    public string PayCurrency { get; init; } = "";
    public decimal PriceAmount { get; init; }
    public string PriceCurrency { get; init; } = "";
    public string OrderStatus { get; init; } = "";
    public string PaymentStatus { get; init; } = "";
    public string DeliveryStatus { get; init; } = "";
    public string Stage { get; init; } = "";
    public string? InvoiceId { get; init; }
    public string? InvoiceUrl { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? PaymentDeadline { get; init; }
    public string? PaymentId { get; init; }
    public decimal? ActuallyPaid { get; init; }
    public bool Paid { get; init; }
    public string? AttentionReason { get; init; }
}

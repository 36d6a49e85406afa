using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Orders;

/// <summary>The orders columns the API reads, as Dapper maps them (snake_case → PascalCase).</summary>
internal sealed class OrderRow
{
    public const string Columns = """
        order_id, user_id, account_type, account_size, platform, pay_currency, price_amount, price_currency,
        order_status, payment_status, delivery_status, stage, invoice_id, invoice_url, created_at, paid_at, delivered_at,
        payment_id, actually_paid, payment_deadline, attention_reason, attention_at
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
    public DateTime? PaidAt { get; init; }
    public DateTime? DeliveredAt { get; init; }
    public string? PaymentId { get; init; }
    public decimal? ActuallyPaid { get; init; }
    public DateTime? PaymentDeadline { get; init; }
    public string? AttentionReason { get; init; }
    public DateTime? AttentionAt { get; init; }

    /// <param name="showAttention">Admins see why an operator must look at the order (<see cref="OrderDto.Attention"/>).</param>
    public OrderDto ToDto(bool showAttention = false) => new(
        OrderId,
        UserId,
        WireName.Parse<AccountType>(AccountType),
        AccountSize,
        WireName.Parse<TradingPlatform>(Platform),
        PayCurrency,
        WireName.Parse<OrderStatus>(OrderStatus),
        WireName.Parse<PaymentStatus>(PaymentStatus),
        WireName.Parse<DeliveryStatus>(DeliveryStatus),
        WireName.Parse<OrderStage>(Stage),
        PriceAmount,
        PriceCurrency,
        InvoiceId,
        InvoiceUrl,
        DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
        PaidAt is { } paid ? DateTime.SpecifyKind(paid, DateTimeKind.Utc) : null,
        DeliveredAt is { } delivered ? DateTime.SpecifyKind(delivered, DateTimeKind.Utc) : null)
    {
        Attention = showAttention && AttentionReason is { } reason
            ? new OrderAttentionDto(reason, DateTime.SpecifyKind(AttentionAt ?? default, DateTimeKind.Utc))
            : null,
    };
}

using System.Globalization;
using System.Text.Json;
using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.Workflows.Domain;

using FlashFundX.Api.Orders;

namespace FlashFundX.Api.Admin;

/// <summary>
/// The admin order tools' reads, as the API's system role (sql/0007_admin_orders.sql grants exactly these columns): the
/// filtered list, one order, its manual payment and refund, and everything recorded about it.
/// </summary>
public sealed class AdminOrderStore(CallerScopedDatabase database)
{
    private const string Columns = """
        o.order_id, o.user_id, u.email AS user_email, o.account_type, o.account_size, o.platform, o.order_status,
        o.payment_status, o.delivery_status, o.stage, o.price_amount, o.price_currency, o.pay_currency, o.invoice_id,
        o.payment_id, o.actually_paid, o.status_note, o.created_at, o.updated_at, o.paid_at, o.delivered_at,
        o.attention_reason, o.attention_at
        """;

    private const string Where = """
        WHERE (@Status::text IS NULL OR o.order_status = @Status)
          AND (@Stage::text IS NULL OR o.stage = @Stage)
          AND (@PaymentStatus::text IS NULL OR o.payment_status = @PaymentStatus)
          AND (@UserId::uuid IS NULL OR o.user_id = @UserId)
          AND (@Email::text IS NULL OR lower(u.email) = lower(@Email))
          AND (@From::timestamptz IS NULL OR o.created_at >= @From)
          AND (@To::timestamptz IS NULL OR o.created_at < @To)
          AND (@Q::text IS NULL OR o.order_id = @Q OR o.invoice_id = @Q OR o.payment_id = @Q)
        """;

    private const string PageSql = $"""
        SELECT {Columns} FROM orders o JOIN users u ON u.id = o.user_id
        {Where}
        ORDER BY o.created_at DESC, o.order_id DESC
        LIMIT @Limit OFFSET @Offset;
        SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id
        {Where};
        """;

    private const string OrderSql = $"SELECT {Columns} FROM orders o JOIN users u ON u.id = o.user_id WHERE o.order_id = @OrderId";

    private const string ManualPaymentSql = """
        SELECT m.reference, m.amount, m.currency, m.note, m.admin_user_id, u.email AS admin_email, m.created_at
          FROM manual_payments m LEFT JOIN users u ON u.id = m.admin_user_id
         WHERE m.order_id = @OrderId
        """;

    private const string RefundSql = """
        SELECT r.reference, r.note, r.admin_user_id, u.email AS admin_email, r.created_at
          FROM order_refunds r LEFT JOIN users u ON u.id = r.admin_user_id
         WHERE r.order_id = @OrderId
        """;

    private const string RecordsSql = $"""
        {ManualPaymentSql};
        {RefundSql};
        SELECT payment_id, provider_status, evaluated_status, price_amount, price_currency, actually_paid, pay_currency,
               parent_payment_id, source, created_at
          FROM payment_transactions WHERE order_id = @OrderId ORDER BY id;
        SELECT id, received_at, outcome, signature_valid, payment_id, payment_status, http_status, detail, dispatched_at,
               CASE WHEN signature_valid AND outcome IN ('accepted', 'duplicate', 'late') THEN body END AS body
          FROM webhook_events WHERE order_id = @OrderId ORDER BY id;
        SELECT id, stage, order_status, payment_status, delivery_status, created_at
          FROM order_events WHERE order_id = @OrderId ORDER BY id;
        SELECT kind, status, attempts, sent_at, created_at FROM email_outbox WHERE order_id = @OrderId ORDER BY id;
        SELECT login, server, platform, account_size, current_phase, delivered_at FROM delivered_accounts WHERE order_id = @OrderId;
        """;

    public async Task<AdminOrderPage> ListAsync(AdminOrderFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var session = await database.OpenSystemAsync(cancellationToken);
        using var results = await session.Connection.QueryMultipleAsync(session.Command(PageSql, new
        {
            filter.Status, filter.Stage, filter.PaymentStatus, filter.UserId, filter.Email, filter.From, filter.To, filter.Q,
            Limit = pageSize,
            Offset = (long)(page - 1) * pageSize,
        }, cancellationToken));
        var rows = (await results.ReadAsync<Row>()).Select(r => r.ToOrder()).ToArray();
        var total = await results.ReadSingleAsync<long>();
        return new AdminOrderPage(rows, total);
    }

    public async Task<AdminOrder?> FindAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var row = await session.Connection.QuerySingleOrDefaultAsync<Row>(session.Command(OrderSql, new { OrderId = orderId }, cancellationToken));
        return row?.ToOrder();
    }

    public async Task<AdminManualPayment?> FindManualPaymentAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var row = await session.Connection.QuerySingleOrDefaultAsync<ManualPaymentRow>(
            session.Command(ManualPaymentSql, new { OrderId = orderId }, cancellationToken));
        return row?.ToDto();
    }

    public async Task<AdminRefund?> FindRefundAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var row = await session.Connection.QuerySingleOrDefaultAsync<RefundRow>(session.Command(RefundSql, new { OrderId = orderId }, cancellationToken));
        return row?.ToDto();
    }

    /// <summary>Everything recorded about the order, in one round trip; the caller adds the order and the run's status.</summary>
    public async Task<OrderRecords> ReadRecordsAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        using var results = await session.Connection.QueryMultipleAsync(session.Command(RecordsSql, new { OrderId = orderId }, cancellationToken));
        var manual = (await results.ReadSingleOrDefaultAsync<ManualPaymentRow>())?.ToDto();
        var refund = (await results.ReadSingleOrDefaultAsync<RefundRow>())?.ToDto();
        var reports = (await results.ReadAsync<PaymentReportRow>()).Select(r => r.ToDto()).ToArray();
        var webhooks = (await results.ReadAsync<WebhookRow>()).Select(r => r.ToDto()).ToArray();
        var events = (await results.ReadAsync<EventRow>()).Select(r => r.ToDto()).ToArray();
        var emails = (await results.ReadAsync<EmailRow>()).Select(r => r.ToDto()).ToArray();
        var account = (await results.ReadSingleOrDefaultAsync<AccountRow>())?.ToDto();
        return new OrderRecords(manual, refund, reports, webhooks, events, emails, account);
    }

    /// <summary>What <see cref="ReadRecordsAsync"/> found.</summary>
    public sealed record OrderRecords(
        AdminManualPayment? ManualPayment,
        AdminRefund? Refund,
        IReadOnlyList<AdminPaymentReport> PaymentReports,
        IReadOnlyList<AdminWebhookEvent> WebhookEvents,
        IReadOnlyList<AdminOrderEvent> OrderEvents,
        IReadOnlyList<AdminOrderEmail> Emails,
        AdminDeliveredAccount? DeliveredAccount);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    private sealed class Row
    {
        public string OrderId { get; init; } = "";
        public Guid UserId { get; init; }
        public string UserEmail { get; init; } = "";
        public string AccountType { get; init; } = "";
        public int AccountSize { get; init; }
        public string Platform { get; init; } = "";
        public string OrderStatus { get; init; } = "";
        public string PaymentStatus { get; init; } = "";
        public string DeliveryStatus { get; init; } = "";
        public string Stage { get; init; } = "";
        public decimal PriceAmount { get; init; }
        public string PriceCurrency { get; init; } = "";
        public string PayCurrency { get; init; } = "";
        public string? InvoiceId { get; init; }
        public string? PaymentId { get; init; }
        public decimal? ActuallyPaid { get; init; }
        public string? StatusNote { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public DateTime? PaidAt { get; init; }
        public DateTime? DeliveredAt { get; init; }
        public string? AttentionReason { get; init; }
        public DateTime? AttentionAt { get; init; }

        public AdminOrder ToOrder() => new(
            OrderId, UserId, UserEmail,
            WireName.Parse<AccountType>(AccountType), AccountSize, WireName.Parse<TradingPlatform>(Platform),
            WireName.Parse<OrderStatus>(OrderStatus), WireName.Parse<PaymentStatus>(PaymentStatus),
            WireName.Parse<DeliveryStatus>(DeliveryStatus), WireName.Parse<OrderStage>(Stage),
            PriceAmount, PriceCurrency, PayCurrency, InvoiceId, PaymentId, ActuallyPaid, StatusNote,
            Utc(CreatedAt), Utc(UpdatedAt), Utc(PaidAt), Utc(DeliveredAt))
        {
            Attention = AttentionReason is { } reason ? new OrderAttentionDto(reason, Utc(AttentionAt) ?? default) : null,
        };
    }

    private sealed class ManualPaymentRow
    {
        public string Reference { get; init; } = "";
        public decimal Amount { get; init; }
        public string Currency { get; init; } = "";
        public string? Note { get; init; }
        public Guid AdminUserId { get; init; }
        public string? AdminEmail { get; init; }
        public DateTime CreatedAt { get; init; }

        public AdminManualPayment ToDto() => new(Reference, Amount, Currency, Note, AdminUserId, AdminEmail, Utc(CreatedAt));
    }

    private sealed class RefundRow
    {
        public string Reference { get; init; } = "";
        public string? Note { get; init; }
        public Guid AdminUserId { get; init; }
        public string? AdminEmail { get; init; }
        public DateTime CreatedAt { get; init; }

        public AdminRefund ToDto() => new(Reference, Note, AdminUserId, AdminEmail, Utc(CreatedAt));
    }

    private sealed class PaymentReportRow
    {
        public string PaymentId { get; init; } = "";
        public string ProviderStatus { get; init; } = "";
        public string EvaluatedStatus { get; init; } = "";
        public decimal? PriceAmount { get; init; }
        public string? PriceCurrency { get; init; }
        public decimal? ActuallyPaid { get; init; }
        public string? PayCurrency { get; init; }
        public string? ParentPaymentId { get; init; }
        public string Source { get; init; } = "";
        public DateTime CreatedAt { get; init; }

        public AdminPaymentReport ToDto() => new(
            PaymentId, ProviderStatus, EvaluatedStatus, PriceAmount, PriceCurrency, ActuallyPaid, PayCurrency, ParentPaymentId, Source, Utc(CreatedAt));
    }

    private sealed class WebhookRow
    {
        public long Id { get; init; }
        public DateTime ReceivedAt { get; init; }
        public string Outcome { get; init; } = "";
        public bool SignatureValid { get; init; }
        public string? PaymentId { get; init; }
        public string? PaymentStatus { get; init; }
        public int HttpStatus { get; init; }
        public string? Detail { get; init; }
        public DateTime? DispatchedAt { get; init; }
        public string? Body { get; init; }

        public AdminWebhookEvent ToDto()
        {
            var (priceAmount, priceCurrency, actuallyPaid, payCurrency) = Amounts(Body);
            return new AdminWebhookEvent(Id, Utc(ReceivedAt), Outcome, SignatureValid, PaymentId, PaymentStatus, HttpStatus, Detail,
                Utc(DispatchedAt), priceAmount, priceCurrency, actuallyPaid, payCurrency);
        }

        /// <summary>Only these four fields of a signed body; anything unreadable is left out rather than failing the page.</summary>
        private static (decimal?, string?, decimal?, string?) Amounts(string? body)
        {
            if (body is null)
            {
                return default;
            }
            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                return root.ValueKind != JsonValueKind.Object
                    ? default
                    : (Number(root, "price_amount"), Text(root, "price_currency"), Number(root, "actually_paid"), Text(root, "pay_currency"));
            }
            catch (JsonException)
            {
                return default;
            }
        }

        private static decimal? Number(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) ? number
            : root.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.String
              && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out number) ? number
            : null;

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? UntrustedText.ForLog(value.GetString()) : null;
    }

    private sealed class EventRow
    {
        public long Id { get; init; }
        public string Stage { get; init; } = "";
        public string OrderStatus { get; init; } = "";
        public string PaymentStatus { get; init; } = "";
        public string DeliveryStatus { get; init; } = "";
        public DateTime CreatedAt { get; init; }

        public AdminOrderEvent ToDto() => new(Id, Stage, OrderStatus, PaymentStatus, DeliveryStatus, Utc(CreatedAt));
    }

    private sealed class EmailRow
    {
        public string Kind { get; init; } = "";
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public DateTime? SentAt { get; init; }
        public DateTime CreatedAt { get; init; }

        public AdminOrderEmail ToDto() => new(Kind, Status, Attempts, Utc(SentAt), Utc(CreatedAt));
    }

    private sealed class AccountRow
    {
        public string Login { get; init; } = "";
        public string Server { get; init; } = "";
        public string Platform { get; init; } = "";
        public int AccountSize { get; init; }
        public string CurrentPhase { get; init; } = "";
        public DateTime DeliveredAt { get; init; }

        public AdminDeliveredAccount ToDto() => new(Login, Server, Platform, AccountSize, CurrentPhase, Utc(DeliveredAt));
    }
}

using Dapper;
using FlashFundX.Activities.Common;
using FlashFundX.NowPayments.Client;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using Microsoft.Extensions.Logging;
using Npgsql;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Payments;

public sealed partial class PaymentActivities(
    NpgsqlDataSource dataSource, INowPaymentsClient nowPayments, ILogger<PaymentActivities> logger) : IPaymentActivities
{
    /// <summary>Error type of a provider failure worth retrying (5xx, timeouts, rate limits, network).</summary>
    public const string PaymentProviderUnavailable = "PaymentProviderUnavailable";

    private const string OrderSql = """
        SELECT order_id, account_type, account_size, platform, pay_currency, price_amount, price_currency, invoice_id, invoice_url
          FROM orders
         WHERE order_id = @OrderId
        """;

    // First invoice stored wins; a concurrent copy that created a second invoice reads the first one back.
    private const string StoreInvoiceSql = """
        UPDATE orders SET invoice_id = @InvoiceId, invoice_url = @InvoiceUrl
         WHERE order_id = @OrderId AND invoice_id IS NULL
        """;

    private const string ReadInvoiceSql = """
        SELECT invoice_id, invoice_url FROM orders WHERE order_id = @OrderId
        """;

    [Activity]
    public async Task<InvoiceCreated> CreateInvoiceAsync(OrderRef order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, order.OrderId);
        var args = new { order.OrderId };

        OrderRow? row;
        await using (var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false))
        {
            row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(OrderSql, args, cancellationToken: ct))
                .ConfigureAwait(false);
        }
        if (row is null)
        {
            throw ActivityFailures.OrderNotFound(order.OrderId);
        }
        if (row.InvoiceId is not null && row.InvoiceUrl is not null)
        {
            return new InvoiceCreated(row.InvoiceId, row.InvoiceUrl);
        }

        // No connection is held while the provider answers.
        var invoice = await CallProviderAsync(order.OrderId, () => nowPayments.CreateInvoiceAsync(
            new InvoiceRequest(row.PriceAmount, row.PayCurrency, row.OrderId, Describe(row)) { PriceCurrency = row.PriceCurrency }, ct))
            .ConfigureAwait(false);

        await using (var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false))
        {
            var stored = await connection.ExecuteAsync(new CommandDefinition(
                StoreInvoiceSql, new { order.OrderId, InvoiceId = invoice.Id, invoice.InvoiceUrl }, cancellationToken: ct)).ConfigureAwait(false);
            var saved = await connection.QuerySingleAsync<InvoiceRow>(new CommandDefinition(ReadInvoiceSql, args, cancellationToken: ct))
                .ConfigureAwait(false);
            if (stored == 1)
            {
                LogInvoiceCreated(logger, order.OrderId, invoice.Id);
            }
            else
            {
                LogInvoiceRaced(logger, order.OrderId, saved.InvoiceId, invoice.Id);
            }
            return new InvoiceCreated(saved.InvoiceId!, saved.InvoiceUrl!);
        }
    }

    [Activity]
    public async Task<PaymentUpdate> CheckPaymentAsync(CheckPaymentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, input.OrderId);

        var report = await CallProviderAsync(input.OrderId, () => nowPayments.GetPaymentAsync(input.PaymentId, ct)).ConfigureAwait(false);

        if (report.OrderId is not null && !string.Equals(report.OrderId, input.OrderId, StringComparison.Ordinal))
        {
            throw new ApplicationFailureException(
                $"Payment {input.PaymentId} belongs to order {report.OrderId}, not {input.OrderId}.",
                errorType: ActivityErrors.PaymentProviderRejected, nonRetryable: true);
        }
        LogPolled(logger, input.OrderId, input.PaymentId, report.PaymentStatus);
        return ToUpdate(report);
    }

    [Activity]
    public async Task<InvoicePayments> FindInvoicePaymentsAsync(FindInvoicePaymentsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, input.OrderId);
        if (!nowPayments.CanListInvoicePayments)
        {
            LogLookupUnavailable(logger, input.OrderId, input.InvoiceId);
            return new InvoicePayments(false, []);
        }

        var reports = await CallProviderAsync(input.OrderId, () => nowPayments.ListInvoicePaymentsAsync(input.InvoiceId, ct)).ConfigureAwait(false);

        // Only this order's payments: a report naming another order is the provider's mix-up, not a payment of ours.
        var ours = reports.Where(r => r.OrderId is null || string.Equals(r.OrderId, input.OrderId, StringComparison.Ordinal)).ToArray();
        LogInvoicePolled(logger, input.OrderId, input.InvoiceId, ours.Length, string.Join(", ", ours.Select(r => r.PaymentStatus)));
        return new InvoicePayments(true, ours.Select(ToUpdate).ToArray());
    }

    private static PaymentUpdate ToUpdate(PaymentStatusReport report) => new(
        report.PaymentId, report.PaymentStatus, report.PriceAmount, report.PriceCurrency,
        report.ActuallyPaid, report.PayCurrency, report.ParentPaymentId, Source: "poll");

    private static string Describe(OrderRow row) =>
        $"FlashFundX {row.AccountType.Replace('_', '-')} {row.AccountSize / 1000}k {row.Platform.ToUpperInvariant()} ({row.OrderId})";

    private async Task<T> CallProviderAsync<T>(string orderId, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (NowPaymentsException e) when (!e.IsRetryable)
        {
            LogProviderRejected(logger, orderId, (int?)e.StatusCode, e.ProviderCode);
            throw new ApplicationFailureException(
                $"NowPayments rejected the request for order {orderId}: {e.Message}",
                e, errorType: ActivityErrors.PaymentProviderRejected, nonRetryable: true);
        }
        catch (NowPaymentsException e)
        {
            throw new ApplicationFailureException(
                $"NowPayments is unavailable for order {orderId}: {e.Message}", e, errorType: PaymentProviderUnavailable, nonRetryable: false);
        }
    }

    private sealed class OrderRow
    {
        public string OrderId { get; init; } = "";
        public string AccountType { get; init; } = "";
        public int AccountSize { get; init; }
        public string Platform { get; init; } = "";
        public string PayCurrency { get; init; } = "";
        public decimal PriceAmount { get; init; }
        public string PriceCurrency { get; init; } = "";
        public string? InvoiceId { get; init; }
        public string? InvoiceUrl { get; init; }
    }

    private sealed class InvoiceRow
    {
        public string? InvoiceId { get; init; }
        public string? InvoiceUrl { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Invoice {InvoiceId} created for order {OrderId}")]
    private static partial void LogInvoiceCreated(ILogger logger, string orderId, string invoiceId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Order {OrderId} already had invoice {InvoiceId} stored by a concurrent attempt; invoice {UnusedInvoiceId} stays unused")]
    private static partial void LogInvoiceRaced(ILogger logger, string orderId, string? invoiceId, string unusedInvoiceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId} of order {OrderId} is {ProviderStatus} at the provider")]
    private static partial void LogPolled(ILogger logger, string orderId, string paymentId, string providerStatus);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Invoice {InvoiceId} of order {OrderId} has {Count} payments at the provider ({ProviderStatuses})")]
    private static partial void LogInvoicePolled(ILogger logger, string orderId, string invoiceId, int count, string providerStatuses);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Cannot list the payments of invoice {InvoiceId} (order {OrderId}): NowPayments:Email and NowPayments:Password are not configured")]
    private static partial void LogLookupUnavailable(ILogger logger, string orderId, string invoiceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NowPayments rejected a request for order {OrderId}: HTTP {StatusCode} {ProviderCode}")]
    private static partial void LogProviderRejected(ILogger logger, string orderId, int? statusCode, string? providerCode);
}

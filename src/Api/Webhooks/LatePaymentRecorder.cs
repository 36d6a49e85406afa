using Dapper;
using FlashFundX.Worker.Configuration;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FlashFundX.Api.Webhooks;

/// <summary>
/// Records a valid IPN for an order whose workflow run has ended (see <see cref="LatePayments"/>): its
/// payment_transactions row, and the order's payment status when the report moves it — in one transaction that holds
/// the order row, so concurrent late reports for one order apply one after the other.
/// </summary>
public sealed partial class LatePaymentRecorder(
    NpgsqlDataSource dataSource, IOptions<FulfillmentOptions> fulfillment, ILogger<LatePaymentRecorder> logger)
{
    private const string ReadOrderSql = """
        SELECT order_status, payment_status, payment_id, actually_paid, paid_at IS NOT NULL AS paid, price_amount, price_currency
          FROM orders
         WHERE order_id = @OrderId
           FOR UPDATE
        """;

    private const string InsertTransactionSql = """
        INSERT INTO payment_transactions (order_id, user_id, payment_id, provider_status, evaluated_status, price_amount,
                                          price_currency, actually_paid, pay_currency, parent_payment_id, source)
        SELECT order_id, user_id, @PaymentId, @ProviderStatus, @EvaluatedStatus, @PriceAmount,
               @PriceCurrency, @ActuallyPaid, @PayCurrency, @ParentPaymentId, 'ipn'
          FROM orders
         WHERE order_id = @OrderId
        ON CONFLICT (order_id, payment_id, provider_status) DO NOTHING
        """;

    private const string UpdateOrderSql = """
        UPDATE orders
           SET payment_status = @EvaluatedStatus,
               payment_id = COALESCE(payment_id, @PaymentId),
               actually_paid = COALESCE(@ActuallyPaid, actually_paid),
               delivery_status = CASE WHEN @RefundRequired THEN 'refund_required' ELSE delivery_status END,
               status_note = CASE WHEN @RefundRequired THEN @Note ELSE status_note END
         WHERE order_id = @OrderId
        """;

    private static readonly string[] ClosedStatuses = ["completed", "cancelled", "expired", "failed"];

    /// <summary>What was recorded; <see cref="LatePaymentResult.OrderOpen"/> when the order has not ended (no run drives it).</summary>
    public async Task<LatePaymentResult> RecordAsync(string orderId, PaymentUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var order = await connection.QuerySingleOrDefaultAsync<OrderRow>(
            new CommandDefinition(ReadOrderSql, new { OrderId = orderId }, transaction, cancellationToken: cancellationToken));
        if (order is null || !ClosedStatuses.Contains(order.OrderStatus))
        {
            return LatePaymentResult.OrderOpen;
        }

        var status = WireName.Parse<PaymentStatus>(order.PaymentStatus);
        var current = new PaymentState(status, OutcomeOf(status, order.Paid), order.PaymentId, order.ActuallyPaid);
        var effect = LatePayments.Evaluate(
            current, order.Paid, update, order.PriceAmount, order.PriceCurrency, fulfillment.Value.PaidStatuses);
        var evaluated = WireName.Of(effect.Next.Status);
        var note = $"{update.ProviderStatus} payment reported after the order was {order.OrderStatus}: refund required";
        var args = new
        {
            OrderId = orderId,
            update.PaymentId,
            update.ProviderStatus,
            EvaluatedStatus = evaluated,
            update.PriceAmount,
            update.PriceCurrency,
            update.ActuallyPaid,
            update.PayCurrency,
            update.ParentPaymentId,
            effect.RefundRequired,
            Note = note,
        };
        await connection.ExecuteAsync(new CommandDefinition(InsertTransactionSql, args, transaction, cancellationToken: cancellationToken));
        var changed = effect.RefundRequired || effect.Next.Status != current.Status;
        if (changed)
        {
            await connection.ExecuteAsync(new CommandDefinition(UpdateOrderSql, args, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);

        if (effect.RefundRequired)
        {
            LogRefundRequired(logger, orderId, OrderIds.WorkflowId(orderId), update.PaymentId, update.ProviderStatus, order.OrderStatus);
        }
        else
        {
            LogRecorded(logger, orderId, OrderIds.WorkflowId(orderId), update.PaymentId, update.ProviderStatus, order.PaymentStatus, evaluated);
        }
        return new LatePaymentResult(
            Closed: true, Changed: changed, effect.RefundRequired, order.OrderStatus, order.PaymentStatus, evaluated);
    }

    private static PaymentOutcome OutcomeOf(PaymentStatus status, bool paid) => status switch
    {
        _ when paid => PaymentOutcome.Paid,
        PaymentStatus.AmountMismatch => PaymentOutcome.AmountMismatch,
        PaymentStatus.Failed or PaymentStatus.Expired or PaymentStatus.Refunded => PaymentOutcome.Unpaid,
        _ => PaymentOutcome.Open,
    };

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Late IPN {ProviderStatus} for payment {PaymentId} of closed order {OrderId} (workflow {WorkflowId}) recorded; payment status {PreviousStatus} -> {PaymentStatus}")]
    private static partial void LogRecorded(
        ILogger logger, string orderId, string workflowId, string paymentId, string providerStatus, string previousStatus, string paymentStatus);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Payment {PaymentId} reported {ProviderStatus} for order {OrderId} (workflow {WorkflowId}) after it was {OrderStatus}: flagged refund_required")]
    private static partial void LogRefundRequired(
        ILogger logger, string orderId, string workflowId, string paymentId, string providerStatus, string orderStatus);

    private sealed class OrderRow
    {
        public string OrderStatus { get; init; } = "";
        public string PaymentStatus { get; init; } = "";
        public string? PaymentId { get; init; }
        public decimal? ActuallyPaid { get; init; }
        public bool Paid { get; init; }
        public decimal PriceAmount { get; init; }
        public string PriceCurrency { get; init; } = "";
    }
}

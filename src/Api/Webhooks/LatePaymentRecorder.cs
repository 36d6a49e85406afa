using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.Data.Payments;
using FlashFundX.Api.Orders.Events;
using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FlashFundX.Api.Webhooks;

/// <summary>
/// Records a valid IPN for an order whose workflow run has ended (see <see cref="LatePayments"/>) as the workflow's
/// activities record reports (<see cref="PaymentRecording"/>), plus the refund flag when money came for an order that
/// ended unpaid — in one transaction that holds the order row, so concurrent late reports for one order apply in turn.
/// It runs as the API's system role, whose grants on orders are the payment columns and the refund flag.
/// </summary>
public sealed partial class LatePaymentRecorder(
    CallerScopedDatabase database, IOptions<FulfillmentOptions> fulfillment, ILogger<LatePaymentRecorder> logger)
{
    private const string ReadOrderSql = """
        SELECT order_status, delivery_status, stage, payment_status, payment_id, actually_paid, paid_at IS NOT NULL AS paid, price_amount, price_currency
          FROM orders
         WHERE order_id = @OrderId
           FOR UPDATE
        """;

    private const string RefundRequiredSql = """
        UPDATE orders SET delivery_status = 'refund_required', status_note = @Note WHERE order_id = @OrderId
        """;

    /// <summary>What was recorded; <see cref="LatePaymentResult.OrderOpen"/> when the order has not ended (no run drives it).</summary>
    public async Task<LatePaymentResult> RecordAsync(string orderId, PaymentUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var order = await session.Connection.QuerySingleOrDefaultAsync<OrderRow>(
            session.Command(ReadOrderSql, new { OrderId = orderId }, cancellationToken));
        if (order is null || !OrderEvent.IsClosedState(order.OrderStatus, order.DeliveryStatus, order.Stage))
        {
            return LatePaymentResult.OrderOpen;
        }

        var status = WireName.Parse<PaymentStatus>(order.PaymentStatus);
        var current = PaymentState.Recorded(status, order.Paid, order.PaymentId, order.ActuallyPaid);
        var effect = LatePayments.Evaluate(
            current, order.Paid, update, order.PriceAmount, order.PriceCurrency, fulfillment.Value.PaidStatuses);
        var evaluated = WireName.Of(effect.Next.Status);
        await using (var batch = new NpgsqlBatch(session.Connection, session.Transaction))
        {
            // The report's own row as it came; the order gets the domain's verdict (effect.Next), so an older report
            // arriving late, which moves nothing, leaves the status and the amount paid as they are.
            PaymentRecording.AddTransactionsTo(batch, [new RecordPaymentInput(orderId, update, effect.Next.Status)]);
            batch.BatchCommands.Add(PaymentRecording.OrderUpdateCommand(
                orderId, new OrderPaymentEffect(effect.Next.Status, effect.Next.PaymentId, effect.Next.ActuallyPaid)));
            if (effect.RefundRequired)
            {
                var refund = new NpgsqlBatchCommand(RefundRequiredSql);
                refund.Parameters.Add(new NpgsqlParameter("OrderId", orderId));
                refund.Parameters.Add(new NpgsqlParameter(
                    "Note", $"{update.ProviderStatus} payment reported after the order was {order.OrderStatus}: refund required"));
                batch.BatchCommands.Add(refund);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        var changed = effect.RefundRequired || effect.Next.Status != current.Status;

        if (effect.RefundRequired)
        {
            LogRefundRequired(logger, orderId, OrderIds.WorkflowId(orderId), UntrustedText.ForLog(update.PaymentId), UntrustedText.ForLog(update.ProviderStatus), order.OrderStatus);
        }
        else
        {
            LogRecorded(logger, orderId, OrderIds.WorkflowId(orderId), UntrustedText.ForLog(update.PaymentId), UntrustedText.ForLog(update.ProviderStatus), order.PaymentStatus, evaluated);
        }
        return new LatePaymentResult(
            Closed: true, Changed: changed, effect.RefundRequired, order.OrderStatus, order.PaymentStatus, evaluated);
    }

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
        public string DeliveryStatus { get; init; } = "";
        public string Stage { get; init; } = "";
        public string PaymentStatus { get; init; } = "";
        public string? PaymentId { get; init; }
        public decimal? ActuallyPaid { get; init; }
        public bool Paid { get; init; }
        public decimal PriceAmount { get; init; }
        public string PriceCurrency { get; init; } = "";
    }
}

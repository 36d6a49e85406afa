using Dapper;
using FlashFundX.Activities.Common;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Orders;

public sealed partial class RefundActivities(NpgsqlDataSource dataSource, ILogger<RefundActivities> logger) : IRefundActivities
{
    // The order row is locked first, so two refunds of one order (an update and a new run, or retries) take turns and
    // the second one sees the first one's row.
    private const string ReadSql = """
        SELECT o.stage, o.order_status, o.payment_status, o.delivery_status, r.reference AS refund_reference
          FROM orders o
          LEFT JOIN order_refunds r ON r.order_id = o.order_id
         WHERE o.order_id = @OrderId
           FOR UPDATE OF o
        """;

    private const string RecordSql = """
        INSERT INTO order_refunds (order_id, reference, note, admin_user_id)
        VALUES (@OrderId, @Reference, @Note, @AdminUserId);
        UPDATE orders
           SET stage = 'refunded', order_status = 'refunded', delivery_status = 'refunded', status_note = @StatusNote
         WHERE order_id = @OrderId;
        """;

    [Activity]
    public async Task<RefundRecorded> RecordRefundAsync(RecordRefundInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ct = ActivityCancellation.Token;
        var request = input.Refund;
        using var scope = OrderLogScope.Begin(logger, input.OrderId);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<OrderState>(
            new CommandDefinition(ReadSql, new { input.OrderId }, transaction, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw ActivityFailures.OrderNotFound(input.OrderId);
        if (row.RefundReference is { } recorded)
        {
            if (!string.Equals(recorded, request.Reference, StringComparison.Ordinal))
            {
                throw new ApplicationFailureException(
                    $"Order {input.OrderId} was already refunded with reference {recorded}.", AdminToolRefusals.OtherReference, nonRetryable: true);
            }
            return row.ToRecorded(alreadyRecorded: true);
        }
        if (row.Stage != "refund_required" && row.DeliveryStatus != "refund_required")
        {
            throw new ApplicationFailureException(
                $"Order {input.OrderId} is {row.Stage} (delivery {row.DeliveryStatus}), not refund_required.", AdminToolRefusals.NotRefundRequired, nonRetryable: true);
        }
        await connection.ExecuteAsync(new CommandDefinition(RecordSql, new
        {
            input.OrderId,
            request.Reference,
            request.Note,
            request.AdminUserId,
            StatusNote = $"Refunded by {request.RecordedBy} (reference {request.Reference})",
        }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        LogRefunded(logger, input.OrderId, row.Stage, row.DeliveryStatus);
        return new RefundRecorded(false, OrderStage.Refunded, OrderStatus.Refunded, WireName.Parse<PaymentStatus>(row.PaymentStatus), DeliveryStatus.Refunded);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} refunded by an admin (was {Stage}, delivery {DeliveryStatus})")]
    private static partial void LogRefunded(ILogger logger, string orderId, string stage, string deliveryStatus);

    private sealed class OrderState
    {
        public string Stage { get; init; } = "";
        public string OrderStatus { get; init; } = "";
        public string PaymentStatus { get; init; } = "";
        public string DeliveryStatus { get; init; } = "";
        public string? RefundReference { get; init; }

        public RefundRecorded ToRecorded(bool alreadyRecorded) => new(
            alreadyRecorded,
            WireName.Parse<OrderStage>(Stage),
            WireName.Parse<OrderStatus>(OrderStatus),
            WireName.Parse<PaymentStatus>(PaymentStatus),
            WireName.Parse<DeliveryStatus>(DeliveryStatus));
    }
}

using Dapper;
using FlashFundX.Observability.Metrics;
using FlashFundX.Activities.Common;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;
using Temporalio.Activities;

namespace FlashFundX.Activities.Orders;

public sealed partial class OrderActivities(NpgsqlDataSource dataSource, FulfillmentMetrics metrics, ILogger<OrderActivities> logger) : IOrderActivities
{
    // Every column gets its absolute new value, so a repeat writes the same row. paid_at and delivered_at are set the
    // first time the order reaches a paid / delivered state and are never moved afterwards.
    private const string UpdateSql = """
        WITH previous AS (SELECT order_id, stage FROM orders WHERE order_id = @OrderId FOR UPDATE)
        UPDATE orders o
           SET stage = @Stage,
               order_status = @OrderStatus,
               payment_status = @PaymentStatus,
               delivery_status = @DeliveryStatus,
               status_note = @Note,
               paid_at = CASE WHEN o.paid_at IS NULL AND @OrderStatus IN ('paid', 'fulfilling', 'completed') THEN now() ELSE o.paid_at END,
               delivered_at = CASE WHEN o.delivered_at IS NULL AND @DeliveryStatus = 'delivered' THEN now() ELSE o.delivered_at END
          FROM previous p
         WHERE o.order_id = p.order_id
        RETURNING p.stage AS previous_stage
        """;

    [Activity]
    public async Task UpdateOrderStateAsync(OrderStateChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, change.OrderId);
        var args = new
        {
            change.OrderId,
            Stage = WireName.Of(change.Stage),
            OrderStatus = WireName.Of(change.OrderStatus),
            PaymentStatus = WireName.Of(change.PaymentStatus),
            DeliveryStatus = WireName.Of(change.DeliveryStatus),
            change.Note,
        };

        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        var previousStage = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(UpdateSql, args, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw ActivityFailures.OrderNotFound(change.OrderId);

        if (previousStage != args.Stage)
        {
            CountTransition(change.Stage);
        }
        LogStateWritten(logger, change.OrderId, args.Stage, args.OrderStatus, args.PaymentStatus, args.DeliveryStatus);
    }

    /// <summary>Counted only when this write moved the order into the stage, so retries and repeats count nothing.</summary>
    private void CountTransition(OrderStage stage)
    {
        switch (stage)
        {
            case OrderStage.Paid:
                metrics.OrderPaid();
                break;
            case OrderStage.Expired:
                metrics.OrderExpired();
                break;
            case OrderStage.Cancelled:
                metrics.OrderCancelled();
                break;
            case OrderStage.RefundRequired:
                metrics.RefundRequired();
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Order {OrderId} is now {Stage} (order {OrderStatus}, payment {PaymentStatus}, delivery {DeliveryStatus})")]
    private static partial void LogStateWritten(
        ILogger logger, string orderId, string stage, string orderStatus, string paymentStatus, string deliveryStatus);
}

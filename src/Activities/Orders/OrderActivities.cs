using Dapper;
using FlashFundX.Activities.Common;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;
using Temporalio.Activities;

namespace FlashFundX.Activities.Orders;

public sealed partial class OrderActivities(NpgsqlDataSource dataSource, ILogger<OrderActivities> logger) : IOrderActivities
{
    // Every column gets its absolute new value, so a repeat writes the same row. paid_at and delivered_at are set the
    // first time the order reaches a paid / delivered state and are never moved afterwards.
    private const string UpdateSql = """
        UPDATE orders
           SET stage = @Stage,
               order_status = @OrderStatus,
               payment_status = @PaymentStatus,
               delivery_status = @DeliveryStatus,
               status_note = @Note,
               paid_at = CASE WHEN paid_at IS NULL AND @OrderStatus IN ('paid', 'fulfilling', 'completed') THEN now() ELSE paid_at END,
               delivered_at = CASE WHEN delivered_at IS NULL AND @DeliveryStatus = 'delivered' THEN now() ELSE delivered_at END
         WHERE order_id = @OrderId
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
        var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, args, cancellationToken: ct)).ConfigureAwait(false);

        if (updated == 0)
        {
            throw ActivityFailures.OrderNotFound(change.OrderId);
        }
        LogStateWritten(logger, change.OrderId, args.Stage, args.OrderStatus, args.PaymentStatus, args.DeliveryStatus);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Order {OrderId} is now {Stage} (order {OrderStatus}, payment {PaymentStatus}, delivery {DeliveryStatus})")]
    private static partial void LogStateWritten(
        ILogger logger, string orderId, string stage, string orderStatus, string paymentStatus, string deliveryStatus);
}

using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.Activities.Common;
using FlashFundX.Activities.Payments;
using FlashFundX.Data.Payments;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Temporalio.Activities;

namespace FlashFundX.Activities.Orders;

public sealed partial class OrderActivities(NpgsqlDataSource dataSource, FulfillmentMetrics metrics, ILogger<OrderActivities> logger) : IOrderActivities
{
    // Every column gets its absolute new value, so a repeat writes the same row. paid_at and delivered_at are set the
    // first time the order reaches a paid / delivered state and are never moved afterwards. The payment id and amount
    // are those of the reports synced with the state (PaymentRecording.OrderEffect), null keeping the current ones.
    // payment_deadline is the first run's deadline, kept for a run started again from the recorded state.
    private const string UpdateSql = """
        WITH previous AS (SELECT order_id, stage FROM orders WHERE order_id = @OrderId FOR UPDATE)
        UPDATE orders o
           SET stage = @Stage,
               order_status = @OrderStatus,
               payment_status = @PaymentStatus,
               delivery_status = @DeliveryStatus,
               status_note = @Note,
               payment_id = COALESCE(o.payment_id, @PaymentId),
               actually_paid = COALESCE(@ActuallyPaid, o.actually_paid),
               paid_at = CASE WHEN o.paid_at IS NULL AND @OrderStatus IN ('paid', 'fulfilling', 'completed') THEN now() ELSE o.paid_at END,
               delivered_at = CASE WHEN o.delivered_at IS NULL AND @DeliveryStatus = 'delivered' THEN now() ELSE o.delivered_at END,
               payment_deadline = COALESCE(o.payment_deadline, @PaymentDeadline)
          FROM previous p
         WHERE o.order_id = p.order_id
        RETURNING p.stage AS previous_stage
        """;

    [Activity]
    public Task SyncOrderAsync(OrderSync sync)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(sync.Payments);
        if (sync.Payments.Any(p => p.OrderId != sync.OrderId) || (sync.State is { } state && state.OrderId != sync.OrderId))
        {
            throw new ArgumentException($"Every payment and the state of a sync must be of order {sync.OrderId}.", nameof(sync));
        }
        return sync.Payments.Count == 0 && sync.State is null ? Task.CompletedTask : WriteAsync(sync);
    }

    /// <summary>
    /// The reports, then the order written once with their effect and the state, as one batch: one round trip and one
    /// implicit transaction, so a failing statement rolls back the whole sync. Every statement is keyed on the order,
    /// so an unknown order writes nothing.
    /// </summary>
    private async Task WriteAsync(OrderSync sync)
    {
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, sync.OrderId);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var batch = connection.CreateBatch();
        var recordings = PaymentRecording.AddTransactionsTo(batch, sync.Payments);
        var effect = PaymentRecording.OrderEffect(sync.Payments);
        var state = sync.State;
        NpgsqlBatchCommand? paymentsOnly = null;
        if (state is not null)
        {
            batch.BatchCommands.Add(StateCommand(state, effect));
        }
        else if (effect is not null)
        {
            paymentsOnly = PaymentRecording.OrderUpdateCommand(sync.OrderId, effect);
            batch.BatchCommands.Add(paymentsOnly);
        }

        string? previousStage = null;
        await using (var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            // Only the state statement returns a row; reading every result also fills each statement's RecordsAffected.
            do
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    previousStage = reader.GetString(0);
                }
            }
            while (await reader.NextResultAsync(ct).ConfigureAwait(false));
        }

        if ((state is not null && previousStage is null) || paymentsOnly?.RecordsAffected == 0)
        {
            throw ActivityFailures.OrderNotFound(sync.OrderId);
        }
        foreach (var recording in recordings)
        {
            recording.Log(logger);
        }
        if (state is not null)
        {
            var stage = WireName.Of(state.Stage);
            if (previousStage != stage)
            {
                CountTransition(state.Stage);
            }
            LogStateWritten(logger, state.OrderId, stage, WireName.Of(state.OrderStatus), WireName.Of(state.PaymentStatus),
                WireName.Of(state.DeliveryStatus));
        }
    }

    private static NpgsqlBatchCommand StateCommand(OrderStateChange change, OrderPaymentEffect? payments)
    {
        var command = new NpgsqlBatchCommand(UpdateSql);
        command.Parameters.Add(new NpgsqlParameter<string>("OrderId", change.OrderId));
        command.Parameters.Add(new NpgsqlParameter<string>("Stage", WireName.Of(change.Stage)));
        command.Parameters.Add(new NpgsqlParameter<string>("OrderStatus", WireName.Of(change.OrderStatus)));
        command.Parameters.Add(new NpgsqlParameter<string>("PaymentStatus", WireName.Of(change.PaymentStatus)));
        command.Parameters.Add(new NpgsqlParameter<string>("DeliveryStatus", WireName.Of(change.DeliveryStatus)));
        command.Parameters.Add(new NpgsqlParameter("Note", NpgsqlDbType.Text) { Value = change.Note ?? (object)DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("PaymentDeadline", NpgsqlDbType.TimestampTz)
        {
            Value = change.PaymentDeadline is { } deadline ? DateTime.SpecifyKind(deadline, DateTimeKind.Utc) : DBNull.Value,
        });
        command.Parameters.Add(PaymentRecording.Text("PaymentId", payments?.PaymentId));
        command.Parameters.Add(PaymentRecording.Numeric("ActuallyPaid", payments?.ActuallyPaid));
        return command;
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

    // Debug: the workflow logs each stage change; this is the row that mirrors it.
    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Order {OrderId} is now {Stage} (order {OrderStatus}, payment {PaymentStatus}, delivery {DeliveryStatus})")]
    private static partial void LogStateWritten(
        ILogger logger, string orderId, string stage, string orderStatus, string paymentStatus, string deliveryStatus);
}

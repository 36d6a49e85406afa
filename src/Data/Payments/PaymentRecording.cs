using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace FlashFundX.Data.Payments;

/// <summary>
/// How a provider report is recorded (SyncOrder for each queued report, and the webhook for a report that
/// arrives after the order's run ended): its payment_transactions row, once per (order, payment, provider status),
/// and one update of the order with what the reports decided. The statements go into the caller's batch, so they
/// commit with whatever else it writes.
/// </summary>
public static partial class PaymentRecording
{
    private const string InsertTransactionSql = """
        INSERT INTO payment_transactions (order_id, user_id, payment_id, provider_status, evaluated_status, price_amount,
                                          price_currency, actually_paid, pay_currency, parent_payment_id, source)
        SELECT order_id, user_id, @PaymentId, @ProviderStatus, @EvaluatedStatus, @PriceAmount,
               @PriceCurrency, @ActuallyPaid, @PayCurrency, @ParentPaymentId, @Source
          FROM orders
         WHERE order_id = @OrderId
        ON CONFLICT (order_id, payment_id, provider_status) DO NOTHING
        """;

    private const string UpdateOrderPaymentSql = """
        UPDATE orders
           SET payment_status = @EvaluatedStatus,
               payment_id = COALESCE(payment_id, @PaymentId),
               actually_paid = COALESCE(@ActuallyPaid, actually_paid)
         WHERE order_id = @OrderId
        """;

    /// <summary>
    /// Adds the reports' payment_transactions rows to <paramref name="batch"/>, without their order updates: the caller
    /// writes the order once (<see cref="OrderEffect"/>, or the late-payment verdict), instead of one update (and one
    /// order event) per report.
    /// </summary>
    public static IReadOnlyList<Recording> AddTransactionsTo(NpgsqlBatch batch, IReadOnlyList<RecordPaymentInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(inputs);
        var recordings = new List<Recording>(inputs.Count);
        foreach (var input in inputs)
        {
            var insert = InsertCommand(input);
            batch.BatchCommands.Add(insert);
            recordings.Add(new Recording(input, insert));
        }
        return recordings;
    }

    /// <summary>
    /// One update of the order with what <paramref name="effect"/> combines (for reports written without a state change).
    /// </summary>
    public static NpgsqlBatchCommand OrderUpdateCommand(string orderId, OrderPaymentEffect effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        var command = new NpgsqlBatchCommand(UpdateOrderPaymentSql);
        NpgsqlParameter[] parameters =
        [
            Text("OrderId", orderId),
            Text("PaymentId", effect.PaymentId),
            Text("EvaluatedStatus", WireName.Of(effect.LastStatus)),
            Numeric("ActuallyPaid", effect.ActuallyPaid),
        ];
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>
    /// What the reports, applied one after the other as <see cref="AddTo"/> does, leave on the order: the last one's
    /// evaluated status, the first own payment's id (kept if the order has one), and the last amount an own payment
    /// reported. Repeat deposits (a parent payment set) never become the order's payment. Null when there are no reports.
    /// </summary>
    public static OrderPaymentEffect? OrderEffect(IReadOnlyList<RecordPaymentInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            return null;
        }
        var own = inputs.Where(i => string.IsNullOrEmpty(i.Update.ParentPaymentId)).ToList();
        return new OrderPaymentEffect(
            inputs[^1].EvaluatedStatus,
            own.FirstOrDefault()?.Update.PaymentId,
            own.LastOrDefault(i => i.Update.ActuallyPaid is not null)?.Update.ActuallyPaid);
    }

    private static NpgsqlBatchCommand InsertCommand(RecordPaymentInput input)
    {
        var insert = new NpgsqlBatchCommand(InsertTransactionSql);
        insert.Parameters.AddRange(Parameters(input));
        return insert;
    }

    private static NpgsqlParameter[] Parameters(RecordPaymentInput input)
    {
        var update = input.Update;
        var source = string.Equals(update.Source, "poll", StringComparison.Ordinal) ? "poll" : "ipn";
        return
        [
            Text("OrderId", input.OrderId),
            Text("PaymentId", update.PaymentId),
            Text("ProviderStatus", update.ProviderStatus),
            Text("EvaluatedStatus", WireName.Of(input.EvaluatedStatus)),
            Numeric("PriceAmount", update.PriceAmount),
            Text("PriceCurrency", update.PriceCurrency),
            Numeric("ActuallyPaid", update.ActuallyPaid),
            Text("PayCurrency", update.PayCurrency),
            Text("ParentPaymentId", update.ParentPaymentId),
            Text("Source", source),
        ];
    }

    public static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = value ?? (object)DBNull.Value };

    public static NpgsqlParameter Numeric(string name, decimal? value) =>
        new(name, NpgsqlDbType.Numeric) { Value = value ?? (object)DBNull.Value };

    /// <summary>One report's statement; read it once the batch has run.</summary>
    public sealed record Recording(RecordPaymentInput Input, NpgsqlBatchCommand Insert)
    {
        public void Log(ILogger logger) =>
            LogPaymentRecorded(logger, Input.OrderId, UntrustedText.ForLog(Input.Update.PaymentId), UntrustedText.ForLog(Input.Update.ProviderStatus),
                WireName.Of(Input.EvaluatedStatus), Insert.RecordsAffected == 1);
    }

    // Debug: the webhook logs each report as it arrives, and payment_transactions and the run's history keep it.
    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Recorded payment {PaymentId} of order {OrderId}: provider {ProviderStatus}, order {EvaluatedStatus} (new report: {NewReport})")]
    private static partial void LogPaymentRecorded(
        ILogger logger, string orderId, string paymentId, string providerStatus, string evaluatedStatus, bool newReport);
}

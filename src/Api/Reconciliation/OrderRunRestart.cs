using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.Api.Temporal;
using FlashFundX.Api.Webhooks;
using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Reconciliation;

/// <summary>
/// Starts an order's run again from what the database recorded: the order row (what was bought, the price, the invoice,
/// the first run's payment deadline) and its payment reports, folded through <see cref="PaymentTransitions"/> as the
/// workflow folds them. The new run writes its state first (<see cref="FulfillmentCarryOver.Restarted"/>); the activities'
/// idempotency (one invoice per order, one delivered account per order) makes a repeat of a finished step harmless.
/// Stored IPNs that never reached a run are then dispatched to the new one, and the order's attention flag cleared.
/// Runs as the API's system role.
/// </summary>
public sealed partial class OrderRunRestart(
    CallerScopedDatabase database,
    OrderWorkflowClient workflows,
    IpnDispatcher dispatcher,
    IOptions<FulfillmentOptions> fulfillment,
    ILogger<OrderRunRestart> logger)
{
    private const string OrderSql = $"SELECT {RecordedOrder.Columns} FROM orders WHERE order_id = @OrderId";

    private const string ReportsSql = """
        SELECT payment_id, provider_status, price_amount, price_currency, actually_paid, pay_currency, parent_payment_id, source
          FROM payment_transactions
         WHERE order_id = @OrderId
         ORDER BY id
        """;

    private const string ClearAttentionSql = """
        UPDATE orders SET attention_reason = NULL, attention_at = NULL WHERE order_id = @OrderId AND attention_reason IS NOT NULL
        """;

    /// <summary>
    /// Starts order <paramref name="orderId"/>'s run from its recorded state. With <paramref name="replaceClosedRun"/> false
    /// (the reconciler) only where Temporal has no run of the order at all; true (an admin's retry) also after a closed
    /// run. Never beside an open run, so a race with another start cannot make two.
    /// </summary>
    public async Task<RestartOutcome> StartFromRecordedStateAsync(string orderId, bool replaceClosedRun, CancellationToken cancellationToken)
    {
        var (order, input) = await LoadAsync(orderId, cancellationToken);
        if (order is null || input is null)
        {
            return RestartOutcome.OrderNotFound;
        }
        if (!replaceClosedRun && !OpenOrders.IsOpen(order.OrderStatus, order.DeliveryStatus, order.Stage))
        {
            return RestartOutcome.OrderClosed;
        }
        if (!await workflows.RestartAsync(input, replaceClosedRun, cancellationToken))
        {
            return RestartOutcome.RunExists;
        }
        var carry = input.CarryOver!;
        LogRestarted(logger, orderId, OrderIds.WorkflowId(orderId), WireName.Of(carry.Payment.Status), carry.PaymentDeadline);

        // The run exists now: what follows is best effort, as the sweep sends undispatched IPNs anyway.
        var ipns = await dispatcher.DispatchStoredAsync(orderId, cancellationToken);
        if (ipns > 0)
        {
            LogIpnsQueued(logger, ipns, orderId, OrderIds.WorkflowId(orderId));
        }
        await using var session = await database.OpenSystemAsync(cancellationToken);
        await session.Connection.ExecuteAsync(session.Command(ClearAttentionSql, new { OrderId = orderId }, cancellationToken));
        await session.CommitAsync(cancellationToken);
        return RestartOutcome.Started;
    }

    /// <summary>The workflow input a run started from the order's recorded state gets; null when there is no such order.</summary>
    public async Task<OrderFulfillmentInput?> BuildInputAsync(string orderId, CancellationToken cancellationToken) =>
        (await LoadAsync(orderId, cancellationToken)).Input;

    private async Task<(RecordedOrder? Order, OrderFulfillmentInput? Input)> LoadAsync(string orderId, CancellationToken cancellationToken)
    {
        RecordedOrder? order;
        PaymentUpdate[] reports;
        await using (var session = await database.OpenSystemAsync(cancellationToken))
        {
            order = await session.Connection.QuerySingleOrDefaultAsync<RecordedOrder>(
                session.Command(OrderSql, new { OrderId = orderId }, cancellationToken));
            if (order is null)
            {
                return (null, null);
            }
            var rows = await session.Connection.QueryAsync<ReportRow>(session.Command(ReportsSql, new { OrderId = orderId }, cancellationToken));
            reports = [.. rows.Select(r => r.ToUpdate())];
        }

        var settings = fulfillment.Value.ToSettings();
        var payment = reports.Aggregate(PaymentState.Initial, (state, report) =>
            PaymentTransitions.Apply(state, report, order.PriceAmount, order.PriceCurrency, settings.PaidStatuses));
        if (order.Paid && payment.Outcome != PaymentOutcome.Paid)
        {
            // Paid by a way that left no provider report to fold (recorded on the row only): the row decides.
            payment = new PaymentState(WireName.Parse<PaymentStatus>(order.PaymentStatus), PaymentOutcome.Paid, order.PaymentId, order.ActuallyPaid);
        }
        var deadline = order.PaymentDeadline is { } recorded
            ? DateTime.SpecifyKind(recorded, DateTimeKind.Utc)
            : DateTime.SpecifyKind(order.CreatedAt, DateTimeKind.Utc) + settings.PaymentTimeout;
        var carry = new FulfillmentCarryOver(
            deadline, order.InvoiceId, order.InvoiceUrl, payment, PollCount: 0, InvoiceLookups: 0, ReservationAttempts: 0,
            LastError: null, Restarted: true);
        return (order, new OrderFulfillmentInput(
            order.OrderId,
            order.UserId,
            WireName.Parse<AccountType>(order.AccountType),
            order.AccountSize,
            WireName.Parse<TradingPlatform>(order.Platform),
            order.PriceAmount,
            order.PriceCurrency,
            order.PayCurrency,
            settings,
            carry));
    }

    private sealed class ReportRow
    {
        public string PaymentId { get; init; } = "";
        public string ProviderStatus { get; init; } = "";
        public decimal? PriceAmount { get; init; }
        public string? PriceCurrency { get; init; }
        public decimal? ActuallyPaid { get; init; }
        public string? PayCurrency { get; init; }
        public string? ParentPaymentId { get; init; }
        public string Source { get; init; } = "ipn";

        public PaymentUpdate ToUpdate() =>
            new(PaymentId, ProviderStatus, PriceAmount, PriceCurrency, ActuallyPaid, PayCurrency, ParentPaymentId, Source);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Started order {OrderId} again as workflow {WorkflowId} from its recorded state (payment {PaymentStatus}, deadline {PaymentDeadline:o})")]
    private static partial void LogRestarted(ILogger logger, string orderId, string workflowId, string paymentStatus, DateTime paymentDeadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Count} stored IPN(s) of order {OrderId} to its restarted workflow {WorkflowId}")]
    private static partial void LogIpnsQueued(ILogger logger, int count, string orderId, string workflowId);
}

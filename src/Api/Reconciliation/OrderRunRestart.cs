using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.Api.Orders;
using FlashFundX.Api.Temporal;
using FlashFundX.Api.Webhooks;
using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Reconciliation;

/// <summary>
/// Starts an order's run again from what the database recorded: the order row — what was bought, the price, the invoice,
/// the first run's payment deadline, and the payment as the workflow last recorded it with its reports
/// (<see cref="PaymentState.Recorded"/>; the API's system role may not read the reports' amounts). The new run writes its state first (<see cref="FulfillmentCarryOver.Restarted"/>); the activities'
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
    private const string OrderSql = $"SELECT {OrderRow.Columns} FROM orders WHERE order_id = @OrderId";

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

    private async Task<(OrderRow? Order, OrderFulfillmentInput? Input)> LoadAsync(string orderId, CancellationToken cancellationToken)
    {
        OrderRow? order;
        await using (var session = await database.OpenSystemAsync(cancellationToken))
        {
            order = await session.Connection.QuerySingleOrDefaultAsync<OrderRow>(
                session.Command(OrderSql, new { OrderId = orderId }, cancellationToken));
        }
        if (order is null)
        {
            return (null, null);
        }

        var settings = fulfillment.Value.ToSettings();
        var payment = PaymentState.Recorded(WireName.Parse<PaymentStatus>(order.PaymentStatus), order.PaidAt is not null, order.PaymentId, order.ActuallyPaid);
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

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Started order {OrderId} again as workflow {WorkflowId} from its recorded state (payment {PaymentStatus}, deadline {PaymentDeadline:o})")]
    private static partial void LogRestarted(ILogger logger, string orderId, string workflowId, string paymentStatus, DateTime paymentDeadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Count} stored IPN(s) of order {OrderId} to its restarted workflow {WorkflowId}")]
    private static partial void LogIpnsQueued(ILogger logger, int count, string orderId, string workflowId);
}

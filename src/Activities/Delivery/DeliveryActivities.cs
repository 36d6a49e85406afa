using Dapper;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.Activities.Common;
using FlashFundX.Data.Events;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Delivery;

public sealed partial class DeliveryActivities(
    NpgsqlDataSource dataSource, OrderEventAnnouncer events, FulfillmentMetrics metrics, ILogger<DeliveryActivities> logger) : IDeliveryActivities
{
    // One statement, so one round trip, one transaction and one snapshot: trading rules, account, delivered row,
    // totals and completion. An order gets an account only when it has active rules, is not cancelled/expired/failed/refunded
    // and has no account yet; it takes the oldest available matching one (scalar subqueries over the partial index,
    // SKIP LOCKED). Totals and completion follow from the delivered row, whoever inserted it, so a repeat after a
    // delivery writes nothing and answers the delivered account.
    // The statement takes over announcing its order event (evaluated before its AFTER triggers fire): the activity
    // announces it after commit through OrderEventAnnouncer, not a notifying commit per delivery.
    // Two copies for one order may each pick an account, but the unique keys (delivered_accounts.order_id,
    // reserved_for_order_id) let only one commit: the other waits for it, fails whole, and the activity runs the
    // statement again, which then sees the winner's rows. Hence no ON CONFLICT on those two writes.
    // orders.stats_applied_at is the exactly-once guard of the totals: only the update that finds it empty completes
    // the order and adds it to the user's totals; a concurrent copy waits for the row lock, rechecks the condition on
    // the committed row (READ COMMITTED) and writes nothing. When this statement did not apply the order (a repeat, or
    // a copy whose snapshot predates the winner's update), the delivered row says when the order completed.
    // Updates here set updated_at themselves, which spares the touch_updated_at trigger call.
    private static readonly string DeliverOrderSql = PhaseTable.Cte + $"""
        , target AS (
            SELECT o.order_id, o.user_id, o.account_type, o.account_size, o.platform, o.order_status, o.price_amount, o.paid_at,
                   o.delivered_at AS order_delivered_at, r.id AS rules_id
              FROM orders o
              LEFT JOIN trading_rules r ON r.id = o.trading_rules_id
             WHERE o.order_id = @OrderId
        ), existing AS (
            SELECT id FROM account_container WHERE reserved_for_order_id = @OrderId
        ), delivered AS (
            -- An order holds an account only once it is delivered (this statement writes both), so the delivered row
            -- is looked up only then: a plan cached while delivered_accounts was nearly empty scans the whole table.
            SELECT id, container_account_id, trading_rules_id, current_phase, delivered_at
              FROM delivered_accounts
             WHERE order_id = @OrderId AND EXISTS (SELECT 1 FROM existing)
        ), eligible AS (
            SELECT * FROM target
             WHERE rules_id IS NOT NULL
               AND order_status NOT IN ('cancelled', 'expired', 'failed', 'refunded')
               AND NOT EXISTS (SELECT 1 FROM existing)
        ), candidate AS (
            SELECT a.id, a.account_size, a.platform, a.server, a.login
              FROM account_container a
             WHERE a.status = 'available'
               AND a.account_size = (SELECT account_size FROM eligible)
               AND a.platform = (SELECT platform FROM eligible)
             ORDER BY a.created_at, a.id
             LIMIT 1
               FOR UPDATE OF a SKIP LOCKED
        ), inserted AS (
            INSERT INTO delivered_accounts (order_id, user_id, container_account_id, trading_rules_id, account_type,
                                            account_size, platform, server, login, current_phase,
                                            challenge_status, phase_1_status, phase_2_status, live_status)
            SELECT e.order_id, e.user_id, c.id, e.rules_id, e.account_type,
                   c.account_size, c.platform, c.server, c.login, p.current_phase,
                   p.challenge_status, p.phase_1_status, p.phase_2_status, p.live_status
              FROM eligible e
             CROSS JOIN candidate c
              JOIN phase p ON p.account_type = e.account_type
            RETURNING id, container_account_id, trading_rules_id, current_phase, delivered_at
        ), marked AS (
            UPDATE account_container a
               SET status = 'delivered', reserved_for_order_id = @OrderId, reserved_at = now(),
                   delivered_at = now(), updated_at = now()
              FROM inserted i
             WHERE a.id = i.container_account_id
        ), outcome AS (
            SELECT *, true AS delivered_now FROM inserted
            UNION ALL
            SELECT *, false FROM delivered
        ), delivery AS (
            SELECT t.order_id, t.user_id, t.price_amount, d.delivered_at FROM target t CROSS JOIN outcome d
        ), completed AS (
            UPDATE orders o
               SET order_status = 'completed', stage = 'completed', delivery_status = 'delivered',
                   delivered_at = COALESCE(o.delivered_at, d.delivered_at), stats_applied_at = now(), updated_at = now()
              FROM delivery d
             WHERE o.order_id = d.order_id AND o.stats_applied_at IS NULL
            RETURNING o.user_id, o.price_amount, o.delivered_at
        ), totals AS (
            UPDATE users u
               SET total_orders = u.total_orders + 1, total_spent = u.total_spent + c.price_amount, updated_at = now()
              FROM completed c
             WHERE u.id = c.user_id
        )
        SELECT t.order_status, t.account_type AS order_account_type, t.account_size AS order_account_size,
               t.rules_id IS NOT NULL AS rules_found, t.paid_at,
               d.id AS delivered_id, d.container_account_id AS account_id, d.trading_rules_id, d.current_phase, d.delivered_now,
               (SELECT count(*) FROM completed) = 1 AS applied_now,
               COALESCE((SELECT delivered_at FROM completed), t.order_delivered_at, d.delivered_at) AS delivered_at,
               {OrderEventAnnouncer.CallerAnnouncesSql} AS announced_by
          FROM target t
          LEFT JOIN outcome d ON true
        """;

    // A few deliveries in flight keep the database busy; dozens only contend for the same index pages (each takes the
    // oldest available account and appends to the same keys). Measured in bench/RESULTS.md, "the delivery limit,
    // measured again" (2026-12-03, 12:20–13:59 UTC).
    private static readonly SemaphoreSlim DeliverySlots = new(8);

    [Activity]
    public async Task<OrderDeliveryOutcome> DeliverOrderAsync(OrderRef order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, order.OrderId);
        var args = new
        {
            order.OrderId,
        };
        OrderDeliveryRow? row;
        await DeliverySlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            try
            {
                row = await DeliverOnceAsync(connection, args, ct).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // A concurrent copy for the same order committed first and nothing of ours was kept; a new snapshot sees its rows.
                LogDeliveryRaced(logger, order.OrderId, e.ConstraintName);
                row = await DeliverOnceAsync(connection, args, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            DeliverySlots.Release();
        }

        if (row is null)
        {
            throw ActivityFailures.OrderNotFound(order.OrderId);
        }
        if (row.DeliveredId is not Guid deliveredId)
        {
            if (row.OrderStatus is "cancelled" or "expired" or "failed" or "refunded")
            {
                throw ActivityFailures.InvalidOrderState(order.OrderId, $"an order that is {row.OrderStatus} gets no account.");
            }
            if (!row.RulesFound)
            {
                throw RulesMissing(order.OrderId, row.OrderAccountType, row.OrderAccountSize);
            }
            LogOutOfStock(logger, order.OrderId);
            return OrderDeliveryOutcome.OutOfStock;
        }

        if (row.DeliveredNow == true || row.AppliedNow)
        {
            events.Announce(order.OrderId);
        }
        var accountId = row.AccountId!.Value;
        var deliveredAt = DateTime.SpecifyKind(row.DeliveredAt!.Value, DateTimeKind.Utc);
        if (row.DeliveredNow == true)
        {
            LogDelivered(logger, order.OrderId, accountId, row.CurrentPhase!);
        }
        LogCompleted(logger, order.OrderId, row.AppliedNow);
        if (row.AppliedNow && row.PaidAt is DateTime paidAt)
        {
            metrics.Delivered(deliveredAt - paidAt);
        }
        return new OrderDeliveryOutcome(
            true, accountId, row.TradingRulesId, deliveredId, WireName.Parse<AccountPhase>(row.CurrentPhase!), deliveredAt);
    }

    private static Task<OrderDeliveryRow?> DeliverOnceAsync(NpgsqlConnection connection, object args, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<OrderDeliveryRow>(new CommandDefinition(DeliverOrderSql, args, cancellationToken: ct));

    private ApplicationFailureException RulesMissing(string orderId, string accountType, int accountSize)
    {
        LogRulesMissing(logger, orderId, accountType, accountSize);
        return new ApplicationFailureException(
            $"No active trading rules for {accountType} {accountSize} (order {orderId}).",
            errorType: ActivityErrors.TradingRulesMissing,
            nonRetryable: true);
    }

    private sealed class OrderDeliveryRow
    {
        public string OrderStatus { get; init; } = "";
        public string OrderAccountType { get; init; } = "";
        public int OrderAccountSize { get; init; }
        public bool RulesFound { get; init; }
        public DateTime? PaidAt { get; init; }
        public Guid? DeliveredId { get; init; }
        public long? AccountId { get; init; }
        public long? TradingRulesId { get; init; }
        public string? CurrentPhase { get; init; }
        public bool? DeliveredNow { get; init; }
        public bool AppliedNow { get; init; }
        public DateTime? DeliveredAt { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "No trading rules for {AccountType} {AccountSize} (order {OrderId})")]
    private static partial void LogRulesMissing(ILogger logger, string orderId, string accountType, int accountSize);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered account {AccountId} to order {OrderId}, starting in {Phase}")]
    private static partial void LogDelivered(ILogger logger, string orderId, long accountId, string phase);

    // Debug: the delivery line above and the workflow's Completed stage say it at Information.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} completed (user totals updated now: {AppliedNow})")]
    private static partial void LogCompleted(ILogger logger, string orderId, bool appliedNow);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No available account matches order {OrderId}; it waits for inventory")]
    private static partial void LogOutOfStock(ILogger logger, string orderId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Order {OrderId} lost a race on {Constraint} to a concurrent delivery; reading the winner's result")]
    private static partial void LogDeliveryRaced(ILogger logger, string orderId, string? constraint);
}

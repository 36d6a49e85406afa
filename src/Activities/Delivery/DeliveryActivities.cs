using Dapper;
using FlashFundX.Observability.Metrics;
using FlashFundX.Activities.Common;
using FlashFundX.Activities.Events;
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
    // Totals and completion of an order whose account is delivered, given a CTE "delivery" (order_id, user_id,
    // price_amount, delivered_at) with one row once the delivered row exists and none before. orders.stats_applied_at
    // is the exactly-once guard: only the update that finds it empty completes the order and adds it to the user's
    // totals. A repeat finds it set and writes nothing; a concurrent copy waits for the row lock, rechecks the
    // condition on the committed row (READ COMMITTED) and writes nothing either. "completed" has a row only when this
    // statement applied the order; callers read delivered_at from it, else from CompletedAtSql.
    // Updates here set updated_at themselves, which spares the touch_updated_at trigger call (sql/0005).
    private const string CompletionCtes = """
        , completed AS (
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
        """;

    // When this statement did not apply the order (a repeat, or a copy that lost the race, whose snapshot may predate
    // the winner's update), the order completed when its account was delivered: the delivered row says when.
    private const string CompletedAtSql = """
        COALESCE((SELECT delivered_at FROM completed), (SELECT order_delivered_at FROM target), (SELECT delivered_at FROM delivery))
        """;

    private const string RulesSql = """
        SELECT o.account_type AS order_account_type, o.account_size AS order_account_size,
               r.id AS rules_id, r.price
          FROM orders o
          LEFT JOIN trading_rules r
                 ON r.account_type = o.account_type AND r.account_size = o.account_size AND r.is_active
         WHERE o.order_id = @OrderId
        """;

    // One statement, so one round trip and atomic: check the account is reserved for the order, insert the one
    // delivered_accounts row per order (unique order_id: a repeat or concurrent copy inserts nothing), mark the account
    // delivered, and report what the order has now. The initial phases come from InitialPhase.For (see PhaseTable).
    private static readonly string RecordDeliverySql = PhaseTable.Cte + """
        , source AS (
            SELECT o.order_id, o.user_id, o.account_type, a.id AS account_id, a.account_size, a.platform, a.server, a.login
              FROM orders o
              LEFT JOIN account_container a ON a.id = @AccountId AND a.reserved_for_order_id = o.order_id
             WHERE o.order_id = @OrderId
        ), inserted AS (
            INSERT INTO delivered_accounts (order_id, user_id, container_account_id, trading_rules_id, account_type,
                                            account_size, platform, server, login, current_phase,
                                            challenge_status, phase_1_status, phase_2_status, live_status)
            SELECT s.order_id, s.user_id, s.account_id, @TradingRulesId, s.account_type,
                   s.account_size, s.platform, s.server, s.login, p.current_phase,
                   p.challenge_status, p.phase_1_status, p.phase_2_status, p.live_status
              FROM source s
              JOIN phase p ON p.account_type = s.account_type
             WHERE s.account_id IS NOT NULL
            -- No arbiter: a concurrent copy of this call collides on order_id or on container_account_id, whichever
            -- index it checks first, and either way inserts nothing and reads the winner's row back (ReadDeliverySql).
            ON CONFLICT DO NOTHING
            RETURNING id, container_account_id, current_phase
        ), marked AS (
            UPDATE account_container
               SET status = 'delivered', delivered_at = now(), updated_at = now()
             WHERE id = @AccountId AND reserved_for_order_id = @OrderId AND status <> 'delivered'
        )
        SELECT s.order_id IS NOT NULL AS order_found,
               s.account_id AS reserved_account_id,
               i.id IS NOT NULL AS inserted_now,
               COALESCE(i.id, d.id) AS delivered_id,
               COALESCE(i.container_account_id, d.container_account_id) AS delivered_account_id,
               COALESCE(i.current_phase, d.current_phase) AS current_phase
          FROM (SELECT 1) AS one
          LEFT JOIN source s ON true
          LEFT JOIN inserted i ON true
          LEFT JOIN delivered_accounts d ON d.order_id = @OrderId
        """;

    // A concurrent copy's row committed after this statement's snapshot is invisible to it; this reads it back.
    private const string ReadDeliverySql = """
        SELECT true AS order_found, container_account_id AS reserved_account_id, false AS inserted_now,
               id AS delivered_id, container_account_id AS delivered_account_id, current_phase
          FROM delivered_accounts
         WHERE order_id = @OrderId
        """;

    // One statement, so one transaction (see CompletionCtes). The order is completed only once its account is delivered.
    private const string CompleteOrderSql = """
        WITH target AS (
            SELECT o.order_id, o.user_id, o.price_amount, o.paid_at, o.delivered_at AS order_delivered_at,
                   d.delivered_at AS account_delivered_at
              FROM orders o
              LEFT JOIN delivered_accounts d ON d.order_id = o.order_id
             WHERE o.order_id = @OrderId
        ), delivery AS (
            SELECT order_id, user_id, price_amount, account_delivered_at AS delivered_at
              FROM target
             WHERE account_delivered_at IS NOT NULL
        )
        """ + CompletionCtes + """
        SELECT (SELECT count(*) FROM target) = 1 AS order_found,
               (SELECT count(*) FROM completed) = 1 AS applied_now,
        """ + "\n       " + CompletedAtSql + " AS delivered_at,\n" + """
               (SELECT paid_at FROM target) AS paid_at
        """;

    // One statement, so one round trip, one transaction and one snapshot: what ReserveAccount → GetTradingRules →
    // RecordDelivery → CompleteOrder write together. An order gets an account only when it has active rules, is not
    // cancelled/expired/failed and has no delivered row; it takes the account already reserved for it (the old
    // ReserveAccount) or else the oldest available matching one, with ReserveSql's shape (scalar subqueries over the
    // partial index, SKIP LOCKED). Totals and completion follow from the delivered row, whoever inserted it.
    // The statement takes over announcing its order event (evaluated before its AFTER triggers fire): the activity
    // announces it after commit through OrderEventAnnouncer (sql/0008), not a notifying commit per delivery.
    // Two copies for one order may each pick an account, but the unique keys (delivered_accounts.order_id,
    // reserved_for_order_id) let only one commit: the other waits for it, fails whole, and the activity runs the
    // statement again, which then sees the winner's rows. Hence no ON CONFLICT on those two writes.
    private static readonly string DeliverOrderSql = PhaseTable.Cte + """
        , target AS (
            SELECT o.order_id, o.user_id, o.account_type, o.account_size, o.platform, o.order_status, o.price_amount, o.paid_at,
                   o.delivered_at AS order_delivered_at, r.id AS rules_id
              FROM orders o
              LEFT JOIN trading_rules r
                     ON r.account_type = o.account_type AND r.account_size = o.account_size AND r.is_active
             WHERE o.order_id = @OrderId
        ), existing AS (
            SELECT id, status, account_size, platform, server, login FROM account_container WHERE reserved_for_order_id = @OrderId
        ), delivered AS (
            -- An order has a delivered row only once its account is marked delivered (one statement writes both, here
            -- and in RecordDeliverySql), so the row is looked up only then: a plan cached while delivered_accounts was
            -- nearly empty scans the whole table.
            SELECT id, container_account_id, trading_rules_id, current_phase, delivered_at
              FROM delivered_accounts
             WHERE order_id = @OrderId AND (SELECT status FROM existing) = 'delivered'
        ), eligible AS (
            SELECT * FROM target
             WHERE rules_id IS NOT NULL
               AND order_status NOT IN ('cancelled', 'expired', 'failed')
               AND NOT EXISTS (SELECT 1 FROM delivered)
        ), candidate AS (
            SELECT a.id, a.account_size, a.platform, a.server, a.login
              FROM account_container a
             WHERE a.status = 'available'
               AND a.account_size = (SELECT account_size FROM eligible)
               AND a.platform = (SELECT platform FROM eligible)
               AND NOT EXISTS (SELECT 1 FROM existing)
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
             CROSS JOIN (SELECT id, account_size, platform, server, login FROM existing UNION ALL SELECT * FROM candidate) c
              JOIN phase p ON p.account_type = e.account_type
            RETURNING id, container_account_id, trading_rules_id, current_phase, delivered_at
        ), marked AS (
            UPDATE account_container a
               SET status = 'delivered', reserved_for_order_id = @OrderId, reserved_at = COALESCE(a.reserved_at, now()),
                   delivered_at = now(), updated_at = now()
              FROM inserted i
             WHERE a.id = i.container_account_id
        ), outcome AS (
            SELECT *, true AS delivered_now FROM inserted
            UNION ALL
            SELECT *, false FROM delivered
        ), delivery AS (
            SELECT t.order_id, t.user_id, t.price_amount, d.delivered_at FROM target t CROSS JOIN outcome d
        )
        """ + CompletionCtes + """
        SELECT t.order_status, t.account_type AS order_account_type, t.account_size AS order_account_size,
               t.rules_id IS NOT NULL AS rules_found, t.paid_at,
               d.id AS delivered_id, d.container_account_id AS account_id, d.trading_rules_id, d.current_phase, d.delivered_now,
               (SELECT count(*) FROM completed) = 1 AS applied_now,
        """ + "\n       " + CompletedAtSql + " AS delivered_at,\n       " + OrderEventAnnouncer.CallerAnnouncesSql + """
         AS announced_by
          FROM target t
          LEFT JOIN outcome d ON true
        """;

    // A delivery is about a millisecond of database work, so a few in flight keep the server busy; dozens only contend
    // for the same index pages (each takes the oldest available account and appends to the same keys): the reservation
    // bench at concurrency 64 delivered about 7% faster with this limit than without it.
    private static readonly SemaphoreSlim DeliverySlots = new(8);

    [Activity]
    public async Task<TradingRulesSummary> GetTradingRulesAsync(OrderRef order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, order.OrderId);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

        var row = await connection.QuerySingleOrDefaultAsync<RulesRow>(new CommandDefinition(RulesSql, new { order.OrderId }, cancellationToken: ct))
            .ConfigureAwait(false);

        if (row is null)
        {
            throw ActivityFailures.OrderNotFound(order.OrderId);
        }
        if (row.RulesId is not long rulesId || row.Price is not decimal price)
        {
            throw RulesMissing(order.OrderId, row.OrderAccountType, row.OrderAccountSize);
        }
        return new TradingRulesSummary(rulesId, WireName.Parse<AccountType>(row.OrderAccountType), row.OrderAccountSize, price);
    }

    [Activity]
    public async Task<DeliveryRecorded> RecordDeliveryAsync(DeliveryInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, input.OrderId);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

        var row = await connection.QuerySingleAsync<DeliveryRow>(new CommandDefinition(RecordDeliverySql, new
        {
            input.OrderId,
            input.AccountId,
            input.TradingRulesId,
        }, cancellationToken: ct)).ConfigureAwait(false);

        if (!row.OrderFound)
        {
            throw ActivityFailures.OrderNotFound(input.OrderId);
        }
        if (row.DeliveredId is null)
        {
            if (row.ReservedAccountId is null)
            {
                throw new ApplicationFailureException(
                    $"Account {input.AccountId} is not reserved for order {input.OrderId}.",
                    errorType: ActivityErrors.ReservationMissing, nonRetryable: true);
            }
            row = await connection.QuerySingleAsync<DeliveryRow>(new CommandDefinition(ReadDeliverySql, new { input.OrderId }, cancellationToken: ct))
                .ConfigureAwait(false);
        }

        if (row.InsertedNow)
        {
            LogDelivered(logger, input.OrderId, input.AccountId, row.CurrentPhase!);
        }
        else if (row.DeliveredAccountId != input.AccountId)
        {
            LogDeliveredOtherAccount(logger, input.OrderId, row.DeliveredAccountId!.Value, input.AccountId);
        }
        return new DeliveryRecorded(row.DeliveredId!.Value, WireName.Parse<AccountPhase>(row.CurrentPhase!));
    }

    [Activity]
    public async Task<OrderCompleted> CompleteOrderAsync(OrderRef order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, order.OrderId);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

        var row = await connection.QuerySingleAsync<CompletionRow>(new CommandDefinition(CompleteOrderSql, new { order.OrderId }, cancellationToken: ct))
            .ConfigureAwait(false);

        if (!row.OrderFound)
        {
            throw ActivityFailures.OrderNotFound(order.OrderId);
        }
        if (row.DeliveredAt is not DateTime deliveredAt)
        {
            throw ActivityFailures.InvalidOrderState(order.OrderId, "cannot complete before an account is delivered.");
        }
        LogCompleted(logger, order.OrderId, row.AppliedNow);
        if (row.AppliedNow && row.PaidAt is DateTime paidAt)
        {
            metrics.Delivered(deliveredAt - paidAt);
        }
        return new OrderCompleted(DateTime.SpecifyKind(deliveredAt, DateTimeKind.Utc), row.AppliedNow);
    }

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
            if (row.OrderStatus is "cancelled" or "expired" or "failed")
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

    private sealed class RulesRow
    {
        public string OrderAccountType { get; init; } = "";
        public int OrderAccountSize { get; init; }
        public long? RulesId { get; init; }
        public decimal? Price { get; init; }
    }

    private sealed class DeliveryRow
    {
        public bool OrderFound { get; init; }
        public long? ReservedAccountId { get; init; }
        public bool InsertedNow { get; init; }
        public Guid? DeliveredId { get; init; }
        public long? DeliveredAccountId { get; init; }
        public string? CurrentPhase { get; init; }
    }

    private sealed class CompletionRow
    {
        public bool OrderFound { get; init; }
        public bool AppliedNow { get; init; }
        public DateTime? DeliveredAt { get; init; }

        public DateTime? PaidAt { get; init; }
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

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Order {OrderId} was already delivered account {DeliveredAccountId}; ignoring the request for account {RequestedAccountId}")]
    private static partial void LogDeliveredOtherAccount(ILogger logger, string orderId, long deliveredAccountId, long requestedAccountId);

    // Debug: the delivery line above and the workflow's Completed stage say it at Information.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} completed (user totals updated now: {AppliedNow})")]
    private static partial void LogCompleted(ILogger logger, string orderId, bool appliedNow);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No available account matches order {OrderId}; it waits for inventory")]
    private static partial void LogOutOfStock(ILogger logger, string orderId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Order {OrderId} lost a race on {Constraint} to a concurrent delivery; reading the winner's result")]
    private static partial void LogDeliveryRaced(ILogger logger, string orderId, string? constraint);
}

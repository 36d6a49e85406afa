using Dapper;
using FlashFundX.Observability.Metrics;
using FlashFundX.Activities.Common;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Delivery;

public sealed partial class DeliveryActivities(NpgsqlDataSource dataSource, FulfillmentMetrics metrics, ILogger<DeliveryActivities> logger) : IDeliveryActivities
{
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
    private const string RecordDeliverySql = """
        WITH phase AS (
            SELECT * FROM unnest(@PhaseTypes::text[], @Phases::text[], @ChallengeStatuses::text[], @Phase1Statuses::text[],
                                 @Phase2Statuses::text[], @LiveStatuses::text[])
                       AS p(account_type, current_phase, challenge_status, phase_1_status, phase_2_status, live_status)
        ), source AS (
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
            ON CONFLICT (order_id) DO NOTHING
            RETURNING id, container_account_id, current_phase
        ), marked AS (
            UPDATE account_container
               SET status = 'delivered', delivered_at = now()
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

    // One statement, so one transaction: the insert into user_stats_applied is the exactly-once guard. Only the
    // statement that inserts the row adds the order to the user's totals; a repeat, or a concurrent copy (which waits
    // on the key), inserts nothing and adds nothing. The order is completed only once its account is delivered.
    private const string CompleteOrderSql = """
        WITH target AS (
            SELECT o.order_id, o.user_id, o.price_amount, o.paid_at, d.delivered_at AS account_delivered_at
              FROM orders o
              LEFT JOIN delivered_accounts d ON d.order_id = o.order_id
             WHERE o.order_id = @OrderId
        ), applied AS (
            INSERT INTO user_stats_applied (order_id, user_id, amount)
            SELECT order_id, user_id, price_amount FROM target WHERE account_delivered_at IS NOT NULL
            ON CONFLICT (order_id) DO NOTHING
            RETURNING user_id, amount
        ), totals AS (
            UPDATE users u
               SET total_orders = u.total_orders + 1, total_spent = u.total_spent + applied.amount
              FROM applied
             WHERE u.id = applied.user_id
        ), completed AS (
            UPDATE orders o
               SET order_status = 'completed', stage = 'completed', delivery_status = 'delivered',
                   delivered_at = COALESCE(o.delivered_at, t.account_delivered_at)
              FROM target t
             WHERE o.order_id = t.order_id AND t.account_delivered_at IS NOT NULL
            RETURNING o.delivered_at
        )
        SELECT (SELECT count(*) FROM target) = 1 AS order_found,
               (SELECT count(*) FROM applied) = 1 AS applied_now,
               (SELECT delivered_at FROM completed) AS delivered_at,
               (SELECT paid_at FROM target) AS paid_at
        """;

    private static readonly PhaseTable Phases = PhaseTable.Build();

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
            LogRulesMissing(logger, order.OrderId, row.OrderAccountType, row.OrderAccountSize);
            throw new ApplicationFailureException(
                $"No active trading rules for {row.OrderAccountType} {row.OrderAccountSize} (order {order.OrderId}).",
                errorType: ActivityErrors.TradingRulesMissing,
                nonRetryable: true);
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
            Phases.PhaseTypes,
            Phases.Phases,
            Phases.ChallengeStatuses,
            Phases.Phase1Statuses,
            Phases.Phase2Statuses,
            Phases.LiveStatuses,
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

    [LoggerMessage(Level = LogLevel.Error, Message = "No trading rules for {AccountType} {AccountSize} (order {OrderId})")]
    private static partial void LogRulesMissing(ILogger logger, string orderId, string accountType, int accountSize);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered account {AccountId} to order {OrderId}, starting in {Phase}")]
    private static partial void LogDelivered(ILogger logger, string orderId, long accountId, string phase);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Order {OrderId} was already delivered account {DeliveredAccountId}; ignoring the request for account {RequestedAccountId}")]
    private static partial void LogDeliveredOtherAccount(ILogger logger, string orderId, long deliveredAccountId, long requestedAccountId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} completed (user totals updated now: {AppliedNow})")]
    private static partial void LogCompleted(ILogger logger, string orderId, bool appliedNow);
}

using Dapper;
using FlashFundX.Activities.Common;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Delivery;

public sealed partial class DeliveryActivities(NpgsqlDataSource dataSource, ILogger<DeliveryActivities> logger) : IDeliveryActivities
{
    private const string RulesSql = """
        SELECT o.account_type AS order_account_type, o.account_size AS order_account_size,
               r.id AS rules_id, r.price
          FROM orders o
          LEFT JOIN trading_rules r
                 ON r.account_type = o.account_type AND r.account_size = o.account_size AND r.is_active
         WHERE o.order_id = @OrderId
        """;

    private const string DeliveryContextSql = """
        SELECT o.account_type, a.id AS account_id
          FROM orders o
          LEFT JOIN account_container a ON a.id = @AccountId AND a.reserved_for_order_id = o.order_id
         WHERE o.order_id = @OrderId
        """;

    // One delivered_accounts row per order (unique order_id): a repeat or a concurrent copy inserts nothing.
    private const string InsertDeliverySql = """
        INSERT INTO delivered_accounts (order_id, user_id, container_account_id, trading_rules_id, account_type,
                                        account_size, platform, server, login, current_phase,
                                        challenge_status, phase_1_status, phase_2_status, live_status)
        SELECT o.order_id, o.user_id, a.id, @TradingRulesId, o.account_type,
               a.account_size, a.platform, a.server, a.login, @Phase,
               @ChallengeStatus, @Phase1Status, @Phase2Status, @LiveStatus
          FROM orders o
          JOIN account_container a ON a.id = @AccountId AND a.reserved_for_order_id = o.order_id
         WHERE o.order_id = @OrderId
        ON CONFLICT (order_id) DO NOTHING
        """;

    private const string MarkDeliveredSql = """
        UPDATE account_container
           SET status = 'delivered', delivered_at = now()
         WHERE id = @AccountId AND reserved_for_order_id = @OrderId AND status <> 'delivered'
        """;

    private const string ReadDeliverySql = """
        SELECT id, container_account_id, current_phase FROM delivered_accounts WHERE order_id = @OrderId
        """;

    private const string CompletionContextSql = """
        SELECT d.delivered_at
          FROM orders o
          LEFT JOIN delivered_accounts d ON d.order_id = o.order_id
         WHERE o.order_id = @OrderId
           FOR UPDATE OF o
        """;

    // The insert into user_stats_applied is the exactly-once guard: only the transaction that inserts the row adds the
    // order to the user's totals; a repeat (or a concurrent copy, which waits on the key) inserts nothing and adds nothing.
    private const string ApplyStatsSql = """
        WITH applied AS (
            INSERT INTO user_stats_applied (order_id, user_id, amount)
            SELECT order_id, user_id, price_amount FROM orders WHERE order_id = @OrderId
            ON CONFLICT (order_id) DO NOTHING
            RETURNING user_id, amount
        )
        UPDATE users u
           SET total_orders = u.total_orders + 1, total_spent = u.total_spent + applied.amount
          FROM applied
         WHERE u.id = applied.user_id
        """;

    private const string CompleteOrderSql = """
        UPDATE orders
           SET order_status = 'completed', stage = 'completed', delivery_status = 'delivered',
               delivered_at = COALESCE(delivered_at, @DeliveredAt)
         WHERE order_id = @OrderId
        RETURNING delivered_at
        """;

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
        var ids = new { input.OrderId, input.AccountId };
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        var context = await connection.QuerySingleOrDefaultAsync<DeliveryContextRow>(
            new CommandDefinition(DeliveryContextSql, ids, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (context is null)
        {
            throw ActivityFailures.OrderNotFound(input.OrderId);
        }
        if (context.AccountId is null)
        {
            throw new ApplicationFailureException(
                $"Account {input.AccountId} is not reserved for order {input.OrderId}.", errorType: ActivityErrors.ReservationMissing, nonRetryable: true);
        }

        var phase = InitialPhase.For(WireName.Parse<AccountType>(context.AccountType));
        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertDeliverySql, new
        {
            input.OrderId,
            input.AccountId,
            input.TradingRulesId,
            Phase = WireName.Of(phase.Phase),
            ChallengeStatus = WireName.Of(phase.ChallengeStatus),
            Phase1Status = WireName.Of(phase.Phase1Status),
            Phase2Status = WireName.Of(phase.Phase2Status),
            LiveStatus = WireName.Of(phase.LiveStatus),
        }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(MarkDeliveredSql, ids, tx, cancellationToken: ct)).ConfigureAwait(false);
        var delivery = await connection.QuerySingleAsync<DeliveryRow>(new CommandDefinition(ReadDeliverySql, ids, tx, cancellationToken: ct))
            .ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);

        if (inserted == 1)
        {
            LogDelivered(logger, input.OrderId, delivery.ContainerAccountId, delivery.CurrentPhase);
        }
        else if (delivery.ContainerAccountId != input.AccountId)
        {
            LogDeliveredOtherAccount(logger, input.OrderId, delivery.ContainerAccountId, input.AccountId);
        }
        return new DeliveryRecorded(delivery.Id, WireName.Parse<AccountPhase>(delivery.CurrentPhase));
    }

    [Activity]
    public async Task<OrderCompleted> CompleteOrderAsync(OrderRef order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, order.OrderId);
        var args = new { order.OrderId };
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        var context = await connection.QuerySingleOrDefaultAsync<CompletionContextRow>(
            new CommandDefinition(CompletionContextSql, args, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (context is null)
        {
            throw ActivityFailures.OrderNotFound(order.OrderId);
        }
        if (context.DeliveredAt is not DateTime deliveredAt)
        {
            throw ActivityFailures.InvalidOrderState(order.OrderId, "cannot complete before an account is delivered.");
        }

        var appliedNow = await connection.ExecuteAsync(new CommandDefinition(ApplyStatsSql, args, tx, cancellationToken: ct))
            .ConfigureAwait(false) == 1;
        var orderDeliveredAt = await connection.QuerySingleAsync<DateTime>(
            new CommandDefinition(CompleteOrderSql, new { order.OrderId, DeliveredAt = deliveredAt }, tx, cancellationToken: ct))
            .ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);

        LogCompleted(logger, order.OrderId, appliedNow);
        return new OrderCompleted(DateTime.SpecifyKind(orderDeliveredAt, DateTimeKind.Utc), appliedNow);
    }

    private sealed class RulesRow
    {
        public string OrderAccountType { get; init; } = "";
        public int OrderAccountSize { get; init; }
        public long? RulesId { get; init; }
        public decimal? Price { get; init; }
    }

    private sealed class DeliveryContextRow
    {
        public string AccountType { get; init; } = "";
        public long? AccountId { get; init; }
    }

    private sealed class DeliveryRow
    {
        public Guid Id { get; init; }
        public long ContainerAccountId { get; init; }
        public string CurrentPhase { get; init; } = "";
    }

    private sealed class CompletionContextRow
    {
        public DateTime? DeliveredAt { get; init; }
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

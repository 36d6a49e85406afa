using Dapper;
using Npgsql;

namespace FlashFundX.Bench.Reservation;

/// <summary>
/// The earlier, simplified baseline, kept for comparison with past results: the legacy function's steps sent by the
/// client as separate statements (up to seven plus BEGIN/COMMIT) in one READ COMMITTED transaction, against the bare
/// tables of <see cref="BareLegacySchema"/> (no triggers, no password or status columns) — read the order and rules,
/// pick the first available account with a plain SELECT (no lock), then update it, insert the delivered row, complete
/// the order and add to the user's totals. Two concurrent orders can pick, and both get, the same account.
/// It is not what the legacy system ran: that is <see cref="LegacyFunctionDelivery"/>.
/// </summary>
internal static class ClientStepsDelivery
{
    private const string OrderSql = """
        SELECT order_id, user_id, account_type, account_size, platform_type, final_amount, payment_status, delivery_status
          FROM legacy_bare.orders WHERE order_id = @OrderId
        """;

    private const string RulesSql = """
        SELECT id FROM trading_rules WHERE account_type = @AccountType AND account_size = @AccountSize
        """;

    private const string PickSql = """
        SELECT id, account_size, platform_type, server_name, login_id
          FROM legacy_bare.account_container
         WHERE account_size = @AccountSize AND platform_type = @PlatformType AND status = 'available'
         ORDER BY created_at
         LIMIT 1
        """;

    private const string TakeSql = """
        UPDATE legacy_bare.account_container SET status = 'delivered', reserved_for_order_id = @OrderId, reserved_at = now()
         WHERE id = @Id
        """;

    private const string InsertSql = """
        INSERT INTO legacy_bare.delivered_accounts (user_id, order_id, container_account_id, trading_rules_id, account_type,
                                                     account_size, platform_type, server_name, login_id, current_phase, phase_status)
        VALUES (@UserId, @OrderId, @AccountId, @RulesId, @AccountType, @AccountSize, @PlatformType, @ServerName, @LoginId, 'phase_1', 'active')
        """;

    private const string CompleteSql = """
        UPDATE legacy_bare.orders SET delivery_status = 'delivered', order_status = 'completed', delivered_at = now()
         WHERE order_id = @OrderId
        """;

    private const string StatsSql = """
        UPDATE legacy_bare.user_profiles SET total_orders = total_orders + 1, total_spent = total_spent + @Amount WHERE id = @UserId
        """;

    /// <summary>True when an account was handed out.</summary>
    public static async Task<bool> DeliverAsync(NpgsqlDataSource dataSource, string orderId)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var order = await connection.QuerySingleOrDefaultAsync<OrderRow>(OrderSql, new { OrderId = orderId }, tx).ConfigureAwait(false);
        if (order is null || order.PaymentStatus != "paid" || order.DeliveryStatus == "delivered")
        {
            return false;
        }
        var rulesId = await connection.QuerySingleOrDefaultAsync<long?>(RulesSql, new { order.AccountType, order.AccountSize }, tx).ConfigureAwait(false);
        var account = await connection.QuerySingleOrDefaultAsync<AccountRow>(PickSql, new { order.AccountSize, order.PlatformType }, tx).ConfigureAwait(false);
        if (rulesId is null || account is null)
        {
            return false;
        }
        await connection.ExecuteAsync(TakeSql, new { OrderId = orderId, account.Id }, tx).ConfigureAwait(false);
        await connection.ExecuteAsync(InsertSql, new
        {
            order.UserId,
            OrderId = orderId,
            AccountId = account.Id,
            RulesId = rulesId,
            order.AccountType,
            account.AccountSize,
            account.PlatformType,
            account.ServerName,
            account.LoginId,
        }, tx).ConfigureAwait(false);
        await connection.ExecuteAsync(CompleteSql, new { OrderId = orderId }, tx).ConfigureAwait(false);
        await connection.ExecuteAsync(StatsSql, new { order.UserId, Amount = order.FinalAmount }, tx).ConfigureAwait(false);
        await tx.CommitAsync().ConfigureAwait(false);
        return true;
    }

    private sealed class OrderRow
    {
        public string OrderId { get; init; } = "";
        public Guid UserId { get; init; }
        public string AccountType { get; init; } = "";
        public int AccountSize { get; init; }
        public string PlatformType { get; init; } = "";
        public decimal FinalAmount { get; init; }
        public string PaymentStatus { get; init; } = "";
        public string DeliveryStatus { get; init; } = "";
    }

    private sealed class AccountRow
    {
        public long Id { get; init; }
        public int AccountSize { get; init; }
        public string PlatformType { get; init; } = "";
        public string ServerName { get; init; } = "";
        public string LoginId { get; init; } = "";
    }
}

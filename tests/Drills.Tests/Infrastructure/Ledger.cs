using Dapper;
using Npgsql;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>
/// The rows the promise "every paid order is delivered exactly once" is about, counted in one go: orders by status,
/// delivered_accounts, inventory use and the users' totals against their delivered orders.
/// </summary>
public sealed record Ledger(
    long Orders,
    long OrdersCompleted,
    long OrdersFailed,
    long OrdersWaitingInventory,
    long DeliveredRows,
    long DeliveredOrders,
    long DeliveredDistinctAccounts,
    long OrdersWithMoreThanOneDelivery,
    long AccountsDelivered,
    long AccountsAvailable,
    long AccountsDeliveredWithoutRow,
    long StatsApplied,
    long UsersWithWrongTotals,
    long TotalOrdersOfUsers,
    decimal TotalSpentOfUsers,
    decimal SumOfDeliveredOrders)
{
    private const string Sql = """
        SELECT
          (SELECT count(*) FROM orders) AS Orders,
          (SELECT count(*) FROM orders WHERE order_status = 'completed' AND delivery_status = 'delivered') AS OrdersCompleted,
          (SELECT count(*) FROM orders WHERE order_status = 'failed' OR delivery_status = 'refund_required') AS OrdersFailed,
          (SELECT count(*) FROM orders WHERE delivery_status = 'waiting_inventory') AS OrdersWaitingInventory,
          (SELECT count(*) FROM delivered_accounts) AS DeliveredRows,
          (SELECT count(DISTINCT order_id) FROM delivered_accounts) AS DeliveredOrders,
          (SELECT count(DISTINCT container_account_id) FROM delivered_accounts) AS DeliveredDistinctAccounts,
          (SELECT count(*) FROM (SELECT order_id FROM delivered_accounts GROUP BY order_id HAVING count(*) > 1) d) AS OrdersWithMoreThanOneDelivery,
          (SELECT count(*) FROM account_container WHERE status = 'delivered') AS AccountsDelivered,
          (SELECT count(*) FROM account_container WHERE status = 'available') AS AccountsAvailable,
          (SELECT count(*) FROM account_container a WHERE a.status = 'delivered'
              AND NOT EXISTS (SELECT 1 FROM delivered_accounts d WHERE d.container_account_id = a.id AND d.order_id = a.reserved_for_order_id)) AS AccountsDeliveredWithoutRow,
          (SELECT count(*) FROM orders WHERE stats_applied_at IS NOT NULL) AS StatsApplied,
          (SELECT count(*) FROM users u
             LEFT JOIN (SELECT o.user_id, count(*) AS n, sum(o.price_amount) AS spent
                          FROM orders o JOIN delivered_accounts d ON d.order_id = o.order_id
                         GROUP BY o.user_id) x ON x.user_id = u.id
            WHERE u.total_orders <> COALESCE(x.n, 0) OR u.total_spent <> COALESCE(x.spent, 0)) AS UsersWithWrongTotals,
          (SELECT COALESCE(sum(total_orders), 0) FROM users) AS TotalOrdersOfUsers,
          (SELECT COALESCE(sum(total_spent), 0) FROM users) AS TotalSpentOfUsers,
          (SELECT COALESCE(sum(o.price_amount), 0) FROM orders o JOIN delivered_accounts d ON d.order_id = o.order_id) AS SumOfDeliveredOrders
        """;

    public static async Task<Ledger> ReadAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Ledger>(Sql);
    }

    /// <summary>Orders by (order_status, delivery_status), e.g. <c>completed/delivered=60</c>.</summary>
    public static async Task<string> OrderStatesAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Order, string Delivery, long Count)>(
            "SELECT order_status, delivery_status, count(*) FROM orders GROUP BY 1, 2 ORDER BY 3 DESC");
        return string.Join(", ", rows.Select(r => $"{r.Order}/{r.Delivery}={r.Count}"));
    }

    /// <summary>Orders by stage, e.g. <c>waiting_inventory=3, delivering=2, completed=40</c>: where in the workflow they are.</summary>
    public static async Task<string> StagesAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Stage, long Count)>("SELECT stage, count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC");
        return string.Join(", ", rows.Select(r => $"{r.Stage}={r.Count}"));
    }

    /// <summary>Prints every count, with what it must be when <paramref name="expectedDelivered"/> orders were paid and stocked.</summary>
    public void Print(DrillLog log, long expectedDelivered)
    {
        ArgumentNullException.ThrowIfNull(log);
        log.Line("ledger:");
        log.Count("orders", Orders);
        log.Count("orders completed/delivered", OrdersCompleted, expectedDelivered);
        log.Count("orders failed or refund_required", OrdersFailed, 0);
        log.Count("delivered_accounts rows", DeliveredRows, expectedDelivered);
        log.Count("orders with a delivered_accounts row", DeliveredOrders, expectedDelivered);
        log.Count("orders with more than one delivery", OrdersWithMoreThanOneDelivery, 0);
        log.Count("distinct inventory accounts delivered", DeliveredDistinctAccounts, expectedDelivered);
        log.Count("inventory accounts marked delivered", AccountsDelivered, expectedDelivered);
        log.Count("delivered accounts without their order's row", AccountsDeliveredWithoutRow, 0);
        log.Count("orders with their totals applied", StatsApplied, expectedDelivered);
        log.Count("users whose totals differ from their delivered orders", UsersWithWrongTotals, 0);
        log.Count("sum of users.total_orders", TotalOrdersOfUsers, expectedDelivered);
        log.Line($"  sum of users.total_spent = {TotalSpentOfUsers} (expected {SumOfDeliveredOrders}, the sum of delivered orders' prices)");
    }
}

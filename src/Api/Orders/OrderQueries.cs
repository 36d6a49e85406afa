using Dapper;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Data;

namespace FlashFundX.Api.Orders;

/// <summary>
/// Reads orders for the caller: their own, or every order for an admin. Each read runs in a caller-scoped session, so
/// PostgreSQL row-level security enforces the same rule as the WHERE clauses and the ownership check below — two
/// independent layers.
/// </summary>
public sealed class OrderQueries(CallerScopedDatabase database)
{
    private const string ByIdSql = $"SELECT {OrderRow.Columns} FROM orders WHERE order_id = @OrderId";

    private const string PageSql = $"""
        SELECT {OrderRow.Columns} FROM orders
        WHERE (@All OR user_id = @UserId)
        ORDER BY created_at DESC, order_id DESC
        LIMIT @Limit OFFSET @Offset
        """;

    private const string CountSql = "SELECT count(*) FROM orders WHERE (@All OR user_id = @UserId)";

    /// <summary>The order when the caller may see it (owner, or admin when <paramref name="adminSeesAll"/>); null otherwise.</summary>
    public async Task<OrderDto?> FindAsync(Caller caller, string orderId, bool adminSeesAll, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var row = await FindRowAsync(caller, orderId, adminSeesAll, cancellationToken);
        if (row is null || (row.UserId != caller.UserId && !(adminSeesAll && caller.IsAdmin)))
        {
            return null;
        }
        return row.ToDto(showAttention: caller.IsAdmin);
    }

    public async Task<OrderPage> ListAsync(Caller caller, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var filter = new { All = caller.IsAdmin, caller.UserId };
        await using var session = await database.OpenAsync(caller, useAdminRights: true, cancellationToken);
        var total = await session.Connection.ExecuteScalarAsync<long>(session.Command(CountSql, filter, cancellationToken));
        var rows = await session.Connection.QueryAsync<OrderRow>(session.Command(
            PageSql,
            new { filter.All, filter.UserId, Limit = pageSize, Offset = (long)(page - 1) * pageSize },
            cancellationToken));
        return new OrderPage(page, pageSize, total, rows.Select(r => r.ToDto(showAttention: caller.IsAdmin)).ToArray());
    }

    /// <summary>The row as the caller's session sees it: only their own order, or any order for an admin with <paramref name="adminSeesAll"/>.</summary>
    internal async Task<OrderRow?> FindRowAsync(Caller caller, string orderId, bool adminSeesAll, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenAsync(caller, adminSeesAll, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<OrderRow>(
            session.Command(ByIdSql, new { OrderId = orderId }, cancellationToken));
    }
}

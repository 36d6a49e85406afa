using Dapper;
using FlashFundX.Api.Auth;
using Npgsql;

namespace FlashFundX.Api.Orders;

/// <summary>Reads orders for the caller: their own, or every order for an admin.</summary>
public sealed class OrderQueries(NpgsqlDataSource dataSource)
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
        var row = await FindRowAsync(orderId, cancellationToken);
        if (row is null || (row.UserId != caller.UserId && !(adminSeesAll && caller.IsAdmin)))
        {
            return null;
        }
        return row.ToDto();
    }

    public async Task<OrderPage> ListAsync(Caller caller, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var filter = new { All = caller.IsAdmin, caller.UserId };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, filter, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<OrderRow>(new CommandDefinition(
            PageSql,
            new { filter.All, filter.UserId, Limit = pageSize, Offset = (long)(page - 1) * pageSize },
            cancellationToken: cancellationToken));
        return new OrderPage(page, pageSize, total, rows.Select(r => r.ToDto()).ToArray());
    }

    internal async Task<OrderRow?> FindRowAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OrderRow>(
            new CommandDefinition(ByIdSql, new { OrderId = orderId }, cancellationToken: cancellationToken));
    }
}

using Dapper;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Data;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// Reads an order's events (written only by the triggers on <c>orders</c>, sql/0001_baseline.sql). With a caller, the
/// read runs in their row-level-security session, like every read made on a caller's behalf; without one (the hub's
/// fan-out, after each stream was authorised), as the API's system role.
/// </summary>
public sealed class OrderEventStore(CallerScopedDatabase callers)
{
    private const string Columns = "id, order_id, stage, order_status, payment_status, delivery_status, created_at";

    private const string AfterSql = $"SELECT {Columns} FROM order_events WHERE order_id = @OrderId AND id > @After ORDER BY id";

    private const string LatestSql = $"SELECT {Columns} FROM order_events WHERE order_id = @OrderId ORDER BY id DESC LIMIT 1";

    private const string LatestIdsSql = "SELECT order_id, max(id) FROM order_events WHERE order_id = ANY(@OrderIds) GROUP BY order_id";

    /// <summary>The newest event id of each of the orders that has any (system role: the hub's sweep).</summary>
    public async Task<IReadOnlyList<(string OrderId, long LatestId)>> LatestIdsAsync(IEnumerable<string> orderIds, CancellationToken cancellationToken)
    {
        await using var session = await callers.OpenSystemAsync(cancellationToken).ConfigureAwait(false);
        return (await session.Connection.QueryAsync<(string, long)>(
            session.Command(LatestIdsSql, new { OrderIds = orderIds.ToArray() }, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>The order's events after <paramref name="afterId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<OrderEvent>> AfterAsync(string orderId, long afterId, Caller? caller, CancellationToken cancellationToken)
    {
        var args = new { OrderId = orderId, After = afterId };
        if (caller is not null)
        {
            await using var session = await callers.OpenAsync(caller, useAdminRights: true, cancellationToken).ConfigureAwait(false);
            return (await session.Connection.QueryAsync<OrderEvent>(session.Command(AfterSql, args, cancellationToken)).ConfigureAwait(false)).AsList();
        }
        await using var system = await callers.OpenSystemAsync(cancellationToken).ConfigureAwait(false);
        return (await system.Connection.QueryAsync<OrderEvent>(system.Command(AfterSql, args, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>The order's current state as its latest event, read as <paramref name="caller"/>; null for an order with no event.</summary>
    public async Task<OrderEvent?> LatestAsync(string orderId, Caller caller, CancellationToken cancellationToken)
    {
        await using var session = await callers.OpenAsync(caller, useAdminRights: true, cancellationToken).ConfigureAwait(false);
        return await session.Connection.QuerySingleOrDefaultAsync<OrderEvent>(
            session.Command(LatestSql, new { OrderId = orderId }, cancellationToken)).ConfigureAwait(false);
    }
}

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

    private const string AfterWithOwnerSql = """
        SELECT e.id, e.order_id, e.stage, e.order_status, e.payment_status, e.delivery_status, e.created_at, o.user_id
          FROM order_events e JOIN orders o ON o.order_id = e.order_id
         WHERE e.order_id = @OrderId AND e.id > @After
         ORDER BY e.id
        """;

    private const string LatestWithOwnerSql = """
        SELECT e.id, e.order_id, e.stage, e.order_status, e.payment_status, e.delivery_status, e.created_at, o.user_id
          FROM order_events e JOIN orders o ON o.order_id = e.order_id
         WHERE e.order_id = @OrderId
         ORDER BY e.id DESC LIMIT 1
        """;

    // The caller's own orders, admins included (the session is opened without admin rights; the join starts from the
    // caller's orders so the read does not scan everybody's events through the policy).
    private const string UserLatestSql = """
        SELECT DISTINCT ON (e.order_id) e.id, e.order_id, e.stage, e.order_status, e.payment_status, e.delivery_status, e.created_at
          FROM orders o JOIN order_events e ON e.order_id = o.order_id
         WHERE o.user_id = @UserId
         ORDER BY e.order_id, e.id DESC
        """;

    // Resuming a user's stream (docs/architecture.md): every event after @After, plus the latest event up to @After of
    // each order changed within @Window before the newest of the caller's events up to @After — ids are taken at
    // insert, so an event of another order with a smaller id may have committed after the client's last one.
    private const string UserResumeSql = """
        WITH mine AS MATERIALIZED (
            SELECT e.id, e.order_id, e.stage, e.order_status, e.payment_status, e.delivery_status, e.created_at
              FROM orders o JOIN order_events e ON e.order_id = o.order_id
             WHERE o.user_id = @UserId),
        since AS (SELECT max(created_at) - @Window AS at FROM mine WHERE id <= @After)
        SELECT * FROM mine WHERE id > @After
        UNION ALL
        SELECT * FROM (SELECT DISTINCT ON (mine.order_id) mine.*
                         FROM mine, since
                        WHERE mine.id <= @After AND mine.created_at >= since.at
                        ORDER BY mine.order_id, mine.id DESC) recent
        ORDER BY id
        """;

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

    /// <summary>
    /// The order's events after <paramref name="afterId"/> (null: its latest event only), each with the order's owner
    /// (system role: the hub's fan-out to users' streams).
    /// </summary>
    public async Task<IReadOnlyList<OrderEvent>> AfterWithOwnerAsync(string orderId, long? afterId, CancellationToken cancellationToken)
    {
        await using var system = await callers.OpenSystemAsync(cancellationToken).ConfigureAwait(false);
        return (await system.Connection.QueryAsync<OrderEvent>(system.Command(
            afterId is null ? LatestWithOwnerSql : AfterWithOwnerSql,
            new { OrderId = orderId, After = afterId ?? 0 },
            cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>The latest event of each of the caller's own orders (admins too: their own only), oldest first.</summary>
    public async Task<IReadOnlyList<OrderEvent>> UserLatestAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var session = await callers.OpenAsync(caller, useAdminRights: false, cancellationToken).ConfigureAwait(false);
        var latest = await session.Connection.QueryAsync<OrderEvent>(
            session.Command(UserLatestSql, new { caller.UserId }, cancellationToken)).ConfigureAwait(false);
        return [.. latest.OrderBy(e => e.Id)];
    }

    /// <summary>What a user's stream resuming after <paramref name="afterId"/> sends first (see <see cref="UserResumeSql"/>).</summary>
    public async Task<IReadOnlyList<OrderEvent>> UserResumeAsync(Caller caller, long afterId, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var session = await callers.OpenAsync(caller, useAdminRights: false, cancellationToken).ConfigureAwait(false);
        return (await session.Connection.QueryAsync<OrderEvent>(
            session.Command(UserResumeSql, new { caller.UserId, After = afterId, Window = window }, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>The order's current state as its latest event, read as <paramref name="caller"/>; null for an order with no event.</summary>
    public async Task<OrderEvent?> LatestAsync(string orderId, Caller caller, CancellationToken cancellationToken)
    {
        await using var session = await callers.OpenAsync(caller, useAdminRights: true, cancellationToken).ConfigureAwait(false);
        return await session.Connection.QuerySingleOrDefaultAsync<OrderEvent>(
            session.Command(LatestSql, new { OrderId = orderId }, cancellationToken)).ConfigureAwait(false);
    }
}

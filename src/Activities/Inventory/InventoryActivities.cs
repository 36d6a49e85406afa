using Dapper;
using FlashFundX.Activities.Common;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using Microsoft.Extensions.Logging;
using Npgsql;
using Temporalio.Activities;

namespace FlashFundX.Activities.Inventory;

public sealed partial class InventoryActivities(NpgsqlDataSource dataSource, ILogger<InventoryActivities> logger) : IInventoryActivities
{
    private const string ExistingReservationSql = """
        SELECT id FROM account_container WHERE reserved_for_order_id = @OrderId
        """;

    // One round trip: return the order's reservation if it has one; otherwise lock the oldest matching available
    // account nobody else is locking (SKIP LOCKED lets concurrent orders take the next one instead of queueing) and
    // reserve it for the order. The order's size and platform are scalar subqueries so the planner walks the partial
    // index account_container_available in (created_at, id) order instead of sorting every available row. If a concurrent copy of this activity reserved another account for the same order
    // first, the unique key on reserved_for_order_id rejects this update.
    private const string ReserveSql = """
        WITH target AS (
            SELECT order_status, account_size, platform FROM orders WHERE order_id = @OrderId
        ), existing AS (
            SELECT id FROM account_container WHERE reserved_for_order_id = @OrderId
        ), candidate AS (
            SELECT a.id
              FROM account_container a
             WHERE a.status = 'available'
               AND a.account_size = (SELECT account_size FROM target)
               AND a.platform = (SELECT platform FROM target)
               AND (SELECT order_status FROM target) NOT IN ('cancelled', 'expired', 'failed')
               AND NOT EXISTS (SELECT 1 FROM existing)
             ORDER BY a.created_at, a.id
             LIMIT 1
               FOR UPDATE OF a SKIP LOCKED
        ), reserved AS (
            UPDATE account_container a
               SET status = 'reserved', reserved_for_order_id = @OrderId, reserved_at = now()
              FROM candidate
             WHERE a.id = candidate.id
            RETURNING a.id
        )
        SELECT (SELECT order_status FROM target) AS order_status,
               (SELECT id FROM existing) AS existing_id,
               (SELECT id FROM reserved) AS reserved_id
        """;

    [Activity]
    public async Task<ReservationOutcome> ReserveAccountAsync(OrderRef order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, order.OrderId);
        var args = new { order.OrderId };
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

        ReserveRow row;
        try
        {
            row = await connection.QuerySingleAsync<ReserveRow>(new CommandDefinition(ReserveSql, args, cancellationToken: ct))
                .ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A concurrent copy for the same order won; its reservation is the answer.
            if (await FindReservationAsync(connection, args, ct).ConfigureAwait(false) is long winner)
            {
                return new ReservationOutcome(true, winner);
            }
            throw;
        }

        if (row.OrderStatus is null)
        {
            throw ActivityFailures.OrderNotFound(order.OrderId);
        }
        if (row.ExistingId is long alreadyReserved)
        {
            LogAlreadyReserved(logger, order.OrderId, alreadyReserved);
            return new ReservationOutcome(true, alreadyReserved);
        }
        if (row.OrderStatus is "cancelled" or "expired" or "failed")
        {
            throw ActivityFailures.InvalidOrderState(order.OrderId, $"an order that is {row.OrderStatus} gets no account.");
        }
        if (row.ReservedId is long accountId)
        {
            LogReserved(logger, order.OrderId, accountId);
            return new ReservationOutcome(true, accountId);
        }

        // Nothing was free; a concurrent copy may have reserved one for this order meanwhile.
        if (await FindReservationAsync(connection, args, ct).ConfigureAwait(false) is long late)
        {
            return new ReservationOutcome(true, late);
        }
        LogOutOfStock(logger, order.OrderId);
        return ReservationOutcome.OutOfStock;
    }

    private static Task<long?> FindReservationAsync(NpgsqlConnection connection, object args, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(ExistingReservationSql, args, cancellationToken: ct));

    private sealed class ReserveRow
    {
        public string? OrderStatus { get; init; }
        public long? ExistingId { get; init; }
        public long? ReservedId { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reserved account {AccountId} for order {OrderId}")]
    private static partial void LogReserved(ILogger logger, string orderId, long accountId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} already holds account {AccountId}")]
    private static partial void LogAlreadyReserved(ILogger logger, string orderId, long accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No available account matches order {OrderId}; it waits for inventory")]
    private static partial void LogOutOfStock(ILogger logger, string orderId);
}

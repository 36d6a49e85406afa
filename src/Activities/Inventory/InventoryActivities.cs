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

    // One statement: lock the oldest matching available account nobody else is locking (SKIP LOCKED lets concurrent
    // orders take the next one instead of queueing) and reserve it for the order. If another copy of this activity
    // reserved a different account for the same order first, the unique key on reserved_for_order_id rejects this one.
    private const string ReserveSql = """
        WITH candidate AS (
            SELECT a.id
              FROM account_container a
              JOIN orders o ON o.order_id = @OrderId
             WHERE a.status = 'available'
               AND a.account_size = o.account_size
               AND a.platform = o.platform
             ORDER BY a.created_at, a.id
             LIMIT 1
               FOR UPDATE OF a SKIP LOCKED
        )
        UPDATE account_container a
           SET status = 'reserved', reserved_for_order_id = @OrderId, reserved_at = now()
          FROM candidate
         WHERE a.id = candidate.id
        RETURNING a.id
        """;

    private const string OrderStatusSql = """
        SELECT order_status FROM orders WHERE order_id = @OrderId
        """;

    [Activity]
    public async Task<ReservationOutcome> ReserveAccountAsync(OrderRef order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, order.OrderId);
        var args = new { order.OrderId };
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

        var existing = await FindReservationAsync(connection, args, ct).ConfigureAwait(false);
        if (existing is long alreadyReserved)
        {
            LogAlreadyReserved(logger, order.OrderId, alreadyReserved);
            return new ReservationOutcome(true, alreadyReserved);
        }

        var orderStatus = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(OrderStatusSql, args, cancellationToken: ct))
            .ConfigureAwait(false);
        if (orderStatus is null)
        {
            throw ActivityFailures.OrderNotFound(order.OrderId);
        }
        if (orderStatus is "cancelled" or "expired" or "failed")
        {
            throw ActivityFailures.InvalidOrderState(order.OrderId, $"an order that is {orderStatus} gets no account.");
        }

        long? reserved;
        try
        {
            reserved = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(ReserveSql, args, cancellationToken: ct))
                .ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A concurrent copy for the same order won; its reservation is the answer.
            reserved = await FindReservationAsync(connection, args, ct).ConfigureAwait(false);
        }

        if (reserved is long accountId)
        {
            LogReserved(logger, order.OrderId, accountId);
            return new ReservationOutcome(true, accountId);
        }

        // Nothing was free; a concurrent copy may still have reserved one for this order meanwhile.
        var late = await FindReservationAsync(connection, args, ct).ConfigureAwait(false);
        if (late is long lateAccount)
        {
            return new ReservationOutcome(true, lateAccount);
        }
        LogOutOfStock(logger, order.OrderId);
        return ReservationOutcome.OutOfStock;
    }

    private static Task<long?> FindReservationAsync(NpgsqlConnection connection, object args, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(ExistingReservationSql, args, cancellationToken: ct));

    [LoggerMessage(Level = LogLevel.Information, Message = "Reserved account {AccountId} for order {OrderId}")]
    private static partial void LogReserved(ILogger logger, string orderId, long accountId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} already holds account {AccountId}")]
    private static partial void LogAlreadyReserved(ILogger logger, string orderId, long accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No available account matches order {OrderId}; it waits for inventory")]
    private static partial void LogOutOfStock(ILogger logger, string orderId);
}

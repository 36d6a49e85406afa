using Dapper;
using FlashFundX.Api.Admin;
using FlashFundX.Api.Data;
using FlashFundX.Workflows.Domain;
using Npgsql;

namespace FlashFundX.Api.Inventory;

/// <summary>
/// Single stock accounts for admins (as the API's system role, which never reads a ciphertext): list, fix server or
/// login, disable or enable, delete. Only an account not delivered to an order changes (the WHERE clauses, and the
/// role's policies in sql/0008_admin_inventory.sql); each change commits with its audit row.
/// </summary>
public sealed class InventoryAccounts(CallerScopedDatabase database)
{
    private const string Columns = "id, platform, account_size, server, login, status, reserved_for_order_id, delivered_at, created_at, updated_at";

    private const string Filter = """
        WHERE (@AccountSize IS NULL OR account_size = @AccountSize)
          AND (@Platform IS NULL OR platform = @Platform)
          AND (@Status IS NULL OR status = @Status)
        """;

    private const string PageSql = $"""
        SELECT {Columns} FROM account_container
        {Filter}
        ORDER BY created_at DESC, id DESC
        LIMIT @Limit OFFSET @Offset
        """;

    private const string CountSql = $"SELECT count(*) FROM account_container {Filter}";

    private const string FindSql = $"SELECT {Columns} FROM account_container WHERE id = @Id";

    // The row lock keeps a delivery (FOR UPDATE SKIP LOCKED) off the account while it changes; a delivery that locked
    // it first makes this wait and then find it delivered (READ COMMITTED re-checks the WHERE on the new row).
    private const string LockSql = $"""
        SELECT {Columns} FROM account_container
         WHERE id = @Id AND status <> 'delivered' AND reserved_for_order_id IS NULL
           FOR UPDATE
        """;

    // The first change of server or login keeps the identity the passwords were sealed under (sealed_server/login).
    private const string UpdateSql = $"""
        UPDATE account_container
           SET server = @Server, login = @Login, status = @Status,
               sealed_server = COALESCE(sealed_server, server), sealed_login = COALESCE(sealed_login, login)
         WHERE id = @Id
        RETURNING {Columns}
        """;

    private const string DeleteSql = $"""
        DELETE FROM account_container
         WHERE id = @Id AND status <> 'delivered' AND reserved_for_order_id IS NULL AND delivered_at IS NULL
        RETURNING {Columns}
        """;

    public async Task<AdminPage<InventoryAccountDto>> ListAsync(InventoryAccountFilter filter, AdminPaging paging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var args = new { filter.AccountSize, filter.Platform, filter.Status, paging.Limit, paging.Offset };
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var total = await session.Connection.ExecuteScalarAsync<long>(session.Command(CountSql, args, cancellationToken));
        var rows = await session.Connection.QueryAsync<Row>(session.Command(PageSql, args, cancellationToken));
        return new AdminPage<InventoryAccountDto>(rows.Select(r => r.ToDto()).ToArray(), total);
    }

    /// <summary>Applies the non-null fields; <paramref name="status"/> is available or disabled (checked by the caller).</summary>
    public async Task<InventoryAccountResult> UpdateAsync(
        Guid adminUserId, long id, string? server, string? login, InventoryAccountStatus? status, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var before = await session.Connection.QuerySingleOrDefaultAsync<Row>(session.Command(LockSql, new { Id = id }, cancellationToken));
        if (before is null)
        {
            return await RefusedAsync(session, id, "changed", cancellationToken);
        }

        var after = new
        {
            Id = id,
            Server = server ?? before.Server,
            Login = login ?? before.Login,
            Status = status is { } s ? WireName.Of(s) : before.Status,
        };
        var changes = new Dictionary<string, object>(StringComparer.Ordinal);
        AddChange(changes, "server", before.Server, after.Server);
        AddChange(changes, "login", before.Login, after.Login);
        AddChange(changes, "status", before.Status, after.Status);
        if (changes.Count == 0)
        {
            return new InventoryAccountResult(InventoryAccountOutcome.Unchanged, before.ToDto());
        }

        Row updated;
        try
        {
            updated = await session.Connection.QuerySingleAsync<Row>(session.Command(UpdateSql, after, cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new InventoryAccountResult(InventoryAccountOutcome.Conflict, null,
                $"Another {before.Platform} account already has server '{after.Server}' and login '{after.Login}'.");
        }
        await AdminAuditLog.WriteAsync(session, adminUserId, AdminActions.InventoryAccountUpdated, Target(id), new
        {
            updated.Platform,
            updated.AccountSize,
            changes,
        }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new InventoryAccountResult(InventoryAccountOutcome.Changed, updated.ToDto());
    }

    /// <summary>Deletes an account that was never delivered.</summary>
    public async Task<InventoryAccountResult> DeleteAsync(Guid adminUserId, long id, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        Row? deleted;
        try
        {
            deleted = await session.Connection.QuerySingleOrDefaultAsync<Row>(session.Command(DeleteSql, new { Id = id }, cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // A delivered_accounts row still names it: it was delivered once, whatever its status says now.
            return new InventoryAccountResult(InventoryAccountOutcome.Conflict, null,
                $"Inventory account {id} was delivered to an order; a delivered account is kept.");
        }
        if (deleted is null)
        {
            return await RefusedAsync(session, id, "deleted", cancellationToken);
        }
        await AdminAuditLog.WriteAsync(session, adminUserId, AdminActions.InventoryAccountDeleted, Target(id), new
        {
            deleted.Platform,
            deleted.AccountSize,
            deleted.Server,
            deleted.Login,
            deleted.Status,
        }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new InventoryAccountResult(InventoryAccountOutcome.Changed, deleted.ToDto());
    }

    /// <summary>The audit target of an account.</summary>
    public static string Target(long id) => $"account:{id}";

    /// <summary>Why the account <paramref name="id"/> could not be <paramref name="verb"/>: it does not exist, or it went to an order.</summary>
    private static async Task<InventoryAccountResult> RefusedAsync(CallerSession session, long id, string verb, CancellationToken cancellationToken)
    {
        var row = await session.Connection.QuerySingleOrDefaultAsync<Row>(session.Command(FindSql, new { Id = id }, cancellationToken));
        if (row is null)
        {
            return new InventoryAccountResult(InventoryAccountOutcome.NotFound, null);
        }
        var order = row.ReservedForOrderId is null ? "" : $" to order {row.ReservedForOrderId}";
        return new InventoryAccountResult(InventoryAccountOutcome.Conflict, row.ToDto(),
            $"Inventory account {id} was delivered{order}; only an account that was never delivered can be {verb}.");
    }

    private static void AddChange(Dictionary<string, object> changes, string field, string from, string to)
    {
        if (!string.Equals(from, to, StringComparison.Ordinal))
        {
            changes[field] = new { from, to };
        }
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Platform { get; init; } = "";
        public int AccountSize { get; init; }
        public string Server { get; init; } = "";
        public string Login { get; init; } = "";
        public string Status { get; init; } = "";
        public string? ReservedForOrderId { get; init; }
        public DateTime? DeliveredAt { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }

        public InventoryAccountDto ToDto() => new(
            Id, WireName.Parse<TradingPlatform>(Platform), AccountSize, Server, Login, WireName.Parse<InventoryAccountStatus>(Status),
            ReservedForOrderId, Utc(DeliveredAt), DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));

        private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
    }
}

using FlashFundX.Api.Auth;
using Npgsql;

namespace FlashFundX.Api.Data;

/// <summary>
/// The one place where the API's per-caller database work becomes subject to PostgreSQL row-level security (the
/// row-level security section of sql/0001_baseline.sql): each session is a transaction that switches to the
/// <see cref="ApiRole"/> and sets <c>app.user_id</c> / <c>app.is_admin</c>, all transaction-local, so a pooled
/// connection returns to the owner role with no caller attached once the session ends (commit, rollback or dispose).
/// </summary>
/// <remarks>
/// Routed through here: order read and list, admin order lookup, account credentials, order creation and user
/// provisioning. On the owner connection (the shared <see cref="NpgsqlDataSource"/>), where RLS would only get in the way:
/// <list type="bullet">
/// <item>the NowPayments webhook — its caller is the provider, not a user; it is authenticated by HMAC and must see whether
/// any order exists;</item>
/// <item>health checks — <c>SELECT 1</c>, no user data;</item>
/// <item>admin inventory levels and import — inventory belongs to no user; the API role may only read the inventory rows
/// delivered to the caller, and import encrypts passwords through the activities' importer;</item>
/// <item>the admin audit log and the order-creation compensation delete — system writes about a request, not reads on
/// its behalf; keeping them off the API role means that role needs no DELETE and no access to the audit log;</item>
/// <item>the price list (trading_rules) read during validation — public data.</item>
/// </list>
/// The worker's activities never use this class: they run as the owner, which RLS does not restrict (no FORCE).
/// </remarks>
public sealed class CallerScopedDatabase(NpgsqlDataSource dataSource)
{
    /// <summary>The NOLOGIN role the policies apply to; created by the baseline migration.</summary>
    public const string ApiRole = "flashfundx_api";

    // A role name cannot be a bind parameter; it is this constant, never input.
    private const string SetRoleSql = $"SET LOCAL ROLE {ApiRole}";

    private const string SetCallerSql = """
        SELECT set_config('app.user_id', $1, true), set_config('app.is_admin', $2, true)
        """;

    /// <summary>
    /// A session for <paramref name="caller"/>. Admin rights (seeing every user's orders) apply only when the caller's token
    /// says admin AND the endpoint asks for them with <paramref name="useAdminRights"/>; otherwise an admin is just a user.
    /// </summary>
    public Task<CallerSession> OpenAsync(Caller caller, bool useAdminRights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return OpenAsync(caller.UserId, useAdminRights && caller.IsAdmin, cancellationToken);
    }

    /// <summary>A session for the user <paramref name="userId"/>; <paramref name="isAdmin"/> must come from a validated token.</summary>
    public async Task<CallerSession> OpenAsync(Guid userId, bool isAdmin, CancellationToken cancellationToken)
    {
        if (userId == Guid.Empty)
        {
            throw new ArgumentException("A caller-scoped session needs the caller's user id.", nameof(userId));
        }
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // One round trip: Npgsql sends BEGIN with the batch.
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(SetRoleSql));
                var setCaller = new NpgsqlBatchCommand(SetCallerSql);
                setCaller.Parameters.Add(new NpgsqlParameter { Value = userId.ToString("D") });
                setCaller.Parameters.Add(new NpgsqlParameter { Value = isAdmin ? "true" : "false" });
                batch.BatchCommands.Add(setCaller);
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
            return new CallerSession(connection, transaction, userId, isAdmin);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

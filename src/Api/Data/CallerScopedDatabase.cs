using FlashFundX.Api.Auth;
using Npgsql;

namespace FlashFundX.Api.Data;

/// <summary>
/// The API's only way into PostgreSQL. The API connects as a login role of its own (<c>ConnectionStrings:FlashFundX</c>
/// of the API process), which owns nothing, is NOINHERIT and so holds no table privilege by itself: each session is a
/// transaction that first switches to one of two NOLOGIN groups (sql/0001_baseline.sql, sql/0006_api_login_role.sql),
/// all transaction-local, so a pooled connection returns to the bare login with no caller attached once the session
/// ends (commit, rollback or dispose).
/// </summary>
/// <remarks>
/// <see cref="OpenAsync(Caller, bool, CancellationToken)"/>: <see cref="ApiRole"/> for one caller, under row-level
/// security — order read, list and creation, admin order lookup, account credentials, the profile, user provisioning,
/// a stream's events.
/// <see cref="OpenSystemAsync"/>: <see cref="SystemRole"/>, for what the API does for no particular user, each with
/// just the grants it needs:
/// <list type="bullet">
/// <item>the NowPayments webhook — its caller is the provider, authenticated by HMAC; it must see whether any order
/// exists, and records a report that arrives after the order's run ended (<c>LatePaymentRecorder</c>);</item>
/// <item>admin inventory levels and import, and the restock signals — inventory belongs to no user; the role can insert
/// accounts and count them but never read a ciphertext;</item>
/// <item>the admin audit log and the order-creation compensation delete (a policy lets it delete only an order that
/// never got an invoice);</item>
/// <item>the price list, the catalogue's stock flags, the stream hub's fan-out and the waiting-inventory gauge.</item>
/// </list>
/// Health checks run <c>SELECT 1</c> as the bare login. The worker's activities never use this class: they connect as
/// the owner, which RLS does not restrict (no FORCE).
/// </remarks>
public sealed class CallerScopedDatabase([FromKeyedServices(CallerScopedDatabase.DataSourceKey)] NpgsqlDataSource dataSource)
{
    /// <summary>The key of the API's own <see cref="NpgsqlDataSource"/> (its login role) in the service container.</summary>
    public const string DataSourceKey = "api";

    /// <summary>The NOLOGIN role the row-level-security policies apply to; created by the baseline migration.</summary>
    public const string ApiRole = "flashfundx_api";

    /// <summary>The NOLOGIN role of the API's work for no particular user; created by sql/0006_api_login_role.sql.</summary>
    public const string SystemRole = "flashfundx_api_system";

    // A role name cannot be a bind parameter; these are constants, never input.
    private const string SetRoleSql = $"SET LOCAL ROLE {ApiRole}";

    private const string SetSystemRoleSql = $"SET LOCAL ROLE {SystemRole}";

    private const string SetCallerSql = """
        SELECT set_config('app.user_id', $1, true), set_config('app.is_admin', $2, true)
        """;

    /// <summary>The API's data source (its login role), for what needs no table: health checks, LISTEN.</summary>
    public NpgsqlDataSource DataSource => dataSource;

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

    /// <summary>A session as <see cref="SystemRole"/>, with no caller (<see cref="CallerSession.UserId"/> is empty).</summary>
    public async Task<CallerSession> OpenSystemAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(SetSystemRoleSql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return new CallerSession(connection, transaction, Guid.Empty, isAdmin: false);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

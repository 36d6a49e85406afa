extern alias api;

using api::FlashFundX.Api.Auth;
using api::FlashFundX.Api.Data;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.LocalDev.Postgres;
using FlashFundX.TestSupport.Postgres;
using Npgsql;
using Xunit;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// The boundary: queries run through the API's caller-scoped session — on the API's own login role, as the API connects
/// — are subject to PostgreSQL row-level security, so a query that forgets its <c>WHERE user_id</c> still cannot return
/// another user's rows — while the owner connection the worker's activities use is not restricted at all.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RowLevelSecurityTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string OrderOfA1 = "FFX100000001";
    private const string OrderOfA2 = "FFX100000002";
    private const string OrderOfB = "FFX200000001";

    private static readonly Caller UserA = new(Guid.NewGuid(), "alice@example.test", IsAdmin: false);
    private static readonly Caller UserB = new(Guid.NewGuid(), "bob@example.test", IsAdmin: false);
    private static readonly Caller Admin = new(Guid.NewGuid(), "ops@example.test", IsAdmin: true);

    private TestDatabase _database = null!;
    private CallerScopedDatabase _sessions = null!;
    private long _containerOfA;
    private long _containerOfB;

    public async Task InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync("rls");
        _sessions = new CallerScopedDatabase(_database.ApiDataSource);
        await using var owner = await _database.DataSource.OpenConnectionAsync();
        foreach (var caller in new[] { UserA, UserB, Admin })
        {
            await owner.ExecuteAsync("INSERT INTO users (id, email, role) VALUES (@UserId, @Email, @Role)", new { caller.UserId, caller.Email, caller.Role });
        }
        foreach (var (orderId, userId) in new[] { (OrderOfA1, UserA.UserId), (OrderOfA2, UserA.UserId), (OrderOfB, UserB.UserId) })
        {
            await owner.ExecuteAsync("""
                INSERT INTO orders (order_id, user_id, account_type, account_size, platform, pay_currency, price_amount, trading_rules_id)
                SELECT @orderId, @userId, 'two_step', 10000, 'mt5', 'btc', 89.00, id
                  FROM trading_rules WHERE account_type = 'two_step' AND account_size = 10000 AND replaced_at IS NULL
                """, new { orderId, userId });
        }
        _containerOfA = await DeliverAsync(owner, OrderOfA1, UserA.UserId, "login-a");
        _containerOfB = await DeliverAsync(owner, OrderOfB, UserB.UserId, "login-b");
        // An inventory account nobody bought yet: invisible to every caller.
        await owner.ExecuteAsync("""
            INSERT INTO account_container (platform, account_size, server, login, password_ciphertext, investor_password_ciphertext, key_id)
            VALUES ('mt5', 10000, 'S1', 'login-free', '\x01'::bytea, '\x02'::bytea, 'k1')
            """);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Orders_QueryWithoutUserFilter_ReturnsOnlyCallersRows()
    {
        const string forgotTheFilter = "SELECT order_id FROM orders ORDER BY order_id";

        var seenByA = await QueryAsync<string>(UserA, false, forgotTheFilter);
        var seenByB = await QueryAsync<string>(UserB, false, forgotTheFilter);
        var countByB = await QueryAsync<long>(UserB, false, "SELECT count(*) FROM orders");

        Assert.Equal([OrderOfA1, OrderOfA2], seenByA);
        Assert.Equal([OrderOfB], seenByB);
        Assert.Equal([1L], countByB);
    }

    [Fact]
    public async Task Orders_OtherUsersOrderById_ReturnsNothing()
    {
        var byB = await QueryAsync<string>(UserB, false, "SELECT order_id FROM orders WHERE order_id = @id", new { id = OrderOfA1 });
        var updatedByB = await ExecuteAsync(UserB, false, "UPDATE orders SET status_note = 'x' WHERE order_id = @id", new { id = OrderOfA1 });

        Assert.Empty(byB);
        Assert.Equal("42501", updatedByB); // no UPDATE privilege at all: the workflow owns state changes
    }

    [Fact]
    public async Task Orders_AdminSession_SeesAllRows_ButOnlyWithAdminRights()
    {
        var withRights = await QueryAsync<string>(Admin, true, "SELECT order_id FROM orders ORDER BY order_id");
        var withoutRights = await QueryAsync<string>(Admin, false, "SELECT order_id FROM orders ORDER BY order_id");
        var userAskingForRights = await QueryAsync<string>(UserA, true, "SELECT order_id FROM orders ORDER BY order_id");

        Assert.Equal([OrderOfA1, OrderOfA2, OrderOfB], withRights);
        Assert.Empty(withoutRights);
        Assert.Equal([OrderOfA1, OrderOfA2], userAskingForRights); // the flag comes from the token, not the endpoint
    }

    [Fact]
    public async Task DeliveredAccounts_OtherUsersAccount_ReturnsNothing()
    {
        const string credentialsWithoutOwnerFilter = """
            SELECT a.login FROM delivered_accounts d JOIN account_container a ON a.id = d.container_account_id
            WHERE d.order_id = @orderId
            """;

        var byB = await QueryAsync<string>(UserB, false, credentialsWithoutOwnerFilter, new { orderId = OrderOfA1 });
        var byOwner = await QueryAsync<string>(UserA, false, credentialsWithoutOwnerFilter, new { orderId = OrderOfA1 });
        var containerOfAByB = await QueryAsync<string>(UserB, false, "SELECT login FROM account_container WHERE id = @id", new { id = _containerOfA });
        var allContainersByB = await QueryAsync<string>(UserB, false, "SELECT login FROM account_container ORDER BY id");
        var allDeliveredByAdmin = await QueryAsync<string>(Admin, true, "SELECT order_id FROM delivered_accounts");
        var allContainersByAdmin = await QueryAsync<string>(Admin, true, "SELECT login FROM account_container");

        Assert.Empty(byB);
        Assert.Equal(["login-a"], byOwner);
        Assert.Empty(containerOfAByB);
        Assert.Equal(["login-b"], allContainersByB);
        Assert.Empty(allDeliveredByAdmin);   // credentials are for the buyer alone, admins included
        Assert.Empty(allContainersByAdmin);  // stock levels run as the system role, never the caller role
        Assert.NotEqual(_containerOfA, _containerOfB);
    }

    [Fact]
    public async Task CreateOrder_ForAnotherUser_IsRejectedByPolicy()
    {
        const string createForA = """
            SELECT c.order_id
              FROM trading_rules r, LATERAL create_order(@victim, NULL, r.id, 'mt5', 'btc') c
             WHERE r.account_type = 'two_step' AND r.account_size = 10000 AND r.is_active
            """;

        var state = await ExecuteAsync(UserB, false, createForA, new { victim = UserA.UserId });

        Assert.Equal("42501", state); // new row violates row-level security policy
        Assert.Equal(2L, await OwnerScalarAsync<long>("SELECT count(*) FROM orders WHERE user_id = @id", new { id = UserA.UserId }));
    }

    [Fact]
    public async Task Users_OtherUsersRow_InvisibleAndUnchangeable()
    {
        var seenByA = await QueryAsync<Guid>(UserA, false, "SELECT id FROM users");
        var renamed = await WriteAsync(UserA, "UPDATE users SET email = 'hijacked@example.test' WHERE id = @id", new { id = UserB.UserId });

        Assert.Equal([UserA.UserId], seenByA);
        Assert.Equal(0, renamed);
        Assert.Equal("bob@example.test", await OwnerScalarAsync<string>("SELECT email FROM users WHERE id = @id", new { id = UserB.UserId }));
    }

    [Theory]
    [InlineData("SELECT count(*) FROM webhook_events")]
    [InlineData("SELECT count(*) FROM admin_audit_log")]
    [InlineData("SELECT count(*) FROM payment_transactions")]
    [InlineData("UPDATE orders SET stats_applied_at = NULL")]
    [InlineData("DELETE FROM orders")]
    public async Task ApiRole_TablesAndActionsItDoesNotNeed_PermissionDenied(string sql)
    {
        var state = await ExecuteAsync(Admin, true, sql);

        Assert.Equal("42501", state);
    }

    [Theory]
    [InlineData("SELECT password_ciphertext FROM account_container")]
    [InlineData("SELECT investor_password_ciphertext FROM account_container")]
    [InlineData("SELECT phone FROM users")]
    [InlineData("SELECT total_spent FROM users")]
    [InlineData("SELECT count(*) FROM delivered_accounts")]
    [InlineData("SELECT count(*) FROM email_outbox")]
    [InlineData("UPDATE admin_audit_log SET action = 'x'")]
    [InlineData("DELETE FROM admin_audit_log")]
    [InlineData("SELECT actually_paid FROM payment_transactions")]
    [InlineData("UPDATE orders SET stats_applied_at = NULL")]
    [InlineData("UPDATE orders SET user_id = user_id")]
    [InlineData("UPDATE account_container SET reserved_for_order_id = NULL")]
    [InlineData("UPDATE account_container SET password_ciphertext = '\\x00'::bytea")]
    [InlineData("UPDATE account_container SET status = 'delivered' WHERE login = 'login-free'")]
    [InlineData("DELETE FROM webhook_events")]
    public async Task SystemRole_TablesAndColumnsItDoesNotNeed_PermissionDenied(string sql)
    {
        var state = await SystemExecuteAsync(sql);

        Assert.Equal("42501", state);
    }

    [Fact]
    public async Task SystemRole_CompensationDelete_ReachesOnlyAnOrderThatNeverGotAnInvoice()
    {
        await OwnerScalarAsync<int>("UPDATE orders SET invoice_id = 'inv-1', stage = 'awaiting_payment' WHERE order_id = @id", new { id = OrderOfA2 });

        var deleted = await SystemWriteAsync("DELETE FROM orders WHERE order_id = @id", new { id = OrderOfA2 });

        Assert.Equal(0, deleted);
        Assert.Equal(1L, await OwnerScalarAsync<long>("SELECT count(*) FROM orders WHERE order_id = @id", new { id = OrderOfA2 }));
    }

    [Fact]
    public async Task SystemRole_InventoryUpkeep_ReachesOnlyAccountsNeverDelivered()
    {
        var disabled = await SystemWriteAsync("UPDATE account_container SET status = 'disabled', server = 'S2'");
        var deleted = await SystemWriteAsync("DELETE FROM account_container");

        Assert.Equal(1, disabled);
        Assert.Equal(1, deleted);
        Assert.Equal("delivered,delivered", await OwnerScalarAsync<string>(
            "SELECT string_agg(status || '', ',' ORDER BY id) FROM account_container WHERE server = 'S1'"));
        Assert.Equal(0L, await OwnerScalarAsync<long>("SELECT count(*) FROM account_container WHERE login = 'login-free'"));
    }

    [Fact]
    public async Task SystemRole_StockLevels_CountsEveryAccountWithoutItsSecrets()
    {
        await using var session = await _sessions.OpenSystemAsync(CancellationToken.None);
        var accounts = await session.Connection.ExecuteScalarAsync<long>(session.Command("SELECT count(*) FROM account_container"));

        Assert.Equal(3L, accounts);
    }

    [Fact]
    public async Task ApiRole_WithoutCallerSet_SeesNothing()
    {
        await using var connection = await _database.ApiDataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync($"SET LOCAL ROLE {CallerScopedDatabase.ApiRole}", transaction: transaction);

        var orders = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM orders", transaction: transaction);
        var users = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM users", transaction: transaction);

        Assert.Equal(0L, orders);
        Assert.Equal(0L, users);
    }

    [Fact]
    public async Task ApiLogin_AfterASession_HoldsNoRoleCallerOrPrivilege()
    {
        await QueryAsync<string>(UserA, false, "SELECT order_id FROM orders");

        // The pool hands back the connection the session used: the role and caller must have ended with its transaction,
        // leaving the bare login, which (NOINHERIT) may read no table at all.
        await using var login = await _database.ApiDataSource.OpenConnectionAsync();
        var (role, userId, isAdmin) = await login.QuerySingleAsync<(string, string?, string?)>(
            "SELECT current_user::text, current_setting('app.user_id', true), current_setting('app.is_admin', true)");
        var denied = await Assert.ThrowsAsync<PostgresException>(() => login.ExecuteScalarAsync<long>("SELECT count(*) FROM orders"));

        Assert.NotEqual(CallerScopedDatabase.ApiRole, role);
        Assert.Equal(ApiLoginRole.DefaultName, role);
        Assert.True(string.IsNullOrEmpty(userId), $"app.user_id leaked into the pooled connection: {userId}");
        Assert.True(string.IsNullOrEmpty(isAdmin) || isAdmin == "false", $"app.is_admin leaked: {isAdmin}");
        Assert.Equal("42501", denied.SqlState);
    }

    [Fact]
    public async Task OwnerConnection_AsTheActivitiesUseIt_IsNotRestricted()
    {
        await using var owner = await _database.DataSource.OpenConnectionAsync();
        var role = await owner.ExecuteScalarAsync<string>("SELECT current_user::text");
        var orders = await owner.ExecuteScalarAsync<long>("SELECT count(*) FROM orders");
        var delivered = await owner.ExecuteScalarAsync<long>("SELECT count(*) FROM delivered_accounts");
        var containers = await owner.ExecuteScalarAsync<long>("SELECT count(*) FROM account_container");

        Assert.NotEqual(ApiLoginRole.DefaultName, role);
        Assert.Equal(3L, orders);
        Assert.Equal(2L, delivered);
        Assert.Equal(3L, containers);
    }

    [Fact]
    public async Task ApiRole_IsNotPrivileged_AndTablesDoNotForceRls()
    {
        var role = await OwnerScalarAsync<string>("""
            SELECT concat_ws(',', rolsuper, rolbypassrls, rolcanlogin) FROM pg_roles WHERE rolname = @name
            """, new { name = CallerScopedDatabase.ApiRole });
        var forced = await OwnerScalarAsync<long>("""
            SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relforcerowsecurity
            """);
        var unprotected = await OwnerScalarAsync<string?>("""
            SELECT string_agg(relname, ',') FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND NOT relrowsecurity
              AND relname IN ('orders', 'delivered_accounts', 'account_container', 'users', 'payment_transactions')
            """);

        Assert.Equal("f,f,f", role); // rolsuper, rolbypassrls, rolcanlogin
        Assert.Equal(0L, forced); // FORCE would subject the owner — the worker's activities — to the policies
        Assert.Null(unprotected);
    }

    private static async Task<long> DeliverAsync(NpgsqlConnection owner, string orderId, Guid userId, string login)
    {
        var containerId = await owner.ExecuteScalarAsync<long>("""
            INSERT INTO account_container (platform, account_size, server, login, password_ciphertext, investor_password_ciphertext,
                                           key_id, status, reserved_for_order_id, reserved_at, delivered_at)
            VALUES ('mt5', 10000, 'S1', @login, '\x01'::bytea, '\x02'::bytea, 'k1', 'delivered', @orderId, now(), now())
            RETURNING id
            """, new { login, orderId });
        await owner.ExecuteAsync("""
            INSERT INTO delivered_accounts (order_id, user_id, container_account_id, trading_rules_id, account_type, account_size,
                                            platform, server, login, current_phase, challenge_status, phase_1_status,
                                            phase_2_status, live_status)
            SELECT @orderId, @userId, @containerId, id, 'two_step', 10000, 'mt5', 'S1', @login, 'phase_1', 'pending', 'active',
                   'pending', 'pending'
            FROM trading_rules WHERE account_type = 'two_step' AND account_size = 10000
            """, new { orderId, userId, containerId, login });
        return containerId;
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(Caller caller, bool useAdminRights, string sql, object? args = null)
    {
        await using var session = await _sessions.OpenAsync(caller, useAdminRights, CancellationToken.None);
        return (await session.Connection.QueryAsync<T>(session.Command(sql, args))).ToList();
    }

    private async Task<int> WriteAsync(Caller caller, string sql, object? args = null)
    {
        await using var session = await _sessions.OpenAsync(caller, useAdminRights: false, CancellationToken.None);
        var affected = await session.Connection.ExecuteAsync(session.Command(sql, args));
        await session.CommitAsync(CancellationToken.None);
        return affected;
    }

    /// <summary>Runs <paramref name="sql"/> in a session and returns the SQLSTATE it failed with, or "ok".</summary>
    private async Task<string> ExecuteAsync(Caller caller, bool useAdminRights, string sql, object? args = null)
    {
        await using var session = await _sessions.OpenAsync(caller, useAdminRights, CancellationToken.None);
        try
        {
            await session.Connection.ExecuteAsync(session.Command(sql, args));
            await session.CommitAsync(CancellationToken.None);
            return "ok";
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    private async Task<string> SystemExecuteAsync(string sql)
    {
        await using var session = await _sessions.OpenSystemAsync(CancellationToken.None);
        try
        {
            await session.Connection.ExecuteAsync(session.Command(sql));
            await session.CommitAsync(CancellationToken.None);
            return "ok";
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    private async Task<int> SystemWriteAsync(string sql, object? args = null)
    {
        await using var session = await _sessions.OpenSystemAsync(CancellationToken.None);
        var affected = await session.Connection.ExecuteAsync(session.Command(sql, args));
        await session.CommitAsync(CancellationToken.None);
        return affected;
    }

    private async Task<T> OwnerScalarAsync<T>(string sql, object? args = null)
    {
        await using var owner = await _database.DataSource.OpenConnectionAsync();
        return (await owner.ExecuteScalarAsync<T>(sql, args))!;
    }
}

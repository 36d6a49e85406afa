extern alias api;

using System.Net;
using api::FlashFundX.Api.Data;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.LocalDev.Postgres;
using FlashFundX.TestSupport.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// Issue 24, "The database role is the boundary": the running API connects as its own login role — not the owner of the
/// tables, no superuser, no BYPASSRLS — and refuses to start on a connection string that could step around row-level
/// security, without showing its password.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DatabaseRoleBoundaryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task RunningApi_SessionRole_IsItsLoginNotOwnerNoSuperuserNoBypassRls()
    {
        await using var service = await ApiService.StartAsync("dbrole");
        using var user = service.CreateClient(new TestIdentities(service.SigningKey).UserA);
        using var orders = await user.GetAsync("/orders");
        var apiDataSource = service.Services.GetRequiredService<CallerScopedDatabase>().DataSource;

        await using var asTheApi = await apiDataSource.OpenConnectionAsync();
        var session = await asTheApi.QuerySingleAsync<(string Role, bool Super, bool BypassRls, bool OwnsOrders, bool MemberOfOwner)>("""
            SELECT r.rolname::text, r.rolsuper, r.rolbypassrls,
                   r.oid = c.relowner,
                   pg_has_role(current_user, c.relowner, 'MEMBER')
              FROM pg_roles r, pg_class c
             WHERE r.rolname = current_user AND c.oid = 'public.orders'::regclass
            """);
        var listenerRoles = await service.QueryAsync<string>(
            "SELECT DISTINCT usename::text FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'flashfundx-order-events'");

        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Equal(ApiLoginRole.DefaultName, session.Role);
        Assert.False(session.Super, "the API's session role is a superuser");
        Assert.False(session.BypassRls, "the API's session role has BYPASSRLS");
        Assert.False(session.OwnsOrders, "the API's session role owns the tables");
        Assert.False(session.MemberOfOwner, "the API's session role may SET ROLE to the tables' owner");
        Assert.Null(await SessionRoleCheck.FindProblemAsync(apiDataSource, CancellationToken.None));
        Assert.Equal([ApiLoginRole.DefaultName], listenerRoles);
    }

    [Fact]
    public async Task Start_WithTheOwnersConnectionString_RefusesNamingTheRole_NeverThePassword()
    {
        await using var database = await postgres.CreateDatabaseAsync("dbrole_owner");
        // The local cluster trusts loopback connections, so the password is only there to be looked for.
        const string password = "owner-db-password-7f3a9c";
        var owner = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = password }.ConnectionString;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiService.StartAsync("dbrole_owner", configure: options =>
        {
            options.Database = database;
            options.Settings["ConnectionStrings:FlashFundX"] = owner;
        }));

        Assert.Contains("can act as", refused.Message, StringComparison.Ordinal);
        Assert.Contains("(superuser)", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, refused.ToString(), StringComparison.Ordinal);
    }
}

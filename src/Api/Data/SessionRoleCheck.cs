using Dapper;
using Npgsql;

namespace FlashFundX.Api.Data;

/// <summary>
/// Row-level security is the API's boundary only if its login cannot step around it. At start this checks the session
/// role of <c>ConnectionStrings:FlashFundX</c>: it must not be a superuser, have BYPASSRLS, own the tables, or be able
/// to SET ROLE to a role that does; and it must be a member of <see cref="CallerScopedDatabase.ApiRole"/> and
/// <see cref="CallerScopedDatabase.SystemRole"/>. Outside Development a failed check stops the process (exit code 2,
/// one line naming the roles; never the connection string). Should PostgreSQL not answer at start (the API still starts
/// and reports it unready), the check runs again until it answers.
/// </summary>
public sealed partial class SessionRoleCheck(
    CallerScopedDatabase database, IHostEnvironment environment, ILogger<SessionRoleCheck> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    // Every role the session may act as (itself and the roles it can SET ROLE to; a superuser may become any) that is
    // a superuser, has BYPASSRLS or owns the orders table.
    private const string Sql = $"""
        SELECT current_user::text AS session_role,
               (SELECT string_agg(r.rolname || CASE WHEN r.rolsuper THEN ' (superuser)'
                                                    WHEN r.rolbypassrls THEN ' (BYPASSRLS)'
                                                    ELSE ' (owns the tables)' END, ', ' ORDER BY r.rolname)
                  FROM pg_roles r
                 WHERE pg_has_role(current_user, r.oid, 'MEMBER')
                   AND (r.rolsuper OR r.rolbypassrls
                        OR r.oid = (SELECT c.relowner FROM pg_class c WHERE c.oid = to_regclass('public.orders')))) AS privileged,
               (SELECT string_agg(g.name, ', ' ORDER BY g.name)
                  FROM unnest(ARRAY['{CallerScopedDatabase.ApiRole}', '{CallerScopedDatabase.SystemRole}']) AS g(name)
                 WHERE NOT EXISTS (SELECT 1 FROM pg_roles r
                                    WHERE r.rolname = g.name AND pg_has_role(current_user, r.oid, 'MEMBER'))) AS missing_groups
        """;

    /// <summary>Checks before the host serves when PostgreSQL answers; a wrong role fails the start.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TryCheckAsync(cancellationToken))
        {
            await base.StartAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!await TryCheckAsync(stoppingToken))
        {
            await Task.Delay(RetryInterval, stoppingToken);
        }
    }

    /// <summary>
    /// What is wrong with the role the API's connection runs as, or null when it is a proper boundary. Throws
    /// <see cref="NpgsqlException"/> when PostgreSQL does not answer.
    /// </summary>
    public static async Task<string?> FindProblemAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.QuerySingleAsync<Found>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
        if (found.Privileged is not null)
        {
            return $"ConnectionStrings:FlashFundX connects the API as role '{found.SessionRole}', which can act as {found.Privileged}: " +
                   "row-level security would not bind it. Connect the API as its own login role (docs/deploy.md, \"The database roles\").";
        }
        if (found.MissingGroups is not null)
        {
            return $"ConnectionStrings:FlashFundX connects the API as role '{found.SessionRole}', which is not a member of {found.MissingGroups} " +
                   "(or the database is not migrated): grant them to the login (docs/deploy.md, \"The database roles\").";
        }
        return null;
    }

    /// <returns>False when PostgreSQL did not answer (check again later).</returns>
    private async Task<bool> TryCheckAsync(CancellationToken cancellationToken)
    {
        string? problem;
        try
        {
            problem = await FindProblemAsync(database.DataSource, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException and not PostgresException or TimeoutException)
        {
            // The exception type only: messages can carry host and user names.
            LogUnreachable(logger, e.GetType().Name);
            return false;
        }
        if (problem is null)
        {
            LogVerified(logger);
            return true;
        }
        if (environment.IsDevelopment())
        {
            LogDevelopmentOnly(logger, problem);
            return true;
        }
        throw new InvalidOperationException(problem);
    }

    private sealed class Found
    {
        public string SessionRole { get; init; } = "";
        public string? Privileged { get; init; }
        public string? MissingGroups { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The API's database role is a row-level-security boundary: no superuser, BYPASSRLS or table ownership")]
    private static partial void LogVerified(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL did not answer the API's role check ({Error}); checking again when it does")]
    private static partial void LogUnreachable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Problem} (allowed in Development only)")]
    private static partial void LogDevelopmentOnly(ILogger logger, string problem);
}

using Npgsql;

namespace FlashFundX.LocalDev.Postgres;

/// <summary>
/// Creates the API's login role on a local or test server, as docs/deploy.md has an operator do in production: LOGIN,
/// NOINHERIT, owning nothing, a member of the NOLOGIN groups the migrations grant to (flashfundx_api,
/// flashfundx_api_system). Roles are cluster-wide while test classes create their own databases in one shared cluster,
/// so every step is idempotent and tolerates another process doing it at the same moment.
/// </summary>
public static class ApiLoginRole
{
    /// <summary>The login's name on local and test servers (production picks its own; docs/deploy.md).</summary>
    public const string DefaultName = "flashfundx_api_login";

    // Names and password arrive as session settings (bind parameters), never spliced into the SQL text. The groups are
    // created here too (as the migrations would) so the login can be made before the first database is migrated.
    private const string EnsureSql = """
        DO $$
        DECLARE
            v_login    text := current_setting('flashfundx.api_login');
            v_password text := current_setting('flashfundx.api_password');
            v_group    text;
        BEGIN
            FOREACH v_group IN ARRAY ARRAY['flashfundx_api', 'flashfundx_api_system'] LOOP
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_group) THEN
                    BEGIN
                        EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', v_group);
                    EXCEPTION WHEN duplicate_object OR unique_violation THEN
                        NULL; -- created concurrently
                    END;
                END IF;
            END LOOP;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_login) THEN
                BEGIN
                    EXECUTE format('CREATE ROLE %I LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L',
                                   v_login, v_password);
                EXCEPTION WHEN duplicate_object OR unique_violation THEN
                    NULL; -- created concurrently
                END;
            ELSE
                BEGIN
                    EXECUTE format('ALTER ROLE %I PASSWORD %L', v_login, v_password);
                EXCEPTION WHEN internal_error THEN
                    NULL; -- "tuple concurrently updated": another process set the same password at the same moment
                END;
            END IF;
            FOREACH v_group IN ARRAY ARRAY['flashfundx_api', 'flashfundx_api_system'] LOOP
                IF NOT pg_has_role(v_login, v_group, 'MEMBER') THEN
                    BEGIN
                        EXECUTE format('GRANT %I TO %I', v_group, v_login);
                    EXCEPTION WHEN OTHERS THEN
                        -- A concurrent GRANT ("tuple concurrently updated") is fine if the membership now holds.
                        IF NOT pg_has_role(v_login, v_group, 'MEMBER') THEN
                            RAISE;
                        END IF;
                    END;
                END IF;
            END LOOP;
        END;
        $$
        """;

    /// <summary>
    /// Ensures the login <paramref name="login"/> with <paramref name="password"/> exists on the server of
    /// <paramref name="ownerConnectionString"/> (a role that may create roles) and returns that connection string with
    /// the login's user name and password instead.
    /// </summary>
    public static async Task<string> EnsureAsync(
        string ownerConnectionString, string password, string login = DefaultName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerConnectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(password);
        ArgumentException.ThrowIfNullOrWhiteSpace(login);
        // Unpooled: the session carries the password setting, and must not be handed to anyone else.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ownerConnectionString) { Pooling = false }.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var settings = new NpgsqlCommand("SELECT set_config('flashfundx.api_login', $1, false), set_config('flashfundx.api_password', $2, false)", connection)
            {
                Parameters = { new NpgsqlParameter { Value = login }, new NpgsqlParameter { Value = password } },
            };
            await using (settings.ConfigureAwait(false))
            {
                await settings.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            var ensure = new NpgsqlCommand(EnsureSql, connection);
            await using (ensure.ConfigureAwait(false))
            {
                await ensure.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        return ConnectionStringFor(ownerConnectionString, login, password);
    }

    /// <summary><paramref name="connectionString"/> with the login's user name and password.</summary>
    public static string ConnectionStringFor(string connectionString, string login, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = login, Password = password }.ConnectionString;
}

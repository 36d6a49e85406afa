using FlashFundX.LocalDev.Postgres;
using Npgsql;

namespace FlashFundX.TestSupport.Postgres;

/// <summary>The one PostgreSQL server of the test process: configured by environment, or a throwaway local cluster.</summary>
internal sealed class SharedPostgresServer
{
    private static readonly Lazy<Task<SharedPostgresServer>> Instance = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    // Kept alive for the whole process; the cluster stops itself when the process exits.
    private readonly LocalPostgresCluster? _cluster;
    private readonly NpgsqlDataSource _admin;
    private readonly Lazy<Task<string>> _template;
    private readonly Lazy<Task<string>> _apiLogin;

    private SharedPostgresServer(string adminConnectionString, LocalPostgresCluster? cluster)
    {
        AdminConnectionString = adminConnectionString;
        _cluster = cluster;
        _admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString);
        _template = new Lazy<Task<string>>(CreateTemplateAsync, LazyThreadSafetyMode.ExecutionAndPublication);
        _apiLogin = new Lazy<Task<string>>(
            () => ApiLoginRole.EnsureAsync(AdminConnectionString, ApiLoginPassword), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// The password of the API's login role on test servers. Fixed, not random: on a server shared by several test
    /// processes (<see cref="PostgresFixture.EnvironmentVariable"/>) each one sets it, and they must agree.
    /// </summary>
    public const string ApiLoginPassword = "flashfundx-test-api-login";

    public string AdminConnectionString { get; }

    public bool IsLocalCluster => _cluster is not null;

    public static Task<SharedPostgresServer> GetAsync() => Instance.Value;

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>
    /// <paramref name="database"/> as the API connects to it: its login role (<see cref="ApiLoginRole"/>), created once
    /// per process, idempotently, as the cluster is shared.
    /// </summary>
    public async Task<string> ApiConnectionStringForAsync(string database)
    {
        await _apiLogin.Value.ConfigureAwait(false);
        return ApiLoginRole.ConnectionStringFor(ConnectionStringFor(database), ApiLoginRole.DefaultName, ApiLoginPassword);
    }

    public async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken)
    {
        var command = _admin.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The name of a database prepared once for this process (<see cref="TestSchema"/>), to clone test databases from.</summary>
    public Task<string> GetMigratedTemplateAsync() => _template.Value;

    private async Task<string> CreateTemplateAsync()
    {
        var name = PostgresFixture.UniqueName("template");
        await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"", CancellationToken.None).ConfigureAwait(false);
        // No pooling: a template must have no open connections when it is cloned.
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionStringFor(name)) { Pooling = false }.ConnectionString;
        await TestSchema.ApplyAsync(connectionString).ConfigureAwait(false);
        if (!IsLocalCluster)
        {
            // On a shared server, drop it with the process rather than leave one per test run.
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (NpgsqlException)
                {
                    // Best effort.
                }
            };
        }
        return name;
    }

    private static async Task<SharedPostgresServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(PostgresFixture.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new SharedPostgresServer(configured, cluster: null);
        }
        var cluster = await LocalPostgresCluster.StartAsync(LocalPostgresOptions.Throwaway()).ConfigureAwait(false);
        return new SharedPostgresServer(cluster.ConnectionString, cluster);
    }
}

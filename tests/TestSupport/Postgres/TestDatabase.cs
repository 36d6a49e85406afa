using Npgsql;

namespace FlashFundX.TestSupport.Postgres;

/// <summary>
/// A fresh database for one test class or test; dropped (best effort) on dispose. <see cref="ConnectionString"/> and
/// <see cref="DataSource"/> connect as the owner (migrations, the worker's activities, assertions on rows);
/// <see cref="ApiConnectionString"/> and <see cref="ApiDataSource"/> as the API's login role, as the API runs.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly SharedPostgresServer _server;

    internal TestDatabase(
        string name, string connectionString, NpgsqlDataSource dataSource, string apiConnectionString, NpgsqlDataSource apiDataSource,
        SharedPostgresServer server)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = dataSource;
        ApiConnectionString = apiConnectionString;
        ApiDataSource = apiDataSource;
        _server = server;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The API's login role (not the owner, no BYPASSRLS), as <c>ConnectionStrings:FlashFundX</c> of the API.</summary>
    public string ApiConnectionString { get; }

    public NpgsqlDataSource ApiDataSource { get; }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        await ApiDataSource.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _server.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // A leftover test database is harmless; the throwaway cluster goes away anyway.
        }
    }
}

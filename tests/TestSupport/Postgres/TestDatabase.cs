using Npgsql;

namespace FlashFundX.TestSupport.Postgres;

/// <summary>A fresh database for one test class or test; dropped (best effort) on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly SharedPostgresServer _server;

    internal TestDatabase(string name, string connectionString, NpgsqlDataSource dataSource, SharedPostgresServer server)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = dataSource;
        _server = server;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
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

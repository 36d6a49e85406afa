using FlashFundX.TestSupport.Postgres;

namespace FlashFundX.Activities.Tests.Support;

/// <summary>Gives each test class its own fresh, migrated database on the shared server.</summary>
public abstract class DatabaseTestBase(PostgresFixture postgres) : IAsyncLifetime
{
    private TestDatabase? _database;

    protected PostgresFixture Postgres { get; } = postgres;

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    internal OrderScenario Scenario => new(Database);

    public async Task InitializeAsync() => _database = await Postgres.CreateDatabaseAsync(GetType().Name);

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

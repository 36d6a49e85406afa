using FlashFundX.Data.Events;
using FlashFundX.TestSupport.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlashFundX.Activities.Tests.Support;

/// <summary>Gives each test class its own fresh, migrated database on the shared server.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Disposed by IAsyncLifetime.DisposeAsync, which xUnit calls.")]
public abstract class DatabaseTestBase(PostgresFixture postgres) : IAsyncLifetime
{
    private TestDatabase? _database;
    private OrderEventAnnouncer? _announcer;

    protected PostgresFixture Postgres { get; } = postgres;

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>The announcer activities that announce their own order events use, on this class's database.</summary>
    protected OrderEventAnnouncer Announcer => _announcer ?? throw new InvalidOperationException("Not initialised.");

    internal OrderScenario Scenario => new(Database);

    public async Task InitializeAsync()
    {
        _database = await Postgres.CreateDatabaseAsync(GetType().Name);
        _announcer = new OrderEventAnnouncer(_database.DataSource, NullLogger<OrderEventAnnouncer>.Instance);
    }

    public async Task DisposeAsync()
    {
        if (_announcer is not null)
        {
            await _announcer.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using Xunit;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>A test class with its own fresh database and API app for all its tests, disposed after the last one.</summary>
public abstract class ApiTestBase(
    PostgresFixture postgres,
    TemporalTestEnvironment temporal,
    SimulatorFixture simulator,
    string label,
    bool worker = false) : IAsyncLifetime
{
    protected TemporalTestEnvironment Temporal { get; } = temporal;

    protected SimulatorFixture Simulator { get; } = simulator;

    protected ApiApp App { get; private set; } = null!;

    protected TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() =>
        (App, Database) = await ApiApp.StartAsync(postgres, Temporal, Simulator, label, worker);

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}

using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Service;
using Temporalio.Client;
using Xunit;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>
/// A test class with its own <see cref="FulfillmentService"/> (the real API on Kestrel, a fresh database, its own task
/// queue and NowPayments simulator) for all its tests, disposed after the last one. <paramref name="worker"/> runs the
/// Temporal worker in the API process; <paramref name="configure"/> adjusts the options (settings, services).
/// </summary>
public abstract class ApiTestBase(string label, bool worker = false, Action<FulfillmentServiceOptions>? configure = null) : IAsyncLifetime
{
    private FulfillmentService? _service;

    protected FulfillmentService Service => _service ?? throw new InvalidOperationException("The service is not started.");

    /// <summary>The callers of the security matrix, with tokens this service accepts.</summary>
    protected TestIdentities Identities { get; private set; } = null!;

    protected TestDatabase Database => Service.Database;

    /// <summary>A client of the Temporal environment (not the app's), for histories and results.</summary>
    protected ITemporalClient Temporal => Service.Temporal;

    public async Task InitializeAsync()
    {
        _service = await ApiService.StartAsync(label, worker, configure);
        Identities = new TestIdentities(_service.SigningKey);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}

using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One running <see cref="FulfillmentService"/> per test class (its tests run one after another on it; classes run in
/// parallel, each on its own database and task queue, all on the process's one PostgreSQL server and Temporal environment).
/// Tests in a class use their own users and their own account size/platform, so they never take each other's stock.
/// </summary>
public abstract class ServiceFixture : IAsyncLifetime
{
    private FulfillmentService? _service;

    public FulfillmentService Service => _service ?? throw new InvalidOperationException("Service not started.");

    protected abstract FulfillmentServiceOptions Options();

    public async Task InitializeAsync() => _service = await FulfillmentService.StartAsync(Options());

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}

/// <summary>Production timings (poll after 1 min, 24 h deadline): within a test only IPNs move a payment.</summary>
public sealed class IpnServiceFixture : ServiceFixture
{
    protected override FulfillmentServiceOptions Options() => new() { DatabaseLabel = "e2e_ipn" };
}

/// <summary>Polls the provider 1 s after a payment id is known (then 2 s, 4 s): polling alone can see a payment.</summary>
public sealed class PollingServiceFixture : ServiceFixture
{
    protected override FulfillmentServiceOptions Options() => new()
    {
        DatabaseLabel = "e2e_poll",
        PollInitialInterval = TimeSpan.FromSeconds(1),
        PollMaxInterval = TimeSpan.FromSeconds(4),
    };
}

/// <summary>Unpaid orders expire after <see cref="PaymentTimeout"/>.</summary>
public sealed class ExpiryServiceFixture : ServiceFixture
{
    public static readonly TimeSpan PaymentTimeout = TimeSpan.FromSeconds(4);

    protected override FulfillmentServiceOptions Options() => new() { DatabaseLabel = "e2e_expiry", PaymentTimeout = PaymentTimeout };
}

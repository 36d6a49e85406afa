using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using Microsoft.Extensions.DependencyInjection;

namespace FlashFundX.TestSupport.Service;

/// <summary>How <see cref="FulfillmentService.StartAsync"/> runs the service. Unset timings keep the app's defaults.</summary>
public sealed class FulfillmentServiceOptions
{
    /// <summary>Host the Temporal worker inside the API process (default). False: only the API runs; start workers yourself
    /// (<see cref="FulfillmentService.StartWorkerAsync"/> in-process, or <c>src/Worker</c> with <see cref="FulfillmentService.WorkerEnvironment"/>).</summary>
    public bool InProcessWorker { get; set; } = true;

    /// <summary><c>Fulfillment:PaymentTimeout</c>: unpaid orders expire after this.</summary>
    public TimeSpan? PaymentTimeout { get; set; }

    /// <summary>
    /// <c>Fulfillment:PollInitialInterval</c>: first payment-status poll after a payment id is known; also
    /// <c>Fulfillment:InvoiceLookupInitialInterval</c>, the first invoice lookup before one is.
    /// </summary>
    public TimeSpan? PollInitialInterval { get; set; }

    /// <summary><c>Fulfillment:PollMaxInterval</c>; defaults to <see cref="PollInitialInterval"/> × 4 when only that is set.</summary>
    public TimeSpan? PollMaxInterval { get; set; }

    /// <summary><c>Fulfillment:InventoryRecheckInterval</c>: how often an order waiting for stock re-checks without a signal.</summary>
    public TimeSpan? InventoryRecheckInterval { get; set; }

    /// <summary>Any other settings (<c>Section:Key</c>), applied last so they win over the harness's own.</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Label of the fresh database (visible in its name).</summary>
    public string DatabaseLabel { get; set; } = "e2e";

    /// <summary>The Temporal environment; the process-wide <see cref="SharedTemporal"/> one when null.</summary>
    public TemporalTestEnvironment? Temporal { get; set; }

    /// <summary>
    /// An existing database to run on instead of a fresh one (e.g. a second API process on another instance's database,
    /// <see cref="FulfillmentService.Database"/>); the caller keeps owning it. Null: a fresh migrated database, dropped with the service.
    /// </summary>
    public TestDatabase? Database { get; set; }

    /// <summary>
    /// The owner's connection string, for the in-process worker and <see cref="FulfillmentService.WorkerEnvironment"/>,
    /// when <see cref="Settings"/> point <c>ConnectionStrings:FlashFundX</c> (the API's login) at a database of another
    /// server. Null: the owner's connection string of <see cref="Database"/> or the fresh database.
    /// </summary>
    public string? OwnerConnectionString { get; set; }

    /// <summary>Changes to the app's services, applied after its own registrations (e.g. a Temporal client interceptor).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }
}

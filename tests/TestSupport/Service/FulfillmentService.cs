using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using FlashFundX.Api.Auth;
using FlashFundX.LocalDev;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.ServiceDefaults.SearchAttributes;
using FlashFundX.TestSupport.Logging;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using FlashFundX.Worker;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Serilog.Core;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Common;

namespace FlashFundX.TestSupport.Service;

/// <summary>
/// The whole fulfillment service as a customer, NowPayments and ops see it: the real API (src/Api <c>Program</c>) on
/// Kestrel over real HTTP at a free 127.0.0.1 port, its worker in-process (or not), a fresh migrated PostgreSQL
/// database, its own task queue <c>tq-{Guid}</c> on the shared Temporal environment, and its own NowPayments
/// simulator whose IPNs go to this instance's <c>/webhooks/nowpayments</c>. Everything the app logs is captured in <see cref="Logs"/>.
/// </summary>
/// <example><code>
/// await using var service = await FulfillmentService.StartAsync(new() { PollInitialInterval = TimeSpan.FromSeconds(1) });
/// await service.ImportInventoryAsync(1);
/// var user = service.NewUser();
/// var order = await service.CreateOrderAsync(service.CreateClient(user));
/// await service.PayOrderAsync(order.OrderId);
/// await service.WaitForOrderAsync(order.OrderId, o => o.DeliveryStatus == "delivered");
/// </code></example>
public sealed class FulfillmentService : IAsyncDisposable
{
    public const string EnvironmentName = "Testing";

    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly ServiceFactory _factory;
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly List<HttpClient> _clients = [];
    private readonly List<IHost> _workers = [];
    private readonly Dictionary<string, string?> _settings;
    private readonly string _ownerConnectionString;
    private int _disposed;

    private FulfillmentService(
        ServiceFactory factory,
        TestDatabase database,
        bool ownsDatabase,
        NowPaymentsSimulator simulator,
        TemporalTestEnvironment temporal,
        CapturedLogs logs,
        Dictionary<string, string?> settings,
        string ownerConnectionString,
        Uri baseAddress,
        bool inProcessWorker)
    {
        _ownerConnectionString = ownerConnectionString;
        _factory = factory;
        _database = database;
        _ownsDatabase = ownsDatabase;
        _settings = settings;
        Simulator = simulator;
        TemporalEnvironment = temporal;
        Logs = logs;
        BaseAddress = baseAddress;
        InProcessWorker = inProcessWorker;
        Admin = NewAdmin();
        AdminClient = CreateClient(Admin);
    }

    /// <summary>Where the API listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public bool InProcessWorker { get; }

    /// <summary>The task queue of this instance's workflows and workers.</summary>
    public string TaskQueue => _settings["Temporal:TaskQueue"]!;

    /// <summary>Every setting the app was started with (<c>Section:Key</c>), secrets included.</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public string SigningKey => _settings["Auth:SigningKey"]!;

    /// <summary>NowPayments API key the app sends and the simulator expects (random per instance, for secret searches).</summary>
    public string NowPaymentsApiKey => _settings["NowPayments:ApiKey"]!;

    public string IpnSecret => _settings["NowPayments:IpnSecret"]!;

    /// <summary>The NowPayments account login the app uses to list an invoice's payments, and the simulator accepts.</summary>
    public const string AccountEmail = "merchant@flashfundx.test";

    public string AccountPassword => _settings["NowPayments:Password"]!;

    public string CredentialsEncryptionKey => _settings["Credentials:EncryptionKey"]!;

    public NowPaymentsSimulator Simulator { get; }

    public TemporalTestEnvironment TemporalEnvironment { get; }

    /// <summary>A client of the Temporal environment (not the app's), for queries, history and results.</summary>
    public ITemporalClient Temporal => TemporalEnvironment.Client;

    public TestDatabase Database => _database;

    /// <summary>The instance's database, for assertions on rows.</summary>
    public NpgsqlDataSource DataSource => _database.DataSource;

    public CapturedLogs Logs { get; }

    /// <summary>The app's services (after start), e.g. to read its bound options.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>An admin of this instance, and a client authenticated as them (owned by the service).</summary>
    public TestUser Admin { get; }

    public HttpClient AdminClient { get; }

    /// <summary>
    /// Starts the service on a fresh database and waits until it listens. The settings are checked against what the
    /// app actually bound (task queue, database, callback URL, worker), so a setting that did not take effect fails here.
    /// </summary>
    public static async Task<FulfillmentService> StartAsync(FulfillmentServiceOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FulfillmentServiceOptions();
        var temporal = options.Temporal ?? await SharedTemporal.GetAsync().ConfigureAwait(false);
        if (!options.InProcessWorker)
        {
            // An API-only instance takes orders before any worker registered the order search attributes, which a real
            // server requires first (the worker's start-up or an operator registers them on a real cluster).
            await SearchAttributeRegistrar.EnsureRegisteredAsync(temporal.Client, OrderSearchAttributes.All, cancellationToken).ConfigureAwait(false);
        }
        var ownsDatabase = options.Database is null;
        var database = options.Database;
        if (database is null)
        {
            var postgres = new PostgresFixture();
            await postgres.InitializeAsync().ConfigureAwait(false);
            database = await postgres.CreateDatabaseAsync(options.DatabaseLabel, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        var apiKey = "np-api-" + FulfillmentApi.RandomToken(18);
        var ipnSecret = "np-ipn-" + FulfillmentApi.RandomToken(18);
        var accountPassword = "np-pass-" + FulfillmentApi.RandomToken(18);
        NowPaymentsSimulator? simulator = null;
        try
        {
            simulator = await NowPaymentsSimulator.StartAsync(
                new SimulatorOptions
                {
                    ApiKey = apiKey, IpnSecret = ipnSecret, Port = 0, AccountEmail = AccountEmail, AccountPassword = accountPassword,
                }, cancellationToken).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                var port = LoopbackPorts.Free();
                var baseAddress = new Uri($"http://127.0.0.1:{port}/");
                var settings = BuildSettings(options, temporal, database, simulator, baseAddress, apiKey, ipnSecret, accountPassword);
                var logs = new CapturedLogs();
                var owner = options.OwnerConnectionString ?? database.ConnectionString;
                var factory = new ServiceFactory(settings, logs, port, options.InProcessWorker, owner, options.ConfigureServices);
                try
                {
                    factory.StartServer();
                }
                catch (Exception e) when (attempt < 3 && IsAddressInUse(e))
                {
                    await factory.DisposeAsync().ConfigureAwait(false);
                    continue;
                }
                catch (Exception e)
                {
                    await factory.DisposeAsync().ConfigureAwait(false);
                    throw new InvalidOperationException($"The service did not start: {e.Message}\n{logs.Tail(40)}", e);
                }

                var service = new FulfillmentService(
                    factory, database, ownsDatabase, simulator, temporal, logs, settings, owner, baseAddress, options.InProcessWorker);
                try
                {
                    service.VerifySettingsTookEffect();
                }
                catch (Exception e)
                {
                    await service.DisposeAsync().ConfigureAwait(false);
                    throw new ServiceRejectedSettingsException(e.Message, e);
                }
                return service;
            }
        }
        catch (Exception e) when (e is not ServiceRejectedSettingsException)
        {
            if (simulator is not null)
            {
                await simulator.DisposeAsync().ConfigureAwait(false);
            }
            if (ownsDatabase)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    // ---- callers ---------------------------------------------------------------------------------------------

    /// <summary>A new customer (fresh id) with a token this instance accepts.</summary>
    public TestUser NewUser(string? email = null) => FulfillmentApi.NewUser(SigningKey, email);

    public TestUser NewAdmin(string? email = null) => FulfillmentApi.NewAdmin(SigningKey, email);

    /// <summary>An HTTP client for the API over the network, authenticated as <paramref name="user"/> (anonymous when null); disposed with the service.</summary>
    public HttpClient CreateClient(TestUser? user = null) => CreateClient(user?.Token);

    /// <summary>An HTTP client with any bearer token (expired, wrongly signed, …) or none.</summary>
    public HttpClient CreateClient(string? bearerToken)
    {
        var client = FulfillmentApi.CreateClient(BaseAddress, bearerToken);
        lock (_clients)
        {
            _clients.Add(client);
        }
        return client;
    }

    // ---- orders ----------------------------------------------------------------------------------------------

    /// <summary><c>POST /orders</c>; fails unless the answer is 201 (naming the app's latest warnings).</summary>
    public async Task<OrderSnapshot> CreateOrderAsync(
        HttpClient client, string accountType = "two_step", int accountSize = 10000, string platform = "mt5",
        string payCurrency = "usdt_trc20", string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await FulfillmentApi.CreateOrderAsync(client, accountType, accountSize, platform, payCurrency, idempotencyKey, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{Logs.Tail()}", e);
        }
    }

    /// <summary><c>GET /orders/{id}</c> as <paramref name="client"/> (the service's admin when null); fails unless 200.</summary>
    public Task<OrderSnapshot> GetOrderAsync(string orderId, HttpClient? client = null, CancellationToken cancellationToken = default) =>
        FulfillmentApi.GetOrderAsync(client ?? AdminClient, orderId, cancellationToken);

    /// <summary>
    /// Waits until every IPN stored as accepted for the order has been dispatched (signalled to its run, or recorded
    /// as late): the webhook acknowledges an IPN once stored, before the dispatcher sends it.
    /// </summary>
    public async Task WaitForIpnsDispatchedAsync(string orderId, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.WaitAsync(
                () => ScalarAsync<long>(
                    "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND outcome = 'accepted' AND dispatched_at IS NULL",
                    new { orderId }),
                undispatched => undispatched == 0,
                timeout ?? DefaultWait,
                $"the accepted IPNs of order {orderId} dispatched (value: how many are not)").ConfigureAwait(false);
        }
        catch (EventuallyTimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n  app warnings/errors:\n{Logs.Tail()}", e);
        }
    }

    /// <summary>
    /// Polls <c>GET /orders/{id}</c> until <paramref name="until"/> holds, at most <paramref name="timeout"/> (30 s).
    /// On timeout the exception names the last state, the workflow's own status and the app's latest warnings.
    /// </summary>
    public async Task<OrderSnapshot> WaitForOrderAsync(
        string orderId,
        Func<OrderSnapshot, bool> until,
        TimeSpan? timeout = null,
        HttpClient? client = null,
        string? what = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(until);
        try
        {
            return await Eventually.WaitAsync(
                () => GetOrderAsync(orderId, client, cancellationToken), until, timeout ?? DefaultWait,
                $"order {orderId} to reach {what ?? "the expected state"}", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (EventuallyTimeoutException e)
        {
            throw new TimeoutException(
                $"{e.Message}\n  workflow:  {await DescribeProgressAsync(orderId).ConfigureAwait(false)}\n" +
                $"  app warnings/errors:\n{Logs.Tail()}", e);
        }
    }

    /// <summary>Waits until the order's <c>deliveryStatus</c> and/or <c>orderStatus</c> read the given values.</summary>
    public Task<OrderSnapshot> WaitForOrderAsync(
        string orderId, string? orderStatus = null, string? deliveryStatus = null, string? paymentStatus = null, TimeSpan? timeout = null, HttpClient? client = null) =>
        WaitForOrderAsync(
            orderId,
            o => (orderStatus is null || o.OrderStatus == orderStatus)
                 && (deliveryStatus is null || o.DeliveryStatus == deliveryStatus)
                 && (paymentStatus is null || o.PaymentStatus == paymentStatus),
            timeout,
            client,
            $"order={orderStatus ?? "*"} delivery={deliveryStatus ?? "*"} payment={paymentStatus ?? "*"}");

    // ---- payment (through the simulator) ---------------------------------------------------------------------

    /// <summary>The invoice the order's workflow created at the simulator (waits for it, at most 15 s).</summary>
    public async Task<SimulatedInvoice> WaitForInvoiceAsync(string orderId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Simulator.WaitForInvoiceAsync(orderId, timeout ?? TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"{e.Message}\n  workflow: {await DescribeProgressAsync(orderId).ConfigureAwait(false)}\n  app warnings/errors:\n{Logs.Tail()}", e);
        }
    }

    /// <summary>Pays the order's invoice at the simulator up to <paramref name="status"/>, an IPN per step (unless <paramref name="delivery"/> says otherwise).</summary>
    public async Task<SimulatedPayment> PayOrderAsync(
        string orderId, string status = "finished", IpnDelivery? delivery = null, decimal? amountOverride = null, CancellationToken cancellationToken = default)
    {
        var invoice = await WaitForInvoiceAsync(orderId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simulator.PayInvoiceAsync(invoice.Id, status, amountOverride, delivery, cancellationToken).ConfigureAwait(false);
    }

    // ---- inventory -------------------------------------------------------------------------------------------

    /// <summary><c>POST /admin/inventory</c> with <paramref name="count"/> new accounts (random passwords, returned in the result).</summary>
    public Task<InventoryImport> ImportInventoryAsync(
        int count, int accountSize = 10000, string platform = "mt5", string? prefix = null, string server = "FFX-Live-01", CancellationToken cancellationToken = default) =>
        ImportInventoryAsync(FulfillmentApi.NewAccounts(count, accountSize, platform, prefix, server), cancellationToken);

    /// <summary><c>POST /admin/inventory</c> as the service's admin; fails unless 201. Waiting orders are signalled by the API.</summary>
    public Task<InventoryImport> ImportInventoryAsync(IReadOnlyList<InventoryAccountSpec> accounts, CancellationToken cancellationToken = default) =>
        FulfillmentApi.ImportInventoryAsync(AdminClient, accounts, cancellationToken);

    // ---- workflow --------------------------------------------------------------------------------------------

    public WorkflowHandle<OrderFulfillmentWorkflow> Workflow(string orderId) =>
        Temporal.GetWorkflowHandle<OrderFulfillmentWorkflow>(OrderIds.WorkflowId(orderId));

    /// <summary>The workflow's <c>GetStatus</c> query.</summary>
    public Task<OrderProgress> QueryStatusAsync(string orderId) => Workflow(orderId).QueryAsync(wf => wf.GetStatus());

    /// <summary>Waits for the order's workflow (following continue-as-new) to finish and returns its result.</summary>
    public async Task<FulfillmentResult> WaitForWorkflowResultAsync(string orderId, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultWait);
        try
        {
            return await Workflow(orderId).GetResultAsync<FulfillmentResult>(rpcOptions: new RpcOptions { CancellationToken = cancel.Token }).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Workflow of order {orderId} did not finish within {timeout ?? DefaultWait}: {await DescribeProgressAsync(orderId).ConfigureAwait(false)}", e);
        }
    }

    /// <summary>The history of the order's latest run.</summary>
    public Task<WorkflowHistory> FetchHistoryAsync(string orderId) => Workflow(orderId).FetchHistoryAsync();

    // ---- database --------------------------------------------------------------------------------------------

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        var connection = await DataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return (await connection.ExecuteScalarAsync<T>(sql, args).ConfigureAwait(false))!;
        }
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null)
    {
        var connection = await DataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return (await connection.QueryAsync<T>(sql, args).ConfigureAwait(false)).AsList();
        }
    }

    // ---- workers outside the API ---------------------------------------------------------------------------

    /// <summary>
    /// What a separate <c>src/Worker</c> process needs to serve this instance (environment variables, <c>Section__Key</c>),
    /// e.g. for drills that kill worker processes: same database, Temporal, task queue, keys and provider.
    /// </summary>
    public IReadOnlyDictionary<string, string> WorkerEnvironment() =>
        WorkerSettings()
            .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!)
            .Append(new KeyValuePair<string, string>("DOTNET_ENVIRONMENT", EnvironmentName))
            .ToDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Starts a worker host in this process as src/Worker composes it (<c>WorkerHost</c>), on this instance's settings and
    /// log capture. Stop or dispose it to "lose" the worker; disposed with the service otherwise.
    /// </summary>
    public async Task<IHost> StartWorkerAsync(CancellationToken cancellationToken = default)
    {
        // Settings as command-line arguments: they are in the configuration before the worker reads its task queue.
        var builder = WorkerHost.CreateBuilder([
            $"--environment={EnvironmentName}",
            .. WorkerSettings().Select(s => $"--{s.Key}={s.Value}"),
        ]);
        builder.Services.AddSingleton<ILogEventSink>(Logs);
        InstanceLogging.BindToOwnLogger(builder.Services);
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        lock (_workers)
        {
            _workers.Add(host);
        }
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
            _clients.Clear();
        }
        IHost[] workers;
        lock (_workers)
        {
            workers = [.. _workers];
            _workers.Clear();
        }
        foreach (var worker in workers)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await worker.StopAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Disposing below still releases it.
            }
            worker.Dispose();
        }
        await _factory.DisposeAsync().ConfigureAwait(false);
        await Simulator.DisposeAsync().ConfigureAwait(false);
        if (_ownsDatabase)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
        }
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private static Dictionary<string, string?> BuildSettings(
        FulfillmentServiceOptions options,
        TemporalTestEnvironment temporal,
        TestDatabase database,
        NowPaymentsSimulator simulator,
        Uri baseAddress,
        string apiKey,
        string ipnSecret,
        string accountPassword)
    {
        var root = baseAddress.ToString().TrimEnd('/');
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // As in production, the API connects as its login role; workers (in-process or not) as the owner.
            ["ConnectionStrings:FlashFundX"] = database.ApiConnectionString,
            ["Temporal:Address"] = temporal.Client.Connection.Options.TargetHost,
            ["Temporal:Namespace"] = temporal.Client.Options.Namespace,
            ["Temporal:TaskQueue"] = TemporalTestEnvironment.NewTaskQueue(),
            ["Database:MigrateOnStart"] = "false",
            ["Auth:SigningKey"] = "e2e-signing-" + FulfillmentApi.RandomToken(32),
            ["Auth:Issuer"] = FulfillmentApi.TokenIssuer,
            ["Auth:Audience"] = FulfillmentApi.TokenAudience,
            ["Credentials:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Credentials:KeyId"] = "e2e-1",
            ["NowPayments:BaseUrl"] = simulator.BaseUrl,
            ["NowPayments:ApiKey"] = apiKey,
            ["NowPayments:IpnSecret"] = ipnSecret,
            ["NowPayments:Email"] = AccountEmail,
            ["NowPayments:Password"] = accountPassword,
            ["NowPayments:IpnCallbackUrl"] = $"{root}/webhooks/nowpayments",
            ["NowPayments:SuccessUrl"] = $"{root}/payment/success",
            ["NowPayments:CancelUrl"] = $"{root}/payment/cancel",
            // With no worker nobody creates the invoice: POST /orders answers at once instead of waiting for it.
            ["Orders:InvoiceWait"] = options.InProcessWorker ? "00:00:05" : "00:00:00",
            ["Serilog:MinimumLevel:Default"] = "Information",
        };
        var pollMax = options.PollMaxInterval ?? (options.PollInitialInterval is { } initial ? initial * 4 : null);
        Set(settings, "Fulfillment:PaymentTimeout", options.PaymentTimeout);
        Set(settings, "Fulfillment:PollInitialInterval", options.PollInitialInterval);
        Set(settings, "Fulfillment:PollMaxInterval", pollMax);
        // Tests that poll fast want the invoice lookup (no IPN named the payment yet) just as fast.
        Set(settings, "Fulfillment:InvoiceLookupInitialInterval", options.PollInitialInterval);
        Set(settings, "Fulfillment:InvoiceLookupMaxInterval", pollMax);
        Set(settings, "Fulfillment:InventoryRecheckInterval", options.InventoryRecheckInterval);
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static void Set(Dictionary<string, string?> settings, string key, TimeSpan? value)
    {
        if (value is { } v)
        {
            settings[key] = v.ToString("c", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Proves the app bound what it was given, so two instances can never share a queue, a database or a callback.</summary>
    private void VerifySettingsTookEffect()
    {
        var configuration = Services.GetRequiredService<IConfiguration>();
        var temporal = Services.GetRequiredService<IOptions<TemporalSettings>>().Value;
        var problems = new List<string>();
        if (temporal.TaskQueue != TaskQueue)
        {
            problems.Add($"Temporal:TaskQueue is '{temporal.TaskQueue}', expected '{TaskQueue}' (is TEMPORAL_TASK_QUEUE set?)");
        }
        foreach (var key in new[] { "ConnectionStrings:FlashFundX", "NowPayments:IpnCallbackUrl", "Auth:SigningKey" })
        {
            if (configuration[key] != _settings[key])
            {
                problems.Add($"{key} did not take effect");
            }
        }
        var workers = Services.GetServices<IHostedService>().Count(s => s.GetType().Name.Contains("TemporalWorker", StringComparison.Ordinal));
        if (workers != (InProcessWorker ? 1 : 0))
        {
            problems.Add($"{workers} in-process Temporal worker(s) registered, expected {(InProcessWorker ? 1 : 0)}");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The service ignored its test settings: " + string.Join("; ", problems));
        }
    }

    private async Task<string> DescribeProgressAsync(string orderId)
    {
        try
        {
            var progress = await QueryStatusAsync(orderId).ConfigureAwait(false);
            var description = await Temporal.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
            {
                Namespace = Temporal.Options.Namespace,
                Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = OrderIds.WorkflowId(orderId) },
            }).ConfigureAwait(false);
            var pending = description.PendingActivities
                .Select(a => $"{a.ActivityType?.Name} attempt {a.Attempt}{(a.LastFailure is { } f ? ": " + f.Message : "")}")
                .ToArray();
            return $"run={description.WorkflowExecutionInfo.Status} stage={WireName.Of(progress.Stage)} payment={WireName.Of(progress.PaymentStatus)} " +
                   $"delivery={WireName.Of(progress.DeliveryStatus)} attempts={progress.Attempts} lastError={progress.LastError ?? "-"} " +
                   $"pendingActivities=[{string.Join("; ", pending)}]";
        }
#pragma warning disable CA1031 // diagnostics only: any failure is reported, not thrown
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"(query failed: {e.GetType().Name}: {e.Message})";
        }
    }

    /// <summary>The settings a worker shares with the API, but connecting as the owner, as a worker process does.</summary>
    private IEnumerable<KeyValuePair<string, string?>> WorkerSettings() =>
        _settings.Where(s => s.Value is not null && IsWorkerSetting(s.Key))
            .Select(s => string.Equals(s.Key, "ConnectionStrings:FlashFundX", StringComparison.OrdinalIgnoreCase)
                ? new KeyValuePair<string, string?>(s.Key, _ownerConnectionString)
                : s);

    private static bool IsWorkerSetting(string key) =>
        key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Temporal:", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Credentials:", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("NowPayments:", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Fulfillment:", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Serilog:", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Database:", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Smtp:", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Metrics:", StringComparison.OrdinalIgnoreCase);

    private static bool IsAddressInUse(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is Microsoft.AspNetCore.Connections.AddressInUseException
                || current.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>The service started but did not bind the settings it was given (see <see cref="FulfillmentService.StartAsync"/>).</summary>
public sealed class ServiceRejectedSettingsException(string message, Exception inner) : Exception(message, inner);

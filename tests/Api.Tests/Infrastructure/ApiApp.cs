extern alias api;

using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>
/// The API under test, environment <c>Testing</c> (nothing provisioned), on a fresh database of the shared PostgreSQL
/// server and the shared Temporal environment, with its own task queue and, when asked, an in-process worker.
/// </summary>
public sealed class ApiApp : WebApplicationFactory<api::Program>
{
    public const string SigningKey = "api-tests-signing-key-with-at-least-32-bytes!";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private ApiApp(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        _settings = settings;
        _services = services;
    }

    public TestIdentities Identities { get; } = new(SigningKey);

    public string TaskQueue => _settings["Temporal:TaskQueue"]!;

    public static Dictionary<string, string?> DefaultSettings(
        string connectionString, TemporalTestEnvironment temporal, SimulatorFixture simulator, bool worker) => new()
    {
        ["ConnectionStrings:FlashFundX"] = connectionString,
        ["Temporal:Address"] = temporal.Client.Connection.Options.TargetHost,
        ["Temporal:Namespace"] = temporal.Client.Options.Namespace,
        ["Temporal:TaskQueue"] = TemporalTestEnvironment.NewTaskQueue(),
        ["Worker:InProcess"] = worker ? "true" : "false",
        ["Auth:SigningKey"] = SigningKey,
        ["Credentials:EncryptionKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray()),
        ["Credentials:KeyId"] = "test-key-1",
        ["NowPayments:BaseUrl"] = simulator.Simulator.BaseUrl,
        ["NowPayments:ApiKey"] = SimulatorFixture.ApiKey,
        ["NowPayments:IpnSecret"] = SimulatorFixture.IpnSecret,
        ["NowPayments:Email"] = SimulatorFixture.AccountEmail,
        ["NowPayments:Password"] = SimulatorFixture.AccountPassword,
        // IPNs reach the app through the test client, never over the network.
        ["NowPayments:IpnCallbackUrl"] = "http://127.0.0.1:9/webhooks/nowpayments",
        ["Orders:InvoiceWait"] = worker ? "00:00:05" : "00:00:00",
        ["Database:MigrateOnStart"] = "false",
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };

    /// <summary>
    /// A fresh migrated database and an app on it; <paramref name="configure"/> adjusts the settings and
    /// <paramref name="services"/> the app's services.
    /// </summary>
    public static async Task<(ApiApp App, TestDatabase Database)> StartAsync(
        PostgresFixture postgres,
        TemporalTestEnvironment temporal,
        SimulatorFixture simulator,
        string label,
        bool worker = false,
        Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var database = await postgres.CreateDatabaseAsync(label);
        var settings = DefaultSettings(database.ConnectionString, temporal, simulator, worker);
        configure?.Invoke(settings);
        var app = new ApiApp(settings, services);
        _ = app.Server; // start now, so start-up failures surface in the fixture
        return (app, database);
    }

    /// <summary>An app on whatever settings the caller gives (for outage tests).</summary>
    public static ApiApp Create(Dictionary<string, string?> settings) => new(settings);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    public HttpClient ClientFor(string? token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = TestIdentities.Bearer(token);
        }
        return client;
    }
}

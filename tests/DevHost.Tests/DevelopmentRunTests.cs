using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.DevHost.Hosting;
using FlashFundX.LocalDev;
using FlashFundX.LocalDev.Postgres;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Service;
using FlashFundX.TestSupport.Temporal;
using Microsoft.Extensions.DependencyInjection;

namespace FlashFundX.DevHost.Tests;

/// <summary>
/// The development run as <c>dotnet run --project src/DevHost</c> composes it, with the database and Temporal given (the
/// test's own) and NowPayments not: it starts the simulator, which must sign IPNs with the secret the user gave, and
/// keeps its invoices and address in the run's folder for the next run.
/// </summary>
public sealed class DevelopmentRunTests : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    // Never the checkout's .localdev, which a developer's own run uses.
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ffx-localdev-{Guid.NewGuid():N}");

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task GivenIpnSecretWithoutBaseUrl_SimulatorSignsWithIt_AndAPaidOrderIsDelivered()
    {
        await using var database = await _postgres.CreateDatabaseAsync("devhost", migrate: false);
        var temporal = await SharedTemporal.GetAsync();
        var port = LoopbackPorts.Free();
        var given = new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["LocalDev:Folder"] = _folder,
            ["ConnectionStrings:FlashFundX"] = database.ConnectionString,
            ["Temporal:Address"] = temporal.Client.Connection.Options.TargetHost!,
            ["Temporal:Namespace"] = temporal.Client.Options.Namespace,
            ["Temporal:TaskQueue"] = TemporalTestEnvironment.NewTaskQueue(),
            ["Auth:SigningKey"] = "devhost-test-" + FulfillmentApi.RandomToken(32),
            ["Credentials:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Credentials:KeyId"] = "devhost-test",
            ["NowPayments:ApiKey"] = "given-api-" + FulfillmentApi.RandomToken(12),
            ["NowPayments:IpnSecret"] = "given-ipn-" + FulfillmentApi.RandomToken(12),
            ["NowPayments:Email"] = "merchant@devhost.test",
            ["NowPayments:Password"] = "given-pass-" + FulfillmentApi.RandomToken(12),
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Enabled"] = "false",
        };

        await using var app = await DevHostApplication.CreateAsync([.. given.Select(s => $"--{s.Key}={s.Value}")]);
        await app.StartAsync();
        try
        {
            foreach (var (key, value) in given)
            {
                Assert.True(app.Configuration[key] == value, $"the dev host replaced the given {key}");
            }
            var simulatorUrl = app.Services.GetRequiredService<DevelopmentEnvironment>().SimulatorUrl;
            Assert.NotNull(simulatorUrl);

            var address = new Uri($"http://127.0.0.1:{port}/");
            using var admin = FulfillmentApi.CreateClient(address, FulfillmentApi.NewAdmin(given["Auth:SigningKey"]).Token);
            using var customer = FulfillmentApi.CreateClient(address, FulfillmentApi.NewUser(given["Auth:SigningKey"]).Token);
            using var simulator = new HttpClient { BaseAddress = new Uri(simulatorUrl + "/") };
            // The demo price list and inventory are loaded once the app has started.
            await Eventually.WaitAsync(async () => await AvailableAsync(admin, 10_000) > 0, "the demo inventory seeded");

            var order = await FulfillmentApi.CreateOrderAsync(customer);
            await Eventually.WaitAsync(
                async () => (await simulator.GetAsync(new Uri($"simulator/orders/{order.OrderId}/invoice", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
                $"the invoice of {order.OrderId} at the simulator");
            // What the banner's curl line does: the simulator pays the invoice and sends signed IPNs to the webhook.
            using var pay = await simulator.PostAsync(new Uri($"simulator/orders/{order.OrderId}/pay", UriKind.Relative), null);
            Assert.True(pay.IsSuccessStatusCode, await pay.Content.ReadAsStringAsync());

            await Eventually.WaitAsync(
                () => FulfillmentApi.GetOrderAsync(customer, order.OrderId), o => o.DeliveryStatus == "delivered", what: $"order {order.OrderId} delivered");
            // Delivered through the IPNs, not a status poll: the webhook accepted every one the simulator signed.
            var deliveries = JsonDocument.Parse(await simulator.GetStringAsync(new Uri("simulator/deliveries", UriKind.Relative))).RootElement
                .EnumerateArray().Select(d => d.GetProperty("status_code").GetInt32()).ToArray();
            Assert.NotEmpty(deliveries);
            Assert.All(deliveries, status => Assert.Equal(200, status));
            // The given connection string is the owner's (the worker's and the migrations'); the API part connected as
            // the login role the dev host created, so the development run crosses the production boundary.
            var apiDataSource = app.Services.GetRequiredService<CallerScopedDatabase>().DataSource;
            await using var asTheApi = await apiDataSource.OpenConnectionAsync();
            Assert.Equal(ApiLoginRole.DefaultName, await asTheApi.ExecuteScalarAsync<string>("SELECT current_user::text"));
            Assert.Null(await SessionRoleCheck.FindProblemAsync(apiDataSource, CancellationToken.None));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task SecondRun_SameFolder_SimulatorAtTheSameAddressKnowsTheFirstRunsInvoice()
    {
        // What it keeps in its folder for the next run; a hard kill of the whole run is the restart drill's
        // (tests/Drills.Tests/DevRestartDrill.cs).
        await using var database = await _postgres.CreateDatabaseAsync("devhost_folder", migrate: false);
        var temporal = await SharedTemporal.GetAsync();
        var port = LoopbackPorts.Free();
        string[] args =
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--LocalDev:Folder={_folder}",
            $"--ConnectionStrings:FlashFundX={database.ConnectionString}",
            $"--Temporal:Address={temporal.Client.Connection.Options.TargetHost}",
            $"--Temporal:Namespace={temporal.Client.Options.Namespace}",
            $"--Temporal:TaskQueue={TemporalTestEnvironment.NewTaskQueue()}",
            "--Smtp:Host=127.0.0.1",
            "--Smtp:Enabled=false",
            "--Demo:SeedInventory=false",
        ];

        string firstSimulator;
        string orderId;
        string invoiceId;
        await using (var first = await DevHostApplication.CreateAsync(args))
        {
            await first.StartAsync();
            firstSimulator = first.Services.GetRequiredService<DevelopmentEnvironment>().SimulatorUrl!;
            var signingKey = first.Configuration["Auth:SigningKey"]!;
            using var customer = FulfillmentApi.CreateClient(new Uri($"http://127.0.0.1:{port}/"), FulfillmentApi.NewUser(signingKey).Token);
            // The demo price list is loaded once the app has started.
            await Eventually.WaitAsync(
                async () => (await customer.GetAsync(new Uri("products/two_step/10000", UriKind.Relative))).IsSuccessStatusCode, "the demo price list loaded");
            orderId = (await FulfillmentApi.CreateOrderAsync(customer)).OrderId;
            invoiceId = await InvoiceIdAsync(firstSimulator, orderId);
            await first.StopAsync();
        }

        await using var second = await DevHostApplication.CreateAsync(args);
        await second.StartAsync();
        try
        {
            var secondSimulator = second.Services.GetRequiredService<DevelopmentEnvironment>().SimulatorUrl!;

            Assert.Equal(firstSimulator, secondSimulator);
            Assert.Equal(invoiceId, await InvoiceIdAsync(secondSimulator, orderId));
            Assert.True(File.Exists(Path.Combine(_folder, "nowpayments-simulator.json")));
        }
        finally
        {
            await second.StopAsync();
        }
    }

    /// <summary>The id of the invoice the simulator at <paramref name="simulatorUrl"/> holds for the order, once it has one.</summary>
    private static async Task<string> InvoiceIdAsync(string simulatorUrl, string orderId)
    {
        using var simulator = new HttpClient { BaseAddress = new Uri(simulatorUrl + "/") };
        var invoice = await Eventually.WaitAsync(
            async () =>
            {
                using var response = await simulator.GetAsync(new Uri($"simulator/orders/{orderId}/invoice", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
            },
            body => body is not null, what: $"the invoice of {orderId} at {simulatorUrl}");
        return JsonDocument.Parse(invoice!).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<long> AvailableAsync(HttpClient admin, int accountSize)
    {
        using var response = await admin.GetAsync(new Uri("admin/inventory", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .Where(level => level.GetProperty("accountSize").GetInt32() == accountSize)
            .Sum(level => level.GetProperty("available").GetInt64());
    }

}

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
/// test's own) and NowPayments not: it starts the simulator, which must sign IPNs with the secret the user gave.
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

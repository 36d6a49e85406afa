using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FlashFundX.DevHost.Auth;
using FlashFundX.DevHost.Hosting;
using FlashFundX.LocalDev;
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

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task GivenIpnSecretWithoutBaseUrl_SimulatorSignsWithIt_AndAPaidOrderIsDelivered()
    {
        await using var database = await _postgres.CreateDatabaseAsync("devhost", migrate: false);
        var temporal = await SharedTemporal.GetAsync();
        var port = LoopbackPorts.Free();
        var given = new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings:FlashFundX"] = database.ConnectionString,
            ["Temporal:Address"] = temporal.Client.Connection.Options.TargetHost!,
            ["Temporal:Namespace"] = temporal.Client.Options.Namespace,
            ["Temporal:TaskQueue"] = TemporalTestEnvironment.NewTaskQueue(),
            ["Auth:SigningKey"] = "devhost-test-" + Random(32),
            ["Credentials:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Credentials:KeyId"] = "devhost-test",
            ["NowPayments:ApiKey"] = "given-api-" + Random(12),
            ["NowPayments:IpnSecret"] = "given-ipn-" + Random(12),
            ["NowPayments:Email"] = "merchant@devhost.test",
            ["NowPayments:Password"] = "given-pass-" + Random(12),
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

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var signingKey = given["Auth:SigningKey"];
            var admin = DevTokens.Issue(signingKey, Guid.NewGuid(), "admin@devhost.test", admin: true);
            var user = DevTokens.Issue(signingKey, Guid.NewGuid(), "trader@devhost.test");
            // The demo price list and inventory are loaded once the app has started.
            await Eventually.WaitAsync(async () => await AvailableAsync(http, admin, 10_000) > 0, "the demo inventory seeded");

            using var create = new HttpRequestMessage(HttpMethod.Post, "orders")
            {
                Content = JsonContent.Create(new { accountType = "two_step", accountSize = 10_000, platform = "mt5", payCurrency = "usdt_trc20" }),
            };
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user);
            using var created = await http.SendAsync(create);
            var createdBody = await created.Content.ReadAsStringAsync();
            Assert.True(created.IsSuccessStatusCode, createdBody);
            var orderId = JsonDocument.Parse(createdBody).RootElement.GetProperty("orderId").GetString()!;

            await Eventually.WaitAsync(
                async () => (await http.GetAsync(new Uri($"{simulatorUrl}/simulator/orders/{orderId}/invoice"))).StatusCode == HttpStatusCode.OK,
                $"the invoice of {orderId} at the simulator");
            // What the banner's curl line does: the simulator pays the invoice and sends signed IPNs to the webhook.
            using var pay = await http.PostAsync(new Uri($"{simulatorUrl}/simulator/orders/{orderId}/pay"), null);
            Assert.True(pay.IsSuccessStatusCode, await pay.Content.ReadAsStringAsync());

            // Well before the first status poll (a minute by default): only an accepted IPN delivers it this soon.
            await Eventually.WaitAsync(
                () => DeliveryStatusAsync(http, user, orderId), status => status == "delivered", what: $"order {orderId} delivered");
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task<long> AvailableAsync(HttpClient http, string adminToken, int accountSize)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/inventory");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .Where(level => level.GetProperty("accountSize").GetInt32() == accountSize)
            .Sum(level => level.GetProperty("available").GetInt64());
    }

    private static async Task<string?> DeliveryStatusAsync(HttpClient http, string userToken, string orderId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"orders/{orderId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", userToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("deliveryStatus").GetString();
    }

    private static string Random(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes));
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using FlashFundX.DevHost.Hosting;
using FlashFundX.LocalDev;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Service;
using FlashFundX.TestSupport.Temporal;
using Microsoft.Extensions.DependencyInjection;

namespace FlashFundX.DevHost.Tests;

/// <summary>
/// What the development run keeps in its folder (<c>LocalDev:Folder</c>) for the next run: the simulator's invoices and
/// its address. The database and Temporal are the test's own; a hard kill of the whole run is the restart drill's
/// (tests/Drills.Tests/DevRestartDrill.cs).
/// </summary>
public sealed class LocalDevFolderTests : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
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
    public async Task SecondRun_SameFolder_SimulatorAtTheSameAddressKnowsTheFirstRunsInvoice()
    {
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
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using FlashFundX.EndToEnd.Tests.Infrastructure;
using FlashFundX.LocalDev;
using FlashFundX.NowPayments;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Processes;
using FlashFundX.TestSupport.Service;
using FlashFundX.TestSupport.Temporal;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace FlashFundX.EndToEnd.Tests.Production;

/// <summary>
/// Issue 23, "A safe production start": the README's production instructions, as a deployment runs them. The published
/// API and worker run in Production as separate processes, configured only through environment variables, against an
/// empty database they migrate themselves (<c>migrate</c> verb), the embedded Temporal server given as an external
/// <c>TEMPORAL_ADDRESS</c> and the NowPayments simulator given as an external <c>NowPayments__BaseUrl</c>.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class PublishedServiceTests(PublishedHosts published, ITestOutputHelper output)
{
    /// <summary>A guard against a hung start on a loaded machine, not a latency limit.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task PublishedHosts_InProductionAsSeparateProcesses_MigrateThenTakePayAndDeliverAnOrder()
    {
        var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        await using var database = await postgres.CreateDatabaseAsync("e2e_prod", migrate: false);
        using var migrate = HostProcess.Start([published.Api, "migrate"], Production(("ConnectionStrings__FlashFundX", database.ConnectionString)));
        var migrated = await migrate.WaitForExitAsync(StartTimeout);
        output.WriteLine($"migrate exited with {migrated} (publishing took {published.PublishDuration.TotalSeconds:0}s):\n{migrate.Tail()}");
        Assert.Equal(0, migrated);
        await TestSchema.LoadPriceListAsync(database.ConnectionString);

        using var temporal = await EmbeddedServerProcess.StartAsync(StartTimeout);
        var secrets = new Secrets();
        await using var simulator = await NowPaymentsSimulator.StartAsync(new SimulatorOptions
        {
            Port = 0, ApiKey = secrets.ApiKey, IpnSecret = secrets.IpnSecret, AccountEmail = secrets.AccountEmail, AccountPassword = secrets.AccountPassword,
        });
        var baseAddress = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/");
        var managementPort = LoopbackPorts.Free();
        (string, string)[] settings =
        [
            ("TEMPORAL_ADDRESS", temporal.Target),
            ("Temporal__TaskQueue", TemporalTestEnvironment.NewTaskQueue()),
            ("Credentials__EncryptionKey", secrets.EncryptionKey),
            ("Credentials__KeyId", "prod-e2e-1"),
            ("NowPayments__BaseUrl", simulator.BaseUrl),
            ("NowPayments__ApiKey", secrets.ApiKey),
            ("NowPayments__IpnSecret", secrets.IpnSecret),
            ("NowPayments__Email", secrets.AccountEmail),
            ("NowPayments__Password", secrets.AccountPassword),
            ("NowPayments__IpnCallbackUrl", new Uri(baseAddress, "webhooks/nowpayments").ToString()),
        ];
        // The worker connects as the owner; the API as its own login role (docs/deploy.md, "The database roles").
        using var worker = HostProcess.Start([published.Worker], Production([.. settings, ("ConnectionStrings__FlashFundX", database.ConnectionString)]));
        using var api = HostProcess.Start(
            [published.Api, "--urls", baseAddress.ToString().TrimEnd('/')], Production([
                .. settings,
                ("ConnectionStrings__FlashFundX", database.ApiConnectionString),
                ("Auth__SigningKey", secrets.SigningKey),
                ("Auth__Issuer", FulfillmentApi.TokenIssuer),
                ("Auth__Audience", FulfillmentApi.TokenAudience),
                ("Metrics__Port", managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]));
        try
        {
            await worker.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal), StartTimeout, "saying its host started");
            using var anonymous = FulfillmentApi.CreateClient(baseAddress, bearerToken: null);
            await Eventually.WaitAsync(() => ReadinessAsync(anonymous, api), status => status == HttpStatusCode.OK, StartTimeout, "GET /health/ready to answer 200");

            var admin = FulfillmentApi.NewAdmin(secrets.SigningKey);
            using var adminClient = FulfillmentApi.CreateClient(baseAddress, admin.Token);
            var stock = await FulfillmentApi.ImportInventoryAsync(adminClient, FulfillmentApi.NewAccounts(1, accountSize: 10000, platform: "mt5"));
            var user = FulfillmentApi.NewUser(secrets.SigningKey);
            using var userClient = FulfillmentApi.CreateClient(baseAddress, user.Token);
            var created = await FulfillmentApi.CreateOrderAsync(userClient, "two_step", 10000, "mt5", "usdt_trc20");
            var invoice = await simulator.WaitForInvoiceAsync(created.OrderId, StartTimeout);
            var payment = await simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished);
            var delivered = await Eventually.WaitAsync(
                () => FulfillmentApi.GetOrderAsync(userClient, created.OrderId),
                order => order.DeliveryStatus == "delivered" || order.IsClosed, StartTimeout, $"order {created.OrderId} delivered");
            var account = await Http.GetAsync(userClient, $"orders/{created.OrderId}/account", HttpStatusCode.OK);

            Assert.Equal(1, stock.Imported);
            Assert.Equal(new Uri(baseAddress, "webhooks/nowpayments").ToString(), invoice.IpnCallbackUrl);
            Assert.NotEmpty(payment.Deliveries);
            Assert.All(payment.Deliveries, d => Assert.Equal(200, d.StatusCode));
            Assert.Equal(("completed", "delivered"), (delivered.OrderStatus, delivered.DeliveryStatus));
            var sold = Assert.Single(stock.Accounts);
            Assert.Equal(sold.Login, account.GetProperty("login").GetString());
            Assert.Equal(sold.Password, account.GetProperty("password").GetString());
            await using (var connection = await database.DataSource.OpenConnectionAsync())
            {
                Assert.Equal(sold.Login, await connection.ExecuteScalarAsync<string>("SELECT login FROM delivered_accounts WHERE order_id = @orderId", new { orderId = created.OrderId }));
            }

            // Ops endpoints (issue 24): /metrics only on the management port (loopback by default), no API docs by default.
            using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}/") };
            Assert.Contains("http_server_request_duration_seconds", await management.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
            foreach (var path in new[] { "/metrics", "/openapi/v1.json", "/docs" })
            {
                using var hidden = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(hidden.StatusCode == HttpStatusCode.NotFound, $"GET {path} on the public port answered {(int)hidden.StatusCode}");
            }

            // Production logging: compact JSON lines, in the Production environment, with no secret or token in them.
            Assert.All(new[] { api, worker }, host => Assert.Contains(host.Text(), line => line.Contains("\"EnvName\":\"Production\"", StringComparison.Ordinal)));
            List<string> secretValues =
            [
                secrets.SigningKey, secrets.EncryptionKey, secrets.ApiKey, secrets.IpnSecret, secrets.AccountPassword,
                sold.Password, sold.InvestorPassword, admin.Token, user.Token, "eyJ",
            ];
            foreach (var connectionString in new[] { database.ConnectionString, database.ApiConnectionString })
            {
                if (new NpgsqlConnectionStringBuilder(connectionString).Password is { Length: > 0 } databasePassword)
                {
                    secretValues.Add(databasePassword);
                }
            }
            foreach (var (name, process) in new[] { ("API", api), ("worker", worker), ("migrate", migrate) })
            {
                Assert.All(process.Lines, line => Assert.True(IsJsonObject(line.Text), $"{name} wrote a line that is not JSON: {line}"));
                foreach (var secret in secretValues)
                {
                    Assert.DoesNotContain(process.Text(), line => line.Contains(secret, StringComparison.Ordinal));
                }
            }
        }
        finally
        {
            output.WriteLine($"--- worker (pid {worker.Pid}), last lines:\n{worker.Tail(60)}\n--- API (pid {api.Pid}), last lines:\n{api.Tail(60)}");
        }
    }

    /// <summary>Production, and the settings given: nothing else from the test process reaches the hosts.</summary>
    private static Dictionary<string, string> Production(params (string Name, string Value)[] settings)
    {
        var environment = settings.ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["DOTNET_ENVIRONMENT"] = "Production";
        return environment;
    }

    /// <summary><c>GET /health/ready</c>'s status (0 while nothing listens); ends the wait at once when the API exited.</summary>
    private static async Task<HttpStatusCode> ReadinessAsync(HttpClient client, HostProcess api)
    {
        if (api.HasExited)
        {
            throw new InvalidOperationException($"The published API exited while starting:\n{api.Tail()}");
        }
        try
        {
            using var response = await client.GetAsync(new Uri("health/ready", UriKind.Relative));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static bool IsJsonObject(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Random secrets of this run, each easy to search the hosts' output for.</summary>
    private sealed class Secrets
    {
        public string SigningKey { get; } = "prod-signing-" + FulfillmentApi.RandomToken(32);

        public string EncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        public string ApiKey { get; } = "np-api-" + FulfillmentApi.RandomToken(18);

        public string IpnSecret { get; } = "np-ipn-" + FulfillmentApi.RandomToken(18);

        public string AccountEmail { get; } = $"merchant-{FulfillmentApi.RandomToken(4)}@flashfundx.test";

        public string AccountPassword { get; } = "np-pass-" + FulfillmentApi.RandomToken(18);
    }
}

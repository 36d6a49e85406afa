using FlashFundX.Data.Database;
using FlashFundX.DevHost.Seed;
using FlashFundX.LocalDev;
using FlashFundX.LocalDev.Mail;
using FlashFundX.LocalDev.Postgres;
using FlashFundX.LocalDev.Temporal;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.ServiceDefaults.Settings;
using FlashFundX.Workflows.Orders;

namespace FlashFundX.DevHost.Hosting;

/// <summary>
/// Brings up what a fresh machine lacks for <c>dotnet run --project src/DevHost</c>: a local PostgreSQL cluster, a
/// Temporal server, the NowPayments simulator, a mail sink and dev secrets. Anything already configured (environment
/// variables, appsettings, command line) is used as is and nothing is started for it.
/// </summary>
internal sealed class DevelopmentEnvironment : IAsyncDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The local simulator's merchant login, with which the app lists an invoice's payments.</summary>
    private const string DevAccountEmail = "merchant@flashfundx.local";
    private readonly List<IAsyncDisposable> _started = [];

    public string AppUrl { get; private set; } = DefaultUrl;

    public string? TemporalKind { get; private set; }

    public string? SimulatorUrl { get; private set; }

    public string? PostgresFolder { get; private set; }

    /// <summary>The database owner's connection string (given or provisioned), for the in-process worker.</summary>
    public string OwnerConnectionString { get; private set; } = "";

    /// <summary>The local SMTP sink's address and the folder it writes each mail to as .eml (null when Smtp:Host is configured).</summary>
    public (string Address, string Folder)? MailSink { get; private set; }

    public static async Task<DevelopmentEnvironment> ProvisionAsync(WebApplicationBuilder builder)
    {
        var env = new DevelopmentEnvironment();
        try
        {
            var options = builder.Configuration.GetSection(LocalDevOptions.SectionName).Get<LocalDevOptions>() ?? new LocalDevOptions();
            var root = LocalDevFolder.Locate(builder.Environment.ContentRootPath, options.Folder);
            await env.ProvisionAsync(builder, root, options).ConfigureAwait(false);
            return env;
        }
        catch
        {
            // Whatever started before the failure stops again.
            await env.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ProvisionAsync(WebApplicationBuilder builder, string root, LocalDevOptions options)
    {
        var config = builder.Configuration;
        var env = this;
        var settings = new Dictionary<string, string?>();
        // Only what the user left unset is filled in: a given setting is never replaced.
        void Default(string key, Func<string> value)
        {
            if (string.IsNullOrWhiteSpace(config[key]))
            {
                settings[key] = value();
            }
        }

        Default("Database:MigrateOnStart", () => "true");
        // A restarted development run (its embedded Temporal server forgot every run) is repaired within a minute or
        // so rather than the production default of five.
        Default("Reconciler:Interval", () => "00:00:30");
        env.AppUrl = FirstHttpUrl(config["urls"]) ?? DefaultUrl;
        if (string.IsNullOrEmpty(config["urls"]))
        {
            builder.WebHost.UseUrls(env.AppUrl);
        }

        var owner = config.GetConnectionString(DatabaseConnection.Name);
        if (string.IsNullOrWhiteSpace(owner))
        {
            var cluster = await LocalPostgresCluster.StartAsync(LocalPostgresOptions.Persistent(Path.Combine(root, "postgres"))).ConfigureAwait(false);
            env._started.Add(cluster);
            // Run as root from a folder the postgres user cannot reach, the data lives elsewhere: show where.
            env.PostgresFolder = cluster.RootDirectory;
            owner = await cluster.CreateDatabaseAsync("flashfundx").ConfigureAwait(false);
            settings[DatabaseConnection.SettingKey] = owner;
        }
        // ConnectionStrings:FlashFundX is the owner's here, as for a worker process: the in-process worker and the
        // migrations use it. The API part connects as its own login role, created here as docs/deploy.md has an operator
        // do, so the development run crosses the same row-level-security boundary as production.
        env.OwnerConnectionString = owner;
        var api = await ApiLoginRole.EnsureAsync(owner, LocalDevFolder.Secret(root, "dev-api-db-password", 24)).ConfigureAwait(false);
        builder.Services.PostConfigure<DatabaseConnection>(connection => connection.ConnectionString = api);

        if (string.IsNullOrWhiteSpace(config["Temporal:Address"]) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS")))
        {
            var searchAttributes = OrderSearchAttributes.All.SelectMany(a => new[] { "--search-attribute", $"{a.Name}=Keyword" }).ToArray();
            var temporal = await LocalTemporalServer.StartAsync(7233, searchAttributes, options.TemporalTimeSkipping).ConfigureAwait(false);
            env._started.Add(temporal);
            env.TemporalKind = temporal.Kind;
            settings["Temporal:Address"] = temporal.Target;
        }

        Default("Auth:SigningKey", () => LocalDevFolder.Secret(root, "dev-signing-key", 48));
        if (string.IsNullOrWhiteSpace(config["Credentials:EncryptionKey"]))
        {
            settings["Credentials:EncryptionKey"] = LocalDevFolder.Secret(root, "dev-credentials-key", 32);
            Default("Credentials:KeyId", () => "dev-1");
        }

        if (string.IsNullOrWhiteSpace(config["NowPayments:BaseUrl"]))
        {
            // The simulator takes the keys and login the user gave, and makes up the rest: IPNs it signs verify with
            // the configured secret.
            Default("NowPayments:ApiKey", () => LocalDevFolder.Secret(root, "dev-nowpayments-api-key", 24));
            Default("NowPayments:IpnSecret", () => LocalDevFolder.Secret(root, "dev-nowpayments-ipn-secret", 24));
            Default("NowPayments:Email", () => DevAccountEmail);
            Default("NowPayments:Password", () => LocalDevFolder.Secret(root, "dev-nowpayments-password", 24));
            string Setting(string key) => settings.TryGetValue(key, out var value) ? value! : config[key]!;
            // Its invoices and payments, and its address (in every invoice URL), outlive a restart of the run.
            var simulator = await NowPaymentsSimulator.StartAsync(new SimulatorOptions
            {
                Port = LocalDevFolder.Port(root, "dev-nowpayments-port"),
                StateFile = Path.Combine(root, "nowpayments-simulator.json"),
                ApiKey = Setting("NowPayments:ApiKey"),
                IpnSecret = Setting("NowPayments:IpnSecret"),
                AccountEmail = Setting("NowPayments:Email"),
                AccountPassword = Setting("NowPayments:Password"),
            }).ConfigureAwait(false);
            env._started.Add(simulator);
            env.SimulatorUrl = simulator.BaseUrl;
            settings["NowPayments:BaseUrl"] = simulator.BaseUrl;
        }
        Default("NowPayments:IpnCallbackUrl", () => $"{env.AppUrl}/webhooks/nowpayments");
        Default("NowPayments:SuccessUrl", () => $"{env.AppUrl}/payment/success?order={{orderId}}");
        Default("NowPayments:CancelUrl", () => $"{env.AppUrl}/payment/cancel?order={{orderId}}");

        if (string.IsNullOrWhiteSpace(config["Smtp:Host"]))
        {
            // On the port the user gave, if any.
            var port = config.GetValue<int?>("Smtp:Port") ?? (LoopbackPorts.IsFree(2525) ? 2525 : 0);
            var mail = await LocalSmtpSink.StartAsync(port, Path.Combine(root, "mail")).ConfigureAwait(false);
            env._started.Add(mail);
            env.MailSink = ($"smtp://{mail.Host}:{mail.Port}", mail.Folder!);
            settings["Smtp:Host"] = mail.Host;
            Default("Smtp:Port", () => mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Default("Smtp:Enabled", () => "true");
            Default("Smtp:UseTls", () => "false");
        }

        config.AddInMemoryCollection(settings);
        // A factory registration: the container disposes it (stops what was started) however the host ends.
        builder.Services.AddSettings<LocalDevOptions>(LocalDevOptions.SectionName);
        builder.Services.AddSingleton(_ => env);
        builder.Services.AddSingleton<DevelopmentBanner>();
        builder.Services.AddSingleton<DemoInventorySeeder>();
        builder.Services.AddHostedService<DevelopmentEnvironmentService>();
    }

    private static string? FirstHttpUrl(string? urls) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .TrimEnd('/');

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync().ConfigureAwait(false);
        }
        _started.Clear();
    }
}

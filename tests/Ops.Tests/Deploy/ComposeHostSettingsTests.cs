using FlashFundX.Api;
using FlashFundX.Data.Database;
using FlashFundX.Ops.Tests.Support;
using FlashFundX.ServiceDefaults.Settings;
using FlashFundX.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace FlashFundX.Ops.Tests.Deploy;

/// <summary>
/// Every setting the hosts require reaches them in deploy/compose.yml. Each serving service's host is built as its
/// container would build it — appsettings.json, the image's <c>ENV</c>, then the service's <c>environment</c> with the
/// operator's variables interpolated — and must report no missing or invalid setting.
/// </summary>
public sealed class ComposeHostSettingsTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load("deploy", "compose.yml");

    /// <summary>
    /// Stand-ins for what an operator puts in deploy/.env, each of the shape its setting is checked for. A variable the
    /// compose file requires (<c>${VAR:?…}</c>) that this list lacks fails the test: add it here, with the right shape.
    /// </summary>
    private static readonly Dictionary<string, string> OperatorVariables = new(StringComparer.Ordinal)
    {
        ["POSTGRES_PASSWORD"] = "placeholder-password",
        ["API_DB_PASSWORD"] = "placeholder-api-password",
        ["CREDENTIALS_ENCRYPTION_KEY"] = Convert.ToBase64String(new byte[32]),
        ["AUTH_SIGNING_KEY"] = new string('k', 48),
        ["AUTH_ISSUER"] = "https://id.example.test/",
        ["AUTH_AUDIENCE"] = "flashfundx-api",
        ["NOWPAYMENTS_API_KEY"] = "placeholder-api-key",
        ["NOWPAYMENTS_IPN_SECRET"] = "placeholder-ipn-secret",
        ["PUBLIC_BASE_URL"] = "https://staging.example.test",
    };

    /// <summary>Services that run a host (no verb): each must get everything its host requires.</summary>
    private static readonly string[] Serving = [.. Compose.Services.Values.Where(s => s.Build is not null && s.Command.Count == 0).Select(s => s.Name)];

    public static TheoryData<string> ServingServices { get; } = [.. Serving];

    [Fact]
    public void ServingServices_AreTheApiAndTheWorker()
    {
        Assert.Equal(["api", "worker"], Serving.Order());
    }

    [Theory]
    [MemberData(nameof(ServingServices))]
    public void ServingService_GetsEverySettingItsHostRequires(string service)
    {
        using var host = BuildHost(service);

        var problems = StartupSettings.Problems(host.Services);

        Assert.Empty(problems);
    }

    /// <summary>The check above could pass vacuously (e.g. if nothing were validated): without one variable it must fail, naming it.</summary>
    [Theory]
    [InlineData("ConnectionStrings__FlashFundX")]
    [InlineData("Auth__SigningKey")]
    [InlineData("Auth__Issuer")]
    [InlineData("Auth__Audience")]
    [InlineData("Credentials__EncryptionKey")]
    [InlineData("NowPayments__IpnSecret")]
    public void Api_WithoutARequiredVariable_ProblemsNameIt(string variable)
    {
        using var host = BuildHost("api", without: variable);

        var problems = StartupSettings.Problems(host.Services);

        // Named as an environment variable (Section__Key) or as a configuration key (Section:Key).
        var key = variable.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
        Assert.Contains(problems, p => p.Contains(variable, StringComparison.Ordinal) || p.Contains(key, StringComparison.Ordinal));
    }

    /// <summary>The migrate verb reads only the connection string (MigrateCommand); its service must give a usable one.</summary>
    [Fact]
    public void Migrate_GetsAConnectionStringToTheComposeDatabase()
    {
        var environment = EnvironmentOf(Compose["migrate"]);

        var connection = new NpgsqlConnectionStringBuilder(environment[$"ConnectionStrings__{DatabaseConnection.Name}"]);

        Assert.Equal(("postgres", "flashfundx", "flashfundx"), (connection.Host, connection.Database, connection.Username));
        Assert.Equal(OperatorVariables["POSTGRES_PASSWORD"], connection.Password);
    }

    /// <summary>The API connects as its own login role, never as the owner the migration and the workers use.</summary>
    [Fact]
    public void Api_ConnectsAsItsLoginRole_WorkersAndMigrateAsTheOwner()
    {
        NpgsqlConnectionStringBuilder Connection(string service) =>
            new(EnvironmentOf(Compose[service])[$"ConnectionStrings__{DatabaseConnection.Name}"]);

        var api = Connection("api");

        Assert.Equal(("postgres", "flashfundx", "flashfundx_api_login"), (api.Host, api.Database, api.Username));
        Assert.Equal(OperatorVariables["API_DB_PASSWORD"], api.Password);
        Assert.Equal("flashfundx", Connection("worker").Username);
        Assert.Equal("flashfundx", Connection("migrate").Username);
    }

    private static IHost BuildHost(string service, string? without = null)
    {
        var environment = EnvironmentOf(Compose[service]);
        if (without is not null)
        {
            Assert.True(environment.Remove(without), $"{service} has no {without} to remove.");
        }
        // The host whose assembly the image's ENTRYPOINT runs.
        var assembly = Path.GetFileNameWithoutExtension(Dockerfile.Of(Compose, Compose[service]).Entrypoint[^1]);
        if (assembly == typeof(ApiHost).Assembly.GetName().Name)
        {
            return HostSettings.WithOnly(ApiHost.CreateBuilder([]), environment).Build();
        }
        if (assembly == typeof(WorkerHost).Assembly.GetName().Name)
        {
            return HostSettings.WithOnly(WorkerHost.CreateBuilder([]), environment).Build();
        }
        throw new InvalidOperationException($"{service} runs {assembly}, which is not a host this test knows.");
    }

    /// <summary>What the service's container starts with: the image's ENV, then the service's interpolated environment.</summary>
    private static Dictionary<string, string> EnvironmentOf(ComposeService service)
    {
        var environment = service.Build is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(Dockerfile.Of(Compose, service).Environment, StringComparer.Ordinal);
        foreach (var (key, value) in service.Environment)
        {
            environment[key] = ComposeInterpolation.Interpolate(value, OperatorVariables);
        }
        return environment;
    }
}

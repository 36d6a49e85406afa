using FlashFundX.Api;
using FlashFundX.LocalDev;
using FlashFundX.Ops.Tests.Support;
using FlashFundX.ServiceDefaults.Settings;
using FlashFundX.Worker;
using Microsoft.Extensions.Hosting;

namespace FlashFundX.Ops.Tests.Settings;

/// <summary>The production start names every missing or malformed setting at once, and never a setting's value.</summary>
public sealed class StartupSettingsTests
{
    private static readonly string[] BothHostsRequire =
    [
        "ConnectionStrings:FlashFundX", "Temporal:Address", "Credentials:EncryptionKey", "Credentials:KeyId",
        "NowPayments:BaseUrl", "NowPayments:ApiKey", "NowPayments:IpnSecret", "NowPayments:IpnCallbackUrl",
    ];

    /// <summary>Outside Development the token issuer and audience are required too.</summary>
    private static readonly string[] ApiRequires = ["Auth:SigningKey", "Auth:Issuer", "Auth:Audience"];

    [Fact]
    public void Api_NoSettings_NamesEveryRequiredSetting()
    {
        using var host = HostSettings.WithOnly(ApiHost.CreateBuilder([]), new Dictionary<string, string>()).Build();

        var problems = StartupSettings.Problems(host.Services);

        Assert.All([.. BothHostsRequire, .. ApiRequires], setting => Assert.Contains(problems, p => p.Contains(setting, StringComparison.Ordinal)));
        Assert.Equal(BothHostsRequire.Length + ApiRequires.Length, problems.Count);
    }

    [Fact]
    public void Api_ProductionWithoutIssuerAndAudience_NamesBothAsSettingAndVariable()
    {
        using var host = HostSettings.WithOnly(ApiHost.CreateBuilder(["--environment=Production"]), ApiSettingsBut("Auth__Issuer", "Auth__Audience")).Build();

        var problems = StartupSettings.Problems(host.Services);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("Auth:Issuer", StringComparison.Ordinal) && p.Contains("Auth__Issuer", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Auth:Audience", StringComparison.Ordinal) && p.Contains("Auth__Audience", StringComparison.Ordinal));
    }

    [Fact]
    public void Api_DevelopmentWithoutIssuerAndAudience_Starts()
    {
        using var host = HostSettings.WithOnly(ApiHost.CreateBuilder(["--environment=Development"]), ApiSettingsBut("Auth__Issuer", "Auth__Audience")).Build();

        var problems = StartupSettings.Problems(host.Services);

        Assert.Empty(problems);
    }

    [Fact]
    public void Api_TokenLifetimeLimitAboveADay_NamesTheSetting()
    {
        var settings = ApiSettingsBut();
        settings["Auth__MaxTokenLifetime"] = "1.00:00:01";
        using var host = HostSettings.WithOnly(ApiHost.CreateBuilder(["--environment=Production"]), settings).Build();

        var problems = StartupSettings.Problems(host.Services);

        Assert.Contains(problems, p => p.Contains("Auth:MaxTokenLifetime", StringComparison.Ordinal));
    }

    /// <summary>Everything the API requires, less <paramref name="left"/> (environment variable names).</summary>
    private static Dictionary<string, string> ApiSettingsBut(params string[] left)
    {
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings__FlashFundX"] = "Host=127.0.0.1;Database=unused;Username=unused",
            ["TEMPORAL_ADDRESS"] = "127.0.0.1:7233",
            ["Credentials__EncryptionKey"] = Convert.ToBase64String(new byte[32]),
            ["Credentials__KeyId"] = "k1",
            ["NowPayments__BaseUrl"] = "https://api.nowpayments.test/v1/",
            ["NowPayments__ApiKey"] = "placeholder-api-key",
            ["NowPayments__IpnSecret"] = "placeholder-ipn-secret",
            ["NowPayments__IpnCallbackUrl"] = "https://shop.example.test/webhooks/nowpayments",
            ["Auth__SigningKey"] = new string('k', 48),
            ["Auth__Issuer"] = "https://id.example.test/",
            ["Auth__Audience"] = "flashfundx-api",
        };
        foreach (var name in left)
        {
            all.Remove(name);
        }
        return all;
    }

    [Fact]
    public void Worker_NoSettings_NamesEveryRequiredSettingButNoApiOne()
    {
        using var host = HostSettings.WithOnly(WorkerHost.CreateBuilder([]), new Dictionary<string, string>()).Build();

        var problems = StartupSettings.Problems(host.Services);

        Assert.All(BothHostsRequire, setting => Assert.Contains(problems, p => p.Contains(setting, StringComparison.Ordinal)));
        Assert.DoesNotContain(problems, p => p.Contains("Auth:", StringComparison.Ordinal));
    }

    [Fact]
    public void Api_MalformedValuesInTwoSections_NamesBothWithoutTheirValues()
    {
        using var host = HostSettings.WithOnly(ApiHost.CreateBuilder([]), new Dictionary<string, string>
        {
            ["Fulfillment__PaymentTimeout"] = "not-a-timespan-7f3a",
            ["Auth__SigningKey"] = "short-key-9c2e",
            ["Temporal__MaxConcurrentActivities"] = "many-4d1b",
        }).Build();

        var problems = StartupSettings.Problems(host.Services);

        Assert.Contains(problems, p => p.Contains("Fulfillment:PaymentTimeout", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Auth:SigningKey", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Temporal:MaxConcurrentActivities", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("NowPayments:IpnSecret", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("7f3a", StringComparison.Ordinal) || p.Contains("9c2e", StringComparison.Ordinal) || p.Contains("4d1b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_InvalidSettings_ReturnsOneWithoutStartingTheHost()
    {
        var host = HostSettings.WithOnly(WorkerHost.CreateBuilder([]), new Dictionary<string, string>()).Build();
        var lifetime = host.Services.GetService(typeof(IHostApplicationLifetime)) as IHostApplicationLifetime;

        var exit = await StartupSettings.RunAsync(host, "test host");

        Assert.Equal(StartupSettings.InvalidSettingsExitCode, exit);
        Assert.False(lifetime!.ApplicationStarted.IsCancellationRequested);
    }

    [Fact]
    public async Task RunAsync_TemporalUnreachable_ReturnsTwoInsteadOfThrowing()
    {
        var host = HostSettings.WithOnly(WorkerHost.CreateBuilder([]), new Dictionary<string, string>
        {
            ["TEMPORAL_ADDRESS"] = $"127.0.0.1:{LoopbackPorts.Free()}",
            ["ConnectionStrings__FlashFundX"] = "Host=127.0.0.1;Database=unused;Username=unused",
            ["Credentials__EncryptionKey"] = Convert.ToBase64String(new byte[32]),
            ["Credentials__KeyId"] = "k1",
            ["NowPayments__BaseUrl"] = "http://127.0.0.1:9/v1",
            ["NowPayments__ApiKey"] = "unused",
            ["NowPayments__IpnSecret"] = "unused",
            ["NowPayments__IpnCallbackUrl"] = "http://127.0.0.1:9/webhooks/nowpayments",
        }).Build();
        Assert.Empty(StartupSettings.Problems(host.Services));

        var exit = await StartupSettings.RunAsync(host, "test host");

        Assert.Equal(StartupSettings.StartFailedExitCode, exit);
    }

    /// <summary>Settings the hosts read while composing themselves, not only at start: a bad value there must not crash the build.</summary>
    [Fact]
    public void Hosts_MalformedValuesReadWhileComposing_AreReportedNotThrown()
    {
        using var api = ApiHost.CreateBuilder(["--Database:MigrateOnStart=yes-please", "--Metrics:Port=70000"]).Build();
        using var worker = WorkerHost.CreateBuilder(["--Temporal:MaxConcurrentActivities=many"]).Build();

        var apiProblems = StartupSettings.Problems(api.Services);
        var workerProblems = StartupSettings.Problems(worker.Services);

        Assert.Contains(apiProblems, p => p.Contains("Database:MigrateOnStart", StringComparison.Ordinal));
        Assert.Contains(apiProblems, p => p.Contains("Metrics:Port", StringComparison.Ordinal));
        Assert.DoesNotContain(apiProblems, p => p.Contains("yes-please", StringComparison.Ordinal));
        Assert.Contains(workerProblems, p => p.Contains("Temporal:MaxConcurrentActivities", StringComparison.Ordinal));
    }
}

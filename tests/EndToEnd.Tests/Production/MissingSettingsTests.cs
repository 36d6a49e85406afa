using System.Diagnostics;
using FlashFundX.TestSupport.Processes;
using Xunit;
using Xunit.Abstractions;

namespace FlashFundX.EndToEnd.Tests.Production;

/// <summary>
/// Issue 23, "A safe production start": a published host started in Production with nothing configured provisions
/// nothing and prints no token; it exits with code 1 within 5 s, naming every required setting in one message.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class MissingSettingsTests(PublishedHosts published, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(5);

    private static readonly string[] WorkerSettings =
    [
        "ConnectionStrings:FlashFundX", "Temporal:Address", "Credentials:EncryptionKey", "Credentials:KeyId",
        "NowPayments:BaseUrl", "NowPayments:ApiKey", "NowPayments:IpnSecret", "NowPayments:IpnCallbackUrl",
    ];

    /// <summary>The API needs what the worker needs, and the key, issuer and audience its bearer tokens are checked with.</summary>
    private static readonly string[] ApiSettings = [.. WorkerSettings, "Auth:SigningKey", "Auth:Issuer", "Auth:Audience"];

    [Theory]
    [InlineData(PublishedHosts.ApiDll)]
    [InlineData(PublishedHosts.WorkerDll)]
    public async Task Start_InProductionWithNoSettings_ExitsWithOneWithinFiveSecondsNamingEverySettingAndProvisionsNothing(string dll)
    {
        var isApi = dll == PublishedHosts.ApiDll;
        var folder = isApi ? published.ApiFolder : published.WorkerFolder;
        var workingDirectory = Directory.CreateTempSubdirectory("ffx-nosettings-").FullName;
        var watched = new[] { workingDirectory, folder, RepositoryRoot.Path }.Select(f => Path.Combine(f, ".localdev")).ToArray();
        var before = watched.Select(Snapshot).ToArray();
        // Nothing but what finds dotnet, and the environment name: no setting, no launch profile.
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_ENVIRONMENT"] = "Production" };

        var clock = Stopwatch.StartNew();
        using var host = HostProcess.Start([Path.Combine(folder, dll)], environment, workingDirectory, inheritEnvironment: false);
        var exitCode = await host.WaitForExitAsync(ExitLimit);
        var elapsed = clock.Elapsed;

        var text = string.Join('\n', host.Text());
        output.WriteLine($"{dll} exited with {exitCode} after {elapsed.TotalSeconds:0.00}s (publishing took {published.PublishDuration.TotalSeconds:0}s):\n{text}");
        Assert.Equal(1, exitCode);
        Assert.True(elapsed < ExitLimit, $"exited after {elapsed}");
        var application = isApi ? "FlashFundX.Api" : "FlashFundX.Worker";
        Assert.Single(host.Text(), line => line.StartsWith($"{application} cannot start: ", StringComparison.Ordinal));
        Assert.All(isApi ? ApiSettings : WorkerSettings, setting => Assert.Contains(setting, text, StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(host.Text(), line => line.StartsWith("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ADMIN_TOKEN", text, StringComparison.Ordinal);
        Assert.Equal(before, watched.Select(Snapshot).ToArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(workingDirectory));
        Assert.All(PublishedHosts.DevelopmentAssemblies, name => Assert.False(File.Exists(Path.Combine(folder, name)), $"{name} is in {folder}"));
        Directory.Delete(workingDirectory);
    }

    /// <summary>
    /// The names in a folder ("absent" when missing): provisioning would add its cluster, mail or secret files there. Names
    /// only, not contents, so a development run of this checkout going on meanwhile does not disturb the comparison.
    /// </summary>
    private static string Snapshot(string folder) =>
        !Directory.Exists(folder)
            ? "absent"
            : string.Join('\n', Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal));
}

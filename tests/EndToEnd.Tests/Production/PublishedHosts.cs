using System.Diagnostics;
using FlashFundX.TestSupport.Processes;
using Xunit;

namespace FlashFundX.EndToEnd.Tests.Production;

/// <summary>
/// <c>src/Api</c> and <c>src/Worker</c> published (<c>dotnet publish -c Release</c>) into a temporary folder once per test
/// run, as a deploy pipeline or a container build produces them: what the production-mode tests start.
/// </summary>
public sealed class PublishedHosts : IAsyncLifetime
{
    public const string ApiDll = "FlashFundX.Api.dll";

    public const string WorkerDll = "FlashFundX.Worker.dll";

    /// <summary>Assemblies of the development run and the test fakes: none may be in a production host's published output.</summary>
    public static readonly IReadOnlyList<string> DevelopmentAssemblies =
    [
        "FlashFundX.LocalDev.dll", "FlashFundX.EmbeddedTemporal.dll", "FlashFundX.NowPayments.Simulator.dll", "FlashFundX.DevHost.dll",
    ];

    /// <summary>Each; both together stay inside the 10 minutes tests/tests.runsettings gives the first test (it waits for this fixture).</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(4);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ffx-published-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The published API's folder (holds <see cref="ApiDll"/>).</summary>
    public string ApiFolder => Path.Combine(_root, "api");

    /// <summary>The published worker's folder (holds <see cref="WorkerDll"/>).</summary>
    public string WorkerFolder => Path.Combine(_root, "worker");

    public string Api => Path.Combine(ApiFolder, ApiDll);

    public string Worker => Path.Combine(WorkerFolder, WorkerDll);

    /// <summary>How long publishing both took, for the test output.</summary>
    public TimeSpan PublishDuration { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        // One after the other: both build the shared projects (ServiceDefaults, Data, …) into the same obj/Release folders.
        // No restore: building the tests restored both projects, and a restore here could race a parallel build's.
        await PublishAsync(Path.Combine("src", "Api"), ApiFolder);
        await PublishAsync(Path.Combine("src", "Worker"), WorkerFolder);
        PublishDuration = clock.Elapsed;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover folder in the temporary directory is harmless.
        }
        return Task.CompletedTask;
    }

    private static async Task PublishAsync(string project, string output)
    {
        await HostProcess.RunAsync(
            ["publish", Path.Combine(RepositoryRoot.Path, project), "-c", "Release", "-o", output, "--no-restore", "--nologo", "--disable-build-servers"],
            PublishTimeout, workingDirectory: RepositoryRoot.Path);
    }
}

/// <summary>The production-mode tests: one after another, on one <see cref="PublishedHosts"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ProductionCollection : ICollectionFixture<PublishedHosts>
{
    public const string Name = "Production hosts";
}

using FlashFundX.Api;
using FlashFundX.Ops.Tests.Support;
using FlashFundX.ServiceDefaults.Hosting;
using FlashFundX.Worker;
using FlashFundX.Worker.Replay;

namespace FlashFundX.Ops.Tests.Deploy;

/// <summary>
/// deploy/compose.yml cannot be run here (no container registry): these tests check what can be checked without it —
/// each service built from our Dockerfiles runs a real host of ours with a verb it has, built as it is built here and run
/// as non-root, and the Temporal server registers our search attributes. <see cref="ComposeHostSettingsTests"/> checks
/// that every setting the hosts require reaches them.
/// </summary>
public sealed class DeployComposeTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load("deploy", "compose.yml");

    /// <summary>The production hosts' projects; nothing else of ours may be the entry point of an image.</summary>
    private static readonly string[] HostProjects = ["src/Api/FlashFundX.Api.csproj", "src/Worker/FlashFundX.Worker.csproj"];

    private static readonly string[] Built = [.. Compose.Services.Values.Where(s => s.Build is not null).Select(s => s.Name)];

    /// <summary>
    /// The verbs each host's entry point dispatches before it serves (its Program.cs calls the command's TryRunAsync;
    /// the test checks that too), keyed by the name of the assembly the tests load.
    /// </summary>
    private static readonly Dictionary<string, (string Program, (string Command, string Verb)[] Verbs)> HostVerbs = new(StringComparer.Ordinal)
    {
        [typeof(ApiHost).Assembly.GetName().Name!] = ("src/Api/Program.cs", [(nameof(MigrateCommand), MigrateCommand.Verb)]),
        [typeof(WorkerHost).Assembly.GetName().Name!] =
            ("src/Worker/Program.cs", [(nameof(MigrateCommand), MigrateCommand.Verb), (nameof(ReplayCommand), ReplayCommand.Verb)]),
    };

    public static TheoryData<string> BuiltServices { get; } = [.. Built];

    [Fact]
    public void Stack_BuildsTheApiMigrationAndWorkers()
    {
        Assert.Equal(["api", "migrate", "worker"], Built.Order());
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void BuiltService_EntrypointRunsTheAssemblyItsDockerfilePublishes(string service)
    {
        var dockerfile = DockerfileOf(Compose[service]);

        var project = Assert.Single(dockerfile.PublishedProjects);

        Assert.Contains(project, HostProjects);
        Assert.Equal(["dotnet", $"{Dockerfile.AssemblyNameOf(project)}.dll"], dockerfile.Entrypoint);
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void BuiltService_CommandIsServingOrAVerbItsHostHas(string service)
    {
        var command = Compose[service].Command;
        var assembly = Path.GetFileNameWithoutExtension(DockerfileOf(Compose[service]).Entrypoint[^1]);

        Assert.True(HostVerbs.TryGetValue(assembly, out var host), $"{service} runs {assembly}, which is not one of our hosts.");
        if (command.Count > 0)
        {
            var verb = Assert.Single(host.Verbs, v => v.Verb == command[0]);
            Assert.Contains($"{verb.Command}.TryRunAsync(args", File.ReadAllText(RepositoryFiles.PathOf(host.Program)), StringComparison.Ordinal);
        }
    }

    /// <summary>The repository-root files every project's build reads; a build without one differs from the one tested.</summary>
    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void BuiltService_CopiesEveryRootBuildInput(string service)
    {
        var copied = DockerfileOf(Compose[service]).CopiedFromContext;
        var inputs = Directory.EnumerateFiles(RepositoryFiles.Root)
            .Select(Path.GetFileName)
            .Where(name => name is "global.json" or ".editorconfig" or "nuget.config" or "NuGet.config"
                || (name!.StartsWith("Directory.", StringComparison.Ordinal) && name.EndsWith(".props", StringComparison.Ordinal))
                || (name.StartsWith("Directory.", StringComparison.Ordinal) && name.EndsWith(".targets", StringComparison.Ordinal)));

        Assert.Empty(inputs.Except(copied).Order());
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void BuiltService_RunsAsNonRootUser(string service)
    {
        var user = DockerfileOf(Compose[service]).Last("USER");

        Assert.False(user is null or "root" or "0", $"{service}: the final stage runs as '{user ?? "root"}'.");
    }

    [Fact]
    public void ApiImage_ChecksLivenessOnItsPort()
    {
        var api = DockerfileOf(Compose["api"]);

        var healthcheck = api.Last("HEALTHCHECK");

        Assert.NotNull(healthcheck);
        Assert.Contains("/health/live", healthcheck, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", api.Last("ENV"), StringComparison.Ordinal);
        Assert.Contains("/dev/tcp/127.0.0.1/8080", healthcheck, StringComparison.Ordinal);
    }

    /// <summary>Issue 24: the API publishes its public port only; /metrics is on the management port, exposed to the compose network.</summary>
    [Fact]
    public void Api_PublishesOnlyItsPublicPort_MetricsOnTheManagementPort()
    {
        var service = Compose["api"];
        var environment = DockerfileOf(service).Environment;

        Assert.Equal(["${API_PORT:-8080}:8080"], service.Ports);
        Assert.Equal("9464", environment["Metrics__Port"]);
        Assert.Contains("9464", DockerfileOf(service).Last("EXPOSE"), StringComparison.Ordinal);
    }

    [Fact]
    public void Temporal_RegistersOrderSearchAttributes()
    {
        var declared = Compose["temporal"].SearchAttributes();

        Assert.Equal(ComposeService.ExpectedSearchAttributes.OrderBy(e => e.Key), declared.OrderBy(d => d.Key));
    }

    [Fact]
    public void EnvExample_ListsEveryVariableTheComposeFileReads()
    {
        var read = ComposeInterpolation.VariablesIn(string.Join('\n', File.ReadLines(Compose.FilePath).Where(line => !line.TrimStart().StartsWith('#'))));
        var listed = File.ReadLines(Path.Combine(Compose.Directory, ".env.example"))
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2)[0].Trim());

        Assert.Empty(read.Except(listed).Order());
    }

    private static Dockerfile DockerfileOf(ComposeService service)
    {
        // The Dockerfiles copy paths from the repository root: that must be the build context.
        Assert.Equal(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(Compose.Directory, service.Build!.Value.Context)).TrimEnd('/'));
        return Dockerfile.Of(Compose, service);
    }
}

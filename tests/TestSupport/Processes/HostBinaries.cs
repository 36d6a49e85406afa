namespace FlashFundX.TestSupport.Processes;

/// <summary>
/// Built hosts tests run as separate processes with <see cref="HostProcess"/>:
/// <c>src/{Project}/bin/{Configuration}/net10.0/{Assembly}.dll</c>. A test project that references such a project builds
/// it; one that is missing is built once with <c>dotnet build</c>.
/// </summary>
public static class HostBinaries
{
    private static readonly Lazy<string> WorkerDll = new(() => Locate("Worker", "FlashFundX.Worker.dll"), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> DevHostDll = new(() => Locate("DevHost", "FlashFundX.DevHost.dll"), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>src/Worker: the production worker.</summary>
    public static string Worker => WorkerDll.Value;

    /// <summary>src/DevHost: the development run (<c>dotnet run --project src/DevHost</c>).</summary>
    public static string DevHost => DevHostDll.Value;

    private static string Locate(string project, string assembly)
    {
        // …/tests/{Project}.Tests/bin/{Configuration}/{tfm}
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testBin.Name;
        var configuration = testBin.Parent?.Name ?? "Debug";
        var folder = Path.Combine(RepositoryRoot.Path, "src", project);
        var dll = Path.Combine(folder, "bin", configuration, tfm, assembly);
        if (!File.Exists(dll))
        {
            HostProcess.RunAsync(["build", folder, "-c", configuration, "--nologo", "-v", "q", "--disable-build-servers"], TimeSpan.FromMinutes(5))
                .GetAwaiter().GetResult();
        }
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} does not exist after dotnet build.");
    }
}

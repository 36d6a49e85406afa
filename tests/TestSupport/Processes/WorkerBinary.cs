namespace FlashFundX.TestSupport.Processes;

/// <summary>
/// The built src/Worker (<c>src/Worker/bin/{Configuration}/net10.0/FlashFundX.Worker.dll</c>): a test project that
/// references src/Worker builds it; when it is missing it is built once with <c>dotnet build</c>.
/// Run it as a separate process with <see cref="HostProcess"/>.
/// </summary>
public static class WorkerBinary
{
    private static readonly Lazy<string> Located = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Located.Value;

    private static string Locate()
    {
        // …/tests/{Project}.Tests/bin/{Configuration}/{tfm}
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var tfm = testBin.Name;
        var configuration = testBin.Parent?.Name ?? "Debug";
        var project = System.IO.Path.Combine(RepositoryRoot.Path, "src", "Worker");
        var dll = System.IO.Path.Combine(project, "bin", configuration, tfm, "FlashFundX.Worker.dll");
        if (!File.Exists(dll))
        {
            HostProcess.RunAsync(["build", project, "-c", configuration, "--nologo", "-v", "q", "--disable-build-servers"], TimeSpan.FromMinutes(5))
                .GetAwaiter().GetResult();
        }
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} does not exist after dotnet build.");
    }
}

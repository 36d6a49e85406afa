using System.Diagnostics;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>
/// src/Worker as a real, separate process (<c>dotnet FlashFundX.Worker.dll</c>) with a service's
/// <c>WorkerEnvironment()</c>: what a crash drill kills with SIGKILL and starts again.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private const int TailLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();

    private WorkerProcess(Process process, int generation)
    {
        _process = process;
        Generation = generation;
        StartedAt = DateTime.UtcNow;
    }

    public int Generation { get; }

    public int Pid => _process.Id;

    public DateTime StartedAt { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The worker's output so far (last lines), for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        lock (_gate)
        {
            return string.Join('\n', _tail.Skip(Math.Max(0, _tail.Count - lines)));
        }
    }

    /// <summary>True once the worker logged that its host started (its Temporal worker polls from then on).</summary>
    public bool Started { get; private set; }

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> environment, int generation)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var dll = WorkerBinary.Path;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = System.IO.Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        // Nothing of the test process's own Temporal/ASP.NET settings may leak into the worker: only the service's.
        foreach (var name in new[] { "TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY", "TEMPORAL_TASK_QUEUE", "ASPNETCORE_ENVIRONMENT" })
        {
            info.Environment.Remove(name);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        WorkerProcess? worker = null;
        process.OutputDataReceived += (_, e) => worker?.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker?.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start the worker process {dll}.");
        }
        worker = new WorkerProcess(process, generation);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL to the worker (and anything it started): no shutdown hooks, in-flight tasks and activities are lost.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            if (line.Contains("Application started", StringComparison.Ordinal))
            {
                Started = true;
            }
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}

/// <summary>
/// The built src/Worker (<c>src/Worker/bin/{Configuration}/net10.0/FlashFundX.Worker.dll</c>): the drills project
/// references src/Worker, so building the drills builds it; when it is missing it is built once with <c>dotnet build</c>.
/// </summary>
public static class WorkerBinary
{
    private static readonly Lazy<string> Located = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Located.Value;

    private static string Locate()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        // …/tests/Drills.Tests/bin/{Configuration}/{tfm}
        var tfm = testBin.Name;
        var configuration = testBin.Parent?.Name ?? "Debug";
        var root = testBin;
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "FlashFundX.sln")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            throw new InvalidOperationException($"FlashFundX.sln not found above {AppContext.BaseDirectory}.");
        }
        var project = System.IO.Path.Combine(root.FullName, "src", "Worker");
        var dll = System.IO.Path.Combine(project, "bin", configuration, tfm, "FlashFundX.Worker.dll");
        if (!File.Exists(dll))
        {
            Build(project, configuration);
        }
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} does not exist after dotnet build.");
    }

    private static void Build(string project, string configuration)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", project, "-c", configuration, "--nologo", "-v", "q" })
        {
            info.ArgumentList.Add(argument);
        }
        using var build = Process.Start(info)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var error = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(TimeSpan.FromMinutes(5)) || build.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build {project} failed: {output.Result}{error.Result}");
        }
    }
}

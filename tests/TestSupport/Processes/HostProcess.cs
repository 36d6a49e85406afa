using System.Diagnostics;

namespace FlashFundX.TestSupport.Processes;

/// <summary>
/// A <c>dotnet …</c> process started by a test — a built or published host (<c>dotnet FlashFundX.Worker.dll</c>), a verb of
/// one (<c>migrate</c>) or the SDK itself (<c>dotnet publish</c>) — with the environment the test gives it, every output
/// line captured, waits on its events (a line, its exit) and SIGKILL.
/// </summary>
/// <example><code>
/// using var worker = HostProcess.Start([dll], new Dictionary&lt;string, string&gt; { ["DOTNET_ENVIRONMENT"] = "Production" });
/// await worker.WaitForLineAsync(line => line.Contains("Application started"), TimeSpan.FromSeconds(60));
/// var exitCode = await HostProcess.Start([dll, "migrate"], settings).WaitForExitAsync(TimeSpan.FromMinutes(1));
/// </code></example>
public sealed class HostProcess : IDisposable
{
    /// <summary>
    /// Inherited variables that would steer a host away from what the test gives it (the test process's own Temporal
    /// server or task queue, its environment name): removed before the test's own variables are applied.
    /// </summary>
    private static readonly string[] NotInheritedPrefixes = ["TEMPORAL_", "ASPNETCORE_", "DOTNET_ENVIRONMENT"];

    /// <summary>What any process needs to find <c>dotnet</c> and its runtime, kept when nothing else is inherited.</summary>
    private static readonly string[] Essentials = ["PATH", "HOME", "TMPDIR", "LANG", "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_CLI_HOME"];

    private readonly Process _process;
    private readonly List<HostOutputLine> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int _openStreams = 2;

    private HostProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
        StartedAt = DateTime.UtcNow;
    }

    /// <summary><c>dotnet</c> and its arguments, for messages.</summary>
    public string CommandLine { get; }

    public int Pid => _process.Id;

    public DateTime StartedAt { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Every line written so far, standard output and error, in the order they were read.</summary>
    public IReadOnlyList<HostOutputLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="arguments"/></c> in <paramref name="workingDirectory"/> (the folder of the first
    /// argument when it is a file, else the current one) with <paramref name="environment"/> applied last. With
    /// <paramref name="inheritEnvironment"/> the rest of the test process's environment is passed on, except
    /// <c>TEMPORAL_*</c>, <c>ASPNETCORE_*</c> and <c>DOTNET_ENVIRONMENT</c>; without it only what finds <c>dotnet</c> and
    /// its runtime is (PATH, HOME, TMPDIR, LANG, DOTNET_ROOT…): an empty deployment environment.
    /// </summary>
    public static HostProcess Start(
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        bool inheritEnvironment = true) =>
        StartProgram("dotnet", arguments, environment, workingDirectory, inheritEnvironment);

    /// <summary>As <see cref="Start"/>, for another program than <c>dotnet</c> (e.g. <c>bash scripts/backup</c>).</summary>
    public static HostProcess StartProgram(
        string program,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        bool inheritEnvironment = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory
                ?? (arguments.Count > 0 && File.Exists(arguments[0]) ? Path.GetDirectoryName(Path.GetFullPath(arguments[0]))! : Environment.CurrentDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var name in info.Environment.Keys.ToArray())
        {
            var keep = inheritEnvironment
                ? !NotInheritedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                : Essentials.Contains(name, StringComparer.Ordinal);
            if (!keep)
            {
                info.Environment.Remove(name);
            }
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var host = new HostProcess(process, program + " " + string.Join(' ', arguments));
        process.OutputDataReceived += (_, e) => host.Append(HostStream.Output, e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(HostStream.Error, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {host.CommandLine}.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// Runs <c>dotnet <paramref name="arguments"/></c> to its end (e.g. <c>build</c>, <c>publish</c>); throws with its whole
    /// output when it fails or outlasts <paramref name="timeout"/>.
    /// </summary>
    public static async Task RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        using var process = Start(arguments, workingDirectory: workingDirectory);
        var exitCode = await process.WaitForExitAsync(timeout).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{process.CommandLine} exited with {exitCode}:\n{string.Join('\n', process.Text())}");
        }
    }

    /// <summary>The text of every line of <paramref name="stream"/> (both streams when null).</summary>
    public IReadOnlyList<string> Text(HostStream? stream = null) =>
        Lines.Where(l => stream is null || l.Stream == stream).Select(l => l.Text).ToList();

    /// <summary>The last <paramref name="lines"/> lines, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = Text();
        return string.Join('\n', all.Skip(Math.Max(0, all.Count - lines)));
    }

    /// <summary>
    /// Waits until a line (seen already or still to come) matches <paramref name="match"/> and returns it. Fails at once
    /// when the process closes its output without one, and after <paramref name="timeout"/>, naming the output's tail.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var seen = _lines.FirstOrDefault(l => match(l.Text));
            if (seen is not null)
            {
                return seen.Text;
            }
            _waiters.Add((match, found));
        }
        var reason = "before it closed its output";
        try
        {
            await Task.WhenAny(found.Task, _outputClosed.Task).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            reason = $"within {timeout}";
        }
        if (found.Task.IsCompletedSuccessfully)
        {
            return found.Task.Result;
        }
        lock (_gate)
        {
            _waiters.RemoveAll(w => w.Found == found);
        }
        throw new TimeoutException($"{CommandLine} (pid {Pid}) wrote no line {what ?? "matching"} {reason}; last output:\n{Tail()}");
    }

    /// <summary>Waits until the process exits and its output is read; its exit code. After <paramref name="timeout"/> throws, naming the output's tail.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"{CommandLine} (pid {Pid}) did not exit within {timeout}; output:\n{Tail(400)}", e);
        }
        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the process and everything it started: no shutdown hooks run, in-flight work is lost.</summary>
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
            // Already gone.
        }
        _process.Dispose();
    }

    private void Append(HostStream stream, string? text)
    {
        lock (_gate)
        {
            if (text is null)
            {
                if (--_openStreams == 0)
                {
                    _outputClosed.TrySetResult();
                }
                return;
            }
            _lines.Add(new HostOutputLine(stream, text));
            foreach (var waiter in _waiters.Where(w => w.Match(text)).ToArray())
            {
                waiter.Found.TrySetResult(text);
                _waiters.Remove(waiter);
            }
        }
    }
}

public enum HostStream
{
    Output,
    Error,
}

/// <summary>One line a <see cref="HostProcess"/> wrote.</summary>
public sealed record HostOutputLine(HostStream Stream, string Text)
{
    public override string ToString() => $"[{Stream}] {Text}";
}

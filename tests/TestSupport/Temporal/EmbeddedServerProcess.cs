using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlashFundX.TestSupport.Temporal;

/// <summary>
/// The embedded Temporal server started as its own program (<c>FlashFundX.EmbeddedTemporal.dll --port N</c>), as a
/// developer runs it and as a real cluster runs apart from the service: the standalone-server tests stop it with
/// SIGTERM, and the e2e bench (<c>--temporal-process</c>) counts its CPU and memory on their own.
/// </summary>
public sealed class EmbeddedServerProcess : IDisposable
{
    private readonly Process _process;

    private EmbeddedServerProcess(Process process, string target)
    {
        _process = process;
        Target = target;
    }

    /// <summary><c>host:port</c>, for <c>TEMPORAL_ADDRESS</c>.</summary>
    public string Target { get; }

    public Process Process => _process;

    public int Pid => _process.Id;

    /// <summary>Starts the program on a free port and waits until it listens (at most <paramref name="timeout"/>).</summary>
    public static async Task<EmbeddedServerProcess> StartAsync(TimeSpan timeout, params string[] extraArgs)
    {
        ArgumentNullException.ThrowIfNull(extraArgs);
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "FlashFundX.EmbeddedTemporal.dll");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        foreach (var arg in extraArgs)
        {
            info.ArgumentList.Add(arg);
        }
        // A server's GC, as the service's own processes have.
        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {dll}.");
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                // End of its output: it exited without listening, so there is no point waiting for the timeout.
                listening.TrySetException(new InvalidOperationException($"The embedded Temporal server process exited before listening on port {port}."));
            }
            else if (e.Data.StartsWith("Embedded Temporal server on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        };
        // Read but unused: a full stderr pipe would block the server.
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new EmbeddedServerProcess(process, $"127.0.0.1:{port}");
        try
        {
            await listening.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            server.Dispose();
            throw new InvalidOperationException($"The embedded Temporal server process did not listen on port {port} within {timeout}.");
        }
        catch (InvalidOperationException)
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>Sends SIGTERM, as a service manager or container runtime stops a process.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>The process's peak resident memory (VmHWM), or null when it cannot be read.</summary>
    public long? PeakWorkingSet()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kib is null ? null : long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

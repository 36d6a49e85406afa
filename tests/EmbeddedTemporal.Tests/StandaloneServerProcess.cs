using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>The embedded server started as its own program (<c>FlashFundX.EmbeddedTemporal.dll --port N</c>), as a developer runs it.</summary>
internal sealed class StandaloneServerProcess : IDisposable
{
    private readonly Process _process;

    private StandaloneServerProcess(Process process, string target)
    {
        _process = process;
        Target = target;
    }

    public string Target { get; }

    public Process Process => _process;

    public static async Task<StandaloneServerProcess> StartAsync(params string[] extraArgs)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FlashFundX.EmbeddedTemporal.dll"));
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        foreach (var arg in extraArgs)
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the embedded server program.");
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("The embedded server program exited before listening."));
            }
            else if (e.Data.StartsWith("Embedded Temporal server on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new StandaloneServerProcess(process, $"127.0.0.1:{port}");
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
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
        await kill.WaitForExitAsync();
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

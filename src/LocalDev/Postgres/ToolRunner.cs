using System.Diagnostics;

namespace FlashFundX.LocalDev.Postgres;

/// <summary>
/// Runs the PostgreSQL tools. PostgreSQL refuses to run as root, so as root every tool runs as the
/// <c>postgres</c> user through <c>runuser</c> and the cluster's folders are handed to that user.
/// </summary>
internal static class ToolRunner
{
    private const string ServiceUser = "postgres";

    public static bool RunningAsRoot { get; } = OperatingSystem.IsLinux() && Environment.UserName == "root";

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        if (RunningAsRoot)
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(ServiceUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(tool);
        }
        else
        {
            info.FileName = tool;
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // Messages are parsed for diagnostics only; keep them in English.
        info.Environment["LC_ALL"] = "C";
        info.Environment["LANG"] = "C";

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
            throw new TimeoutException($"{Path.GetFileName(tool)} did not finish within {timeout.TotalSeconds:0}s.");
        }
        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        return (process.ExitCode, output.Trim());
    }

    public static async Task<string> RunCheckedAsync(
        string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(tool, arguments, timeout, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(tool)} {string.Join(' ', arguments)} failed with exit code {exitCode}: {output}");
        }
        return output;
    }

    /// <summary>
    /// Whether the tools can reach <paramref name="directory"/>: always when they run as the current user; as root,
    /// whether the postgres user can traverse every folder down to it (a clone in a mode-700 /root cannot).
    /// </summary>
    public static async Task<bool> CanReachAsync(string directory, CancellationToken cancellationToken)
    {
        if (!RunningAsRoot)
        {
            return true;
        }
        var (exitCode, _) = await RunAsync("test", ["-x", directory], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return exitCode == 0;
    }

    /// <summary>The postgres user's home folder (Debian: /var/lib/postgresql), or null when it has none.</summary>
    public static string? ServiceUserHome()
    {
        const string passwd = "/etc/passwd";
        var home = File.Exists(passwd)
            ? File.ReadLines(passwd).Select(line => line.Split(':')).FirstOrDefault(f => f.Length > 5 && f[0] == ServiceUser)?[5]
            : null;
        return !string.IsNullOrEmpty(home) && Directory.Exists(home) ? home : null;
    }

    /// <summary>Gives a folder (recursively) to the postgres user when running as root; otherwise nothing to do.</summary>
    public static async Task HandOverAsync(string directory, CancellationToken cancellationToken)
    {
        if (!RunningAsRoot)
        {
            return;
        }
        var info = new ProcessStartInfo("chown") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-R");
        info.ArgumentList.Add($"{ServiceUser}:");
        info.ArgumentList.Add(directory);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start chown.");
        var error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown -R {ServiceUser}: {directory} failed: {error.Trim()}");
        }

        var (canWrite, _) = await RunAsync("test", ["-w", directory], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (canWrite != 0)
        {
            throw new InvalidOperationException(
                $"The '{ServiceUser}' user cannot write to {directory}; every parent folder must be traversable (o+x) by it. " +
                "Use a data folder outside /root or set ConnectionStrings__FlashFundX.");
        }
    }
}

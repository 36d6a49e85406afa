using FlashFundX.Ops.Tests.Support;
using FlashFundX.TestSupport.Processes;

namespace FlashFundX.Ops.Tests.Backups;

/// <summary>Runs <c>scripts/backup</c> and <c>scripts/restore</c> as an operator would, against one database.</summary>
internal static class BackupScripts
{
    public static Task<ScriptResult> BackupAsync(string connectionString, params string[] arguments) =>
        RunAsync("backup", connectionString, arguments);

    /// <summary>The migration check runs the built src/Worker (<see cref="WorkerBinary"/>) as the published one would.</summary>
    public static Task<ScriptResult> RestoreAsync(string connectionString, params string[] arguments) =>
        RunAsync("restore", connectionString, arguments);

    private static async Task<ScriptResult> RunAsync(string script, string connectionString, string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__FlashFundX"] = connectionString,
            ["FLASHFUNDX_WORKER_DLL"] = WorkerBinary.Path,
        };
        using var process = HostProcess.StartProgram("bash", [RepositoryFiles.PathOf("scripts", script), .. arguments], environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return new ScriptResult(exitCode, string.Join('\n', process.Text()));
    }
}

internal sealed record ScriptResult(int ExitCode, string Output)
{
    /// <summary>The last line: scripts/backup prints the new file's path there.</summary>
    public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
}

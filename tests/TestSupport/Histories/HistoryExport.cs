using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Temporalio.Common;

namespace FlashFundX.TestSupport.Histories;

/// <summary>
/// Saves a workflow test's history as <c>tests/histories/{name}.json</c>, the corpus the replay test (and
/// <c>FlashFundX.Worker replay</c>) runs the current workflow code over. A saved file is the record of a path, so it is
/// only written when missing, or when <c>FLASHFUNDX_EXPORT_HISTORIES=1</c> asks to record it again (docs/operations.md,
/// "Changing the workflow"). Same JSON as <c>temporal workflow show --output json</c>, indented for review.
/// </summary>
public static partial class HistoryExport
{
    public const string RefreshVariable = "FLASHFUNDX_EXPORT_HISTORIES";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The <c>tests/histories</c> folder of this checkout (found by walking up to FlashFundX.sln).</summary>
    public static string Folder => Path.Combine(RepositoryRoot(), "tests", "histories");

    /// <param name="history">From <c>handle.FetchHistoryAsync()</c>.</param>
    /// <param name="name">The workflow path it shows, e.g. <c>paid-by-ipn</c> (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</param>
    /// <returns>The file written, or null when it existed and no refresh was asked for.</returns>
    public static async Task<string?> SaveAsync(WorkflowHistory history, string name)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (string.IsNullOrWhiteSpace(name) || !SafeName().IsMatch(name))
        {
            throw new ArgumentException($"History name '{name}' must be letters, digits, '-', '_' or '.'.", nameof(name));
        }
        var file = Path.Combine(Folder, name + ".json");
        if (File.Exists(file) && Environment.GetEnvironmentVariable(RefreshVariable) != "1")
        {
            return null;
        }
        Directory.CreateDirectory(Folder);
        var json = JsonNode.Parse(history.ToJson())!.ToJsonString(Indented) + Environment.NewLine;
        // Written beside and moved in, so a replay test running in parallel never reads half a file.
        var partial = file + ".partial";
        await File.WriteAllTextAsync(partial, json).ConfigureAwait(false);
        File.Move(partial, file, overwrite: true);
        return file;
    }

    /// <summary>
    /// Every run of a continued-as-new order: <c>{name}.json</c> for the first, <c>{name}.run2.json</c>… after.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SaveRunsAsync(IReadOnlyList<WorkflowHistory> runs, string name)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var written = new List<string>();
        for (var i = 0; i < runs.Count; i++)
        {
            if (await SaveAsync(runs[i], i == 0 ? name : $"{name}.run{i + 1}").ConfigureAwait(false) is { } file)
            {
                written.Add(file);
            }
        }
        return written;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlashFundX.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"FlashFundX.sln not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}

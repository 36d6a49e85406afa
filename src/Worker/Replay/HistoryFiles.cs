using Temporalio.Common;

namespace FlashFundX.Worker.Replay;

/// <summary>
/// Temporal history JSON files, as written by <c>temporal workflow show --output json</c>, the Web UI's download
/// and our tests (<c>tests/histories/</c>).
/// </summary>
public static class HistoryFiles
{
    /// <summary>The file itself, or every <c>*.json</c> under the folder (recursively), sorted for a stable report.</summary>
    public static IReadOnlyList<string> Find(string fileOrFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileOrFolder);
        if (File.Exists(fileOrFolder))
        {
            return [Path.GetFullPath(fileOrFolder)];
        }
        if (Directory.Exists(fileOrFolder))
        {
            return [.. Directory.EnumerateFiles(fileOrFolder, "*.json", SearchOption.AllDirectories)
                .Select(Path.GetFullPath)
                .Order(StringComparer.Ordinal)];
        }
        throw new FileNotFoundException($"No history file or folder at '{fileOrFolder}'.", fileOrFolder);
    }

    /// <summary>
    /// Reads one history. The JSON does not carry the workflow id, so the file name stands in for it
    /// (<c>order-FFX123456789.json</c> → <c>order-FFX123456789</c>); replay does not depend on it.
    /// </summary>
    public static async Task<WorkflowHistory> LoadAsync(string file, CancellationToken cancellationToken = default)
    {
        var json = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        return WorkflowHistory.FromJson(Path.GetFileNameWithoutExtension(file), json);
    }
}

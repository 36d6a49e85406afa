using Temporalio.Exceptions;

namespace FlashFundX.Worker.Replay;

/// <summary>
/// <c>FlashFundX.Worker replay &lt;file-or-folder&gt;...</c>: replays exported histories with this build's
/// <see cref="FlashFundX.Workflows.Orders.OrderFulfillmentWorkflow"/> and prints one line per history.
/// Exit code 0: every history replays; 1: at least one does not (do not deploy); 2: bad arguments or no histories.
/// </summary>
public static class ReplayCommand
{
    public const string Verb = "replay";

    public const int Replayed = 0;
    public const int ReplayFailed = 1;
    public const int UsageError = 2;

    private const string Usage = """
        Usage: FlashFundX.Worker replay <history.json | folder> [more files or folders...]
          Replays Temporal histories (temporal workflow show -w order-FFX123456789 --output json > order-FFX123456789.json)
          with this build's OrderFulfillmentWorkflow. Exit 0: all replay; 1: a change would break such runs; 2: usage.
        """;

    /// <summary>Null when <paramref name="args"/> is not a replay invocation (the host starts as usual); else the exit code.</summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || !string.Equals(args[0], Verb, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        output ??= Console.Out;
        var targets = args.Skip(1).ToArray();
        if (targets.Length == 0 || targets.Any(t => t is "-h" or "--help"))
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return UsageError;
        }

        List<string> files;
        try
        {
            files = [.. targets.SelectMany(HistoryFiles.Find).Distinct(StringComparer.Ordinal)];
        }
        catch (FileNotFoundException e)
        {
            await output.WriteLineAsync(e.Message).ConfigureAwait(false);
            return UsageError;
        }
        if (files.Count == 0)
        {
            await output.WriteLineAsync($"No *.json histories under {string.Join(", ", targets)}.").ConfigureAwait(false);
            return UsageError;
        }

        await output.WriteLineAsync($"Replaying {files.Count} histor{(files.Count == 1 ? "y" : "ies")} with this build's OrderFulfillmentWorkflow").ConfigureAwait(false);
        var outcomes = await HistoryReplay.ReplayAsync(files, cancellationToken).ConfigureAwait(false);
        foreach (var outcome in outcomes)
        {
            await output.WriteLineAsync(Describe(outcome)).ConfigureAwait(false);
        }
        var failed = outcomes.Count(o => !o.Passed);
        await output.WriteLineAsync($"{outcomes.Count - failed} replayed, {failed} failed.").ConfigureAwait(false);
        if (outcomes.Any(o => o.Failure is WorkflowNondeterminismException))
        {
            await output.WriteLineAsync(
                "Nondeterminism: this build would fail running orders like these. Before the first release, record the " +
                "histories again; after it, guard the change with a patch (docs/operations.md, \"Changing the workflow\").").ConfigureAwait(false);
        }
        return failed == 0 ? Replayed : ReplayFailed;
    }

    private static string Describe(HistoryReplayOutcome outcome)
    {
        var name = Path.GetFileName(outcome.File);
        if (outcome.Passed)
        {
            return $"  ok    {name} ({outcome.EventCount} events)";
        }
        var kind = outcome switch
        {
            { Unreadable: true } => "not a readable history",
            { Failure: WorkflowNondeterminismException } => "NONDETERMINISM",
            _ => "replay failed",
        };
        // Only the failure's message: it names commands and event ids, never payloads (which may hold customer data).
        var message = outcome.Failure!.Message.ReplaceLineEndings(" ");
        return $"  FAIL  {name} ({outcome.EventCount} events): {kind}: {outcome.Failure.GetType().Name}: {message}";
    }
}

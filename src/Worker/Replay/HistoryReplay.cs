using FlashFundX.Workflows.Orders;
using Temporalio.Worker;

namespace FlashFundX.Worker.Replay;

/// <summary>
/// Replays recorded histories against the workflow code in this build: the check that a deploy will not break
/// running orders (a changed command sequence without a patch fails with a nondeterminism error).
/// </summary>
public static class HistoryReplay
{
    public static WorkflowReplayerOptions ReplayerOptions() => new WorkflowReplayerOptions().AddWorkflow<OrderFulfillmentWorkflow>();

    public static async Task<IReadOnlyList<HistoryReplayOutcome>> ReplayAsync(IEnumerable<string> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var replayer = new WorkflowReplayer(ReplayerOptions());
        var outcomes = new List<HistoryReplayOutcome>();
        foreach (var file in files)
        {
            Temporalio.Common.WorkflowHistory history;
            try
            {
                history = await HistoryFiles.LoadAsync(file, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // any unreadable file is reported with the others, not fatal to the run
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                outcomes.Add(new HistoryReplayOutcome(file, 0, e, Unreadable: true));
                continue;
            }
            var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false, cancellationToken).ConfigureAwait(false);
            if (IsDeadlockTimeout(result.ReplayFailure))
            {
                // The SDK fails a workflow task that holds the thread for 2 s; on a starved CI machine the first, cold
                // (JIT-compiling) activation can. Once warm, a real deadlock still fails; a slow start does not.
                result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false, cancellationToken).ConfigureAwait(false);
            }
            outcomes.Add(new HistoryReplayOutcome(file, history.Events.Count, result.ReplayFailure));
        }
        return outcomes;
    }

    private static bool IsDeadlockTimeout(Exception? failure) =>
        failure?.Message.Contains("[TMPRL1101]", StringComparison.Ordinal) == true;
}

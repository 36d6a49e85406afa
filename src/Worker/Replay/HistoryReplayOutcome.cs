namespace FlashFundX.Worker.Replay;

/// <summary>One history file run through the replayer.</summary>
/// <param name="File">The history file.</param>
/// <param name="EventCount">Events in the history; 0 when it could not be read.</param>
/// <param name="Failure">
/// Null when the current code replays the history exactly; otherwise why not: a
/// <see cref="Temporalio.Exceptions.WorkflowNondeterminismException"/> for a change that would break runs like this
/// one, or the error that kept the file from being read.
/// </param>
/// <param name="Unreadable">True when the file is not a Temporal history (the failure is a load error, not a replay one).</param>
public sealed record HistoryReplayOutcome(string File, int EventCount, Exception? Failure, bool Unreadable = false)
{
    public bool Passed => Failure is null;
}

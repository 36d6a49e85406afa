using FlashFundX.TestSupport.Histories;
using FlashFundX.Worker.Replay;

namespace FlashFundX.Ops.Tests.Replay;

/// <summary>
/// The deploy gate: the current workflow code must replay every history in <c>tests/histories/</c> (one per workflow
/// path, exported by the workflow tests through <see cref="HistoryExport"/>). A failure here means orders running
/// right now would break on this build; guard the change with <c>Workflow.Patched</c> (docs/operations.md).
/// </summary>
public sealed class RecordedHistoriesReplayTests
{
    private const string NoHistoriesYet = "(no histories yet)";

    public static TheoryData<string> Histories()
    {
        var folder = HistoryExport.Folder;
        var files = Directory.Exists(folder) ? HistoryFiles.Find(folder) : [];
        var data = new TheoryData<string>();
        foreach (var file in files)
        {
            data.Add(Path.GetRelativePath(folder, file));
        }
        if (files.Count == 0)
        {
            // Until the workflow tests have exported their first histories; one case keeps the theory valid.
            data.Add(NoHistoriesYet);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public async Task Replay_RecordedHistory_CurrentCodeIsDeterministic(string history)
    {
        if (history == NoHistoriesYet)
        {
            return;
        }

        var outcome = Assert.Single(await HistoryReplay.ReplayAsync([Path.Combine(HistoryExport.Folder, history)]));

        Assert.True(outcome.Passed, $"{history} no longer replays: {outcome.Failure}");
    }
}

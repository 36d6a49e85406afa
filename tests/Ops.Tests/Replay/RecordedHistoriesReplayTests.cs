using FlashFundX.TestSupport.Histories;
using FlashFundX.Worker.Replay;

namespace FlashFundX.Ops.Tests.Replay;

/// <summary>
/// The deploy gate: the current workflow code must replay every history in <c>tests/histories/</c> (one per workflow
/// path, recorded by the workflow tests through <see cref="HistoryExport"/>). Before the first release a failure here
/// means the histories need recording again; after it, that running orders would break on this build
/// (docs/operations.md, "Changing the workflow").
/// </summary>
public sealed class RecordedHistoriesReplayTests
{
    public static TheoryData<string> Histories()
    {
        var data = new TheoryData<string>();
        foreach (var file in HistoryFiles.Find(HistoryExport.Folder))
        {
            data.Add(Path.GetRelativePath(HistoryExport.Folder, file));
        }
        return data;
    }

    [Fact]
    public void Histories_Recorded_OnePerPath()
    {
        Assert.NotEmpty(Histories());
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public async Task Replay_RecordedHistory_CurrentCodeIsDeterministic(string history)
    {
        var outcome = Assert.Single(await HistoryReplay.ReplayAsync([Path.Combine(HistoryExport.Folder, history)]));

        Assert.True(outcome.Passed, $"{history} no longer replays: {outcome.Failure}");
    }
}

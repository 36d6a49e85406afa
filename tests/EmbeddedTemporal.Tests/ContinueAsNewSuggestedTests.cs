using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>
/// The workflow task started event suggests continue-as-new once the history reaches the server's limits, and the
/// workflow sees it as <c>Workflow.ContinueAsNewSuggested</c>. A server of its own, with limits small enough to reach.
/// </summary>
public sealed class ContinueAsNewSuggestedTests
{
    [Theory]
    [InlineData(40, long.MaxValue, SuggestContinueAsNewReason.TooManyHistoryEvents)]
    [InlineData(long.MaxValue, 3000, SuggestContinueAsNewReason.HistorySizeTooLarge)]
    public async Task HistoryReachesLimit_TaskStartedSuggestsContinueAsNew_WorkflowSeesIt(long countLimit, long sizeLimit, SuggestContinueAsNewReason reason)
    {
        await using var server = await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions
        {
            HistoryCountSuggestContinueAsNew = countLimit,
            HistorySizeSuggestContinueAsNew = sizeLimit,
        });
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target));
        var options = new TemporalWorkerOptions(TemporalTestEnvironment.NewTaskQueue()).AddWorkflow<HistoryGrowthWorkflow>();
        using var worker = new TemporalWorker(client, options);
        var (handle, seenAt) = await worker.ExecuteAsync(async () =>
        {
            var h = await client.StartWorkflowAsync((HistoryGrowthWorkflow wf) => wf.RunAsync(500), new($"suggested-{Guid.NewGuid():N}", options.TaskQueue!));
            return (h, await h.GetResultAsync());
        });

        Assert.True(seenAt > 0, "the workflow never saw ContinueAsNewSuggested");
        var history = await handle.FetchHistoryAsync();
        var started = history.Events.Where(e => e.EventType == EventType.WorkflowTaskStarted).ToList();
        Assert.Contains(started, e => !e.WorkflowTaskStartedEventAttributes.SuggestContinueAsNew);
        foreach (var e in started)
        {
            var attributes = e.WorkflowTaskStartedEventAttributes;
            var reached = reason == SuggestContinueAsNewReason.TooManyHistoryEvents
                ? e.EventId >= countLimit
                : attributes.HistorySizeBytes >= sizeLimit;
            Assert.Equal(reached, attributes.SuggestContinueAsNew);
            Assert.Equal(reached ? [reason] : [], attributes.SuggestContinueAsNewReasons);
        }
        // The workflow saw it in the first task whose started event carried it.
        var first = started.First(e => e.WorkflowTaskStartedEventAttributes.SuggestContinueAsNew);
        Assert.Equal(first.EventId, seenAt);

        var replayer = new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<HistoryGrowthWorkflow>());
        Assert.Null((await replayer.ReplayWorkflowAsync(history)).ReplayFailure);
    }
}

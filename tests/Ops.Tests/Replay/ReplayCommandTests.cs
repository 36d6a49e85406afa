using System.Text.Json.Nodes;
using FlashFundX.ServiceDefaults.SearchAttributes;
using FlashFundX.Ops.Tests.Support;
using FlashFundX.TestSupport.Histories;
using FlashFundX.TestSupport.Temporal;
using FlashFundX.Worker.Replay;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;
using Temporalio.Common;
using Temporalio.Worker;

namespace FlashFundX.Ops.Tests.Replay;

[Collection(TemporalCollection.Name)]
public sealed class ReplayCommandTests(TemporalTestEnvironment environment) : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("ffx-replay-");

    [Fact]
    public async Task TryRunAsync_OtherArguments_IsNotAReplay()
    {
        Assert.Null(await ReplayCommand.TryRunAsync([]));
        Assert.Null(await ReplayCommand.TryRunAsync(["--urls", "http://localhost:5000"]));
    }

    [Theory]
    [InlineData]
    [InlineData("/no/such/history.json")]
    public async Task TryRunAsync_NoUsableTarget_ExitsWithUsageError(params string[] targets)
    {
        using var output = new StringWriter();

        var exit = await ReplayCommand.TryRunAsync(["replay", .. targets], output);

        Assert.Equal(ReplayCommand.UsageError, exit);
    }

    [Fact]
    public async Task TryRunAsync_HistoryOfCurrentCode_Replays()
    {
        var history = await RunRejectedInvoiceOrderAsync();
        await SaveAsync(history, "order-current.json");
        using var output = new StringWriter();

        var exit = await ReplayCommand.TryRunAsync(["replay", folder.FullName], output);

        Assert.True(exit == ReplayCommand.Replayed, output.ToString());
        Assert.Contains("ok    order-current.json", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryRunAsync_HistoryTheCodeNoLongerProduces_FailsWithNondeterminismReport()
    {
        // A recorded delivery, whose order e-mail is an activity task: it replays unaltered (RecordedHistoriesReplayTests).
        var recorded = Path.Combine(HistoryExport.Folder, "paid-by-ipn.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(recorded))!;
        var scheduled = json["events"]!.AsArray().First(e => e!["activityTaskScheduledEventAttributes"] is not null)!;
        // As if another build had called another activity there: the current code must refuse to continue that run.
        scheduled["activityTaskScheduledEventAttributes"]!["activityType"]!["name"] = "ReserveAccount";
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "order-old.json"), json.ToJsonString());
        using var output = new StringWriter();

        var exit = await ReplayCommand.TryRunAsync(["replay", Path.Combine(folder.FullName, "order-old.json")], output);

        Assert.Equal(ReplayCommand.ReplayFailed, exit);
        Assert.Contains("FAIL  order-old.json", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("NONDETERMINISM", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryRunAsync_FileThatIsNoHistory_FailsNamingIt()
    {
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "notes.json"), "{\"not\": \"a history\"");
        using var output = new StringWriter();

        var exit = await ReplayCommand.TryRunAsync(["replay", folder.FullName], output);

        Assert.Equal(ReplayCommand.ReplayFailed, exit);
        Assert.Contains("notes.json (0 events): not a readable history", output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => folder.Delete(recursive: true);

    private Task SaveAsync(WorkflowHistory history, string name) =>
        File.WriteAllTextAsync(Path.Combine(folder.FullName, name), history.ToJson());

    private async Task<WorkflowHistory> RunRejectedInvoiceOrderAsync()
    {
        await SearchAttributeRegistrar.EnsureRegisteredAsync(environment.Client, OrderSearchAttributes.All);
        using var worker = environment.CreateWorker(options =>
            options.AddWorkflow<OrderFulfillmentWorkflow>()
                .AddActivity(RejectedInvoiceActivities.CreateInvoiceAsync)
                .AddActivity(RejectedInvoiceActivities.SyncOrderAsync));
        var input = new OrderFulfillmentInput(
            $"FFX{Random.Shared.Next(100_000_000, 999_999_999)}", Guid.NewGuid(), AccountType.TwoStep, 10_000, TradingPlatform.Mt5,
            99m, "usd", "usdt_bsc", new FulfillmentSettings());
        return await worker.ExecuteAsync(async () =>
        {
            var handle = await environment.Client.StartWorkflowAsync(
                (OrderFulfillmentWorkflow wf) => wf.RunAsync(input), OrderFulfillmentStart.Options(input, worker.Options.TaskQueue!));
            await handle.GetResultAsync();
            return await handle.FetchHistoryAsync();
        });
    }
}

using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Histories;
using FlashFundX.ServiceDefaults.SearchAttributes;
using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>
/// One order's run on a real Temporalio worker (own task queue, in-memory activities): start it, signal it,
/// watch it, and at the end replay every run of its history to prove the workflow is deterministic.
/// </summary>
public sealed class FulfillmentHarness : IAsyncDisposable
{
    private static int orderSequence = Random.Shared.Next(100_000_000, 900_000_000);
    private readonly TemporalTestEnvironment environment;
    private readonly TemporalWorker worker;
    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;
    private WorkflowHandle<OrderFulfillmentWorkflow, FulfillmentResult>? handle;

    /// <param name="startWorker">False to start the worker later (<see cref="StartWorker"/>), e.g. after signals.</param>
    public FulfillmentHarness(TemporalTestEnvironment environment, WorkerCache cache, InMemoryFulfillmentActivities? activities = null, bool startWorker = true)
    {
        this.environment = environment;
        Activities = activities ?? new InMemoryFulfillmentActivities();
        worker = environment.CreateWorker(options =>
        {
            options.AddWorkflow<OrderFulfillmentWorkflow>().AddAllActivities(Activities);
            if (cache == WorkerCache.Uncached)
            {
                options.MaxCachedWorkflows = 0;
            }
        });
        if (startWorker)
        {
            StartWorker();
        }
    }

    /// <summary>Starts polling; only for a harness made with <c>startWorker: false</c>.</summary>
    public void StartWorker() => running = worker.ExecuteAsync(stop.Token);

    public InMemoryFulfillmentActivities Activities { get; }

    public ITemporalClient Client => environment.Client;

    public WorkflowHandle<OrderFulfillmentWorkflow, FulfillmentResult> Handle =>
        handle ?? throw new InvalidOperationException("Start the order first.");

    public OrderFulfillmentInput Input { get; private set; } = null!;

    public static string NewOrderId() => $"FFX{Interlocked.Increment(ref orderSequence):D9}";

    public static OrderFulfillmentInput NewInput(FulfillmentSettings? settings = null) => new(
        NewOrderId(),
        Guid.NewGuid(),
        AccountType.TwoStep,
        10_000,
        TradingPlatform.Mt5,
        99m,
        "usd",
        "usdt_bsc",
        settings ?? new FulfillmentSettings());

    public string TaskQueue => worker.Options.TaskQueue!;

    public async Task<WorkflowHandle<OrderFulfillmentWorkflow, FulfillmentResult>> StartAsync(OrderFulfillmentInput? input = null, WorkflowOptions? options = null)
    {
        Input = input ?? NewInput();
        await SearchAttributeRegistrar.EnsureRegisteredAsync(Client, OrderSearchAttributes.All);
        handle = await Client.StartWorkflowAsync(
            (OrderFulfillmentWorkflow wf) => wf.RunAsync(Input),
            options ?? OrderFulfillmentStart.Options(Input, TaskQueue));
        return handle;
    }

    /// <summary>Sends an IPN as the webhook would; a paid status reports the full amount as actually paid, others nothing.</summary>
    public Task SignalPaymentAsync(string status, decimal? amount = 99m, string? currency = "usd", decimal? actuallyPaid = null, string? parentPaymentId = null, string paymentId = "5077125051")
    {
        var updates = new PaymentUpdates(
            [new PaymentUpdate(paymentId, status, amount, currency, actuallyPaid ?? (PaymentTransitions.DefaultPaidStatuses.Contains(status) ? amount : 0m), "usdtbsc", parentPaymentId)]);
        return Handle.SignalAsync(wf => wf.PaymentStatusesChangedAsync(updates));
    }

    /// <summary>Several IPNs in one signal, as the API's dispatcher sends the reports it stored together.</summary>
    public Task SignalPaymentsAsync(params string[] statuses)
    {
        var updates = new PaymentUpdates(statuses.Select(status =>
            new PaymentUpdate("5077125051", status, 99m, "usd", PaymentTransitions.DefaultPaidStatuses.Contains(status) ? 99m : 0m, "usdtbsc")).ToArray());
        return Handle.SignalAsync(wf => wf.PaymentStatusesChangedAsync(updates));
    }

    public Task<OrderProgress> StatusAsync() => Handle.QueryAsync(wf => wf.GetStatus());

    /// <summary>Waits (in real time, clock locked) until the GetStatus query shows what the test expects.</summary>
    public Task<OrderProgress> WaitForAsync(Func<OrderProgress, bool> condition, string what) =>
        Eventually.WaitAsync(StatusAsync, condition, what: $"order {Input.OrderId}: {what}", interval: TimeSpan.FromMilliseconds(50));

    public Task<OrderProgress> WaitForStageAsync(OrderStage stage) => WaitForAsync(s => s.Stage == stage, $"stage {stage}");

    public async Task<FulfillmentResult> ResultAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            return await Handle.GetResultAsync().WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var paths = new List<string>();
            foreach (var history in await HistoriesAsync())
            {
                paths.Add(await KeepHistoryAsync(history, "stuck"));
            }
            throw new TimeoutException($"The workflow did not finish within 3 minutes; its histories are in {string.Join(", ", paths)}");
        }
    }

    private static async Task<string> KeepHistoryAsync(WorkflowHistory history, string why)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ffx-{why}-{history.Id}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, history.ToJson());
        return path;
    }

    /// <summary>
    /// A run left open by a failed test would hold workflow tasks nobody polls, and pending tasks stop the time-skipping
    /// server's clock for every later test, so it is terminated.
    /// </summary>
    private async Task TerminateIfRunningAsync()
    {
        if (handle is null)
        {
            return;
        }
        try
        {
            var description = await Client.GetWorkflowHandle(handle.Id).DescribeAsync();
            if (description.Status == WorkflowExecutionStatus.Running)
            {
                await Client.GetWorkflowHandle(handle.Id).TerminateAsync("test finished");
            }
        }
        catch (Temporalio.Exceptions.RpcException)
        {
            // Already closed or gone.
        }
    }

    /// <summary>Every run of the order, oldest first, following continue-as-new.</summary>
    public async Task<IReadOnlyList<WorkflowHistory>> HistoriesAsync()
    {
        var histories = new List<WorkflowHistory>();
        string? runId = Handle.FirstExecutionRunId ?? Handle.RunId;
        while (runId is not null)
        {
            var history = await Client.GetWorkflowHandle(Handle.Id, runId).FetchHistoryAsync();
            histories.Add(history);
            runId = history.Events.LastOrDefault(e => e.EventType == EventType.WorkflowExecutionContinuedAsNew)
                ?.WorkflowExecutionContinuedAsNewEventAttributes.NewExecutionRunId;
        }
        return histories;
    }

    /// <summary>
    /// Replays every run on a fresh replayer: any nondeterminism in the workflow code fails here. With a name, the
    /// runs are also kept in <c>tests/histories/</c> (when missing) as the deploy gate's record of that path.
    /// </summary>
    public async Task ReplayAsync(string? exportAs = null)
    {
        var histories = await HistoriesAsync();
        var replayer = new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<OrderFulfillmentWorkflow>());
        foreach (var history in histories)
        {
            var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false);
            if (result.ReplayFailure is { } failure)
            {
                // The history is what a failure here is about: keep it for whoever reads the test's output.
                var path = await KeepHistoryAsync(history, "replay-failure");
                Assert.Fail($"Replay of {history.Id} failed ({failure.Message}); its history is in {path}");
            }
        }
        if (exportAs is not null)
        {
            await HistoryExport.SaveRunsAsync(histories, exportAs);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await TerminateIfRunningAsync();
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // The worker stops by cancellation.
        }
        worker.Dispose();
        stop.Dispose();
    }
}

using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>
/// Sticky dispatch: a worker that completes a task naming its sticky queue gets later tasks there with only the
/// events after its last task; when it stops polling or shuts down, the task falls back to the normal queue
/// with full history. The raw poll RPCs play the cached worker so the histories can be inspected.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class StickyDispatchTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    private static readonly TimeSpan StickyTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task CachedWorker_NextTask_GetsOnlyEventsAfterPreviousStarted()
    {
        var (handle, tq, sticky, first) = await StartAndCompleteFirstTaskStickyAsync(TimeSpan.FromMinutes(1));
        // The sticky poll goes out first, as a cached worker's would. The server keeps a sticky queue named in a
        // completion for its schedule-to-start timeout (a minute here), so the signal's task waits there for this poll
        // whether or not the poll reached the server first; a task sent to the normal queue would leave it empty.
        var poll = PollAsync(sticky, TaskQueueKind.Sticky, tq);
        await handle.SignalAsync(wf => wf.AddAsync("x"));

        var second = await poll;

        Assert.Equal(first.StartedEventId, second.PreviousStartedEventId);
        Assert.Equal(first.StartedEventId + 1, second.History.Events[0].EventId);
        Assert.Equal(EventType.WorkflowTaskCompleted, second.History.Events[0].EventType);
        Assert.Equal(second.StartedEventId, second.History.Events[^1].EventId);
        for (var i = 1; i < second.History.Events.Count; i++)
        {
            Assert.Equal(second.History.Events[i - 1].EventId + 1, second.History.Events[i].EventId);
        }
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task StickyWorkerStopsPolling_AfterScheduleToStartTimeout_NormalQueueGetsFullHistory()
    {
        var (handle, tq, _, _) = await StartAndCompleteFirstTaskStickyAsync();
        await handle.SignalAsync(wf => wf.AddAsync("x"));

        var fallback = await PollAsync(tq, TaskQueueKind.Normal);

        Assert.Equal(1, fallback.History.Events[0].EventId);
        Assert.Equal(fallback.StartedEventId, fallback.History.Events[^1].EventId);
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task ShutdownWorker_NamingStickyQueue_NormalQueueGetsFullHistoryAtOnce()
    {
        var (handle, tq, sticky, _) = await StartAndCompleteFirstTaskStickyAsync(TimeSpan.FromMinutes(1));
        await handle.SignalAsync(wf => wf.AddAsync("x"));
        await Client.Connection.WorkflowService.ShutdownWorkerAsync(new ShutdownWorkerRequest
        {
            Namespace = Client.Options.Namespace,
            StickyTaskQueue = sticky,
            Identity = "sticky-worker",
        });

        // At once: well before the one-minute sticky schedule-to-start timeout that would otherwise move it.
        var fallback = await PollAsync(tq, TaskQueueKind.Normal, timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(1, fallback.History.Events[0].EventId);
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task SdkWorker_ShutDownWhileCached_SecondWorkerFinishesRun()
    {
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var handle = await WithWorkerAsync(true, async _ =>
        {
            var h = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("sticky-handover"), tq));
            await h.SignalAsync(wf => wf.AddAsync("a"));
            Assert.Equal("a", await h.QueryAsync(wf => wf.Items()));
            return h;
        }, o => o.TaskQueue = tq);

        await WithWorkerAsync(true, async _ =>
        {
            await handle.SignalAsync(wf => wf.AddAsync("b"));
            Assert.Equal("a,b", await handle.QueryAsync(wf => wf.Items()));
            await handle.SignalAsync(wf => wf.DoneAsync());
            Assert.Equal("a,b", await handle.GetResultAsync());
        }, o => o.TaskQueue = tq);
        await AssertReplaysAsync(handle);
    }

    /// <summary>Starts a run and completes its first task through the raw RPCs, naming a fresh sticky queue.</summary>
    private async Task<(WorkflowHandle<SignalQueryWorkflow> Handle, string Tq, string Sticky, PollWorkflowTaskQueueResponse First)>
        StartAndCompleteFirstTaskStickyAsync(TimeSpan? stickyTimeout = null)
    {
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var sticky = $"{tq}-sticky";
        var handle = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("sticky"), tq));
        var first = await PollAsync(tq, TaskQueueKind.Normal);
        Assert.Equal(1, first.History.Events[0].EventId);
        await Client.Connection.WorkflowService.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = Client.Options.Namespace,
            TaskToken = first.TaskToken,
            Identity = "sticky-worker",
            StickyAttributes = new StickyExecutionAttributes
            {
                WorkerTaskQueue = new TaskQueue { Name = sticky, Kind = TaskQueueKind.Sticky, NormalName = tq },
                ScheduleToStartTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(stickyTimeout ?? StickyTimeout),
            },
        });
        return (handle, tq, sticky, first);
    }

    private async Task<PollWorkflowTaskQueueResponse> PollAsync(string queue, TaskQueueKind kind, string normalName = "", TimeSpan? timeout = null)
    {
        var response = await Client.Connection.WorkflowService.PollWorkflowTaskQueueAsync(
            new PollWorkflowTaskQueueRequest
            {
                Namespace = Client.Options.Namespace,
                TaskQueue = new TaskQueue { Name = queue, Kind = kind, NormalName = normalName },
                Identity = "sticky-worker",
            },
            timeout is null ? null : new RpcOptions { Timeout = timeout });
        Assert.False(response.TaskToken.IsEmpty);
        return response;
    }
}

using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Client;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>
/// Local activities with the real SDK worker: the worker heartbeats its workflow task while a local activity
/// outlives the task timeout (<c>ForceCreateNewWorkflowTask</c>) and asks for the next task in the completion
/// response (<c>ReturnNewWorkflowTask</c>), which the server starts for it on the spot.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class LocalActivityTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    /// <summary>What Temporal's history service records as the request id of a task returned in a completion.</summary>
    internal const string ReturnedTaskRequestId = "request-from-RespondWorkflowTaskCompleted";

    [Fact]
    public async Task LocalActivity_LongerThanWorkflowTaskTimeout_TaskHeartbeatedAndCompletes()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((SlowLocalActivityWorkflow wf) => wf.RunAsync(4000), new(NewId("la-slow"), tq)
            {
                TaskTimeout = TimeSpan.FromSeconds(2),
            });
            Assert.Equal("slept 4000", await h.GetResultAsync());
            return h;
        });

        var events = (await handle.FetchHistoryAsync()).Events.ToList();
        Assert.DoesNotContain(events, e => e.EventType is EventType.WorkflowTaskTimedOut or EventType.WorkflowTaskFailed);
        var marker = Assert.Single(events, e => e.EventType == EventType.MarkerRecorded);
        var completedBeforeMarker = events.Count(e => e.EventType == EventType.WorkflowTaskCompleted && e.EventId < marker.EventId);
        Assert.True(completedBeforeMarker >= 2, $"expected heartbeats, saw {completedBeforeMarker} completed tasks before the marker");
        // Every heartbeat's follow-up task went straight back to the worker in the completion response.
        var startedAfterFirst = events.Where(e => e.EventType == EventType.WorkflowTaskStarted).Skip(1).ToList();
        Assert.NotEmpty(startedAfterFirst);
        Assert.All(startedAfterFirst, e => Assert.Equal(ReturnedTaskRequestId, e.WorkflowTaskStartedEventAttributes.RequestId));
        AssertContiguous(events);
        await AssertReplaysAsync(handle);
    }

    [VirtualTimeFact]
    public async Task LocalActivity_RetryBackoffAboveLocalThreshold_SleepsOnTimerAndCompletes()
    {
        var id = NewId("la-backoff");
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((LocalActivityBackoffWorkflow wf) => wf.RunAsync(3), new(id, tq));
            Assert.Equal(3, await h.GetResultAsync());
            return h;
        });

        Assert.Equal(3, LocalActivities.CallCount(id));
        var events = (await handle.FetchHistoryAsync()).Events.ToList();
        var timers = events.Where(e => e.EventType == EventType.TimerStarted).ToList();
        Assert.Equal(2, timers.Count);
        Assert.Equal(TimeSpan.FromMinutes(2), timers[0].TimerStartedEventAttributes.StartToFireTimeout.ToTimeSpan());
        Assert.Equal(TimeSpan.FromMinutes(4), timers[1].TimerStartedEventAttributes.StartToFireTimeout.ToTimeSpan());
        Assert.Equal(2, events.Count(e => e.EventType == EventType.TimerFired));
        // Each failed attempt is recorded (marker with the failure and its backoff) before the SDK's backoff timer;
        // the successful attempt after the last firing.
        var markers = events.Where(e => e.EventType == EventType.MarkerRecorded).ToList();
        Assert.Equal(3, markers.Count);
        Assert.NotNull(markers[0].MarkerRecordedEventAttributes.Failure);
        Assert.NotNull(markers[1].MarkerRecordedEventAttributes.Failure);
        Assert.Null(markers[2].MarkerRecordedEventAttributes.Failure);
        Assert.True(markers[0].EventId < timers[0].EventId && markers[1].EventId < timers[1].EventId);
        Assert.True(markers[2].EventId > events.Last(e => e.EventType == EventType.TimerFired).EventId);
        var elapsed = events[^1].EventTime.ToDateTime() - events[0].EventTime.ToDateTime();
        Assert.True(elapsed >= TimeSpan.FromMinutes(6), $"virtual elapsed {elapsed}");
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task Signals_WhileLocalActivityKeepsTaskInFlight_DeliveredInReturnedTask()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((LocalActivitySignalsWorkflow wf) => wf.RunAsync(4000, 2), new(NewId("la-signals"), tq)
            {
                TaskTimeout = TimeSpan.FromSeconds(2),
            });
            await ClientConformanceTests.WaitForHistoryAsync(h, EventType.WorkflowTaskStarted);
            // Two signals, one after the other: the first is acknowledged (written or buffered by the server) before the second goes.
            await h.SignalAsync(wf => wf.AddAsync("a"));
            await h.SignalAsync(wf => wf.AddAsync("b"));
            Assert.Equal("a,b/slept 4000", await h.GetResultAsync());
            return h;
        });

        var events = (await handle.FetchHistoryAsync()).Events.ToList();
        var marker = Assert.Single(events, e => e.EventType == EventType.MarkerRecorded);
        var signals = events.Where(e => e.EventType == EventType.WorkflowExecutionSignaled).ToList();
        Assert.Equal(2, signals.Count);
        foreach (var signal in signals)
        {
            // Buffered while a task ran, written after its completion, and handed out in the returned task,
            // all before the local activity finished.
            Assert.True(signal.EventId < marker.EventId);
            var previous = events[(int)signal.EventId - 2];
            Assert.True(previous.EventType is EventType.WorkflowTaskCompleted or EventType.WorkflowExecutionSignaled, $"signal after {previous.EventType}");
            var nextStarted = events.First(e => e.EventId > signal.EventId && e.EventType == EventType.WorkflowTaskStarted);
            Assert.Equal(ReturnedTaskRequestId, nextStarted.WorkflowTaskStartedEventAttributes.RequestId);
            Assert.Equal(EventType.WorkflowTaskScheduled, events[(int)nextStarted.EventId - 2].EventType);
        }
        AssertContiguous(events);
        await AssertReplaysAsync(handle);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LocalActivities_ThreeInARow_RecordedInOneWorkflowTask(bool cache)
    {
        var id = NewId("la-seq");
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((LocalActivitySequenceWorkflow wf) => wf.RunAsync(10), new(id, tq));
            Assert.Equal(13, await h.GetResultAsync());
            return h;
        });

        Assert.Equal(3, LocalActivities.CallCount(id));
        var types = (await handle.FetchHistoryAsync()).Events.Select(e => e.EventType).ToList();
        Assert.Equal(
        [
            EventType.WorkflowExecutionStarted, EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted,
            EventType.WorkflowTaskCompleted, EventType.MarkerRecorded, EventType.MarkerRecorded, EventType.MarkerRecorded,
            EventType.WorkflowExecutionCompleted,
        ], types);
        await AssertReplaysAsync(handle);
    }

    private static void AssertContiguous(IReadOnlyList<HistoryEvent> events) =>
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.EventId));
}

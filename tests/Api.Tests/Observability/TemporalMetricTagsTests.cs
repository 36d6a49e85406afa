using System.Diagnostics.Metrics;
using FlashFundX.ServiceDefaults.Temporal;
using Xunit;

namespace FlashFundX.Api.Tests.Observability;

/// <summary>
/// The Temporal metrics bridge hands out one tag set per content (the core asks for the same few sets on every call,
/// poll and task), without changing what is recorded.
/// </summary>
public sealed class TemporalMetricTagsTests : IDisposable
{
    private readonly Meter _meter = new($"test-{Guid.NewGuid()}");

    [Fact]
    public void CreateTags_SameContentTwice_ReturnsSameInstance()
    {
        var bridge = new TemporalMetricsBridge(_meter);

        var root = bridge.CreateTags(null, Tags(("namespace", "default"), ("task_queue", "tq-1")));
        var again = bridge.CreateTags(null, Tags(("namespace", "default"), ("task_queue", "tq-1")));
        var child = bridge.CreateTags(root, Tags(("operation", "PollWorkflowTaskQueue"), ("attempt", 1L)));
        var childAgain = bridge.CreateTags(again, Tags(("operation", "PollWorkflowTaskQueue"), ("attempt", 1L)));

        Assert.Same(root, again);
        Assert.Same(child, childAgain);
        Assert.Equal(2, bridge.CachedTagSets);
    }

    [Fact]
    public void CreateTags_DifferentValueOrParent_ReturnsItsOwnMergedSet()
    {
        var bridge = new TemporalMetricsBridge(_meter);
        var parentA = bridge.CreateTags(null, Tags(("namespace", "default"), ("task_queue", "a")));
        var parentB = bridge.CreateTags(null, Tags(("namespace", "default"), ("task_queue", "b")));

        var underA = bridge.CreateTags(parentA, Tags(("operation", "StartWorkflowExecution")));
        var underB = bridge.CreateTags(parentB, Tags(("operation", "StartWorkflowExecution")));
        var otherValue = bridge.CreateTags(parentA, Tags(("operation", "SignalWorkflowExecution")));
        var longOne = bridge.CreateTags(parentA, Tags(("attempt", 1L)));
        var stringOne = bridge.CreateTags(parentA, Tags(("attempt", "1")));
        var replacing = bridge.CreateTags(parentA, Tags(("task_queue", "sticky"), ("worker_type", "WorkflowWorker")));

        Assert.Equal(6, new HashSet<object>([underA, underB, otherValue, longOne, stringOne, replacing], ReferenceEqualityComparer.Instance).Count);
        Assert.Equal([("namespace", "default"), ("task_queue", "b"), ("operation", "StartWorkflowExecution")], Content(underB));
        // A replaced tag keeps its place; a new one goes last (what the uncached merge did).
        Assert.Equal([("namespace", "default"), ("task_queue", "sticky"), ("worker_type", "WorkflowWorker")], Content(replacing));
        Assert.Equal([("namespace", "default"), ("task_queue", "a"), ("attempt", 1L)], Content(longOne));
    }

    [Fact]
    public void CreateTags_MoreDistinctSetsThanCapacity_StaysBoundedAndCorrect()
    {
        var bridge = new TemporalMetricsBridge(_meter, tagSetCapacity: 8);

        for (var i = 0; i < 100; i++)
        {
            var tags = bridge.CreateTags(null, Tags(("task_queue", $"tq-{i}")));

            Assert.Equal([("task_queue", $"tq-{i}")], Content(tags));
            Assert.InRange(bridge.CachedTagSets, 1, 8);
        }
        var last = bridge.CreateTags(null, Tags(("task_queue", "tq-99")));
        Assert.Same(last, bridge.CreateTags(null, Tags(("task_queue", "tq-99"))));
    }

    [Fact]
    public void CounterAdd_CachedTags_RecordsTheMergedTags()
    {
        var bridge = new TemporalMetricsBridge(_meter);
        var counter = bridge.CreateCounter<long>("request", "1", "requests");
        var recorded = new List<(long Value, (string, object?)[] Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == _meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => recorded.Add((value, [.. tags.ToArray().Select(t => (t.Key, t.Value))])));
        listener.Start();
        var parent = bridge.CreateTags(null, Tags(("namespace", "default")));

        counter.Add(1, bridge.CreateTags(parent, Tags(("operation", "RespondWorkflowTaskCompleted"))));
        counter.Add(2, bridge.CreateTags(parent, Tags(("operation", "RespondWorkflowTaskCompleted"))));

        Assert.Equal(2, recorded.Count);
        Assert.All(recorded, r => Assert.Equal([("namespace", (object?)"default"), ("operation", "RespondWorkflowTaskCompleted")], r.Tags));
        Assert.Equal([1L, 2L], recorded.Select(r => r.Value));
    }

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object>[] Tags(params (string Key, object Value)[] tags) =>
        [.. tags.Select(t => new KeyValuePair<string, object>(t.Key, t.Value))];

    private static (string, object?)[] Content(object tags) =>
        [.. ((TemporalMetricTags)tags).Span.ToArray().Select(t => (t.Key, t.Value))];
}

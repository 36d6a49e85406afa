using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Temporalio.Runtime;

namespace FlashFundX.ServiceDefaults.Temporal;

/// <summary>
/// Forwards the Temporal SDK's own metrics (requests, polls, task latencies, slots…) onto a
/// <see cref="System.Diagnostics.Metrics.Meter"/>, so they reach the same OpenTelemetry pipeline and the same
/// <c>/metrics</c> page as the business metrics.
/// </summary>
/// <remarks>
/// Chosen over the runtime's built-in Prometheus option, which would open a second HTTP port per process with a
/// second exposition to scrape, and would not see the process's other meters. The SDK has an extension package
/// for this bridge (Temporalio.Extensions.DiagnosticSource) that our package source does not serve.
/// Durations arrive as float seconds (<see cref="FulfillmentTemporalRuntime"/> asks for that), unit <c>s</c>.
/// </remarks>
internal sealed class TemporalMetricsBridge(Meter meter, int tagSetCapacity = TemporalMetricTagCache.DefaultCapacity) : ICustomMetricMeter
{
    // Seconds; the OpenTelemetry defaults are millisecond-shaped and would put every poll in one bucket.
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    // The runtime may ask for the same instrument more than once (per client, per worker): hand back one instrument.
    private readonly ConcurrentDictionary<(string Kind, string Name, Type Type), object> instruments = new();

    // The core asks for the same few tag sets over and over (every call, poll and task): hand back one instance each.
    private readonly TemporalMetricTagCache tagSets = new(tagSetCapacity);

    public ICustomMetricCounter<T> CreateCounter<T>(string name, string? unit, string? description)
        where T : struct =>
        (ICustomMetricCounter<T>)instruments.GetOrAdd(("counter", name, typeof(T)), _ =>
            new CounterAdapter<T>(meter.CreateCounter<T>(name, unit, description)));

    public ICustomMetricHistogram<T> CreateHistogram<T>(string name, string? unit, string? description)
        where T : struct =>
        (ICustomMetricHistogram<T>)instruments.GetOrAdd(("histogram", name, typeof(T)), _ => NewHistogram<T>(name, unit, description));

    public ICustomMetricGauge<T> CreateGauge<T>(string name, string? unit, string? description)
        where T : struct =>
        (ICustomMetricGauge<T>)instruments.GetOrAdd(("gauge", name, typeof(T)), _ =>
            new GaugeAdapter<T>(meter.CreateGauge<T>(name, unit, description)));

    public object CreateTags(object? appendFrom, IReadOnlyCollection<KeyValuePair<string, object>> tags) =>
        tagSets.GetOrCreate(appendFrom, tags);

    /// <summary>Tag sets cached now (tests).</summary>
    internal int CachedTagSets => tagSets.Count;

    private object NewHistogram<T>(string name, string? unit, string? description)
        where T : struct
    {
        if (typeof(T) == typeof(TimeSpan))
        {
            return new TimeSpanHistogramAdapter(meter.CreateHistogram(name, "s", description, tags: null, Seconds()));
        }
        if (unit == "duration")
        {
            unit = typeof(T) == typeof(double) ? "s" : "ms";
        }
        var advice = unit == "s" && typeof(T) == typeof(double) ? (InstrumentAdvice<T>)(object)Seconds() : null;
        return new HistogramAdapter<T>(meter.CreateHistogram(name, unit, description, tags: null, advice));
    }

    private static InstrumentAdvice<double> Seconds() => new() { HistogramBucketBoundaries = SecondsBuckets };

    private sealed class CounterAdapter<T>(Counter<T> counter) : ICustomMetricCounter<T>
        where T : struct
    {
        public void Add(T value, object tags) => counter.Add(value, ((TemporalMetricTags)tags).Span);
    }

    private sealed class HistogramAdapter<T>(Histogram<T> histogram) : ICustomMetricHistogram<T>
        where T : struct
    {
        public void Record(T value, object tags) => histogram.Record(value, ((TemporalMetricTags)tags).Span);
    }

    private sealed class TimeSpanHistogramAdapter(Histogram<double> histogram) : ICustomMetricHistogram<TimeSpan>
    {
        public void Record(TimeSpan value, object tags) => histogram.Record(value.TotalSeconds, ((TemporalMetricTags)tags).Span);
    }

    private sealed class GaugeAdapter<T>(Gauge<T> gauge) : ICustomMetricGauge<T>
        where T : struct
    {
        public void Set(T value, object tags) => gauge.Record(value, ((TemporalMetricTags)tags).Span);
    }
}

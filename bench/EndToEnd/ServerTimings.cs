using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>
/// Server-side request durations per route, from ASP.NET Core's own <c>http.server.request.duration</c> histogram
/// (listened to in-process): set against the client-side latencies they show how much of an acknowledgement is the
/// handler's work and how much is waiting for a thread and the socket. An <see cref="ActivityListener"/> on ASP.NET
/// Core's request activity and Npgsql's command activities splits each request into time in PostgreSQL commands and
/// the rest (for the webhook: the Temporal signal round trip and waiting for threads).
/// </summary>
internal sealed class ServerTimings : IDisposable
{
    private const string RouteProperty = "bench.route";
    private readonly MeterListener _listener = new();
    private readonly ActivityListener _activities;
    private ConcurrentDictionary<string, ConcurrentBag<double>> _byRoute = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, ConcurrentBag<(double TotalMs, double DbMs, int DbCommands)>> _split = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<Activity, StrongBox<(double Ms, int Count)>> _dbByRequest = [];
    private (ConcurrentDictionary<string, ConcurrentBag<double>>, ConcurrentDictionary<string, ConcurrentBag<(double TotalMs, double DbMs, int DbCommands)>>)? _frozen;

    public ServerTimings()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            string? method = null, route = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "http.route")
                {
                    route = tag.Value as string;
                }
                else if (tag.Key == "http.request.method")
                {
                    method = tag.Value as string;
                }
            }
            var name = $"{method} {route ?? "(no route)"}";
            _byRoute.GetOrAdd(name, _ => []).Add(seconds * 1000);
            // Recorded at the end of the request, while its activity is still current: name it for OnActivityStopped.
            if (Activity.Current is { Source.Name: "Microsoft.AspNetCore" } request)
            {
                request.SetCustomProperty(RouteProperty, name);
            }
        });
        _listener.Start();

        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = OnActivityStopped,
        };
        ActivitySource.AddActivityListener(_activities);
    }

    private void OnActivityStopped(Activity activity)
    {
        if (activity.Source.Name == "Npgsql")
        {
            var request = activity.Parent;
            while (request is not null && request.Source.Name != "Microsoft.AspNetCore")
            {
                request = request.Parent;
            }
            if (request is not null)
            {
                var box = _dbByRequest.GetValue(request, _ => new StrongBox<(double, int)>((0, 0)));
                lock (box)
                {
                    box.Value = (box.Value.Ms + activity.Duration.TotalMilliseconds, box.Value.Count + 1);
                }
            }
            return;
        }
        var name = activity.GetCustomProperty(RouteProperty) as string ?? activity.DisplayName;
        if (name.Contains("temporal.api", StringComparison.Ordinal))
        {
            return;
        }
        var db = _dbByRequest.TryGetValue(activity, out var found) ? found.Value : (0, 0);
        _split.GetOrAdd(name, _ => []).Add((activity.Duration.TotalMilliseconds, db.Item1, db.Item2));
    }

    public void Reset()
    {
        _byRoute = new(StringComparer.Ordinal);
        _split = new(StringComparer.Ordinal);
    }

    /// <summary>Keeps what was recorded so far for <see cref="Print"/> and ignores what follows (the reference workload after the run).</summary>
    public void Freeze()
    {
        _frozen = (_byRoute, _split);
        Reset();
    }

    public void Print()
    {
        var output = EndToEndBenchmark.Out;
        output.WriteLine();
        output.WriteLine("Server-side request duration during the run (ASP.NET Core http.server.request.duration), ms:");
        output.WriteLine("| route | count | p50 | p90 | p99 | max |");
        output.WriteLine("|---|---|---|---|---|---|");
        var (byRoute, split) = _frozen ?? (_byRoute, _split);
        foreach (var (route, values) in byRoute.OrderByDescending(r => r.Value.Count))
        {
            var s = new Samples(route, values);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {route} | {s.Count} | {s.P(0.5):F1} | {s.P(0.9):F1} | {s.P(0.99):F1} | {s.Max:F1} |"));
        }

        output.WriteLine();
        output.WriteLine("Split of each request (ASP.NET Core request activity; PostgreSQL = sum of its Npgsql command activities), ms:");
        output.WriteLine("| request | count | total p50 | total p99 | PostgreSQL p50 | PostgreSQL p99 | commands/request | rest p50 | rest p99 |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, values) in split.OrderByDescending(r => r.Value.Count))
        {
            var list = values.ToArray();
            var total = new Samples(name, list.Select(v => v.TotalMs));
            var db = new Samples(name, list.Select(v => v.DbMs));
            var rest = new Samples(name, list.Select(v => v.TotalMs - v.DbMs));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {total.Count} | {total.P(0.5):F1} | {total.P(0.99):F1} | {db.P(0.5):F1} | {db.P(0.99):F1} | {list.Average(v => v.DbCommands):F1} | {rest.P(0.5):F1} | {rest.P(0.99):F1} |"));
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _activities.Dispose();
    }
}

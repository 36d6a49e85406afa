using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>
/// Server-side request durations per route, from ASP.NET Core's own <c>http.server.request.duration</c> histogram
/// (listened to in-process): set against the client-side latencies they show how much of an acknowledgement is the
/// handler's work and how much is waiting for a thread and the socket.
/// </summary>
internal sealed class ServerTimings : IDisposable
{
    private readonly MeterListener _listener = new();
    private ConcurrentDictionary<string, ConcurrentBag<double>> _byRoute = new(StringComparer.Ordinal);

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
            _byRoute.GetOrAdd($"{method} {route ?? "(no route)"}", _ => []).Add(seconds * 1000);
        });
        _listener.Start();
    }

    public void Reset() => _byRoute = new(StringComparer.Ordinal);

    public void Print()
    {
        var output = EndToEndBenchmark.Out;
        output.WriteLine();
        output.WriteLine("Server-side request duration during the run (ASP.NET Core http.server.request.duration), ms:");
        output.WriteLine("| route | count | p50 | p90 | p99 | max |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var (route, values) in _byRoute.OrderByDescending(r => r.Value.Count))
        {
            var s = new Samples(route, values);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {route} | {s.Count} | {s.P(0.5):F1} | {s.P(0.9):F1} | {s.P(0.99):F1} | {s.Max:F1} |"));
        }
    }

    public void Dispose() => _listener.Dispose();
}

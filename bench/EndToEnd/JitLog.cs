using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>
/// With <c>--jit-log</c>: counts the methods the JIT compiles during the run (the runtime's MethodLoadVerbose events),
/// by namespace and name, to find code that is generated or recompiled per order instead of once.
/// </summary>
internal sealed class JitLog : EventListener
{
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private readonly ConcurrentDictionary<string, int> _methods = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start() => _recording = true;

    public void Stop() => _recording = false;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, JitKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (!_recording || eventData.EventName is not "MethodLoadVerbose_V2" and not "MethodLoadVerbose_V1" and not "MethodLoadVerbose" || eventData.Payload is null)
        {
            return;
        }
        string Field(string name)
        {
            var index = eventData.PayloadNames!.IndexOf(name);
            return index >= 0 ? eventData.Payload[index]?.ToString() ?? "" : "";
        }
        _methods.AddOrUpdate($"{Field("MethodNamespace")}::{Field("MethodName")}", 1, (_, n) => n + 1);
    }

    private static string TypeOf(string method)
    {
        var separator = method.IndexOf("::", StringComparison.Ordinal);
        var type = separator < 0 ? method : method[..separator];
        var generic = type.IndexOf('[', StringComparison.Ordinal);
        return generic < 0 ? type : type[..generic];
    }

    public void Print(int orders)
    {
        var output = EndToEndBenchmark.Out;
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"JIT during the run: {_methods.Values.Sum()} method compilations, {_methods.Count} distinct; most compiled (count, per order, method):"));
        foreach (var (method, count) in _methods.OrderByDescending(m => m.Value).Take(25))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count,6} {(double)count / orders,6:F2}  {(method.Length > 150 ? method[..150] : method)}"));
        }
        output.WriteLine("JIT during the run by type (count, per order, type):");
        var byType = _methods.GroupBy(m => TypeOf(m.Key)).Select(g => (Type: g.Key, Count: g.Sum(m => m.Value))).OrderByDescending(g => g.Count).Take(25);
        foreach (var (type, count) in byType)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count,6} {(double)count / orders,6:F2}  {(type.Length > 150 ? type[..150] : type)}"));
        }
    }
}

using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace FlashFundX.TestSupport.Logging;

/// <summary>
/// Every log event the service wrote through its Serilog pipeline (the same pipeline as its console output, with the
/// app's own levels and enrichers), kept in memory so tests can search them, e.g. for secrets.
/// </summary>
/// <remarks>
/// Serilog's request-logging middleware writes through the static <c>Log.Logger</c>, which is the logger of the
/// service built last in the process; with several services running at once, request lines can land in another
/// instance's capture. Tests that search for secrets should search every instance they ran (or one instance alone).
/// </remarks>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly Lock _gate = new();
    private readonly List<LogEvent> _events = [];

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_gate)
        {
            _events.Add(logEvent);
        }
    }

    /// <summary>A snapshot of the events so far, oldest first.</summary>
    public IReadOnlyList<LogEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Each event as one compact JSON line, as the service prints it: message, template, properties, exception.</summary>
    public IReadOnlyList<string> Lines()
    {
        var formatter = new RenderedCompactJsonFormatter();
        var lines = new List<string>();
        foreach (var logEvent in Events)
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            formatter.Format(logEvent, writer);
            lines.Add(writer.ToString().TrimEnd());
        }
        return lines;
    }

    /// <summary>All lines joined: what a log search sees.</summary>
    public string Text() => string.Join('\n', Lines());

    /// <summary>The lines containing <paramref name="value"/> (ordinal), e.g. a password that must never be logged.</summary>
    public IReadOnlyList<string> LinesContaining(string value) =>
        Lines().Where(l => l.Contains(value, StringComparison.Ordinal) || l.Contains(JsonEscaped(value), StringComparison.Ordinal)).ToArray();

    /// <summary>Rendered messages only, for readable assertion output.</summary>
    public IReadOnlyList<string> Messages(LogEventLevel minimum = LogEventLevel.Verbose) =>
        Events.Where(e => e.Level >= minimum).Select(e => $"{e.Timestamp:HH:mm:ss.fff} {e.Level} {e.RenderMessage(CultureInfo.InvariantCulture)}{(e.Exception is null ? "" : " " + e.Exception.GetType().Name + ": " + e.Exception.Message)}").ToArray();

    private static string JsonEscaped(string value)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(value);
        return json[1..^1];
    }

    /// <summary>The last <paramref name="count"/> warnings and errors, for failure messages.</summary>
    public string Tail(int count = 20, LogEventLevel minimum = LogEventLevel.Warning)
    {
        var messages = Messages(minimum);
        var builder = new StringBuilder();
        foreach (var message in messages.Skip(Math.Max(0, messages.Count - count)))
        {
            builder.AppendLine(message);
        }
        return builder.ToString();
    }
}

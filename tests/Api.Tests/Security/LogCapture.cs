using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// A Serilog sink registered in the app's services: the app's pipeline picks it up through <c>ReadFrom.Services</c>, so it
/// receives every event the console would get (same levels, enrichers and properties), from the API and the in-process
/// worker alike.
/// </summary>
public sealed class LogCapture : ILogEventSink
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

    /// <summary>Each event as the service prints it when redirected: one compact JSON line with message, properties and exception.</summary>
    public IReadOnlyList<string> Lines()
    {
        var formatter = new RenderedCompactJsonFormatter();
        return Events.Select(e =>
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            formatter.Format(e, writer);
            return writer.ToString().TrimEnd();
        }).ToArray();
    }

    public string Text() => string.Join('\n', Lines());
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>
/// What an embedded server a test starts itself logs (Debug and up), so the test can wait for a positive event such as
/// "the query reached the run" instead of sleeping.
/// </summary>
internal sealed class ServerLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ServerLogs() => Factory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(this));

    public ILoggerFactory Factory { get; }

    public IReadOnlyList<string> Lines => [.. _lines];

    public bool Contains(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Starts an embedded server that logs here, and a client of it.</summary>
    public async Task<(EmbeddedTemporalServer Server, Temporalio.Client.ITemporalClient Client)> StartServerAsync()
    {
        var server = await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions { LoggerFactory = Factory });
        return (server, await Temporalio.Client.TemporalClient.ConnectAsync(new(server.Target)));
    }

    /// <summary>Waits until the server logged that the query <paramref name="queryType"/> to <paramref name="workflowId"/> reached the run as <paramref name="dispatch"/>.</summary>
    public Task WaitForQueryAsync(string queryType, string workflowId, string dispatch) =>
        FlashFundX.TestSupport.Eventually.WaitAsync(
            () => Contains($"Query {queryType} to {workflowId}: {dispatch}"),
            $"the query {queryType} to {workflowId} {dispatch} (server log)");

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <summary>Nothing to release: the lines stay readable after the server stopped.</summary>
    public void Dispose()
    {
    }

    private sealed class Logger(ServerLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs._lines.Enqueue(formatter(state, exception));
    }
}

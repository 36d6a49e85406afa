using FlashFundX.EmbeddedTemporal;
using Microsoft.Extensions.Logging;
using Temporalio.Testing;

namespace FlashFundX.LocalDev.Temporal;

/// <summary>
/// A Temporal server for local runs: the <c>temporal</c> CLI's dev server when the CLI is on PATH (full Web UI),
/// otherwise the in-process embedded server. Never used in production, where TEMPORAL_ADDRESS names a real cluster.
/// </summary>
public sealed class LocalTemporalServer : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;

    private LocalTemporalServer(IAsyncDisposable server, string target, string kind)
    {
        _server = server;
        Target = target;
        Kind = kind;
    }

    public string Target { get; }

    /// <summary><c>temporal-cli</c> or <c>embedded</c>.</summary>
    public string Kind { get; }

    /// <summary>
    /// With <paramref name="timeSkipping"/> always the embedded server, in time-skipping mode (the CLI's dev server has
    /// none): time runs at wall speed until a client unlocks skipping.
    /// </summary>
    public static async Task<LocalTemporalServer> StartAsync(
        int preferredPort, IReadOnlyCollection<string> searchAttributeArgs, bool timeSkipping = false, ILoggerFactory? loggers = null)
    {
        var cli = timeSkipping ? null : FindOnPath("temporal");
        if (cli is not null)
        {
            var env = await WorkflowEnvironment.StartLocalAsync(new()
            {
                DevServerOptions = new() { ExistingPath = cli, ExtraArgs = [.. searchAttributeArgs] },
                TargetHost = $"127.0.0.1:{preferredPort}",
                UI = true,
            }).ConfigureAwait(false);
            return new LocalTemporalServer(env, env.Client.Connection.Options.TargetHost!, "temporal-cli");
        }

        var port = LoopbackPorts.IsFree(preferredPort) ? preferredPort : 0;
        var embedded = await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions { Port = port, TimeSkipping = timeSkipping, LoggerFactory = loggers }).ConfigureAwait(false);
        return new LocalTemporalServer(embedded, embedded.Target, "embedded");
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

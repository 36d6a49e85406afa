using FlashFundX.EmbeddedTemporal;
using Temporalio.Client;
using Temporalio.Testing;
using Temporalio.Worker;
using Xunit;

namespace FlashFundX.TestSupport.Temporal;

/// <summary>
/// The Temporal environment for every workflow test: a real server when <c>TEMPORAL_ADDRESS</c> is set
/// (namespace from <c>TEMPORAL_NAMESPACE</c>, default "default"), else a <c>temporal</c> CLI dev server when one is
/// on PATH, else the in-process <see cref="EmbeddedTemporalServer"/> with time skipping (or in real time, see
/// <see cref="TimeSkipping"/>).
/// </summary>
public sealed class TemporalTestEnvironment : IAsyncLifetime, IAsyncDisposable
{
    private EmbeddedTemporalServer? _embedded;
    private WorkflowEnvironment? _devServer;
    private ITemporalClient? _client;

    // The embedded server is a loopback hop, which the service does not compress either (Temporal:Compression=auto).
    private static readonly GrpcCompression Uncompressed = new GrpcCompression.None();

    public ITemporalClient Client => _client ?? throw new InvalidOperationException("Environment not initialized");

    /// <summary>
    /// Embedded server only: true (default) runs it in time-skipping mode; false runs it in real time, as the service's
    /// own local server does: no virtual clock, no time-skipping locks on every task (benchmarks).
    /// </summary>
    public bool TimeSkipping { get; init; } = true;

    /// <summary>True when <see cref="DelayAsync"/> and long workflow timers skip virtual time.</summary>
    public bool SupportsTimeSkipping { get; private set; }

    /// <summary>"external", "cli" or "embedded".</summary>
    public string Kind { get; private set; } = "";

    /// <summary>The embedded server, when that is what runs.</summary>
    public EmbeddedTemporalServer? EmbeddedServer => _embedded;

    /// <summary>True when no external server or CLI is configured, so the embedded (virtual-time) server will run.</summary>
    public static bool WillUseEmbeddedServer =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS")) && FindOnPath("temporal") == null;

    public async Task InitializeAsync()
    {
        var address = Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS");
        var ns = Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE") is { Length: > 0 } n ? n : "default";
        if (!string.IsNullOrWhiteSpace(address))
        {
            _client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(address) { Namespace = ns }).ConfigureAwait(false);
            Kind = "external";
            return;
        }
        if (FindOnPath("temporal") is { } cli)
        {
            _devServer = await WorkflowEnvironment.StartLocalAsync(new WorkflowEnvironmentStartLocalOptions
            {
                DevServerOptions = new DevServerOptions { ExistingPath = cli },
            }).ConfigureAwait(false);
            _client = _devServer.Client;
            Kind = "cli";
            return;
        }
        _embedded = await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions { TimeSkipping = TimeSkipping }).ConfigureAwait(false);
        Kind = "embedded";
        if (!TimeSkipping)
        {
            _client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(_embedded.Target) { Namespace = "default", GrpcCompression = Uncompressed }).ConfigureAwait(false);
            return;
        }
        var interceptor = new TimeSkippingInterceptor();
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(_embedded.Target)
        {
            Namespace = "default",
            GrpcCompression = Uncompressed,
            Interceptors = [interceptor],
        }).ConfigureAwait(false);
        interceptor.Attach(client);
        _client = client;
        SupportsTimeSkipping = true;
    }

    /// <summary>Lets <paramref name="duration"/> of (virtual, where supported) time pass.</summary>
    public async Task DelayAsync(TimeSpan duration)
    {
        if (SupportsTimeSkipping)
        {
            await Client.Connection.TestService.UnlockTimeSkippingWithSleepAsync(new Temporalio.Api.TestService.V1.SleepRequest
            {
                Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(duration),
            }).ConfigureAwait(false);
            return;
        }
        await Task.Delay(duration).ConfigureAwait(false);
    }

    public static string NewTaskQueue() => $"tq-{Guid.NewGuid()}";

    /// <summary>A worker on a fresh unique task queue (unless <paramref name="configure"/> sets one).</summary>
    public TemporalWorker CreateWorker(Action<TemporalWorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TemporalWorkerOptions(NewTaskQueue());
        configure(options);
        return new TemporalWorker(Client, options);
    }

    public async Task DisposeAsync()
    {
        if (_devServer != null)
        {
            await _devServer.DisposeAsync().ConfigureAwait(false);
            _devServer = null;
        }
        if (_embedded != null)
        {
            await _embedded.DisposeAsync().ConfigureAwait(false);
            _embedded = null;
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync().ConfigureAwait(false);

    private static string? FindOnPath(string executable)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in OperatingSystem.IsWindows() ? [executable + ".exe"] : new[] { executable })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}

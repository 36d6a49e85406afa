using System.Net;
using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Services;
using FlashFundX.EmbeddedTemporal.Time;
using Grpc.AspNetCore.Server.Model;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlashFundX.EmbeddedTemporal;

/// <summary>
/// An in-process, in-memory Temporal server speaking the frontend gRPC API on a loopback port, for tests and
/// local runs without a Temporal installation. Never for production.
/// </summary>
public sealed class EmbeddedTemporalServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly VirtualClock _clock;
    private readonly HealthServiceImpl _health;

    private EmbeddedTemporalServer(WebApplication app, VirtualClock clock, HealthServiceImpl health, string target)
    {
        _app = app;
        _clock = clock;
        _health = health;
        Target = target;
    }

    /// <summary>"127.0.0.1:PORT".</summary>
    public string Target { get; }

    /// <summary>The server's (possibly virtual) clock.</summary>
    public DateTimeOffset Now => _clock.Now;

    public static async Task<EmbeddedTemporalServer> StartAsync(EmbeddedTemporalOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmbeddedTemporalOptions();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var clock = new VirtualClock(options.TimeSkipping, loggerFactory.CreateLogger<VirtualClock>());
        try
        {
            var state = new ServerState(clock, loggerFactory, options);
            var registry = new RpcHandlerRegistry(loggerFactory.CreateLogger<RpcHandlerRegistry>());
            new NamespaceServiceHandlers(state).Register(registry);
            var workflows = new WorkflowServiceHandlers(state);
            workflows.Register(registry);
            new UpdateServiceHandlers(state, workflows).Register(registry);
            new WorkerServiceHandlers(state).Register(registry);
            new OperatorServiceHandlers(state).Register(registry);
            new TestServiceHandlers(state).Register(registry);

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "FlashFundX.EmbeddedTemporal" });
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
            builder.Services.AddSingleton(loggerFactory);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
                kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            });
            builder.Services.AddGrpc(grpc =>
            {
                grpc.MaxReceiveMessageSize = 128 * 1024 * 1024;
                grpc.MaxSendMessageSize = 128 * 1024 * 1024;
            });
            builder.Services.AddSingleton(registry);
            builder.Services.AddSingleton<TemporalGrpcEndpoint>();
            builder.Services.AddSingleton<IServiceMethodProvider<TemporalGrpcEndpoint>, TemporalMethodProvider>();
            var health = FrontendHealth.CreateServing();
            builder.Services.AddSingleton(health);
            var app = builder.Build();
            app.MapGrpcService<TemporalGrpcEndpoint>();
            app.MapGrpcService<HealthServiceImpl>();
            await app.StartAsync(ct).ConfigureAwait(false);

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(address).Port;
            loggerFactory.CreateLogger<EmbeddedTemporalServer>().LogInformation(
                "Embedded Temporal listening on 127.0.0.1:{Port} (time skipping: {TimeSkipping})", port, options.TimeSkipping);
            return new EmbeddedTemporalServer(app, clock, health, $"127.0.0.1:{port}");
        }
        catch
        {
            clock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Advances the clock by <paramref name="by"/>. In time-skipping mode this unlocks skipping until that much
    /// virtual time has passed, so due timers and timeouts fire in order and workflows react between them;
    /// in real-time mode the clock is shifted forward.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        if (!_clock.TimeSkipping)
        {
            _clock.Shift(by);
            return;
        }
        var sleep = _clock.SleepAsync(by);
        _clock.ClientUnlock();
        try
        {
            await sleep.ConfigureAwait(false);
        }
        finally
        {
            _clock.ClientLock();
        }
    }

    public async ValueTask DisposeAsync()
    {
        FrontendHealth.ShutDown(_health);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Long polls still open; they are aborted with the host.
        }
        await _app.DisposeAsync().ConfigureAwait(false);
        _clock.Dispose();
    }
}

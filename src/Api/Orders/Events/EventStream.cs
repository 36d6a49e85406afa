using System.Threading.Channels;
using FlashFundX.Api.Limits;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// One open Server-Sent Events response: the token that ends it (client gone or server stopping), the writer and the
/// heartbeat. <see cref="RunAsync"/> is the one place where every event stream starts, so limits that apply to all
/// streams (concurrency caps, a maximum duration) wrap it there.
/// </summary>
internal sealed class EventStream
{
    private readonly TimeSpan _heartbeat;

    private EventStream(HttpContext httpContext, TimeSpan heartbeat, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Writer = new ServerSentEventWriter(httpContext.Response);
        _heartbeat = heartbeat;
        CancellationToken = cancellationToken;
    }

    public HttpContext HttpContext { get; }

    public IServiceProvider Services => HttpContext.RequestServices;

    /// <summary>Not started: a stream may still answer with another status (204) before <see cref="ServerSentEventWriter.StartAsync"/>.</summary>
    public ServerSentEventWriter Writer { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Runs <paramref name="stream"/> until it returns, the client leaves, the server stops or <see cref="LimitsOptions.StreamMaxDuration"/> passes.</summary>
    public static async Task RunAsync(HttpContext httpContext, Func<EventStream, Task> stream)
    {
        var services = httpContext.RequestServices;
        var heartbeat = services.GetRequiredService<IOptions<OrderEventsOptions>>().Value.HeartbeatInterval;
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var maxDuration = services.GetRequiredService<IOptions<LimitsOptions>>().Value.StreamMaxDuration;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        ended.CancelAfter(maxDuration);
        try
        {
            await stream(new EventStream(httpContext, heartbeat, ended.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The client went away, the server is stopping or the stream reached its maximum duration: it just ends.
        }
    }

    /// <summary>
    /// Writes what <paramref name="reader"/> yields and <paramref name="send"/> accepts, with a heartbeat whenever the
    /// stream is idle, until <paramref name="last"/> says an event sent was the last one or the feed completes.
    /// </summary>
    public async Task FollowAsync(ChannelReader<OrderEvent> reader, Func<OrderEvent, bool> send, Func<OrderEvent, bool> last)
    {
        var ct = CancellationToken;
        Task<bool>? pendingRead = null;
        while (true)
        {
            pendingRead ??= reader.WaitToReadAsync(ct).AsTask();
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                var beat = Task.Delay(_heartbeat, idle.Token);
                if (await Task.WhenAny(pendingRead, beat).ConfigureAwait(false) == beat)
                {
                    ct.ThrowIfCancellationRequested();
                    await Writer.WriteHeartbeatAsync(ct).ConfigureAwait(false);
                    continue;
                }
                await idle.CancelAsync().ConfigureAwait(false);
            }
            if (!await pendingRead.ConfigureAwait(false))
            {
                return;
            }
            pendingRead = null;
            while (reader.TryRead(out var orderEvent))
            {
                if (!send(orderEvent))
                {
                    continue;
                }
                await Writer.WriteAsync(orderEvent, ct).ConfigureAwait(false);
                if (last(orderEvent))
                {
                    return;
                }
            }
        }
    }
}

using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FlashFundX.Data.Events;

/// <summary>
/// Announces, after commit, the order events of writers that do not let the trigger announce them
/// (<c>record_order_update_event</c>, sql/0001_baseline.sql): one transaction of <c>pg_notify</c>s for whatever orders
/// are queued, instead of a notifying commit per write, since PostgreSQL lets only one notifying commit through at a
/// time. The payload is the order id alone: listeners read the order's new events from <c>order_events</c>. An
/// announcement lost with the process is caught by the listeners' periodic sweep; the events themselves are never lost
/// (they commit with the change).
/// </summary>
public sealed partial class OrderEventAnnouncer : IAsyncDisposable
{
    /// <summary>The channel the order-event trigger and this class notify on.</summary>
    public const string Channel = "order_events";

    /// <summary>The transaction-local setting with which a statement takes over announcing its events.</summary>
    public const string CallerAnnouncesSql = "pg_catalog.set_config('flashfundx.announce_events', 'caller', true)";

    private const int MaxBatch = 500;
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(5);
    private const string NotifySql = $"SELECT pg_catalog.pg_notify('{Channel}', o) FROM unnest(@Orders::text[]) o";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<OrderEventAnnouncer> _logger;
    private readonly Channel<string> _queue = System.Threading.Channels.Channel.CreateUnbounded<string>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public OrderEventAnnouncer(NpgsqlDataSource dataSource, ILogger<OrderEventAnnouncer> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _running = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Queues an announcement of the order's new events; call it once the change has committed.</summary>
    public void Announce(string orderId) => _queue.Writer.TryWrite(orderId);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            // What is queued goes out before the process stops, unless the database is unreachable.
            await _running.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var batch = new HashSet<string>(StringComparer.Ordinal);
        while (batch.Count > 0 || await _queue.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
        {
            if (batch.Count == 0)
            {
                // Gather what the next few milliseconds bring: under load one notifying commit then covers dozens of
                // orders, for a few milliseconds more latency on the live stream.
                await Task.Delay(BatchWindow, stopping).ConfigureAwait(false);
            }
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var orderId))
            {
                batch.Add(orderId);
            }
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(NotifySql, new { Orders = batch.ToArray() }, cancellationToken: stopping))
                    .ConfigureAwait(false);
                batch.Clear();
            }
#pragma warning disable CA1031 // whatever fails, the loop must live on: a dead announcer would leave every stream silent
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogAnnounceFailed(_logger, e, batch.Count, RetryDelay);
                await Task.Delay(RetryDelay, stopping).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing the events of {Count} orders failed; retrying in {Delay}")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, int count, TimeSpan delay);
}

using FlashFundX.Data.Database;
using FlashFundX.Data.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// The API process's one <c>LISTEN order_events</c> connection (unpooled, with keep-alives so a dead link is noticed).
/// When it breaks it reconnects with backoff and has the hub re-read every watched order, so no event is lost; a
/// periodic sweep catches events whose writer died before announcing them (OrderEventAnnouncer). It connects as the
/// API's login role (<c>ConnectionStrings:FlashFundX</c> of the API), which LISTEN needs no grant for.
/// </summary>
public sealed partial class OrderEventListener(
    IOptions<DatabaseConnection> database, OrderEventHub hub, IOptions<OrderEventsOptions> options, ILogger<OrderEventListener> logger) : BackgroundService
{
    public const string Channel = OrderEventAnnouncer.Channel;
    public const string ApplicationName = "flashfundx-order-events";

    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dispatch = hub.DispatchAsync(stoppingToken);
        var sweep = SweepAsync(stoppingToken);
        var connectionString = ListenConnectionString(database.Value.ConnectionString);
        var delay = options.Value.ReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, () => delay = options.Value.ReconnectDelay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogConnectionLost(logger, e, delay);
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
        try
        {
            await Task.WhenAll(dispatch, sweep).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped with the host.
        }
    }

    /// <summary>Every <see cref="OrderEventsOptions.SweepInterval"/>: events that were never announced (see <see cref="OrderEventHub.SweepAsync"/>).</summary>
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await hub.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    /// <summary>Unpooled (the connection is held for good) with keep-alives, so a silently dead link still fails and reconnects.</summary>
    private static string ListenConnectionString(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 15, ApplicationName = ApplicationName }.ConnectionString;

    private async Task ListenAsync(string connectionString, Action connected, CancellationToken stoppingToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, e) => hub.Notify(e.Payload);
            await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
            var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await using (listen.ConfigureAwait(false))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            }
            hub.ResyncAll();
            connected();
            LogListening(logger, Channel);
            while (true)
            {
                await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for order events on channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking streamed orders for unannounced events failed; trying again at the next sweep")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The order events connection failed; listening again in {Delay}")]
    private static partial void LogConnectionLost(ILogger logger, Exception exception, TimeSpan delay);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlashFundX.ServiceDefaults.Metrics;

/// <summary>Refreshes <see cref="FulfillmentMetrics.SetWaitingForInventory"/> from a count the host supplies (a SQL count).</summary>
internal sealed partial class WaitingInventoryGaugeSampler(
    IServiceProvider services,
    FulfillmentMetrics metrics,
    Func<IServiceProvider, CancellationToken, Task<long>> countWaiting,
    TimeSpan interval,
    ILogger<WaitingInventoryGaugeSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                metrics.SetWaitingForInventory(await countWaiting(services, stoppingToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed sample keeps the last value; the next tick tries again
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSampleFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting orders waiting for inventory failed; the gauge keeps its last value")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}

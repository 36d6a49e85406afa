using FlashFundX.Data.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashFundX.Worker.Retention;

/// <summary>Runs <see cref="WebhookEventRetention"/> at start and every <see cref="WebhookRetentionOptions.Interval"/>.</summary>
internal sealed partial class WebhookRetentionService(
    WebhookEventRetention retention,
    IOptions<WebhookRetentionOptions> options,
    ILogger<WebhookRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        do
        {
            try
            {
                var deleted = await retention.DeleteExpiredAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogDeleted(logger, deleted);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed sweep (database away) is tried again at the next tick
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook retention deleted {Count} expired webhook_events rows")]
    private static partial void LogDeleted(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook retention failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FlashFundX.Data.Webhooks;

/// <summary>
/// Deletes expired webhook_events rows (<see cref="WebhookRetentionOptions"/>). An accepted IPN not yet dispatched is
/// never deleted, however old: it is work still to do. A valid IPN re-sent after its row is gone is accepted again, and
/// the order's run or the late-payment path ignores a report it has already recorded.
/// </summary>
public sealed class WebhookEventRetention(NpgsqlDataSource dataSource, IOptions<WebhookRetentionOptions> options)
{
    private const int BatchSize = 5000;

    // SKIP LOCKED: two workers sweeping at once share the rows instead of waiting on each other.
    private const string DeleteBatchSql = """
        DELETE FROM webhook_events w
         USING (SELECT id
                  FROM webhook_events
                 WHERE (outcome IN ('invalid_signature', 'malformed', 'too_large') AND received_at < now() - @Rejected)
                    OR (outcome IN ('duplicate', 'orphaned', 'late') AND received_at < now() - @Processed)
                    OR (outcome = 'accepted' AND dispatched_at IS NOT NULL AND received_at < now() - @Processed)
                 LIMIT @BatchSize
                   FOR UPDATE SKIP LOCKED) expired
         WHERE w.id = expired.id
        """;

    /// <summary>Deletes every expired row, a batch per statement so no transaction holds many locks; returns how many.</summary>
    public async Task<long> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var args = new { options.Value.Rejected, options.Value.Processed, BatchSize };
        long total = 0;
        int deleted;
        do
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            deleted = await connection.ExecuteAsync(new CommandDefinition(DeleteBatchSql, args, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == BatchSize);
        return total;
    }
}

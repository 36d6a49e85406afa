using Dapper;
using Npgsql;

namespace FlashFundX.Api.Webhooks;

/// <summary>
/// webhook_events: every request is a row. The unique dedupe key makes "accept once" a database fact: the first
/// delivery of a payment status inserts it, a repeat finds it taken and is recorded as a duplicate without a key.
/// </summary>
public sealed class WebhookEventStore(NpgsqlDataSource dataSource)
{
    private const string RecordSql = """
        INSERT INTO webhook_events (order_id, payment_id, payment_status, signature_valid, outcome, dedupe_key,
                                    body_sha256, body, http_status, detail)
        VALUES (@OrderId, @PaymentId, @PaymentStatus, @SignatureValid, @Outcome, @DedupeKey,
                @BodySha256, @Body, @HttpStatus, @Detail)
        """;

    /// <summary>Claims the dedupe key: accepted when the order exists, orphaned when not; null when the key was taken.</summary>
    private const string ClaimSql = """
        INSERT INTO webhook_events (order_id, payment_id, payment_status, signature_valid, outcome, dedupe_key,
                                    body_sha256, body, http_status, detail)
        SELECT @OrderId, @PaymentId, @PaymentStatus, true,
               CASE WHEN o.found THEN 'accepted' ELSE 'orphaned' END,
               @DedupeKey, @BodySha256, @Body, 200,
               CASE WHEN o.found THEN NULL ELSE 'unknown order' END
        FROM (SELECT EXISTS (SELECT 1 FROM orders WHERE order_id = @OrderId) AS found) o
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING id, outcome
        """;

    private const string OrphanSql = """
        UPDATE webhook_events SET outcome = 'orphaned', detail = @Detail WHERE id = @Id
        """;

    private const string LateSql = """
        UPDATE webhook_events SET outcome = 'late', detail = @Detail WHERE id = @Id
        """;

    /// <summary>The signal could not be sent: free the dedupe key so the provider's retry is processed.</summary>
    private const string ReleaseSql = """
        UPDATE webhook_events SET dedupe_key = NULL, http_status = @HttpStatus, detail = @Detail WHERE id = @Id
        """;

    public async Task RecordAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(RecordSql, webhookEvent, cancellationToken: cancellationToken));
    }

    public async Task<ClaimedEvent?> ClaimAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ClaimedEvent>(
            new CommandDefinition(ClaimSql, webhookEvent, cancellationToken: cancellationToken));
    }

    public async Task MarkOrphanedAsync(long id, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(OrphanSql, new { Id = id, Detail = detail }, cancellationToken: cancellationToken));
    }

    public async Task MarkLateAsync(long id, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(LateSql, new { Id = id, Detail = detail }, cancellationToken: cancellationToken));
    }

    public async Task ReleaseAsync(long id, int httpStatus, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            ReleaseSql, new { Id = id, HttpStatus = httpStatus, Detail = detail }, cancellationToken: cancellationToken));
    }

    public sealed class ClaimedEvent
    {
        public long Id { get; init; }
        public string Outcome { get; init; } = "";
    }
}

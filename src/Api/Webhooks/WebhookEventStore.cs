using Dapper;
using FlashFundX.Api.Data;

namespace FlashFundX.Api.Webhooks;

/// <summary>
/// webhook_events: every request is a row. The unique dedupe key makes "accept once" a database fact: the first
/// delivery of a payment status inserts it, a repeat finds it taken and is recorded as a duplicate without a key.
/// Every statement runs as the API's system role (<see cref="CallerScopedDatabase.OpenSystemAsync"/>).
/// </summary>
public sealed class WebhookEventStore(CallerScopedDatabase database)
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
        UPDATE webhook_events SET outcome = 'orphaned', detail = @Detail, dispatched_at = now() WHERE id = @Id
        """;

    private const string LateSql = """
        UPDATE webhook_events SET outcome = 'late', detail = @Detail, dispatched_at = now() WHERE id = @Id
        """;

    private const string DispatchedSql = """
        UPDATE webhook_events SET dispatched_at = now() WHERE id = ANY(@Ids) AND dispatched_at IS NULL
        """;

    /// <summary>
    /// Accepted rows not dispatched for <c>@OlderThan</c>, leased to this caller for as long (SKIP LOCKED: two sweeps
    /// never take the same row at once).
    /// </summary>
    private const string ClaimUndispatchedSql = """
        UPDATE webhook_events w
           SET dispatch_claimed_at = now()
          FROM (SELECT id
                  FROM webhook_events
                 WHERE outcome = 'accepted' AND dispatched_at IS NULL
                   AND received_at < now() - @OlderThan
                   AND (dispatch_claimed_at IS NULL OR dispatch_claimed_at < now() - @OlderThan)
                 ORDER BY id
                 LIMIT @Limit
                   FOR UPDATE SKIP LOCKED) due
         WHERE w.id = due.id
        RETURNING w.id, w.order_id, w.body
        """;

    /// <summary>
    /// The order's IPNs that never reached a run, made undispatched accepted rows again and leased to the caller (a sweep
    /// sends them should the caller die first).
    /// </summary>
    private const string ReopenUndeliveredSql = $"""
        UPDATE webhook_events
           SET outcome = '{WebhookOutcomes.Accepted}', detail = NULL, dispatched_at = NULL, dispatch_claimed_at = now()
         WHERE order_id = @OrderId
           AND ((outcome = '{WebhookOutcomes.Accepted}' AND dispatched_at IS NULL)
                OR (outcome = '{WebhookOutcomes.Orphaned}' AND detail = '{WebhookOutcomes.NoRunDetail}'))
        RETURNING id, order_id, body
        """;

    public async Task RecordAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        await ExecuteAsync(RecordSql, webhookEvent, cancellationToken);
    }

    public async Task<ClaimedEvent?> ClaimAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var claimed = await session.Connection.QuerySingleOrDefaultAsync<ClaimedEvent>(session.Command(ClaimSql, webhookEvent, cancellationToken));
        await session.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task MarkOrphanedAsync(long id, string detail, CancellationToken cancellationToken)
    {
        await ExecuteAsync(OrphanSql, new { Id = id, Detail = detail }, cancellationToken);
    }

    public async Task MarkLateAsync(long id, string detail, CancellationToken cancellationToken)
    {
        await ExecuteAsync(LateSql, new { Id = id, Detail = detail }, cancellationToken);
    }

    /// <summary>Stamps rows whose reports reached their workflow; a row stamped before is left as it is.</summary>
    public async Task MarkDispatchedAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await ExecuteAsync(DispatchedSql, new { Ids = ids.ToArray() }, cancellationToken);
    }

    public async Task<IReadOnlyList<UndispatchedEvent>> ClaimUndispatchedAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var rows = await session.Connection.QueryAsync<UndispatchedEvent>(
            session.Command(ClaimUndispatchedSql, new { OlderThan = olderThan, Limit = limit }, cancellationToken));
        await session.CommitAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Id)];
    }

    public async Task<IReadOnlyList<UndispatchedEvent>> ReopenUndeliveredAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var rows = await session.Connection.QueryAsync<UndispatchedEvent>(
            session.Command(ReopenUndeliveredSql, new { OrderId = orderId }, cancellationToken));
        await session.CommitAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Id)];
    }

    private async Task ExecuteAsync(string sql, object args, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        await session.Connection.ExecuteAsync(session.Command(sql, args, cancellationToken));
        await session.CommitAsync(cancellationToken);
    }

    public sealed class UndispatchedEvent
    {
        public long Id { get; init; }
        public string OrderId { get; init; } = "";
        public string? Body { get; init; }
    }

    public sealed class ClaimedEvent
    {
        public long Id { get; init; }
        public string Outcome { get; init; } = "";
    }
}

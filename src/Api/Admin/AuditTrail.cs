using System.Text.Json;
using Dapper;
using FlashFundX.Api.Data;

namespace FlashFundX.Api.Admin;

/// <summary>Reads admin_audit_log, newest first (as the API's system role, which sees the actors' e-mails and nothing else of them).</summary>
public sealed class AuditTrail(CallerScopedDatabase database)
{
    private const string Filter = """
        WHERE (CAST(@Action AS text) IS NULL OR l.action = @Action)
          AND (CAST(@ActorId AS uuid) IS NULL OR l.admin_user_id = @ActorId)
          AND (CAST(@ActorEmail AS text) IS NULL OR l.admin_user_id IN (SELECT id FROM users WHERE lower(email) = lower(@ActorEmail)))
          AND (CAST(@OrderId AS text) IS NULL OR l.target = @OrderId)
          AND (CAST(@From AS timestamptz) IS NULL OR l.created_at >= @From)
          AND (CAST(@To AS timestamptz) IS NULL OR l.created_at < @To)
        """;

    private const string PageSql = $"""
        SELECT l.id, l.action, l.admin_user_id AS actor_id, u.email AS actor_email, l.target, l.details::text AS details, l.created_at
          FROM admin_audit_log l
          LEFT JOIN users u ON u.id = l.admin_user_id
        {Filter}
         ORDER BY l.created_at DESC, l.id DESC
         LIMIT @Limit OFFSET @Offset
        """;

    private const string CountSql = $"SELECT count(*) FROM admin_audit_log l {Filter}";

    public async Task<AdminPage<AuditEntryDto>> ListAsync(AuditFilter filter, AdminPaging paging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var args = new { filter.Action, filter.ActorId, filter.ActorEmail, filter.OrderId, filter.From, filter.To, paging.Limit, paging.Offset };
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var total = await session.Connection.ExecuteScalarAsync<long>(session.Command(CountSql, args, cancellationToken));
        var rows = await session.Connection.QueryAsync<Row>(session.Command(PageSql, args, cancellationToken));
        return new AdminPage<AuditEntryDto>(rows.Select(r => r.ToDto()).ToArray(), total);
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Action { get; init; } = "";
        public Guid ActorId { get; init; }
        public string? ActorEmail { get; init; }
        public string? Target { get; init; }
        public string Details { get; init; } = "{}";
        public DateTime CreatedAt { get; init; }

        public AuditEntryDto ToDto()
        {
            using var details = JsonDocument.Parse(Details);
            return new AuditEntryDto(
                Id, Action, ActorId, ActorEmail, Target, details.RootElement.Clone(), DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc));
        }
    }
}

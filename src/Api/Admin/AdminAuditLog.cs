using System.Text.Json;
using Dapper;
using FlashFundX.Api.Data;

namespace FlashFundX.Api.Admin;

/// <summary>Appends to admin_audit_log: who did what to which target, with non-secret details (as the API's system role).</summary>
public sealed class AdminAuditLog(CallerScopedDatabase database)
{
    private const string InsertSql = """
        INSERT INTO admin_audit_log (admin_user_id, action, target, details)
        VALUES (@AdminUserId, @Action, @Target, CAST(@Details AS jsonb))
        """;

    public async Task WriteAsync(Guid adminUserId, string action, string? target, object details, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        await WriteAsync(session, adminUserId, action, target, details, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>The row in <paramref name="session"/>'s transaction (a system session), so it commits with the change it records.</summary>
    public static Task WriteAsync(
        CallerSession session, Guid adminUserId, string action, string? target, object details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Connection.ExecuteAsync(session.Command(InsertSql, new
        {
            AdminUserId = adminUserId,
            Action = action,
            Target = target,
            Details = JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
        }, cancellationToken));
    }
}

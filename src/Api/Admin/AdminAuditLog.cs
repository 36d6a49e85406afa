using System.Text.Json;
using Dapper;
using Npgsql;

namespace FlashFundX.Api.Admin;

/// <summary>Appends to admin_audit_log: who did what to which target, with non-secret details.</summary>
public sealed class AdminAuditLog(NpgsqlDataSource dataSource)
{
    private const string InsertSql = """
        INSERT INTO admin_audit_log (admin_user_id, action, target, details)
        VALUES (@AdminUserId, @Action, @Target, CAST(@Details AS jsonb))
        """;

    public async Task WriteAsync(Guid adminUserId, string action, string? target, object details, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            AdminUserId = adminUserId,
            Action = action,
            Target = target,
            Details = JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
        }, cancellationToken: cancellationToken));
    }
}

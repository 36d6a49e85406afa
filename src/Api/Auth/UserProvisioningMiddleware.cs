using Dapper;
using FlashFundX.Api.Data;
using Microsoft.Extensions.Caching.Memory;

namespace FlashFundX.Api.Auth;

/// <summary>
/// Creates the caller's users row on their first authenticated request, and keeps e-mail and role in step with the
/// token (the role comes from the token's <c>role</c> claim only). A short cache spares the database a write per request.
/// The upsert runs in the caller's own session: row-level security lets it insert or update the caller's row only.
/// </summary>
internal sealed partial class UserProvisioningMiddleware(
    RequestDelegate next,
    CallerScopedDatabase database,
    IMemoryCache cache,
    ILogger<UserProvisioningMiddleware> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    private const string UpsertSql = """
        INSERT INTO users (id, email, role)
        VALUES (@UserId, @Email, @Role)
        ON CONFLICT (id) DO UPDATE
            SET email = EXCLUDED.email, role = EXCLUDED.role
            WHERE users.email IS DISTINCT FROM EXCLUDED.email OR users.role IS DISTINCT FROM EXCLUDED.role
        RETURNING (xmax = 0) AS inserted
        """;

    public async Task InvokeAsync(HttpContext context)
    {
        if (Caller.From(context.User) is { } caller)
        {
            var key = (caller.UserId, caller.Email, caller.Role);
            if (!cache.TryGetValue(key, out _))
            {
                bool? inserted;
                await using (var session = await database.OpenAsync(caller, useAdminRights: false, context.RequestAborted))
                {
                    inserted = await session.Connection.QuerySingleOrDefaultAsync<bool?>(session.Command(
                        UpsertSql,
                        new { caller.UserId, caller.Email, caller.Role },
                        context.RequestAborted));
                    await session.CommitAsync(context.RequestAborted);
                }
                if (inserted == true)
                {
                    LogUserCreated(logger, caller.UserId, caller.Role);
                }
                cache.Set(key, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 });
            }
        }
        await next(context);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created user {UserId} with role {Role} on first request")]
    private static partial void LogUserCreated(ILogger logger, Guid userId, string role);
}

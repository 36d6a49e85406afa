using Dapper;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Data;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Customers;

/// <summary>The caller's own row, orders and accounts, read and written in their session (row-level security applies).</summary>
public sealed class CustomerStore(CallerScopedDatabase database)
{
    /// <summary>The currency of the totals of user <c>u</c>: that of their first completed order (null before one).</summary>
    internal const string TotalsCurrencySql =
        "(SELECT o.price_currency FROM orders o WHERE o.user_id = u.id AND o.order_status = 'completed' ORDER BY o.created_at LIMIT 1)";

    /// <summary>How many of user <c>@UserId</c>'s orders are in each status.</summary>
    internal const string StatusCountsSql = """
        SELECT order_status AS status, count(*)::int AS count FROM orders WHERE user_id = @UserId GROUP BY order_status
        """;

    private const string MeSql = $"""
        SELECT u.id, u.email, u.first_name, u.last_name, u.phone, u.country, u.marketing_consent, u.total_orders, u.total_spent,
               {TotalsCurrencySql} AS currency
          FROM users u WHERE u.id = @UserId
        """;

    private const string AccountsSql = """
        SELECT order_id, login, server, platform, account_size, current_phase, delivered_at
          FROM delivered_accounts WHERE user_id = @UserId ORDER BY delivered_at DESC, order_id
        """;

    public async Task<MeDto> ReadAsync(Caller caller, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenAsync(caller, useAdminRights: false, cancellationToken);
        return await ReadAsync(session, cancellationToken);
    }

    /// <summary>Applies <paramref name="patch"/> to the caller's own row and returns the result.</summary>
    public async Task<MeDto> UpdateAsync(Caller caller, ProfilePatch patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        await using var session = await database.OpenAsync(caller, useAdminRights: false, cancellationToken);
        if (patch.Changes.Count > 0)
        {
            // Column names come from ProfilePatch's fixed list, never from the request.
            var assignments = string.Join(", ", patch.Changes.Keys.Select(column => $"{column} = @{column}"));
            var parameters = new DynamicParameters(patch.Changes);
            parameters.Add("UserId", caller.UserId);
            await session.Connection.ExecuteAsync(session.Command($"UPDATE users SET {assignments} WHERE id = @UserId", parameters, cancellationToken));
        }
        var me = await ReadAsync(session, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return me;
    }

    public async Task<IReadOnlyList<CustomerAccountDto>> ListAccountsAsync(Caller caller, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenAsync(caller, useAdminRights: false, cancellationToken);
        var rows = await session.Connection.QueryAsync<AccountRow>(session.Command(AccountsSql, new { caller.UserId }, cancellationToken));
        return rows.Select(r => new CustomerAccountDto(
            r.OrderId, r.Login, r.Server, WireName.Parse<TradingPlatform>(r.Platform), r.AccountSize,
            WireName.Parse<AccountPhase>(r.CurrentPhase), DateTime.SpecifyKind(r.DeliveredAt, DateTimeKind.Utc))).ToArray();
    }

    private static async Task<MeDto> ReadAsync(CallerSession session, CancellationToken cancellationToken)
    {
        var me = await session.Connection.QuerySingleAsync<MeRow>(session.Command(MeSql, new { session.UserId }, cancellationToken));
        var counts = await session.Connection.QueryAsync<(string Status, int Count)>(
            session.Command(StatusCountsSql, new { session.UserId }, cancellationToken));
        return new MeDto(
            me.Id,
            me.Email,
            new CustomerProfileDto(me.FirstName, me.LastName, me.Phone, me.Country, me.MarketingConsent),
            new CustomerTotalsDto(me.TotalOrders, me.TotalSpent, me.Currency),
            counts.ToDictionary(c => c.Status, c => c.Count, StringComparer.Ordinal));
    }

    private sealed class MeRow
    {
        public Guid Id { get; init; }
        public string Email { get; init; } = "";
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Phone { get; init; }
        public string? Country { get; init; }
        public bool MarketingConsent { get; init; }
        public int TotalOrders { get; init; }
        public decimal TotalSpent { get; init; }
        public string? Currency { get; init; }
    }

    private sealed class AccountRow
    {
        public string OrderId { get; init; } = "";
        public string Login { get; init; } = "";
        public string Server { get; init; } = "";
        public string Platform { get; init; } = "";
        public int AccountSize { get; init; }
        public string CurrentPhase { get; init; } = "";
        public DateTime DeliveredAt { get; init; }
    }
}

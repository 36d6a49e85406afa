using Dapper;
using FlashFundX.Api.Admin;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Data;
using FlashFundX.Api.Orders;

namespace FlashFundX.Api.Customers;

/// <summary>
/// Users for admins. Reads run in the admin's own session with admin rights: the row-level-security policies of
/// sql/0001_baseline.sql let an admin session read every user and order, so the system role never reads profiles.
/// </summary>
public sealed class UserDirectory(CallerScopedDatabase database)
{
    public const int MaxOrdersShown = 100;

    private const string SummaryColumns = $"""
        u.id, u.email, u.role, u.created_at, u.total_orders AS completed_orders, u.total_spent,
        (SELECT count(*)::int FROM orders o WHERE o.user_id = u.id) AS orders,
        {CustomerStore.TotalsCurrencySql} AS currency
        """;

    private const string Filter = @"WHERE (@EmailPattern IS NULL OR u.email ILIKE @EmailPattern ESCAPE '\')";

    private const string PageSql = $"""
        SELECT {SummaryColumns} FROM users u
        {Filter}
        ORDER BY u.created_at DESC, u.id DESC
        LIMIT @Limit OFFSET @Offset
        """;

    private const string CountSql = $"SELECT count(*) FROM users u {Filter}";

    private const string UserSql = $"""
        SELECT {SummaryColumns}, u.first_name, u.last_name, u.phone, u.country, u.marketing_consent
          FROM users u WHERE u.id = @UserId
        """;

    private const string OrdersSql = $"""
        SELECT {OrderRow.Columns} FROM orders WHERE user_id = @UserId
         ORDER BY created_at DESC, order_id DESC
         LIMIT @Limit
        """;

    /// <param name="email">A part of the e-mail, any case; null for every user.</param>
    public async Task<AdminPage<AdminUserDto>> ListAsync(Caller admin, string? email, AdminPaging paging, CancellationToken cancellationToken)
    {
        var args = new { EmailPattern = email is null ? null : "%" + EscapeLike(email) + "%", paging.Limit, paging.Offset };
        await using var session = await database.OpenAsync(admin, useAdminRights: true, cancellationToken);
        var total = await session.Connection.ExecuteScalarAsync<long>(session.Command(CountSql, args, cancellationToken));
        var rows = await session.Connection.QueryAsync<UserRow>(session.Command(PageSql, args, cancellationToken));
        return new AdminPage<AdminUserDto>(rows.Select(r => new AdminUserDto(r.Id, r.Email, r.Role, r.Created, r.Totals)).ToArray(), total);
    }

    /// <summary>The user with profile, totals and newest orders; null when there is no such user.</summary>
    public async Task<AdminUserDetailDto?> FindAsync(Caller admin, Guid userId, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenAsync(admin, useAdminRights: true, cancellationToken);
        var user = await session.Connection.QuerySingleOrDefaultAsync<UserRow>(session.Command(UserSql, new { UserId = userId }, cancellationToken));
        if (user is null)
        {
            return null;
        }
        var counts = await session.Connection.QueryAsync<(string Status, int Count)>(
            session.Command(CustomerStore.StatusCountsSql, new { UserId = userId }, cancellationToken));
        var orders = await session.Connection.QueryAsync<OrderRow>(session.Command(OrdersSql, new { UserId = userId, Limit = MaxOrdersShown }, cancellationToken));
        return new AdminUserDetailDto(
            user.Id, user.Email, user.Role, user.Created,
            new CustomerProfileDto(user.FirstName, user.LastName, user.Phone, user.Country, user.MarketingConsent),
            user.Totals,
            counts.ToDictionary(c => c.Status, c => c.Count, StringComparer.Ordinal),
            orders.Select(o => o.ToDto()).ToArray());
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private sealed class UserRow
    {
        public Guid Id { get; init; }
        public string Email { get; init; } = "";
        public string Role { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public int CompletedOrders { get; init; }
        public decimal TotalSpent { get; init; }
        public int Orders { get; init; }
        public string? Currency { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Phone { get; init; }
        public string? Country { get; init; }
        public bool MarketingConsent { get; init; }

        public DateTime Created => DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc);

        public AdminUserTotalsDto Totals => new(Orders, CompletedOrders, TotalSpent, Currency);
    }
}

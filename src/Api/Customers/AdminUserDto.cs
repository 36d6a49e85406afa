namespace FlashFundX.Api.Customers;

/// <summary>One user in <c>GET /admin/users</c>.</summary>
public sealed record AdminUserDto(Guid Id, string Email, string Role, DateTime CreatedAt, AdminUserTotalsDto Totals);

using FlashFundX.Api.Orders;

namespace FlashFundX.Api.Customers;

/// <summary>
/// <c>GET /admin/users/{userId}</c>: the user, profile, totals, order counts by status and their newest orders (at most
/// <see cref="UserDirectory.MaxOrdersShown"/>; <c>totals.orders</c> counts all).
/// </summary>
public sealed record AdminUserDetailDto(
    Guid Id,
    string Email,
    string Role,
    DateTime CreatedAt,
    CustomerProfileDto Profile,
    AdminUserTotalsDto Totals,
    IReadOnlyDictionary<string, int> OrdersByStatus,
    IReadOnlyList<OrderDto> Orders);

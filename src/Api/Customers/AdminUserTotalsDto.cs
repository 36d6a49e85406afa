namespace FlashFundX.Api.Customers;

/// <summary>
/// A user's totals as admins see them: every order, and the completed ones with what they cost — the same
/// <see cref="CompletedOrders"/>, <see cref="TotalSpent"/> and <see cref="Currency"/> as the user's <c>GET /me</c> totals.
/// </summary>
public sealed record AdminUserTotalsDto(int Orders, int CompletedOrders, decimal TotalSpent, string? Currency);

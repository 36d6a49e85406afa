namespace FlashFundX.Api.Customers;

/// <summary><c>GET /me</c>: the caller, their profile, totals and how many of their orders are in each status.</summary>
public sealed record MeDto(
    Guid Id, string Email, CustomerProfileDto Profile, CustomerTotalsDto Totals, IReadOnlyDictionary<string, int> OrdersByStatus);

namespace FlashFundX.Api.Customers;

/// <summary>Completed orders and what they cost; <see cref="Currency"/> is null before the first one.</summary>
public sealed record CustomerTotalsDto(int TotalOrders, decimal TotalSpent, string? Currency);

namespace FlashFundX.Api.Admin;

/// <summary>One page of the admin order list, newest first, and how many orders match the filters.</summary>
public sealed record AdminOrderPage(IReadOnlyList<AdminOrder> Items, long Total);

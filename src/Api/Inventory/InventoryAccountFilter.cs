namespace FlashFundX.Api.Inventory;

/// <summary>The filters of <c>GET /admin/inventory/accounts</c>, checked; null matches every account.</summary>
public sealed record InventoryAccountFilter(int? AccountSize, string? Platform, string? Status);

namespace FlashFundX.Api.Inventory;

/// <summary>Body of <c>POST /admin/inventory</c>.</summary>
public sealed record ImportInventoryRequest(IReadOnlyList<InventoryAccountInput?>? Accounts);

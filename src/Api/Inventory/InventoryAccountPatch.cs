namespace FlashFundX.Api.Inventory;

/// <summary>Body of <c>PATCH /admin/inventory/accounts/{accountId}</c>: a field left out (or null) is unchanged.</summary>
/// <param name="Status"><c>available</c> or <c>disabled</c>.</param>
public sealed record InventoryAccountPatch(string? Server, string? Login, string? Status);

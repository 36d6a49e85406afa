namespace FlashFundX.Api.Inventory;

/// <summary>The 201 answer: how many accounts were added, how many were already in stock, and how many waiting orders were told.</summary>
public sealed record ImportInventoryResponse(int Imported, int Skipped, int NotifiedOrders);

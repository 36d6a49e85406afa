namespace FlashFundX.Data.Inventory;

/// <summary>How an import went; <see cref="Restocked"/> lists the (size, platform) pairs that received new accounts, to signal waiting orders.</summary>
public sealed record InventoryImportResult(int Imported, int Skipped, IReadOnlyList<StockKey> Restocked);

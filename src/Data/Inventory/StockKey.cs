using FlashFundX.Workflows.Domain;

namespace FlashFundX.Data.Inventory;

/// <summary>What an order needs from the inventory: an account of this size on this platform.</summary>
public sealed record StockKey(int AccountSize, TradingPlatform Platform);

using FlashFundX.Workflows.Domain;

namespace FlashFundX.Activities.Inventory;

/// <summary>What an order needs from the inventory: an account of this size on this platform.</summary>
public sealed record StockKey(int AccountSize, TradingPlatform Platform);

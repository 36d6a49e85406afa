using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Inventory;

/// <summary>Stock of one account size on one platform, by status.</summary>
public sealed record InventoryLevel(int AccountSize, TradingPlatform Platform, long Available, long Delivered, long Disabled);

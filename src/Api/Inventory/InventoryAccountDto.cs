using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Inventory;

/// <summary>One stock account as admins see it: never a password. <see cref="OrderId"/> is the order it was delivered to.</summary>
public sealed record InventoryAccountDto(
    long Id,
    TradingPlatform Platform,
    int AccountSize,
    string Server,
    string Login,
    InventoryAccountStatus Status,
    string? OrderId,
    DateTime? DeliveredAt,
    DateTime CreatedAt,
    DateTime UpdatedAt);

namespace FlashFundX.Api.Inventory;

public enum InventoryAccountOutcome
{
    Changed,
    Unchanged,
    NotFound,

    /// <summary>The account is (or was) delivered to an order, or the change would collide with another account.</summary>
    Conflict,
}

/// <summary>What a change of a stock account came to: the account as it is now, or why nothing changed.</summary>
public sealed record InventoryAccountResult(InventoryAccountOutcome Outcome, InventoryAccountDto? Account, string? Detail = null);

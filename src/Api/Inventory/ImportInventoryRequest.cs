namespace FlashFundX.Api.Inventory;

/// <summary>Body of <c>POST /admin/inventory</c>.</summary>
public sealed record ImportInventoryRequest(IReadOnlyList<InventoryAccountInput?>? Accounts);

/// <summary>One trading account to add to stock. Passwords are encrypted before they are stored and never logged.</summary>
public sealed record InventoryAccountInput(
    string? Login,
    string? Password,
    string? InvestorPassword,
    string? Server,
    string? Platform,
    int? AccountSize)
{
    /// <summary>Never prints the passwords.</summary>
    public override string ToString() => $"InventoryAccountInput {{ Platform = {Platform}, Server = {Server}, Login = {Login}, AccountSize = {AccountSize} }}";
}

/// <summary>The 201 answer: how many accounts were added, how many were already in stock, and how many waiting orders were told.</summary>
public sealed record ImportInventoryResponse(int Imported, int Skipped, int NotifiedOrders);

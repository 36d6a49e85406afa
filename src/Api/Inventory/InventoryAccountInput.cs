namespace FlashFundX.Api.Inventory;

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

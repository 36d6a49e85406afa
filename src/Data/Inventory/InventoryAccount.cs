using FlashFundX.Workflows.Domain;

namespace FlashFundX.Data.Inventory;

/// <summary>One trading account to add to the inventory, with its plaintext credentials (encrypted before they are stored).</summary>
public sealed record InventoryAccount(
    string Login, string Password, string InvestorPassword, string Server, TradingPlatform Platform, int AccountSize)
{
    /// <summary>Never prints the passwords.</summary>
    public override string ToString() =>
        $"InventoryAccount {{ Login = {Login}, Server = {Server}, Platform = {WireName.Of(Platform)}, AccountSize = {AccountSize} }}";
}

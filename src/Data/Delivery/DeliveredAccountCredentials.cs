using FlashFundX.Workflows.Domain;

namespace FlashFundX.Data.Delivery;

/// <summary>A delivered account with its decrypted credentials, for its owner only. Never log it or put it in a workflow payload.</summary>
public sealed record DeliveredAccountCredentials(
    string OrderId,
    string Login,
    string Password,
    string InvestorPassword,
    string Server,
    TradingPlatform Platform,
    int AccountSize,
    AccountType AccountType,
    AccountPhase Phase,
    long TradingRulesId,
    DateTime DeliveredAt)
{
    /// <summary>Never prints the passwords.</summary>
    public override string ToString() =>
        $"DeliveredAccountCredentials {{ OrderId = {OrderId}, Login = {Login}, Server = {Server}, Platform = {WireName.Of(Platform)}, AccountSize = {AccountSize} }}";
}

using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Orders;

/// <summary>The delivered trading account of an order, with its decrypted passwords; only ever sent to the order's owner.</summary>
public sealed record AccountCredentialsDto(
    string Login,
    string Password,
    string InvestorPassword,
    string Server,
    TradingPlatform Platform,
    int AccountSize,
    AccountPhase Phase,
    TradingRulesDto TradingRules)
{
    /// <summary>Never prints the passwords.</summary>
    public override string ToString() => $"AccountCredentialsDto {{ Login = {Login}, Server = {Server}, Platform = {Platform}, AccountSize = {AccountSize} }}";
}

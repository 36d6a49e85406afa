using FlashFundX.Data.Products;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Orders;

/// <summary>The evaluation rules of a delivered account; percentages are of the starting balance.</summary>
public sealed record TradingRulesDto(
    AccountType AccountType,
    int AccountSize,
    decimal? ProfitTargetPhase1,
    decimal? ProfitTargetPhase2,
    decimal MaxDailyDrawdown,
    decimal MaxTotalDrawdown,
    int MinTradingDays,
    decimal ProfitSplit,
    string Leverage)
{
    public static TradingRulesDto From(AccountType accountType, int accountSize, ProductTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return new TradingRulesDto(accountType, accountSize, terms.ProfitTargetPhase1, terms.ProfitTargetPhase2,
            terms.MaxDailyDrawdown, terms.MaxTotalDrawdown, terms.MinTradingDays, terms.ProfitSplit, terms.Leverage);
    }
}

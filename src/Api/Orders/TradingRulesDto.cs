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
    string Leverage);

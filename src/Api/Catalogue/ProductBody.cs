namespace FlashFundX.Api.Catalogue;

/// <summary>
/// <c>PUT /admin/products/{accountType}/{accountSize}</c>: the product's whole terms. <c>active</c> defaults to true;
/// every other field is required except the profit targets an account type has no use for.
/// </summary>
public sealed record ProductBody(decimal? Price, string? PriceCurrency, ProductRulesBody? TradingRules, bool? Active);

/// <summary>A product's evaluation rules; percentages are of the starting balance.</summary>
public sealed record ProductRulesBody(
    decimal? ProfitTargetPhase1,
    decimal? ProfitTargetPhase2,
    decimal? MaxDailyDrawdown,
    decimal? MaxTotalDrawdown,
    int? MinTradingDays,
    decimal? ProfitSplit,
    string? Leverage);

namespace FlashFundX.Data.Products;

/// <summary>What a product version sells: its price and the evaluation rules (percentages of the starting balance), and whether it is on sale.</summary>
public sealed record ProductTerms(
    decimal Price,
    string PriceCurrency,
    decimal? ProfitTargetPhase1,
    decimal? ProfitTargetPhase2,
    decimal MaxDailyDrawdown,
    decimal MaxTotalDrawdown,
    int MinTradingDays,
    decimal ProfitSplit,
    string Leverage,
    bool Active)
{
    /// <summary>Same price and rules: orders sold under either would get the same account terms.</summary>
    public bool SameSaleTerms(ProductTerms other) =>
        other is not null && this with { Active = other.Active } == other;
}

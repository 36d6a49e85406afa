namespace FlashFundX.Activities.Notifications;

/// <summary>
/// What an order e-mail may say, read from the order, its buyer, the delivered account and its trading rules. There is
/// deliberately no password here: the statement that fills it never touches account_container.
/// </summary>
public sealed class OrderEmailFacts
{
    public string OrderId { get; init; } = "";
    public string Recipient { get; init; } = "";
    public string AccountType { get; init; } = "";
    public int AccountSize { get; init; }
    public string Platform { get; init; } = "";
    public decimal PriceAmount { get; init; }
    public string PriceCurrency { get; init; } = "";
    public string OrderStatus { get; init; } = "";
    public string DeliveryStatus { get; init; } = "";
    public string? Login { get; init; }
    public string? Server { get; init; }
    public string? CurrentPhase { get; init; }
    public decimal? ProfitTargetPhase1 { get; init; }
    public decimal? ProfitTargetPhase2 { get; init; }
    public decimal? MaxDailyDrawdown { get; init; }
    public decimal? MaxTotalDrawdown { get; init; }
    public int? MinTradingDays { get; init; }
    public decimal? ProfitSplit { get; init; }
    public string? Leverage { get; init; }
}

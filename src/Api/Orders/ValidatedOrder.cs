using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Orders;

/// <summary>A <see cref="CreateOrderRequest"/> whose every field is known, with the product version (trading_rules row) it is sold as.</summary>
internal sealed record ValidatedOrder(
    AccountType AccountType,
    int AccountSize,
    TradingPlatform Platform,
    string PayCurrency,
    long TradingRulesId,
    decimal Price,
    string PriceCurrency);

using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Orders;

/// <summary>A <see cref="CreateOrderRequest"/> whose every field is known, with the price from trading_rules.</summary>
internal sealed record ValidatedOrder(
    AccountType AccountType,
    int AccountSize,
    TradingPlatform Platform,
    string PayCurrency,
    decimal Price,
    string PriceCurrency);

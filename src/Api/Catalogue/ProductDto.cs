using FlashFundX.Api.Orders;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Catalogue;

/// <summary>One product of the public catalogue: an account type and size, its price and rules, and where it is in stock.</summary>
public sealed record ProductDto(
    AccountType AccountType,
    int AccountSize,
    decimal Price,
    string PriceCurrency,
    TradingRulesDto TradingRules,
    IReadOnlyList<ProductPlatformDto> Platforms);

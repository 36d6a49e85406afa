using FlashFundX.Api.Orders;
using FlashFundX.Data.Products;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Catalogue;

/// <summary>A product as admins see it, on sale or not; <c>version</c> is the id its new orders are sold under.</summary>
public sealed record AdminProductDto(
    AccountType AccountType,
    int AccountSize,
    decimal Price,
    string PriceCurrency,
    TradingRulesDto TradingRules,
    bool Active,
    long Version,
    DateTime UpdatedAt)
{
    public static AdminProductDto From(Product product)
    {
        ArgumentNullException.ThrowIfNull(product);
        var t = product.Terms;
        return new AdminProductDto(
            product.AccountType, product.AccountSize, t.Price, t.PriceCurrency, TradingRulesDto.From(product.AccountType, product.AccountSize, t),
            t.Active, product.Version, product.UpdatedAt);
    }
}

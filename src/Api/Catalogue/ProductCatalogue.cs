using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.Api.Orders;
using FlashFundX.Data.Products;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Catalogue;

/// <summary>
/// The products on sale (<see cref="ProductStore"/>) with stock flags. Public data read as the API's system role, as the
/// price check of an order is (<see cref="CallerScopedDatabase.OpenSystemAsync"/>): stock is a flag per size and
/// platform, never shown as a number.
/// </summary>
public sealed class ProductCatalogue(CallerScopedDatabase database)
{
    private const string InStockSql = "SELECT DISTINCT account_size, platform FROM account_container WHERE status = 'available'";

    public async Task<IReadOnlyList<ProductDto>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync(_ => true, cancellationToken);

    /// <summary>Null when no active product has this type and size.</summary>
    public async Task<ProductDto?> FindAsync(AccountType accountType, int accountSize, CancellationToken cancellationToken) =>
        (await QueryAsync(p => p.AccountType == accountType && p.AccountSize == accountSize, cancellationToken)).SingleOrDefault();

    private async Task<IReadOnlyList<ProductDto>> QueryAsync(Func<Product, bool> wanted, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var products = (await ProductStore.ListAsync(session.Transaction, cancellationToken)).Where(p => p.Terms.Active && wanted(p)).ToArray();
        if (products.Length == 0)
        {
            return [];
        }
        var inStock = (await session.Connection.QueryAsync<(int AccountSize, string Platform)>(
            session.Command(InStockSql, cancellationToken: cancellationToken))).ToHashSet();
        return [.. products.Select(p => new ProductDto(
            p.AccountType, p.AccountSize, p.Terms.Price, p.Terms.PriceCurrency, TradingRulesDto.From(p.AccountType, p.AccountSize, p.Terms),
            [
                new ProductPlatformDto(TradingPlatform.Mt4, inStock.Contains((p.AccountSize, WireName.Of(TradingPlatform.Mt4)))),
                new ProductPlatformDto(TradingPlatform.Mt5, inStock.Contains((p.AccountSize, WireName.Of(TradingPlatform.Mt5)))),
            ]))];
    }
}

using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.Api.Orders;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Catalogue;

/// <summary>
/// The active price list with stock flags. Public data read as the API's system role, as the price check of an order
/// is (<see cref="CallerScopedDatabase.OpenSystemAsync"/>): stock is counted per size and platform, never shown as a number.
/// </summary>
public sealed class ProductCatalogue(CallerScopedDatabase database)
{
    private const string ProductsSql = """
        SELECT r.account_type, r.account_size, r.price, r.price_currency, r.profit_target_phase_1, r.profit_target_phase_2,
               r.max_daily_drawdown, r.max_total_drawdown, r.min_trading_days, r.profit_split, r.leverage,
               EXISTS (SELECT 1 FROM account_container a
                        WHERE a.account_size = r.account_size AND a.platform = 'mt4' AND a.status = 'available') AS mt4_in_stock,
               EXISTS (SELECT 1 FROM account_container a
                        WHERE a.account_size = r.account_size AND a.platform = 'mt5' AND a.status = 'available') AS mt5_in_stock
          FROM trading_rules r
         WHERE r.is_active AND (@AccountType::text IS NULL OR (r.account_type = @AccountType AND r.account_size = @AccountSize))
         ORDER BY r.account_type, r.account_size
        """;

    public async Task<IReadOnlyList<ProductDto>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync(null, 0, cancellationToken);

    /// <summary>Null when no active product has this type and size.</summary>
    public async Task<ProductDto?> FindAsync(AccountType accountType, int accountSize, CancellationToken cancellationToken) =>
        (await QueryAsync(WireName.Of(accountType), accountSize, cancellationToken)).SingleOrDefault();

    private async Task<IReadOnlyList<ProductDto>> QueryAsync(string? accountType, int accountSize, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var rows = await session.Connection.QueryAsync<ProductRow>(session.Command(
            ProductsSql, new { AccountType = accountType, AccountSize = accountSize }, cancellationToken));
        return rows.Select(r => r.ToDto()).ToArray();
    }

    private sealed class ProductRow
    {
        public string AccountType { get; init; } = "";
        public int AccountSize { get; init; }
        public decimal Price { get; init; }
        public string PriceCurrency { get; init; } = "";
        public decimal? ProfitTargetPhase1 { get; init; }
        public decimal? ProfitTargetPhase2 { get; init; }
        public decimal MaxDailyDrawdown { get; init; }
        public decimal MaxTotalDrawdown { get; init; }
        public int MinTradingDays { get; init; }
        public decimal ProfitSplit { get; init; }
        public string Leverage { get; init; } = "";
        public bool Mt4InStock { get; init; }
        public bool Mt5InStock { get; init; }

        public ProductDto ToDto()
        {
            var type = WireName.Parse<AccountType>(AccountType);
            return new ProductDto(
                type, AccountSize, Price, PriceCurrency,
                new TradingRulesDto(type, AccountSize, ProfitTargetPhase1, ProfitTargetPhase2, MaxDailyDrawdown, MaxTotalDrawdown,
                    MinTradingDays, ProfitSplit, Leverage),
                [new ProductPlatformDto(TradingPlatform.Mt4, Mt4InStock), new ProductPlatformDto(TradingPlatform.Mt5, Mt5InStock)]);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using FlashFundX.Data.Database;
using FlashFundX.Data.Products;
using FlashFundX.Workflows.Domain;
using Npgsql;

namespace FlashFundX.LocalDev.Seed;

/// <summary>
/// The invented price list (<c>sql/seed/demo-products.json</c>, embedded in this assembly), loaded into a migrated
/// database by the development run at every start and by the test support for every test, drill and bench database,
/// through the admin endpoint's own checks and writes (<see cref="ProductTermsRules"/>, <see cref="ProductStore"/>).
/// It is seed data, not a migration: a production database has no products until an admin adds them. Loading again
/// adds only the products the database lacks, so a price changed by an admin stays.
/// </summary>
public static class DemoProducts
{
    private const string Resource = "FlashFundX.LocalDev.Seed.demo-products.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Lazy<IReadOnlyList<DemoProduct>> List = new(Read);

    /// <summary>Adds the demo products the database lacks; returns how many it added.</summary>
    public static async Task<int> LoadAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        DapperConventions.Apply();
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (dataSource.ConfigureAwait(false))
        {
            var store = new ProductStore(dataSource);
            var existing = (await store.ListAsync(cancellationToken).ConfigureAwait(false))
                .Select(p => (p.AccountType, p.AccountSize)).ToHashSet();
            var added = 0;
            foreach (var product in List.Value.Where(p => !existing.Contains((p.AccountType, p.AccountSize))))
            {
                await store.PutAsync(product.AccountType, product.AccountSize, product.Terms, admin: null, cancellationToken).ConfigureAwait(false);
                added++;
            }
            return added;
        }
    }

    private static IReadOnlyList<DemoProduct> Read()
    {
        using var stream = typeof(DemoProducts).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"Embedded resource {Resource} is missing from {typeof(DemoProducts).Assembly.GetName().Name}.");
        var entries = JsonSerializer.Deserialize<DemoProductEntry[]>(stream, Json) ?? [];
        return [.. entries.Select(e => e.ToProduct())];
    }

    private sealed record DemoProduct(AccountType AccountType, int AccountSize, ProductTerms Terms);

    private sealed record DemoRules(
        decimal? ProfitTargetPhase1, decimal? ProfitTargetPhase2, decimal MaxDailyDrawdown, decimal MaxTotalDrawdown,
        int MinTradingDays, decimal ProfitSplit, string Leverage);

    private sealed record DemoProductEntry(
        AccountType AccountType, int AccountSize, decimal Price, string PriceCurrency, DemoRules TradingRules, bool Active)
    {
        public DemoProduct ToProduct()
        {
            var terms = new ProductTerms(Price, PriceCurrency, TradingRules.ProfitTargetPhase1, TradingRules.ProfitTargetPhase2,
                TradingRules.MaxDailyDrawdown, TradingRules.MaxTotalDrawdown, TradingRules.MinTradingDays, TradingRules.ProfitSplit,
                TradingRules.Leverage, Active);
            var errors = ProductTermsRules.Validate(AccountType, AccountSize, terms);
            return errors.Count == 0
                ? new DemoProduct(AccountType, AccountSize, terms)
                : throw new InvalidOperationException(
                    $"{Resource}: {WireName.Of(AccountType)} {AccountSize}: {string.Join(" ", errors.SelectMany(e => e.Value))}");
        }
    }
}

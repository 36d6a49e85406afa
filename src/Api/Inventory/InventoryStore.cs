using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Inventory;

/// <summary>Reads stock levels from account_container (as the API's system role, which cannot read its ciphertexts).</summary>
public sealed class InventoryStore(CallerScopedDatabase database)
{
    private const string LevelsSql = """
        SELECT account_size,
               platform,
               count(*) FILTER (WHERE status = 'available') AS available,
               count(*) FILTER (WHERE status = 'delivered') AS delivered,
               count(*) FILTER (WHERE status = 'disabled')  AS disabled
        FROM account_container
        GROUP BY account_size, platform
        ORDER BY account_size, platform
        """;

    private const string OfferedSizesSql = "SELECT DISTINCT account_size FROM trading_rules WHERE is_active";

    /// <summary>The account sizes that are sold; stock of any other size could never be delivered.</summary>
    public async Task<IReadOnlySet<int>> GetOfferedSizesAsync(CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var sizes = await session.Connection.QueryAsync<int>(session.Command(OfferedSizesSql, cancellationToken: cancellationToken));
        return sizes.ToHashSet();
    }

    public async Task<IReadOnlyList<InventoryLevel>> GetLevelsAsync(CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var rows = await session.Connection.QueryAsync<LevelRow>(session.Command(LevelsSql, cancellationToken: cancellationToken));
        return rows.Select(r => new InventoryLevel(
            r.AccountSize, WireName.Parse<TradingPlatform>(r.Platform), r.Available, r.Delivered, r.Disabled)).ToArray();
    }

    private sealed class LevelRow
    {
        public int AccountSize { get; init; }
        public string Platform { get; init; } = "";
        public long Available { get; init; }
        public long Delivered { get; init; }
        public long Disabled { get; init; }
    }
}

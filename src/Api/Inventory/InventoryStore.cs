using Dapper;
using FlashFundX.Workflows.Domain;
using Npgsql;

namespace FlashFundX.Api.Inventory;

/// <summary>Reads stock levels from account_container.</summary>
public sealed class InventoryStore(NpgsqlDataSource dataSource)
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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var sizes = await connection.QueryAsync<int>(new CommandDefinition(OfferedSizesSql, cancellationToken: cancellationToken));
        return sizes.ToHashSet();
    }

    public async Task<IReadOnlyList<InventoryLevel>> GetLevelsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<LevelRow>(new CommandDefinition(LevelsSql, cancellationToken: cancellationToken));
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

using FlashFundX.Data.Inventory;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using FlashFundX.Workflows.Domain;
using Npgsql;

namespace FlashFundX.DevHost.Seed;

/// <summary>
/// Fills the inventory with demo accounts for every size on sale and both platforms, for the local run command.
/// Logins are fixed, so seeding again adds nothing (the importer skips known accounts).
/// </summary>
public sealed class DemoInventorySeeder(NpgsqlDataSource dataSource, InventoryImporter importer)
{
    public const string DemoServer = "FlashFundX-Demo";

    private const string SizesSql = """
        SELECT DISTINCT account_size FROM trading_rules WHERE is_active ORDER BY account_size
        """;

    public async Task<InventoryImportResult> SeedAsync(int accountsPerSizeAndPlatform = 5, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accountsPerSizeAndPlatform);
        IEnumerable<int> sizes;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            sizes = await connection.QueryAsync<int>(new CommandDefinition(SizesSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var accounts = new List<InventoryAccount>();
        foreach (var size in sizes)
        {
            foreach (var platform in Enum.GetValues<TradingPlatform>())
            {
                for (var i = 1; i <= accountsPerSizeAndPlatform; i++)
                {
                    var login = string.Create(CultureInfo.InvariantCulture, $"{(platform == TradingPlatform.Mt4 ? 4 : 5)}{size / 1000:000}{i:0000}");
                    accounts.Add(new InventoryAccount(login, RandomPassword(), RandomPassword(), DemoServer, platform, size));
                }
            }
        }
        return await importer.ImportAsync(accounts, cancellationToken).ConfigureAwait(false);
    }

    private static string RandomPassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%", 14);
}

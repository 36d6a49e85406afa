using System.Globalization;
using Dapper;
using Npgsql;

namespace FlashFundX.Bench.Reservation;

/// <summary>
/// Creates, resets and seeds the four data sets of a round: N paid orders (one user each) and N matching accounts in our
/// schema, in both copies of the legacy-shaped <see cref="LegacySchema"/> (with the legacy delivery function) and in the bare
/// <see cref="BareLegacySchema"/>. The faithful and bare copies lack the unique keys that would stop a double hand-out,
/// so those baselines show what the old delivery does; the locked copy has the least that stops it.
/// </summary>
internal static class BenchSchema
{
    private const string ResetOursSql = """
        TRUNCATE delivered_accounts, payment_transactions, account_container, orders, users CASCADE;
        """;

    private const string SeedOursSql = """
        INSERT INTO users (id, email)
        SELECT md5('user-' || g)::uuid, 'bench-' || g || '@example.test' FROM generate_series(1, @Count) g;
        INSERT INTO orders (order_id, user_id, account_type, account_size, platform, pay_currency, price_amount,
                            trading_rules_id, order_status, payment_status, stage, paid_at)
        SELECT 'FFX' || lpad(g::text, 9, '0'), md5('user-' || g)::uuid, 'two_step', 10000, 'mt5', 'usdt_trc20', 89.00,
               (SELECT id FROM trading_rules WHERE account_type = 'two_step' AND account_size = 10000 AND replaced_at IS NULL),
               'paid', 'finished', 'paid', now()
          FROM generate_series(1, @Count) g;
        INSERT INTO account_container (platform, account_size, server, login, password_ciphertext, investor_password_ciphertext, key_id, created_at)
        SELECT 'mt5', 10000, 'Bench-Server', 'bench-' || g, '\x00'::bytea, '\x00'::bytea, 'bench', now() + g * interval '1 microsecond'
          FROM generate_series(1, @Count) g;
        """;

    public static async Task CreateAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        foreach (var variant in LegacyVariants)
        {
            await connection.ExecuteAsync(LegacySchema.CreateSql(variant)).ConfigureAwait(false);
            await connection.ExecuteAsync(LegacyFunctionDelivery.CreateFunctionSql(variant)).ConfigureAwait(false);
        }
        await connection.ExecuteAsync(BareLegacySchema.CreateSql).ConfigureAwait(false);
    }

    public static async Task ResetAndSeedAsync(NpgsqlDataSource dataSource, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await connection.ExecuteAsync(ResetOursSql + string.Concat(LegacyVariants.Select(LegacySchema.TruncateSql)) + BareLegacySchema.TruncateSql)
            .ConfigureAwait(false);
        await connection.ExecuteAsync(SeedOursSql, new { Count = count }).ConfigureAwait(false);
        foreach (var variant in LegacyVariants)
        {
            await connection.ExecuteAsync(LegacySchema.SeedSql(variant), new { Count = count }).ConfigureAwait(false);
        }
        await connection.ExecuteAsync(BareLegacySchema.SeedSql, new { Count = count }).ConfigureAwait(false);
        await connection.ExecuteAsync("VACUUM ANALYZE").ConfigureAwait(false);
    }

    private static readonly LegacyVariant[] LegacyVariants = [LegacyVariant.Faithful, LegacyVariant.WithLocks];

    public static string OrderId(int n) => "FFX" + n.ToString("D9", CultureInfo.InvariantCulture);

    /// <summary>The legacy_bench user of an order: its number as a 32-digit hex uuid, as <see cref="LegacySchema.SeedSql"/> seeds it.</summary>
    public static Guid LegacyUserId(string orderId) =>
        Guid.ParseExact(int.Parse(orderId.AsSpan(3), CultureInfo.InvariantCulture).ToString("x32", CultureInfo.InvariantCulture), "N");
}

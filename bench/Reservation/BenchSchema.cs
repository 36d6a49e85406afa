using Dapper;
using Npgsql;

namespace FlashFundX.Bench.Reservation;

/// <summary>
/// Resets and seeds both data sets of a round: N paid orders (one user each) and N matching accounts, in our schema and
/// in a legacy-shaped copy (schema <c>legacy_bench</c>: the old tables' shape, without the unique keys that would stop a
/// double hand-out), so the baseline can show what the old delivery function does.
/// </summary>
internal static class BenchSchema
{
    private const string CreateLegacySql = """
        CREATE SCHEMA IF NOT EXISTS legacy_bench;
        CREATE TABLE IF NOT EXISTS legacy_bench.user_profiles (
            id uuid PRIMARY KEY, total_orders integer NOT NULL DEFAULT 0, total_spent numeric(14, 2) NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS legacy_bench.orders (
            order_id text PRIMARY KEY, user_id uuid NOT NULL, account_type text NOT NULL, account_size integer NOT NULL,
            platform_type text NOT NULL, final_amount numeric(10, 2) NOT NULL, payment_status text NOT NULL,
            delivery_status text NOT NULL DEFAULT 'pending', order_status text NOT NULL DEFAULT 'paid', delivered_at timestamptz);
        CREATE TABLE IF NOT EXISTS legacy_bench.account_container (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_size integer NOT NULL, platform_type text NOT NULL,
            server_name text NOT NULL, login_id text NOT NULL, status text NOT NULL DEFAULT 'available',
            reserved_for_order_id text, reserved_at timestamptz, created_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX IF NOT EXISTS legacy_available ON legacy_bench.account_container (account_size, platform_type, created_at)
            WHERE status = 'available';
        CREATE TABLE IF NOT EXISTS legacy_bench.delivered_accounts (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id uuid NOT NULL, order_id text NOT NULL,
            container_account_id bigint NOT NULL, trading_rules_id bigint NOT NULL, account_type text NOT NULL,
            account_size integer NOT NULL, platform_type text NOT NULL, server_name text NOT NULL, login_id text NOT NULL,
            current_phase text NOT NULL, phase_status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        """;

    private const string ResetSql = """
        TRUNCATE delivered_accounts, user_stats_applied, payment_transactions, account_container, orders, users CASCADE;
        TRUNCATE legacy_bench.delivered_accounts, legacy_bench.account_container, legacy_bench.orders, legacy_bench.user_profiles;
        """;

    private const string SeedOursSql = """
        INSERT INTO users (id, email)
        SELECT md5('user-' || g)::uuid, 'bench-' || g || '@example.test' FROM generate_series(1, @Count) g;
        INSERT INTO orders (order_id, user_id, account_type, account_size, platform, pay_currency, price_amount,
                            order_status, payment_status, stage, paid_at)
        SELECT 'FFX' || lpad(g::text, 9, '0'), md5('user-' || g)::uuid, 'two_step', 10000, 'mt5', 'usdt_trc20', 89.00,
               'paid', 'finished', 'paid', now()
          FROM generate_series(1, @Count) g;
        INSERT INTO account_container (platform, account_size, server, login, password_ciphertext, investor_password_ciphertext, key_id, created_at)
        SELECT 'mt5', 10000, 'Bench-Server', 'bench-' || g, '\x00'::bytea, '\x00'::bytea, 'bench', now() + g * interval '1 microsecond'
          FROM generate_series(1, @Count) g;
        """;

    private const string SeedLegacySql = """
        INSERT INTO legacy_bench.user_profiles (id) SELECT md5('user-' || g)::uuid FROM generate_series(1, @Count) g;
        INSERT INTO legacy_bench.orders (order_id, user_id, account_type, account_size, platform_type, final_amount, payment_status)
        SELECT 'FFX' || lpad(g::text, 9, '0'), md5('user-' || g)::uuid, 'two_step', 10000, 'mt5', 89.00, 'paid'
          FROM generate_series(1, @Count) g;
        INSERT INTO legacy_bench.account_container (account_size, platform_type, server_name, login_id, created_at)
        SELECT 10000, 'mt5', 'Bench-Server', 'bench-' || g, now() + g * interval '1 microsecond'
          FROM generate_series(1, @Count) g;
        """;

    public static async Task CreateAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await connection.ExecuteAsync(CreateLegacySql).ConfigureAwait(false);
    }

    public static async Task ResetAndSeedAsync(NpgsqlDataSource dataSource, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await connection.ExecuteAsync(ResetSql).ConfigureAwait(false);
        await connection.ExecuteAsync(SeedOursSql, new { Count = count }).ConfigureAwait(false);
        await connection.ExecuteAsync(SeedLegacySql, new { Count = count }).ConfigureAwait(false);
        await connection.ExecuteAsync("VACUUM ANALYZE").ConfigureAwait(false);
    }

    public static string OrderId(int n) => "FFX" + n.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
}

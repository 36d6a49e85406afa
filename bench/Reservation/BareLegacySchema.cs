namespace FlashFundX.Bench.Reservation;

/// <summary>
/// Schema <c>legacy_bare</c>: stripped-down copies of the legacy tables for <see cref="ClientStepsDelivery"/> — only the
/// columns that baseline reads or writes, no <c>updated_at</c> triggers, no password columns, and none of the unique keys
/// that would stop a double hand-out.
/// </summary>
internal static class BareLegacySchema
{
    public const string CreateSql = """
        CREATE SCHEMA IF NOT EXISTS legacy_bare;
        CREATE TABLE IF NOT EXISTS legacy_bare.user_profiles (
            id uuid PRIMARY KEY, total_orders integer NOT NULL DEFAULT 0, total_spent numeric(14, 2) NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS legacy_bare.orders (
            order_id text PRIMARY KEY, user_id uuid NOT NULL, account_type text NOT NULL, account_size integer NOT NULL,
            platform_type text NOT NULL, final_amount numeric(10, 2) NOT NULL, payment_status text NOT NULL,
            delivery_status text NOT NULL DEFAULT 'pending', order_status text NOT NULL DEFAULT 'paid', delivered_at timestamptz);
        CREATE TABLE IF NOT EXISTS legacy_bare.account_container (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_size integer NOT NULL, platform_type text NOT NULL,
            server_name text NOT NULL, login_id text NOT NULL, status text NOT NULL DEFAULT 'available',
            reserved_for_order_id text, reserved_at timestamptz, created_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX IF NOT EXISTS legacy_bare_available ON legacy_bare.account_container (account_size, platform_type, created_at)
            WHERE status = 'available';
        CREATE TABLE IF NOT EXISTS legacy_bare.delivered_accounts (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id uuid NOT NULL, order_id text NOT NULL,
            container_account_id bigint NOT NULL, trading_rules_id bigint NOT NULL, account_type text NOT NULL,
            account_size integer NOT NULL, platform_type text NOT NULL, server_name text NOT NULL, login_id text NOT NULL,
            current_phase text NOT NULL, phase_status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        """;

    public const string TruncateSql = """
        TRUNCATE legacy_bare.delivered_accounts, legacy_bare.account_container, legacy_bare.orders, legacy_bare.user_profiles;
        """;

    public const string SeedSql = """
        INSERT INTO legacy_bare.user_profiles (id) SELECT md5('user-' || g)::uuid FROM generate_series(1, @Count) g;
        INSERT INTO legacy_bare.orders (order_id, user_id, account_type, account_size, platform_type, final_amount, payment_status)
        SELECT 'FFX' || lpad(g::text, 9, '0'), md5('user-' || g)::uuid, 'two_step', 10000, 'mt5', 89.00, 'paid'
          FROM generate_series(1, @Count) g;
        INSERT INTO legacy_bare.account_container (account_size, platform_type, server_name, login_id, created_at)
        SELECT 10000, 'mt5', 'Bench-Server', 'bench-' || g, now() + g * interval '1 microsecond'
          FROM generate_series(1, @Count) g;
        """;

    public const string DoubleHandOutsSql = """
        SELECT count(*) FROM (SELECT container_account_id FROM legacy_bare.delivered_accounts GROUP BY 1 HAVING count(*) > 1) twice
        """;
}

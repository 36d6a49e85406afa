namespace FlashFundX.Bench.Reservation;

/// <summary>
/// Schema <c>legacy_bench</c> (and its locked copy, see <see cref="LegacyVariant"/>): the legacy tables as the legacy
/// backend document describes them, for <see cref="LegacyFunctionDelivery"/>. Each has the columns the delivery
/// function reads or writes (passwords in plain text, as the legacy system kept them) and an <c>updated_at</c> column
/// stamped by a BEFORE UPDATE row trigger calling one PL/pgSQL function. The document shows that trigger on
/// user_profiles and orders and says it is applied to all relevant tables; account_container (admins edit the
/// inventory) and delivered_accounts have <c>updated_at</c> too, so they get it as well. Only account_container's is on the delivery path beyond the documented two: the function updates
/// it once per delivery. delivered_accounts is only inserted into, so its trigger never fires here.
/// Not reproduced, as undocumented or outside the delivery: foreign keys, the order-id insert trigger, row-level
/// security (the SECURITY DEFINER function runs as the tables' owner, whom RLS does not filter), Supabase Realtime.
/// The partial index on available accounts is ours, not documented: without it each pick would scan the inventory.
/// </summary>
internal static class LegacySchema
{
    private const string CreateTemplate = """
        CREATE SCHEMA IF NOT EXISTS legacy_bench;

        CREATE OR REPLACE FUNCTION legacy_bench.stamp_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END;
        $$;

        CREATE TABLE IF NOT EXISTS legacy_bench.user_profiles (
            id uuid PRIMARY KEY, first_name text NOT NULL DEFAULT '', last_name text NOT NULL DEFAULT '',
            email text NOT NULL, password text NOT NULL DEFAULT '', phone text NOT NULL DEFAULT '',
            country text NOT NULL DEFAULT '', marketing_consent boolean NOT NULL DEFAULT false,
            total_orders integer NOT NULL DEFAULT 0, total_spent numeric(14, 2) NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());

        CREATE TABLE IF NOT EXISTS legacy_bench.orders (
            order_id text PRIMARY KEY, user_id uuid NOT NULL, account_type text NOT NULL, account_size integer NOT NULL,
            platform_type text NOT NULL, final_amount numeric(10, 2) NOT NULL, payment_status text NOT NULL,
            delivery_status text NOT NULL DEFAULT 'pending', order_status text NOT NULL DEFAULT 'paid', delivered_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());

        -- account_size is numeric: the legacy inventory function reports it as DECIMAL(15,2).
        CREATE TABLE IF NOT EXISTS legacy_bench.account_container (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_size numeric(15, 2) NOT NULL, platform_type text NOT NULL,
            server_name text NOT NULL, login_id text NOT NULL, password text NOT NULL, investor_password text NOT NULL,
            status text NOT NULL DEFAULT 'available', reserved_for_order_id text, reserved_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX IF NOT EXISTS legacy_available ON legacy_bench.account_container (account_size, platform_type, created_at)
            WHERE status = 'available';

        CREATE TABLE IF NOT EXISTS legacy_bench.delivered_accounts (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id uuid NOT NULL, order_id text NOT NULL,
            container_account_id bigint NOT NULL, trading_rules_id bigint NOT NULL, account_type text NOT NULL,
            account_size numeric(15, 2) NOT NULL, platform_type text NOT NULL, server_name text NOT NULL, login_id text NOT NULL,
            password text NOT NULL, investor_password text NOT NULL, current_phase text NOT NULL, phase_status text NOT NULL,
            challenge_status text NOT NULL, phase_1_status text NOT NULL, phase_2_status text NOT NULL, live_status text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());

        CREATE OR REPLACE TRIGGER user_profiles_updated_at BEFORE UPDATE ON legacy_bench.user_profiles
            FOR EACH ROW EXECUTE FUNCTION legacy_bench.stamp_updated_at();
        CREATE OR REPLACE TRIGGER orders_updated_at BEFORE UPDATE ON legacy_bench.orders
            FOR EACH ROW EXECUTE FUNCTION legacy_bench.stamp_updated_at();
        CREATE OR REPLACE TRIGGER account_container_updated_at BEFORE UPDATE ON legacy_bench.account_container
            FOR EACH ROW EXECUTE FUNCTION legacy_bench.stamp_updated_at();
        CREATE OR REPLACE TRIGGER delivered_accounts_updated_at BEFORE UPDATE ON legacy_bench.delivered_accounts
            FOR EACH ROW EXECUTE FUNCTION legacy_bench.stamp_updated_at();
        """;

    private const string TruncateTemplate = """
        TRUNCATE legacy_bench.delivered_accounts, legacy_bench.account_container, legacy_bench.orders, legacy_bench.user_profiles;
        """;

    // User ids are the order number in hex (see BenchSchema.LegacyUserId): the caller passes the user, as the legacy
    // webhook did. Passwords are generated placeholders.
    private const string SeedTemplate = """
        INSERT INTO legacy_bench.user_profiles (id, email, password)
        SELECT lpad(to_hex(g), 32, '0')::uuid, 'bench-' || g || '@example.test', 'placeholder-' || g FROM generate_series(1, @Count) g;
        INSERT INTO legacy_bench.orders (order_id, user_id, account_type, account_size, platform_type, final_amount, payment_status)
        SELECT 'FFX' || lpad(g::text, 9, '0'), lpad(to_hex(g), 32, '0')::uuid, 'two_step', 10000, 'mt5', 89.00, 'paid'
          FROM generate_series(1, @Count) g;
        INSERT INTO legacy_bench.account_container (account_size, platform_type, server_name, login_id, password, investor_password, created_at)
        SELECT 10000, 'mt5', 'Bench-Server', 'bench-' || g, 'placeholder-' || g, 'placeholder-investor-' || g,
               now() + g * interval '1 microsecond'
          FROM generate_series(1, @Count) g;
        """;

    private const string DoubleHandOutsTemplate = """
        SELECT count(*) FROM (SELECT container_account_id FROM legacy_bench.delivered_accounts GROUP BY 1 HAVING count(*) > 1) twice
        """;

    // The unique key of the locked variant: a second delivered row for one order fails instead of being kept.
    private const string LockedKeySql = """
        CREATE UNIQUE INDEX IF NOT EXISTS legacy_delivered_order ON legacy_bench.delivered_accounts (order_id);
        """;

    public static string CreateSql(LegacyVariant variant) =>
        variant.InSchema(variant.Locked ? CreateTemplate + LockedKeySql : CreateTemplate);

    public static string TruncateSql(LegacyVariant variant) => variant.InSchema(TruncateTemplate);

    public static string SeedSql(LegacyVariant variant) => variant.InSchema(SeedTemplate);

    public static string DoubleHandOutsSql(LegacyVariant variant) => variant.InSchema(DoubleHandOutsTemplate);
}

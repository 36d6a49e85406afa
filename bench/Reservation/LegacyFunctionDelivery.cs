using System.Text.Json;
using Dapper;
using Npgsql;

namespace FlashFundX.Bench.Reservation;

/// <summary>
/// The faithful baseline: the legacy delivery as the legacy system ran it, one call of a SECURITY DEFINER PL/pgSQL
/// function (<c>legacy_bench.deliver_account_to_user(order_id, user_id)</c>, a single autocommit statement) over the
/// legacy-shaped tables of <see cref="LegacySchema"/>, their <c>updated_at</c> triggers firing on each update. Its steps
/// are the documented ones, in our own SQL: read the order, refuse it unless paid and not yet delivered, read its trading
/// rules, take the oldest available matching account with a plain SELECT (no lock), mark it delivered, insert the
/// delivered row with credentials and initial phase statuses, complete the order, add to the user's totals, and return
/// the account details as jsonb. Between the SELECT and the UPDATE nothing stops a concurrent call from picking the same
/// account, so under concurrency accounts are handed out twice, as they were.
/// </summary>
internal static class LegacyFunctionDelivery
{
    private const string CreateFunctionTemplate = """
        CREATE OR REPLACE FUNCTION legacy_bench.deliver_account_to_user(p_order_id text, p_user_id uuid)
        RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE
            ord legacy_bench.orders%ROWTYPE;
            rules public.trading_rules%ROWTYPE;
            acct legacy_bench.account_container%ROWTYPE;
            phase text;
            delivered_id uuid;
        BEGIN
            SELECT * INTO ord FROM legacy_bench.orders WHERE order_id = p_order_id{{order_lock}};
            IF NOT FOUND THEN
                RETURN jsonb_build_object('success', false, 'error', 'unknown order');
            ELSIF ord.payment_status <> 'paid' THEN
                RETURN jsonb_build_object('success', false, 'error', 'unpaid');
            ELSIF ord.delivery_status = 'delivered' THEN
                RETURN jsonb_build_object('success', false, 'error', 'delivered before');
            END IF;

            SELECT * INTO rules FROM public.trading_rules
             WHERE account_type = ord.account_type AND account_size = ord.account_size;
            IF NOT FOUND THEN
                RETURN jsonb_build_object('success', false, 'error', 'no rules for this type and size');
            END IF;

            -- The unlocked pick: a concurrent call may read the same row before either marks it delivered.
            SELECT * INTO acct FROM legacy_bench.account_container
             WHERE account_size = ord.account_size AND platform_type = ord.platform_type AND status = 'available'
             ORDER BY created_at
             LIMIT 1{{pick_lock}};
            IF NOT FOUND THEN
                RETURN jsonb_build_object('success', false, 'error', 'out of stock');
            END IF;

            phase := CASE ord.account_type
                         WHEN 'instant' THEN 'live'
                         WHEN 'hft' THEN 'challenge'
                         WHEN 'one_step' THEN 'challenge'
                         ELSE 'phase_1'
                     END;

            UPDATE legacy_bench.account_container
               SET status = 'delivered', reserved_for_order_id = p_order_id, reserved_at = now()
             WHERE id = acct.id;

            INSERT INTO legacy_bench.delivered_accounts (
                user_id, order_id, container_account_id, trading_rules_id, account_type, account_size, platform_type,
                server_name, login_id, password, investor_password, current_phase, phase_status,
                challenge_status, phase_1_status, phase_2_status, live_status)
            VALUES (
                p_user_id, p_order_id, acct.id, rules.id, ord.account_type, acct.account_size, acct.platform_type,
                acct.server_name, acct.login_id, acct.password, acct.investor_password, phase, 'active',
                CASE WHEN ord.account_type IN ('hft', 'one_step') THEN 'active' ELSE 'pending' END,
                CASE WHEN ord.account_type = 'two_step' THEN 'active' ELSE 'pending' END,
                'pending',
                CASE WHEN ord.account_type = 'instant' THEN 'active' ELSE 'pending' END)
            RETURNING id INTO delivered_id;

            UPDATE legacy_bench.orders
               SET delivery_status = 'delivered', order_status = 'completed', delivered_at = now()
             WHERE order_id = p_order_id;

            UPDATE legacy_bench.user_profiles
               SET total_orders = total_orders + 1, total_spent = total_spent + ord.final_amount
             WHERE id = p_user_id;

            RETURN jsonb_build_object(
                'success', true,
                'delivered_account_id', delivered_id,
                'account_details', jsonb_build_object(
                    'login_id', acct.login_id, 'password', acct.password, 'investor_password', acct.investor_password,
                    'server_name', acct.server_name, 'platform_type', acct.platform_type, 'account_size', acct.account_size,
                    'account_type', ord.account_type, 'current_phase', phase, 'trading_rules', to_jsonb(rules)));
        END;
        $$;
        """;

    private const string CallTemplate = "SELECT legacy_bench.deliver_account_to_user(@OrderId, @UserId)";

    /// <summary>The function in the variant's schema; the locked one locks the order row and skips locked accounts.</summary>
    public static string CreateFunctionSql(LegacyVariant variant) => variant.InSchema(CreateFunctionTemplate)
        .Replace("{{order_lock}}", variant.Locked ? " FOR UPDATE" : "", StringComparison.Ordinal)
        .Replace("{{pick_lock}}", variant.Locked ? " FOR UPDATE SKIP LOCKED" : "", StringComparison.Ordinal);

    /// <summary>The call of the variant's function, for <see cref="DeliverAsync"/>.</summary>
    public static string CallSql(LegacyVariant variant) => variant.InSchema(CallTemplate);

    /// <summary>True when an account was handed out. The returned credentials are read, never logged.</summary>
    public static async Task<bool> DeliverAsync(NpgsqlDataSource dataSource, string callSql, string orderId)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        var result = await connection.ExecuteScalarAsync<string>(callSql, new { OrderId = orderId, UserId = BenchSchema.LegacyUserId(orderId) })
            .ConfigureAwait(false);
        using var json = JsonDocument.Parse(result ?? "{}");
        return json.RootElement.TryGetProperty("success", out var success) && success.GetBoolean();
    }
}

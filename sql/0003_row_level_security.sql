-- Defence in depth: row-level security for the API's caller-scoped database work.
--
-- The API runs every query made on behalf of a caller inside a transaction that does
--     SET LOCAL ROLE flashfundx_api;
--     SELECT set_config('app.user_id', '<caller uuid>', true), set_config('app.is_admin', 'true'|'false', true);
-- (src/Api/Data/CallerScopedConnection.cs). flashfundx_api owns nothing and is neither superuser nor BYPASSRLS, so
-- the policies below apply to it: a query that forgets its WHERE user_id still only sees the caller's rows.
--
-- Everything else keeps connecting as the database owner (the role that runs these migrations): the activities in
-- the worker, the webhook, health checks and admin inventory import. Table owners bypass RLS as long as FORCE ROW
-- LEVEL SECURITY is not set, which is why it is deliberately NOT set here — the trusted worker must see every row.
--
-- What this guards against is a query bug, not SQL injection: the login role could RESET ROLE. Every query is
-- parameterised (Dapper), so injection is not the threat this layer answers.

-- Roles are cluster-wide while every test class creates its own database in one cluster, so creation is idempotent
-- and tolerant of another database's migration creating the role at the same moment. A server where the migrating
-- role may not create roles needs a DBA to run: CREATE ROLE flashfundx_api NOLOGIN; GRANT flashfundx_api TO <owner>;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flashfundx_api') THEN
        BEGIN
            CREATE ROLE flashfundx_api NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created concurrently by another database's migration
        END;
    END IF;
    -- The owner must be a member to SET ROLE to it (superusers may anyway; a managed-cloud owner is not one).
    IF NOT pg_has_role(current_user, 'flashfundx_api', 'MEMBER') THEN
        BEGIN
            EXECUTE format('GRANT flashfundx_api TO %I', current_user);
        EXCEPTION WHEN OTHERS THEN
            -- A concurrent GRANT from another database ("tuple concurrently updated") is fine if membership now holds.
            IF NOT pg_has_role(current_user, 'flashfundx_api', 'MEMBER') THEN
                RAISE;
            END IF;
        END;
    END IF;
END;
$$;

-- The caller of the current transaction, or NULL when none was set. current_setting(…, true) returns '' (not NULL)
-- once a transaction-local setting has ended in this session — pooled connections — hence the NULLIF.
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT NULLIF(current_setting('app.user_id', true), '')::uuid
$$;

-- True only when the API set app.is_admin = 'true' for an admin caller (from the token's role claim, never an e-mail).
CREATE FUNCTION app_is_admin() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('app.is_admin', true), '') = 'true'
$$;

-- Minimal privileges: only what the caller-scoped API code runs. No DELETE anywhere, no UPDATE on orders (the
-- workflow's activities own every state change), no access to webhook_events, admin_audit_log,
-- payment_transactions or user_stats_applied.
GRANT USAGE ON SCHEMA public TO flashfundx_api;
GRANT EXECUTE ON FUNCTION app_user_id(), app_is_admin(), create_order(uuid, text, text, integer, text, text, numeric, text),
    new_order_id() TO flashfundx_api;
GRANT SELECT ON trading_rules TO flashfundx_api;                      -- the public price list: no RLS
GRANT SELECT, INSERT ON orders TO flashfundx_api;                     -- read; insert through create_order()
GRANT SELECT ON delivered_accounts TO flashfundx_api;                 -- the owner's credentials read
GRANT SELECT ON account_container TO flashfundx_api;                  -- only the rows delivered to the caller (policy)
GRANT SELECT, INSERT ON users TO flashfundx_api;                       -- first-request provisioning of the caller's row
GRANT UPDATE (email, role) ON users TO flashfundx_api;                -- keep e-mail/role in step with the token

-- orders: the caller's own; an admin session reads all (admin endpoints: any order). Inserts only for oneself.
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_select ON orders FOR SELECT TO flashfundx_api
    USING (user_id = app_user_id() OR app_is_admin());
CREATE POLICY orders_insert ON orders FOR INSERT TO flashfundx_api
    WITH CHECK (user_id = app_user_id());

-- delivered_accounts: the buyer alone — admins included, as GET /orders/{id}/account answers 404 to an admin for
-- someone else's order.
ALTER TABLE delivered_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY delivered_accounts_select ON delivered_accounts FOR SELECT TO flashfundx_api
    USING (user_id = app_user_id());

-- account_container holds every inventory account's encrypted passwords: the API role sees only the accounts
-- delivered to the caller. (Admin stock levels and import use the owner connection.)
ALTER TABLE account_container ENABLE ROW LEVEL SECURITY;
CREATE POLICY account_container_select ON account_container FOR SELECT TO flashfundx_api
    USING (EXISTS (SELECT 1 FROM delivered_accounts d
                    WHERE d.container_account_id = account_container.id AND d.user_id = app_user_id()));

-- users: one's own row (admins read all); provisioning may insert/update only the caller's own row.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_select ON users FOR SELECT TO flashfundx_api
    USING (id = app_user_id() OR app_is_admin());
CREATE POLICY users_insert ON users FOR INSERT TO flashfundx_api
    WITH CHECK (id = app_user_id());
CREATE POLICY users_update ON users FOR UPDATE TO flashfundx_api
    USING (id = app_user_id()) WITH CHECK (id = app_user_id());

-- Not granted to the API role today, but user-owned: enabled with read policies so that a future GRANT cannot
-- expose other users' rows by accident (with RLS on and no policy for a role, it sees nothing).
ALTER TABLE payment_transactions ENABLE ROW LEVEL SECURITY;
CREATE POLICY payment_transactions_select ON payment_transactions FOR SELECT TO flashfundx_api
    USING (user_id = app_user_id() OR app_is_admin());
ALTER TABLE user_stats_applied ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_stats_applied_select ON user_stats_applied FOR SELECT TO flashfundx_api
    USING (user_id = app_user_id() OR app_is_admin());

-- The API's login role is the boundary (docs/architecture.md, "Security"). The API connects as a LOGIN role of its own
-- that owns nothing, is neither superuser nor BYPASSRLS, and is created NOINHERIT, so outside a transaction it holds no
-- table privilege at all. Every statement it runs is in a transaction that first does SET LOCAL ROLE to one of two
-- NOLOGIN groups it is a member of:
--   flashfundx_api         work on behalf of a caller, under the row-level-security policies of 0001 (unchanged);
--   flashfundx_api_system  what the API does for no particular user: store and dispatch webhooks, record a late payment,
--                          the compensation delete of POST /orders, admin stock levels and import, the audit log, the
--                          catalogue's stock flags, restock signals and the waiting-inventory gauge. Its grants below
--                          are exactly those statements' columns; it cannot read credentials (ciphertexts), users,
--                          delivered accounts or e-mails, nor clear orders.stats_applied_at.
-- The owner (the role that runs these scripts) is used only by migrations and the worker's activities.
--
-- Migrations hold no password, so the login itself is created by whoever provisions the server (docs/deploy.md gives
-- the SQL; deploy/compose.yml's postgres init does it; src/LocalDev's ApiLoginRole for the dev host and the tests):
--   CREATE ROLE flashfundx_api_login LOGIN NOINHERIT PASSWORD '…' IN ROLE flashfundx_api, flashfundx_api_system;

-- Both groups are created (idempotently, as roles are cluster-wide) by 0001.
GRANT USAGE ON SCHEMA public TO flashfundx_api_system;

-- The price list (validation of POST /orders, the catalogue, the sizes an import may stock).
GRANT SELECT ON trading_rules TO flashfundx_api_system;

-- orders: any order may be read (does the IPN's order exist, late payments, restock, gauge); a late payment updates
-- the payment columns and the refund flag; the compensation delete removes only an order that never got an invoice.
GRANT SELECT ON orders TO flashfundx_api_system;
GRANT UPDATE (payment_status, payment_id, actually_paid, delivery_status, status_note) ON orders TO flashfundx_api_system;
GRANT DELETE ON orders TO flashfundx_api_system;
CREATE POLICY orders_system_select ON orders FOR SELECT TO flashfundx_api_system USING (true);
CREATE POLICY orders_system_update ON orders FOR UPDATE TO flashfundx_api_system USING (true) WITH CHECK (true);
CREATE POLICY orders_system_delete ON orders FOR DELETE TO flashfundx_api_system
    USING (stage = 'created' AND invoice_id IS NULL);

-- order_events: the stream hub's fan-out reads them; a late payment's order update writes one (the update trigger runs
-- as the invoker).
GRANT SELECT, INSERT ON order_events TO flashfundx_api_system;
CREATE POLICY order_events_system_select ON order_events FOR SELECT TO flashfundx_api_system USING (true);
CREATE POLICY order_events_system_insert ON order_events FOR INSERT TO flashfundx_api_system WITH CHECK (true);

-- payment_transactions: a late payment's report row. ON CONFLICT (its key) needs SELECT on the key's columns, and the
-- new row must then pass a SELECT policy: the key alone, never amounts or currencies.
GRANT INSERT ON payment_transactions TO flashfundx_api_system;
GRANT SELECT (order_id, payment_id, provider_status) ON payment_transactions TO flashfundx_api_system;
CREATE POLICY payment_transactions_system_insert ON payment_transactions FOR INSERT TO flashfundx_api_system WITH CHECK (true);
CREATE POLICY payment_transactions_system_select ON payment_transactions FOR SELECT TO flashfundx_api_system USING (true);

-- account_container: stock levels and flags, and the import of new accounts. Never the ciphertext columns.
GRANT SELECT (id, platform, account_size, server, login, status) ON account_container TO flashfundx_api_system;
GRANT INSERT (platform, account_size, server, login, password_ciphertext, investor_password_ciphertext, key_id)
    ON account_container TO flashfundx_api_system;
CREATE POLICY account_container_system_select ON account_container FOR SELECT TO flashfundx_api_system USING (true);
CREATE POLICY account_container_system_insert ON account_container FOR INSERT TO flashfundx_api_system
    WITH CHECK (status = 'available' AND reserved_for_order_id IS NULL);

-- webhook_events (no user data, no RLS): every IPN stored, its outcome and dispatch stamps.
GRANT SELECT, INSERT ON webhook_events TO flashfundx_api_system;
GRANT UPDATE (outcome, detail, dispatched_at, dispatch_claimed_at) ON webhook_events TO flashfundx_api_system;

-- admin_audit_log: appended to, never read or changed by the API.
GRANT INSERT ON admin_audit_log TO flashfundx_api_system;

-- Admin products (PUT/DELETE /admin/products, src/Data/Products/ProductStore.cs): a new version is inserted and the
-- current one retired or switched on or off; rows are never deleted, prices of a version never changed.
GRANT INSERT ON trading_rules TO flashfundx_api_system;
GRANT UPDATE (is_active, replaced_at) ON trading_rules TO flashfundx_api_system;

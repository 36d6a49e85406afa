-- Admin inventory upkeep, the audit trail and the users list (issue 26; src/Api/Admin/AdminInventoryApi.cs,
-- AdminAuditApi.cs, AdminUsersApi.cs). Inventory and audit run as flashfundx_api_system; the users pages run in the
-- admin's own session (flashfundx_api with admin rights), whose row-level-security policies of 0001 already let an
-- admin read every user and order, so the system role gets no profile column.

-- ---------------------------------------------------------------------------------------------------------------------
-- account_container: an admin fixes server or login, disables or re-enables, or deletes an account that was never
-- delivered.
-- ---------------------------------------------------------------------------------------------------------------------

-- The passwords' ciphertexts are bound to (platform, server, login) by their associated data
-- (src/Data/Credentials/CredentialProtector.cs). Fixing a typo in server or login must not make them undecryptable, and
-- the API may not read ciphertexts to seal them again, so the first fix records the identity they were sealed under;
-- NULL means "as server / login". Readers decrypt with COALESCE(sealed_server, server), COALESCE(sealed_login, login).
ALTER TABLE account_container
    ADD COLUMN sealed_server text,
    ADD COLUMN sealed_login  text;

GRANT SELECT (reserved_for_order_id, delivered_at, created_at, updated_at, sealed_server, sealed_login)
    ON account_container TO flashfundx_api_system;
GRANT UPDATE (server, login, status, sealed_server, sealed_login) ON account_container TO flashfundx_api_system;
GRANT DELETE ON account_container TO flashfundx_api_system;
-- Only an account that is not delivered may change, and only between available and disabled; only one never
-- delivered may go. The statements say the same in their WHERE clauses; these hold whatever a statement says.
CREATE POLICY account_container_system_update ON account_container FOR UPDATE TO flashfundx_api_system
    USING (status <> 'delivered' AND reserved_for_order_id IS NULL)
    WITH CHECK (status IN ('available', 'disabled') AND reserved_for_order_id IS NULL);
CREATE POLICY account_container_system_delete ON account_container FOR DELETE TO flashfundx_api_system
    USING (status <> 'delivered' AND reserved_for_order_id IS NULL AND delivered_at IS NULL);

-- The admin list, newest first.
CREATE INDEX account_container_created ON account_container (created_at DESC, id DESC);

-- ---------------------------------------------------------------------------------------------------------------------
-- admin_audit_log: read by GET /admin/audit (newest first, by order, by admin); its actors shown by e-mail.
-- ---------------------------------------------------------------------------------------------------------------------

GRANT SELECT ON admin_audit_log TO flashfundx_api_system;
CREATE INDEX admin_audit_log_created ON admin_audit_log (created_at DESC, id DESC);
CREATE INDEX admin_audit_log_target ON admin_audit_log (target, created_at DESC, id DESC) WHERE target IS NOT NULL;
CREATE INDEX admin_audit_log_admin ON admin_audit_log (admin_user_id, created_at DESC, id DESC);

-- An actor's e-mail (shown, and the actor filter); never the profile or totals.
GRANT SELECT (id, email) ON users TO flashfundx_api_system;
CREATE POLICY users_system_select_email ON users FOR SELECT TO flashfundx_api_system USING (true);

-- ---------------------------------------------------------------------------------------------------------------------
-- users: the admin list, newest first.
-- ---------------------------------------------------------------------------------------------------------------------

CREATE INDEX users_created ON users (created_at DESC, id DESC);

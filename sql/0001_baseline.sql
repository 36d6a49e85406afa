-- FlashFundX fulfillment, version 1 schema. Applied by DbUp in file-name order and journalled in schemaversions:
-- never edit a script once it has been applied anywhere; change the schema with a new, higher-numbered script.
--
-- Value rules are domains rather than table CHECK constraints: PostgreSQL evaluates every CHECK of a table on every
-- INSERT and UPDATE, whatever columns the statement sets, while a domain's rule is checked only for the columns a
-- statement assigns (bench/RESULTS.md, section "after the status domains").

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- ---------------------------------------------------------------------------------------------------------------------
-- Shared by several tables: value rules of an account, and the updated_at stamp
-- ---------------------------------------------------------------------------------------------------------------------

CREATE DOMAIN account_type     AS text    CONSTRAINT account_type_values CHECK (VALUE IN ('instant', 'one_step', 'two_step', 'hft'));
CREATE DOMAIN account_size     AS integer CONSTRAINT account_size_positive CHECK (VALUE > 0);
CREATE DOMAIN trading_platform AS text    CONSTRAINT trading_platform_values CHECK (VALUE IN ('mt4', 'mt5'));

-- Sets updated_at on an UPDATE. Tables updated on the delivery path fire it only when the statement left updated_at
-- unchanged: the delivery statements set updated_at = now() themselves and skip the PL/pgSQL call.
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------------------------------------------------------------
-- Users
-- ---------------------------------------------------------------------------------------------------------------------

CREATE DOMAIN user_role   AS text           CONSTRAINT user_role_values CHECK (VALUE IN ('user', 'admin'));
CREATE DOMAIN order_count AS integer        CONSTRAINT order_count_not_negative CHECK (VALUE >= 0);
CREATE DOMAIN money_total AS numeric(14, 2) CONSTRAINT money_total_not_negative CHECK (VALUE >= 0);

-- Users come from the identity provider (sub claim); authentication is external, so no password column.
-- fillfactor: every completed order updates its user's totals; free room on the page keeps that update HOT.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    role          user_role NOT NULL DEFAULT 'user',
    total_orders  order_count NOT NULL DEFAULT 0,
    total_spent   money_total NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 90);
CREATE TRIGGER users_touch BEFORE UPDATE ON users
    FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at) EXECUTE FUNCTION touch_updated_at();

-- ---------------------------------------------------------------------------------------------------------------------
-- Trading rules: the price list and the rules of each account type and size. Percentages are of the starting balance.
-- Rows are data, not schema: development and test databases load sql/seed/demo-trading-rules.sql.
-- ---------------------------------------------------------------------------------------------------------------------

-- Written only when the price list changes, so its value rules can stay table CHECKs.
CREATE TABLE trading_rules (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_type          text NOT NULL CHECK (account_type IN ('instant', 'one_step', 'two_step', 'hft')),
    account_size          integer NOT NULL CHECK (account_size > 0),
    price                 numeric(10, 2) NOT NULL CHECK (price > 0),
    price_currency        text NOT NULL DEFAULT 'usd',
    profit_target_phase_1 numeric(5, 2),
    profit_target_phase_2 numeric(5, 2),
    max_daily_drawdown    numeric(5, 2) NOT NULL,
    max_total_drawdown    numeric(5, 2) NOT NULL,
    min_trading_days      integer NOT NULL DEFAULT 0 CHECK (min_trading_days >= 0),
    profit_split          numeric(5, 2) NOT NULL,
    leverage              text NOT NULL,
    is_active             boolean NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_type, account_size)
);
CREATE TRIGGER trading_rules_touch BEFORE UPDATE ON trading_rules FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- ---------------------------------------------------------------------------------------------------------------------
-- Orders
-- ---------------------------------------------------------------------------------------------------------------------

CREATE DOMAIN order_price     AS numeric(10, 2) CONSTRAINT order_price_positive CHECK (VALUE > 0);
CREATE DOMAIN order_status    AS text CONSTRAINT order_status_values CHECK (VALUE IN
    ('created', 'awaiting_payment', 'paid', 'fulfilling', 'completed', 'cancelled', 'expired', 'failed'));
CREATE DOMAIN payment_status  AS text CONSTRAINT payment_status_values CHECK (VALUE IN
    ('pending', 'waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished',
     'failed', 'expired', 'refunded', 'amount_mismatch'));
CREATE DOMAIN delivery_status AS text CONSTRAINT delivery_status_values CHECK (VALUE IN
    ('pending', 'waiting_inventory', 'delivered', 'refund_required'));
CREATE DOMAIN order_stage     AS text CONSTRAINT order_stage_values CHECK (VALUE IN
    ('created', 'creating_invoice', 'awaiting_payment', 'partially_paid', 'paid',
     'waiting_inventory', 'delivering', 'completed', 'expired', 'cancelled', 'refund_required', 'failed'));

-- order_id keeps a table CHECK rather than a domain: row-level security policies name orders.order_id, which pins
-- its type.
-- stats_applied_at is the exactly-once guard of the user's totals: only the update that finds it empty completes the
-- order and adds it to the totals (src/Activities/Delivery/DeliveryActivities.cs). It is not indexed, so that update
-- stays HOT; fillfactor leaves the room for it, as an order is updated at every stage.
CREATE TABLE orders (
    order_id          text PRIMARY KEY CHECK (order_id ~ '^FFX[0-9]{9}$'),
    user_id           uuid NOT NULL REFERENCES users (id),
    idempotency_key   text,
    account_type      account_type NOT NULL,
    account_size      account_size NOT NULL,
    platform          trading_platform NOT NULL,
    pay_currency      text NOT NULL,
    price_amount      order_price NOT NULL,
    price_currency    text NOT NULL DEFAULT 'usd',
    order_status      order_status NOT NULL DEFAULT 'created',
    payment_status    payment_status NOT NULL DEFAULT 'pending',
    delivery_status   delivery_status NOT NULL DEFAULT 'pending',
    stage             order_stage NOT NULL DEFAULT 'created',
    invoice_id        text,
    invoice_url       text,
    payment_id        text,
    actually_paid     numeric(20, 8),
    status_note       text,
    paid_at           timestamptz,
    delivered_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    stats_applied_at  timestamptz,
    UNIQUE (user_id, idempotency_key)
) WITH (fillfactor = 80);
CREATE INDEX orders_user_created ON orders (user_id, created_at DESC, order_id DESC);
CREATE INDEX orders_created ON orders (created_at DESC, order_id DESC);
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders
    FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at) EXECUTE FUNCTION touch_updated_at();

-- A random FFX id; uniqueness is the primary key's job, create_order retries on a collision.
CREATE FUNCTION new_order_id() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT 'FFX' || lpad(floor(random() * 1000000000)::bigint::text, 9, '0')
$$;

-- Inserts an order with a fresh id; with an idempotency key a repeat returns the first order instead.
CREATE FUNCTION create_order(
    p_user_id uuid, p_idempotency_key text, p_account_type text, p_account_size integer,
    p_platform text, p_pay_currency text, p_price_amount numeric, p_price_currency text)
RETURNS TABLE (order_id text, created boolean) LANGUAGE plpgsql AS $$
DECLARE
    v_id text;
BEGIN
    LOOP
        INSERT INTO orders AS o (order_id, user_id, idempotency_key, account_type, account_size, platform,
                                 pay_currency, price_amount, price_currency)
        VALUES (new_order_id(), p_user_id, p_idempotency_key, p_account_type, p_account_size, p_platform,
                p_pay_currency, p_price_amount, p_price_currency)
        ON CONFLICT DO NOTHING
        RETURNING o.order_id INTO v_id;
        IF v_id IS NOT NULL THEN
            RETURN QUERY SELECT v_id, true;
            RETURN;
        END IF;
        IF p_idempotency_key IS NOT NULL THEN
            SELECT o.order_id INTO v_id FROM orders o
             WHERE o.user_id = p_user_id AND o.idempotency_key = p_idempotency_key;
            IF FOUND THEN
                RETURN QUERY SELECT v_id, false;
                RETURN;
            END IF;
        END IF;
    END LOOP;
END;
$$;

-- ---------------------------------------------------------------------------------------------------------------------
-- Inventory: accounts for sale, and the accounts delivered to buyers
-- ---------------------------------------------------------------------------------------------------------------------

CREATE DOMAIN inventory_status AS text CONSTRAINT inventory_status_values CHECK (VALUE IN ('available', 'delivered', 'disabled'));
CREATE DOMAIN account_phase    AS text CONSTRAINT account_phase_values CHECK (VALUE IN ('challenge', 'phase_1', 'phase_2', 'live'));
CREATE DOMAIN phase_status     AS text CONSTRAINT phase_status_values CHECK (VALUE IN ('pending', 'active', 'passed', 'failed'));

-- Credentials are AES-GCM ciphertexts (nonce || ciphertext || tag) under the key named by key_id.
-- Delivery takes an available account and marks it delivered to its order in one statement; the unique
-- reserved_for_order_id gives an order at most one account.
CREATE TABLE account_container (
    id                              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform                        trading_platform NOT NULL,
    account_size                    account_size NOT NULL,
    server                          text NOT NULL,
    login                           text NOT NULL,
    password_ciphertext             bytea NOT NULL,
    investor_password_ciphertext    bytea NOT NULL,
    key_id                          text NOT NULL,
    status                          inventory_status NOT NULL DEFAULT 'available',
    reserved_for_order_id           text UNIQUE REFERENCES orders (order_id),
    reserved_at                     timestamptz,
    delivered_at                    timestamptz,
    created_at                      timestamptz NOT NULL DEFAULT now(),
    updated_at                      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform, server, login),
    CHECK ((status = 'delivered') = (reserved_for_order_id IS NOT NULL))
);
CREATE INDEX account_container_available ON account_container (account_size, platform, created_at, id) WHERE status = 'available';
CREATE TRIGGER account_container_touch BEFORE UPDATE ON account_container
    FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at) EXECUTE FUNCTION touch_updated_at();

CREATE TABLE delivered_accounts (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id              text NOT NULL UNIQUE REFERENCES orders (order_id),
    user_id               uuid NOT NULL REFERENCES users (id),
    container_account_id  bigint NOT NULL UNIQUE REFERENCES account_container (id),
    trading_rules_id      bigint NOT NULL REFERENCES trading_rules (id),
    account_type          account_type NOT NULL,
    account_size          integer NOT NULL,
    platform              trading_platform NOT NULL,
    server                text NOT NULL,
    login                 text NOT NULL,
    current_phase         account_phase NOT NULL,
    challenge_status      phase_status NOT NULL,
    phase_1_status        phase_status NOT NULL,
    phase_2_status        phase_status NOT NULL,
    live_status           phase_status NOT NULL,
    delivered_at          timestamptz NOT NULL DEFAULT now(),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivered_accounts_user ON delivered_accounts (user_id);
CREATE TRIGGER delivered_accounts_touch BEFORE UPDATE ON delivered_accounts FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- ---------------------------------------------------------------------------------------------------------------------
-- Payments: every provider report recorded once per (order, payment, provider status)
-- ---------------------------------------------------------------------------------------------------------------------

CREATE TABLE payment_transactions (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id            text NOT NULL REFERENCES orders (order_id),
    user_id             uuid NOT NULL REFERENCES users (id),
    payment_id          text NOT NULL,
    provider_status     text NOT NULL,
    evaluated_status    payment_status NOT NULL,
    price_amount        numeric(10, 2),
    price_currency      text,
    actually_paid       numeric(20, 8),
    pay_currency        text,
    parent_payment_id   text,
    source              text NOT NULL CHECK (source IN ('ipn', 'poll')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, payment_id, provider_status)
);

-- ---------------------------------------------------------------------------------------------------------------------
-- Webhook events: every IPN received, whatever its outcome
-- ---------------------------------------------------------------------------------------------------------------------

-- A valid IPN is acknowledged once stored here; the API's dispatcher then signals it to the order's workflow and
-- stamps dispatched_at. 'late' is an IPN for an order whose workflow run has already ended, recorded by the API itself.
-- dispatch_claimed_at is the sweep's lease: a row stored but never dispatched (its API process died, or Temporal was
-- unreachable) is claimed by one process's sweep at a time and sent again.
CREATE TABLE webhook_events (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider             text NOT NULL DEFAULT 'nowpayments',
    received_at          timestamptz NOT NULL DEFAULT now(),
    order_id             text,
    payment_id           text,
    payment_status       text,
    signature_valid      boolean NOT NULL,
    outcome              text NOT NULL CHECK (outcome IN
                         ('accepted', 'duplicate', 'orphaned', 'late', 'invalid_signature', 'malformed', 'too_large')),
    dedupe_key           text UNIQUE,            -- SHA-256 of a signed IPN's canonical (signed) form
    body_sha256          text,
    body                 text,
    http_status          integer NOT NULL,
    detail               text,
    dispatched_at        timestamptz,
    dispatch_claimed_at  timestamptz
);
CREATE INDEX webhook_events_order ON webhook_events (order_id);
CREATE INDEX webhook_events_undispatched ON webhook_events (id) WHERE outcome = 'accepted' AND dispatched_at IS NULL;

-- ---------------------------------------------------------------------------------------------------------------------
-- Order events (the live status stream) and the order e-mail outbox
-- ---------------------------------------------------------------------------------------------------------------------

-- Every change of an order's visible state is recorded here by a trigger on orders, in the same transaction as the
-- change, and announced on the channel order_events with the payload "<order_id>:<event_id>" (GET /orders/{id}/events
-- listens and reads the rows). Event ids are per-order monotonic in commit order: every change of one order updates
-- its one orders row, and the row lock makes a second change wait for the first to commit before it takes the next id.
-- ON DELETE CASCADE: an order whose workflow could not be started is deleted again by POST /orders (compensation);
-- its creation event goes with it.
CREATE TABLE order_events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id         text NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
    stage            text NOT NULL,
    order_status     text NOT NULL,
    payment_status   text NOT NULL,
    delivery_status  text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- Inserts: SECURITY DEFINER, as orders are inserted by the API's row-level-security role, which has no rights on
-- order_events; the event is written as the owner whoever created the order.
CREATE FUNCTION record_order_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO order_events (order_id, stage, order_status, payment_status, delivery_status)
    VALUES (NEW.order_id, NEW.stage, NEW.order_status, NEW.payment_status, NEW.delivery_status)
    RETURNING id INTO v_id;
    PERFORM pg_notify('order_events', NEW.order_id || ':' || v_id);
    RETURN NULL;
END;
$$;

-- Updates: run as the invoker. Only the owner (the worker's activities) updates orders, so SECURITY DEFINER and its
-- SET search_path (a setting saved and restored on every call) would buy nothing; names are schema-qualified instead,
-- so the caller's search_path cannot redirect the insert.
-- A transaction that NOTIFYs takes a database-wide lock for its commit, so notifying commits run one at a time. The
-- delivery statement, the busiest writer of orders, sets flashfundx.announce_events = 'caller' (transaction-local)
-- and announces its events after commit, batched (src/Activities/Events/OrderEventAnnouncer.cs); the event row is
-- still written here, with the change.
CREATE FUNCTION record_order_update_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO public.order_events (order_id, stage, order_status, payment_status, delivery_status)
    VALUES (NEW.order_id, NEW.stage, NEW.order_status, NEW.payment_status, NEW.delivery_status)
    RETURNING id INTO v_id;
    IF pg_catalog.current_setting('flashfundx.announce_events', true) IS DISTINCT FROM 'caller' THEN
        PERFORM pg_catalog.pg_notify('order_events', NEW.order_id || ':' || v_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER orders_event_insert AFTER INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION record_order_event();
CREATE TRIGGER orders_event_update AFTER UPDATE OF stage, order_status, payment_status, delivery_status ON orders
    FOR EACH ROW
    WHEN (OLD.stage IS DISTINCT FROM NEW.stage
          OR OLD.order_status IS DISTINCT FROM NEW.order_status
          OR OLD.payment_status IS DISTINCT FROM NEW.payment_status
          OR OLD.delivery_status IS DISTINCT FROM NEW.delivery_status)
    EXECUTE FUNCTION record_order_update_event();

-- Order e-mails (delivered / expired / cancelled), exactly once per order and kind. The activity locks its row while
-- it sends and marks it sent in the same transaction; message_id is derived from order id and kind, so the only
-- repeat possible (a crash between the SMTP server's accept and the commit) carries the same Message-Id.
CREATE TABLE email_outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    text NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('delivered', 'expired', 'cancelled')),
    message_id  text NOT NULL UNIQUE,
    recipient   text,
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped')),
    attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error  text,
    sent_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, kind),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE TRIGGER email_outbox_touch BEFORE UPDATE ON email_outbox FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- ---------------------------------------------------------------------------------------------------------------------
-- Admin audit log
-- ---------------------------------------------------------------------------------------------------------------------

CREATE TABLE admin_audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    admin_user_id  uuid NOT NULL REFERENCES users (id),
    action         text NOT NULL,
    target         text,
    details        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------------------------------------------------
-- Row-level security: defence in depth for the API's caller-scoped database work
-- ---------------------------------------------------------------------------------------------------------------------
--
-- The API (connected as its login role) runs every query made on behalf of a caller inside a transaction that does
--     SET LOCAL ROLE flashfundx_api;
--     SELECT set_config('app.user_id', '<caller uuid>', true), set_config('app.is_admin', 'true'|'false', true);
-- (src/Api/Data/CallerScopedDatabase.cs). flashfundx_api owns nothing and is neither superuser nor BYPASSRLS, so the
-- policies below apply to it: a query that forgets its WHERE user_id still only sees the caller's rows.
--
-- The API connects as a login role of its own, a member of flashfundx_api that owns nothing; what it does for no
-- particular user runs as a second narrowly granted group, flashfundx_api_system (sql/0006_api_login_role.sql). Only
-- the migrations and the worker's activities connect as the owner (the role that runs these scripts). Table owners
-- bypass RLS as long as FORCE ROW LEVEL SECURITY is not set, which is why it is deliberately not set here: the trusted
-- worker must see every row.

-- Roles are cluster-wide while every test class creates its own database in one cluster, so creation is idempotent
-- and tolerant of another database's migration creating the role at the same moment. A server where the migrating
-- role may not create roles needs a DBA to create the roles first (docs/deploy.md).
-- flashfundx_api_system, the API's role for work on behalf of no user, is granted its rights in 0003.
DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['flashfundx_api', 'flashfundx_api_system'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', v_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- created concurrently by another database's migration
            END;
        END IF;
    END LOOP;
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
-- workflow's activities own every state change, so the API role can neither clear orders.stats_applied_at nor set
-- updated_at), no access to webhook_events, admin_audit_log, payment_transactions or email_outbox.
GRANT USAGE ON SCHEMA public TO flashfundx_api;
GRANT EXECUTE ON FUNCTION app_user_id(), app_is_admin(), create_order(uuid, text, text, integer, text, text, numeric, text),
    new_order_id() TO flashfundx_api;
GRANT SELECT ON trading_rules TO flashfundx_api;                      -- the public price list: no RLS
GRANT SELECT, INSERT ON orders TO flashfundx_api;                     -- read; insert through create_order()
GRANT SELECT ON order_events TO flashfundx_api;                       -- the events of the orders it may read
GRANT SELECT ON delivered_accounts TO flashfundx_api;                 -- the owner's credentials read
GRANT SELECT ON account_container TO flashfundx_api;                  -- only the rows delivered to the caller (policy)
GRANT SELECT, INSERT ON users TO flashfundx_api;                      -- first-request provisioning of the caller's row
GRANT UPDATE (email, role) ON users TO flashfundx_api;                -- keep e-mail/role in step with the token

-- users: one's own row (admins read all); provisioning may insert/update only the caller's own row.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_select ON users FOR SELECT TO flashfundx_api
    USING (id = app_user_id() OR app_is_admin());
CREATE POLICY users_insert ON users FOR INSERT TO flashfundx_api
    WITH CHECK (id = app_user_id());
CREATE POLICY users_update ON users FOR UPDATE TO flashfundx_api
    USING (id = app_user_id()) WITH CHECK (id = app_user_id());

-- orders: the caller's own; an admin session reads all (admin endpoints: any order). Inserts only for oneself.
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_select ON orders FOR SELECT TO flashfundx_api
    USING (user_id = app_user_id() OR app_is_admin());
CREATE POLICY orders_insert ON orders FOR INSERT TO flashfundx_api
    WITH CHECK (user_id = app_user_id());

-- order_events: exactly the events of the orders the session may read (the orders policy applies inside).
ALTER TABLE order_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY order_events_select ON order_events FOR SELECT TO flashfundx_api
    USING (EXISTS (SELECT 1 FROM orders o WHERE o.order_id = order_events.order_id));

-- account_container holds every inventory account's encrypted passwords: the API role sees only the accounts
-- delivered to the caller. (Admin stock levels and import run as flashfundx_api_system, 0003.)
ALTER TABLE account_container ENABLE ROW LEVEL SECURITY;
CREATE POLICY account_container_select ON account_container FOR SELECT TO flashfundx_api
    USING (EXISTS (SELECT 1 FROM delivered_accounts d
                    WHERE d.container_account_id = account_container.id AND d.user_id = app_user_id()));

-- delivered_accounts: the buyer alone — admins included, as GET /orders/{id}/account answers 404 to an admin for
-- someone else's order.
ALTER TABLE delivered_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY delivered_accounts_select ON delivered_accounts FOR SELECT TO flashfundx_api
    USING (user_id = app_user_id());

-- Not granted to the API role, but user data: with RLS on, a future GRANT cannot expose other users' rows by accident
-- (a role with no policy sees nothing). payment_transactions gets the read policy such a GRANT would need;
-- email_outbox is worker-only and gets none.
ALTER TABLE payment_transactions ENABLE ROW LEVEL SECURITY;
CREATE POLICY payment_transactions_select ON payment_transactions FOR SELECT TO flashfundx_api
    USING (user_id = app_user_id() OR app_is_admin());
ALTER TABLE email_outbox ENABLE ROW LEVEL SECURITY;

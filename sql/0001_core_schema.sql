-- Core schema of FlashFundX fulfillment. Applied by DbUp; never edit an applied script, add a new one.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- Users come from the identity provider (sub claim); authentication is external, so no password column.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    total_orders  integer NOT NULL DEFAULT 0 CHECK (total_orders >= 0),
    total_spent   numeric(14, 2) NOT NULL DEFAULT 0 CHECK (total_spent >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

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

CREATE TABLE orders (
    order_id          text PRIMARY KEY CHECK (order_id ~ '^FFX[0-9]{9}$'),
    user_id           uuid NOT NULL REFERENCES users (id),
    idempotency_key   text,
    account_type      text NOT NULL CHECK (account_type IN ('instant', 'one_step', 'two_step', 'hft')),
    account_size      integer NOT NULL CHECK (account_size > 0),
    platform          text NOT NULL CHECK (platform IN ('mt4', 'mt5')),
    pay_currency      text NOT NULL,
    price_amount      numeric(10, 2) NOT NULL CHECK (price_amount > 0),
    price_currency    text NOT NULL DEFAULT 'usd',
    order_status      text NOT NULL DEFAULT 'created' CHECK (order_status IN
                      ('created', 'awaiting_payment', 'paid', 'fulfilling', 'completed', 'cancelled', 'expired', 'failed')),
    payment_status    text NOT NULL DEFAULT 'pending' CHECK (payment_status IN
                      ('pending', 'waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished',
                       'failed', 'expired', 'refunded', 'amount_mismatch')),
    delivery_status   text NOT NULL DEFAULT 'pending' CHECK (delivery_status IN
                      ('pending', 'waiting_inventory', 'delivered', 'refund_required')),
    stage             text NOT NULL DEFAULT 'created' CHECK (stage IN
                      ('created', 'creating_invoice', 'awaiting_payment', 'partially_paid', 'paid', 'reserving',
                       'waiting_inventory', 'delivering', 'completed', 'expired', 'cancelled', 'refund_required', 'failed')),
    invoice_id        text,
    invoice_url       text,
    payment_id        text,
    actually_paid     numeric(20, 8),
    status_note       text,
    paid_at           timestamptz,
    delivered_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_user_created ON orders (user_id, created_at DESC, order_id DESC);
CREATE INDEX orders_created ON orders (created_at DESC, order_id DESC);
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

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

-- Inventory. Credentials are AES-GCM ciphertexts (nonce || ciphertext || tag) under the key named by key_id.
CREATE TABLE account_container (
    id                              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform                        text NOT NULL CHECK (platform IN ('mt4', 'mt5')),
    account_size                    integer NOT NULL CHECK (account_size > 0),
    server                          text NOT NULL,
    login                           text NOT NULL,
    password_ciphertext             bytea NOT NULL,
    investor_password_ciphertext    bytea NOT NULL,
    key_id                          text NOT NULL,
    status                          text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'reserved', 'delivered', 'disabled')),
    reserved_for_order_id           text UNIQUE REFERENCES orders (order_id),
    reserved_at                     timestamptz,
    delivered_at                    timestamptz,
    created_at                      timestamptz NOT NULL DEFAULT now(),
    updated_at                      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform, server, login),
    CHECK ((status IN ('reserved', 'delivered')) = (reserved_for_order_id IS NOT NULL))
);
CREATE INDEX account_container_available ON account_container (account_size, platform, created_at, id) WHERE status = 'available';
CREATE TRIGGER account_container_touch BEFORE UPDATE ON account_container FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE delivered_accounts (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id              text NOT NULL UNIQUE REFERENCES orders (order_id),
    user_id               uuid NOT NULL REFERENCES users (id),
    container_account_id  bigint NOT NULL UNIQUE REFERENCES account_container (id),
    trading_rules_id      bigint NOT NULL REFERENCES trading_rules (id),
    account_type          text NOT NULL CHECK (account_type IN ('instant', 'one_step', 'two_step', 'hft')),
    account_size          integer NOT NULL,
    platform              text NOT NULL CHECK (platform IN ('mt4', 'mt5')),
    server                text NOT NULL,
    login                 text NOT NULL,
    current_phase         text NOT NULL CHECK (current_phase IN ('challenge', 'phase_1', 'phase_2', 'live')),
    challenge_status      text NOT NULL CHECK (challenge_status IN ('pending', 'active', 'passed', 'failed')),
    phase_1_status        text NOT NULL CHECK (phase_1_status IN ('pending', 'active', 'passed', 'failed')),
    phase_2_status        text NOT NULL CHECK (phase_2_status IN ('pending', 'active', 'passed', 'failed')),
    live_status           text NOT NULL CHECK (live_status IN ('pending', 'active', 'passed', 'failed')),
    delivered_at          timestamptz NOT NULL DEFAULT now(),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivered_accounts_user ON delivered_accounts (user_id);
CREATE TRIGGER delivered_accounts_touch BEFORE UPDATE ON delivered_accounts FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- One row per order whose amount went into the user's totals: the guard that makes the stats update exactly-once.
CREATE TABLE user_stats_applied (
    order_id    text PRIMARY KEY REFERENCES orders (order_id),
    user_id     uuid NOT NULL REFERENCES users (id),
    amount      numeric(10, 2) NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payment_transactions (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id            text NOT NULL REFERENCES orders (order_id),
    user_id             uuid NOT NULL REFERENCES users (id),
    payment_id          text NOT NULL,
    provider_status     text NOT NULL,
    evaluated_status    text NOT NULL CHECK (evaluated_status IN
                        ('pending', 'waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished',
                         'failed', 'expired', 'refunded', 'amount_mismatch')),
    price_amount        numeric(10, 2),
    price_currency      text,
    actually_paid       numeric(20, 8),
    pay_currency        text,
    parent_payment_id   text,
    source              text NOT NULL CHECK (source IN ('ipn', 'poll')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, payment_id, provider_status)
);

CREATE TABLE webhook_events (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider          text NOT NULL DEFAULT 'nowpayments',
    received_at       timestamptz NOT NULL DEFAULT now(),
    order_id          text,
    payment_id        text,
    payment_status    text,
    signature_valid   boolean NOT NULL,
    outcome           text NOT NULL CHECK (outcome IN
                      ('accepted', 'duplicate', 'orphaned', 'invalid_signature', 'malformed', 'too_large')),
    dedupe_key        text UNIQUE,
    body_sha256       text,
    body              text,
    http_status       integer NOT NULL,
    detail            text
);
CREATE INDEX webhook_events_order ON webhook_events (order_id);

CREATE TABLE admin_audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    admin_user_id  uuid NOT NULL REFERENCES users (id),
    action         text NOT NULL,
    target         text,
    details        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now()
);

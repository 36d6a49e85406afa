-- Prices and rules are versioned data: a row of trading_rules is one version of a product, orders point at the
-- version they were sold with, and a change of price or rules inserts a new version and retires the old one
-- (replaced_at), which its orders keep (src/Data/Products/ProductStore.cs). Only a product's current version may be
-- on sale, so is_active alone still means "on sale now".
ALTER TABLE trading_rules
    ADD COLUMN replaced_at timestamptz,
    ADD CONSTRAINT trading_rules_retired_not_active CHECK (replaced_at IS NULL OR NOT is_active),
    DROP CONSTRAINT trading_rules_account_type_account_size_key;
CREATE UNIQUE INDEX trading_rules_current ON trading_rules (account_type, account_size) WHERE replaced_at IS NULL;

ALTER TABLE orders ADD COLUMN trading_rules_id bigint REFERENCES trading_rules (id);
UPDATE orders o
   SET trading_rules_id = r.id
  FROM trading_rules r
 WHERE r.account_type = o.account_type AND r.account_size = o.account_size;
ALTER TABLE orders ALTER COLUMN trading_rules_id SET NOT NULL;

DROP FUNCTION create_order(uuid, text, text, integer, text, text, numeric, text);

-- Inserts an order with a fresh id for the product version p_trading_rules_id, whose type, size, price and currency
-- it takes (never the caller's); with an idempotency key a repeat returns the first order instead.
--
-- The cap on a user's open unpaid orders (setting Limits:OpenUnpaidOrdersPerUser, docs/security.md#limits) is
-- enforced here, where the order is inserted. "Open unpaid" is order_status 'created' or 'awaiting_payment': stages
-- created, creating_invoice, awaiting_payment and partially_paid; paid, fulfilling, completed, cancelled, expired and
-- failed orders do not count. With p_max_open_unpaid given, creations of one user take turns on a transaction-level
-- advisory lock (released at commit), so two concurrent creations at one below the cap cannot both see room. A
-- repeated Idempotency-Key is answered before the cap is looked at: a replay returns its order even at the cap. At
-- the cap the function returns one row with a NULL order_id. Without p_max_open_unpaid (NULL): no cap, no lock.
CREATE FUNCTION create_order(
    p_user_id uuid, p_idempotency_key text, p_trading_rules_id bigint, p_platform text, p_pay_currency text,
    p_max_open_unpaid integer DEFAULT NULL)
RETURNS TABLE (order_id text, created boolean) LANGUAGE plpgsql AS $$
DECLARE
    v_id text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM trading_rules r WHERE r.id = p_trading_rules_id) THEN
        RAISE EXCEPTION 'no trading_rules row %', p_trading_rules_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF p_max_open_unpaid IS NOT NULL THEN
        -- 1179015249 = 'FFXQ': the lock space of this cap; the second key is the user's.
        PERFORM pg_advisory_xact_lock(1179015249, hashtext(p_user_id::text));
    END IF;
    LOOP
        IF p_idempotency_key IS NOT NULL THEN
            SELECT o.order_id INTO v_id FROM orders o
             WHERE o.user_id = p_user_id AND o.idempotency_key = p_idempotency_key;
            IF FOUND THEN
                RETURN QUERY SELECT v_id, false;
                RETURN;
            END IF;
        END IF;
        IF p_max_open_unpaid IS NOT NULL AND (SELECT count(*) FROM orders o
             WHERE o.user_id = p_user_id AND o.order_status IN ('created', 'awaiting_payment')) >= p_max_open_unpaid THEN
            RETURN QUERY SELECT NULL::text, false;
            RETURN;
        END IF;
        -- A conflict is a concurrent first use of the key (found on the next turn) or an id collision (a new id).
        INSERT INTO orders AS o (order_id, user_id, idempotency_key, account_type, account_size, platform,
                                 pay_currency, price_amount, price_currency, trading_rules_id)
        SELECT new_order_id(), p_user_id, p_idempotency_key, r.account_type, r.account_size, p_platform,
               p_pay_currency, r.price, r.price_currency, r.id
          FROM trading_rules r
         WHERE r.id = p_trading_rules_id
        ON CONFLICT DO NOTHING
        RETURNING o.order_id INTO v_id;
        IF v_id IS NOT NULL THEN
            RETURN QUERY SELECT v_id, true;
            RETURN;
        END IF;
    END LOOP;
END;
$$;
GRANT EXECUTE ON FUNCTION create_order(uuid, text, bigint, text, text, integer) TO flashfundx_api;

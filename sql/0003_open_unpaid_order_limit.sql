-- The cap on a user's open unpaid orders (setting Limits:OpenUnpaidOrdersPerUser, docs/security.md#limits), enforced
-- where the order is inserted. "Open unpaid" is order_status 'created' or 'awaiting_payment': stages created,
-- creating_invoice, awaiting_payment and partially_paid. Paid, fulfilling, completed, cancelled, expired and failed
-- orders do not count.
--
-- With p_max_open_unpaid given, creations of one user take turns on a transaction-level advisory lock (released at
-- commit), so two concurrent creations at one below the cap cannot both see room. A repeated Idempotency-Key is
-- answered before the cap is looked at: a replay returns its order even at the cap. At the cap the function returns
-- one row with a NULL order_id. Without p_max_open_unpaid (NULL) there is no cap and no lock.
DROP FUNCTION create_order(uuid, text, text, integer, text, text, numeric, text);

CREATE FUNCTION create_order(
    p_user_id uuid, p_idempotency_key text, p_account_type text, p_account_size integer,
    p_platform text, p_pay_currency text, p_price_amount numeric, p_price_currency text,
    p_max_open_unpaid integer DEFAULT NULL)
RETURNS TABLE (order_id text, created boolean) LANGUAGE plpgsql AS $$
DECLARE
    v_id text;
BEGIN
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
                                 pay_currency, price_amount, price_currency)
        VALUES (new_order_id(), p_user_id, p_idempotency_key, p_account_type, p_account_size, p_platform,
                p_pay_currency, p_price_amount, p_price_currency)
        ON CONFLICT DO NOTHING
        RETURNING o.order_id INTO v_id;
        IF v_id IS NOT NULL THEN
            RETURN QUERY SELECT v_id, true;
            RETURN;
        END IF;
    END LOOP;
END;
$$;

GRANT EXECUTE ON FUNCTION create_order(uuid, text, text, integer, text, text, numeric, text, integer) TO flashfundx_api;

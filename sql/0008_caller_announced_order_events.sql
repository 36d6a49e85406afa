-- Order events a writer announces itself (issue 2). A transaction that NOTIFYs takes a database-wide lock for its
-- commit, so notifying commits run one at a time; the delivery statement, the busiest writer of orders, paid for that
-- on every delivery. Its transaction now says (flashfundx.announce_events = 'caller', transaction-local) that it will
-- announce its events after commit, batched with other deliveries' (OrderEventAnnouncer). The event row is still
-- written here, in the same transaction as the change; every other writer is announced by this trigger as before.
CREATE OR REPLACE FUNCTION record_order_update_event() RETURNS trigger LANGUAGE plpgsql AS $$
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

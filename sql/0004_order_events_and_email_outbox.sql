-- Live order status (issue 7): every change of an order's visible state is recorded in order_events by a trigger, in
-- the same transaction as the change itself, and announced with pg_notify once that transaction commits. The API's
-- GET /orders/{id}/events listens on the channel and reads the rows; the payload is only "<order_id>:<event_id>".
--
-- Event ids are per-order monotonic in commit order: every change of one order updates its one orders row, and the
-- row lock makes a second change wait for the first to commit before its trigger takes the next id.

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

-- SECURITY DEFINER: orders are inserted by the API's row-level-security role (0003), which has no rights on
-- order_events; the event is written as the owner whoever changed the order.
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

CREATE TRIGGER orders_event_insert AFTER INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION record_order_event();
CREATE TRIGGER orders_event_update AFTER UPDATE OF stage, order_status, payment_status, delivery_status ON orders
    FOR EACH ROW
    WHEN (OLD.stage IS DISTINCT FROM NEW.stage
          OR OLD.order_status IS DISTINCT FROM NEW.order_status
          OR OLD.payment_status IS DISTINCT FROM NEW.payment_status
          OR OLD.delivery_status IS DISTINCT FROM NEW.delivery_status)
    EXECUTE FUNCTION record_order_event();

-- Orders that existed before this script start their stream with their current state.
INSERT INTO order_events (order_id, stage, order_status, payment_status, delivery_status, created_at)
SELECT order_id, stage, order_status, payment_status, delivery_status, updated_at FROM orders ORDER BY created_at, order_id;

-- The caller-scoped API role (0003, when present) may read the events of the orders it may read.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flashfundx_api') THEN
        GRANT SELECT ON order_events TO flashfundx_api;
        ALTER TABLE order_events ENABLE ROW LEVEL SECURITY;
        CREATE POLICY order_events_select ON order_events FOR SELECT TO flashfundx_api
            USING (EXISTS (SELECT 1 FROM orders o WHERE o.order_id = order_events.order_id));
    END IF;
END;
$$;

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
-- Worker-only (the activities run as the owner, which RLS does not restrict): with RLS on and no policy, a future GRANT
-- to the API role could not expose other users' e-mail rows by accident.
ALTER TABLE email_outbox ENABLE ROW LEVEL SECURITY;

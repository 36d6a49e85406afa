-- Admin order tools (GET /admin/orders, GET /admin/orders/{id}, POST mark-paid, POST refunded; src/Api/Admin).
--
-- 'refunded' is a new final state: an order flagged refund_required whose money an operator has sent back. It is the
-- order's status, its stage and its delivery status at once (never delivered, money returned). The order's workflow
-- writes it through the RecordRefund activity (src/Activities/Orders/OrderAdminActivities.cs), never the API.
ALTER DOMAIN order_status DROP CONSTRAINT order_status_values;
ALTER DOMAIN order_status ADD CONSTRAINT order_status_values CHECK (VALUE IN
    ('created', 'awaiting_payment', 'paid', 'fulfilling', 'completed', 'cancelled', 'expired', 'failed', 'refunded'));
ALTER DOMAIN order_stage DROP CONSTRAINT order_stage_values;
ALTER DOMAIN order_stage ADD CONSTRAINT order_stage_values CHECK (VALUE IN
    ('created', 'creating_invoice', 'awaiting_payment', 'partially_paid', 'paid',
     'waiting_inventory', 'delivering', 'completed', 'expired', 'cancelled', 'refund_required', 'failed', 'refunded'));
ALTER DOMAIN delivery_status DROP CONSTRAINT delivery_status_values;
ALTER DOMAIN delivery_status ADD CONSTRAINT delivery_status_values CHECK (VALUE IN
    ('pending', 'waiting_inventory', 'delivered', 'refund_required', 'refunded'));

-- A payment an admin verified outside NowPayments' reports (POST /admin/orders/{id}/mark-paid). At most one per order:
-- the reference makes the request idempotent, and a second, different reference for a paid order is refused. Written
-- by the workflow's SyncOrder activity in the same transaction that marks the order paid.
CREATE TABLE manual_payments (
    order_id       text PRIMARY KEY REFERENCES orders (order_id),
    reference      text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    amount         numeric(10, 2) NOT NULL CHECK (amount > 0),
    currency       text NOT NULL,
    note           text CHECK (length(note) <= 500),
    admin_user_id  uuid NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The refund an admin made for a refund_required order (POST /admin/orders/{id}/refunded); one per order, written by
-- the RecordRefund activity together with the order's move to 'refunded'.
CREATE TABLE order_refunds (
    order_id       text PRIMARY KEY REFERENCES orders (order_id),
    reference      text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    note           text CHECK (length(note) <= 500),
    admin_user_id  uuid NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The admin order list filters by payment id and by the customer's e-mail, and pages newest first.
CREATE INDEX orders_payment_id ON orders (payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX orders_invoice_id ON orders (invoice_id) WHERE invoice_id IS NOT NULL;

-- Reads of the admin order tools, as the API's system role (they act for no particular user). Never a credential:
-- delivered_accounts and users only by the columns below, email_outbox without its recipient or error text.
GRANT SELECT (id, email) ON users TO flashfundx_api_system;
CREATE POLICY users_admin_orders_select ON users FOR SELECT TO flashfundx_api_system USING (true);

GRANT SELECT ON payment_transactions TO flashfundx_api_system;

GRANT SELECT (id, order_id, kind, status, attempts, sent_at, created_at) ON email_outbox TO flashfundx_api_system;
CREATE POLICY email_outbox_admin_orders_select ON email_outbox FOR SELECT TO flashfundx_api_system USING (true);

GRANT SELECT (id, order_id, platform, server, login, account_type, account_size, current_phase, delivered_at)
    ON delivered_accounts TO flashfundx_api_system;
CREATE POLICY delivered_accounts_admin_orders_select ON delivered_accounts FOR SELECT TO flashfundx_api_system USING (true);

GRANT SELECT ON manual_payments, order_refunds TO flashfundx_api_system;

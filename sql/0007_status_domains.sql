-- Value rules as domains instead of table CHECK constraints (issue 2). PostgreSQL re-reads every CHECK constraint of a
-- table from its stored text and evaluates all of them on every INSERT and UPDATE statement, whatever columns the
-- statement sets; profiling the delivery statement showed that as about a tenth of its server time. A domain's rule is
-- kept compiled and checked only for the columns a statement assigns. The allowed values are exactly those of 0001.
--
-- The order id keeps its CHECK: row-level security policies name orders.order_id, which pins its type.
--
-- No table is rewritten: each column first becomes a domain without a rule (binary-coercible from its old type), then
-- the rule is added NOT VALID and validated (a scan), then the table CHECK it replaces is dropped.

CREATE DOMAIN account_type AS text;
CREATE DOMAIN trading_platform AS text;
CREATE DOMAIN account_size AS integer;
CREATE DOMAIN order_price AS numeric(10, 2);
CREATE DOMAIN order_status AS text;
CREATE DOMAIN payment_status AS text;
CREATE DOMAIN delivery_status AS text;
CREATE DOMAIN order_stage AS text;
CREATE DOMAIN inventory_status AS text;
CREATE DOMAIN account_phase AS text;
CREATE DOMAIN phase_status AS text;
CREATE DOMAIN user_role AS text;
CREATE DOMAIN order_count AS integer;
CREATE DOMAIN money_total AS numeric(14, 2);

-- The order-event trigger names status columns, which blocks changing their type; it is re-created unchanged below.
DROP TRIGGER orders_event_update ON orders;

ALTER TABLE orders
    ALTER COLUMN account_type TYPE account_type,
    ALTER COLUMN platform TYPE trading_platform,
    ALTER COLUMN account_size TYPE account_size,
    ALTER COLUMN price_amount TYPE order_price,
    ALTER COLUMN order_status TYPE order_status,
    ALTER COLUMN payment_status TYPE payment_status,
    ALTER COLUMN delivery_status TYPE delivery_status,
    ALTER COLUMN stage TYPE order_stage;
ALTER TABLE account_container
    ALTER COLUMN platform TYPE trading_platform,
    ALTER COLUMN account_size TYPE account_size,
    ALTER COLUMN status TYPE inventory_status;
ALTER TABLE delivered_accounts
    ALTER COLUMN account_type TYPE account_type,
    ALTER COLUMN platform TYPE trading_platform,
    ALTER COLUMN current_phase TYPE account_phase,
    ALTER COLUMN challenge_status TYPE phase_status,
    ALTER COLUMN phase_1_status TYPE phase_status,
    ALTER COLUMN phase_2_status TYPE phase_status,
    ALTER COLUMN live_status TYPE phase_status;
ALTER TABLE users
    ALTER COLUMN role TYPE user_role,
    ALTER COLUMN total_orders TYPE order_count,
    ALTER COLUMN total_spent TYPE money_total;
ALTER TABLE payment_transactions
    ALTER COLUMN evaluated_status TYPE payment_status;

CREATE TRIGGER orders_event_update AFTER UPDATE OF stage, order_status, payment_status, delivery_status ON orders
    FOR EACH ROW
    WHEN (OLD.stage IS DISTINCT FROM NEW.stage
          OR OLD.order_status IS DISTINCT FROM NEW.order_status
          OR OLD.payment_status IS DISTINCT FROM NEW.payment_status
          OR OLD.delivery_status IS DISTINCT FROM NEW.delivery_status)
    EXECUTE FUNCTION record_order_update_event();

ALTER DOMAIN account_type ADD CONSTRAINT account_type_values CHECK (VALUE IN ('instant', 'one_step', 'two_step', 'hft')) NOT VALID;
ALTER DOMAIN trading_platform ADD CONSTRAINT trading_platform_values CHECK (VALUE IN ('mt4', 'mt5')) NOT VALID;
ALTER DOMAIN account_size ADD CONSTRAINT account_size_positive CHECK (VALUE > 0) NOT VALID;
ALTER DOMAIN order_price ADD CONSTRAINT order_price_positive CHECK (VALUE > 0) NOT VALID;
ALTER DOMAIN order_status ADD CONSTRAINT order_status_values CHECK (VALUE IN
    ('created', 'awaiting_payment', 'paid', 'fulfilling', 'completed', 'cancelled', 'expired', 'failed')) NOT VALID;
ALTER DOMAIN payment_status ADD CONSTRAINT payment_status_values CHECK (VALUE IN
    ('pending', 'waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished',
     'failed', 'expired', 'refunded', 'amount_mismatch')) NOT VALID;
ALTER DOMAIN delivery_status ADD CONSTRAINT delivery_status_values CHECK (VALUE IN
    ('pending', 'waiting_inventory', 'delivered', 'refund_required')) NOT VALID;
ALTER DOMAIN order_stage ADD CONSTRAINT order_stage_values CHECK (VALUE IN
    ('created', 'creating_invoice', 'awaiting_payment', 'partially_paid', 'paid', 'reserving',
     'waiting_inventory', 'delivering', 'completed', 'expired', 'cancelled', 'refund_required', 'failed')) NOT VALID;
ALTER DOMAIN inventory_status ADD CONSTRAINT inventory_status_values CHECK (VALUE IN ('available', 'reserved', 'delivered', 'disabled')) NOT VALID;
ALTER DOMAIN account_phase ADD CONSTRAINT account_phase_values CHECK (VALUE IN ('challenge', 'phase_1', 'phase_2', 'live')) NOT VALID;
ALTER DOMAIN phase_status ADD CONSTRAINT phase_status_values CHECK (VALUE IN ('pending', 'active', 'passed', 'failed')) NOT VALID;
ALTER DOMAIN user_role ADD CONSTRAINT user_role_values CHECK (VALUE IN ('user', 'admin')) NOT VALID;
ALTER DOMAIN order_count ADD CONSTRAINT order_count_not_negative CHECK (VALUE >= 0) NOT VALID;
ALTER DOMAIN money_total ADD CONSTRAINT money_total_not_negative CHECK (VALUE >= 0) NOT VALID;

ALTER DOMAIN account_type VALIDATE CONSTRAINT account_type_values;
ALTER DOMAIN trading_platform VALIDATE CONSTRAINT trading_platform_values;
ALTER DOMAIN account_size VALIDATE CONSTRAINT account_size_positive;
ALTER DOMAIN order_price VALIDATE CONSTRAINT order_price_positive;
ALTER DOMAIN order_status VALIDATE CONSTRAINT order_status_values;
ALTER DOMAIN payment_status VALIDATE CONSTRAINT payment_status_values;
ALTER DOMAIN delivery_status VALIDATE CONSTRAINT delivery_status_values;
ALTER DOMAIN order_stage VALIDATE CONSTRAINT order_stage_values;
ALTER DOMAIN inventory_status VALIDATE CONSTRAINT inventory_status_values;
ALTER DOMAIN account_phase VALIDATE CONSTRAINT account_phase_values;
ALTER DOMAIN phase_status VALIDATE CONSTRAINT phase_status_values;
ALTER DOMAIN user_role VALIDATE CONSTRAINT user_role_values;
ALTER DOMAIN order_count VALIDATE CONSTRAINT order_count_not_negative;
ALTER DOMAIN money_total VALIDATE CONSTRAINT money_total_not_negative;

ALTER TABLE orders
    DROP CONSTRAINT orders_account_type_check,
    DROP CONSTRAINT orders_platform_check,
    DROP CONSTRAINT orders_account_size_check,
    DROP CONSTRAINT orders_price_amount_check,
    DROP CONSTRAINT orders_order_status_check,
    DROP CONSTRAINT orders_payment_status_check,
    DROP CONSTRAINT orders_delivery_status_check,
    DROP CONSTRAINT orders_stage_check;
ALTER TABLE account_container
    DROP CONSTRAINT account_container_platform_check,
    DROP CONSTRAINT account_container_account_size_check,
    DROP CONSTRAINT account_container_status_check;
ALTER TABLE delivered_accounts
    DROP CONSTRAINT delivered_accounts_account_type_check,
    DROP CONSTRAINT delivered_accounts_platform_check,
    DROP CONSTRAINT delivered_accounts_current_phase_check,
    DROP CONSTRAINT delivered_accounts_challenge_status_check,
    DROP CONSTRAINT delivered_accounts_phase_1_status_check,
    DROP CONSTRAINT delivered_accounts_phase_2_status_check,
    DROP CONSTRAINT delivered_accounts_live_status_check;
ALTER TABLE users
    DROP CONSTRAINT users_role_check,
    DROP CONSTRAINT users_total_orders_check,
    DROP CONSTRAINT users_total_spent_check;
ALTER TABLE payment_transactions
    DROP CONSTRAINT payment_transactions_evaluated_status_check;

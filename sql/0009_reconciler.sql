-- The reconciler (src/Api/Reconciliation): orders whose workflow run Temporal no longer has are started again from
-- their recorded state; orders whose run closed while the row says open are flagged for an operator.

-- The first run's payment deadline, written by the workflow's state sync (first value kept): a run started again from
-- the recorded state expires the order when the first one would have. NULL for orders from before this column and
-- orders whose run never wrote a state; the restart then takes created_at + Fulfillment:PaymentTimeout.
ALTER TABLE orders ADD COLUMN payment_deadline timestamptz;

-- Why an operator must look at the order (e.g. its run was terminated while the order was open), and since when; NULL
-- when nothing is wrong. Set by the reconciler, cleared by POST /admin/orders/{orderId}/retry-delivery.
ALTER TABLE orders ADD COLUMN attention_reason text CHECK (attention_reason IS NULL OR length(attention_reason) BETWEEN 1 AND 500);
ALTER TABLE orders ADD COLUMN attention_at timestamptz;

-- The reconciler pages through the open orders by id.
CREATE INDEX orders_open ON orders (order_id)
    WHERE order_status IN ('created', 'awaiting_payment', 'paid', 'fulfilling')
      AND delivery_status <> 'refund_required' AND stage <> 'refund_required';

-- The API's system role sets and clears the flag (the orders_system_update policy of 0006 already admits the rows).
GRANT UPDATE (attention_reason, attention_at) ON orders TO flashfundx_api_system;

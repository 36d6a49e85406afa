-- The exactly-once guard of the user totals moves onto the order row (issue 2). A delivery used to insert a
-- user_stats_applied row (heap row, key entry, two foreign-key checks) next to the order update it already makes; the
-- completing update now sets orders.stats_applied_at and only applies totals when it found it empty (see
-- src/Activities/Delivery/DeliveryActivities.cs). The column is not indexed, so the update stays HOT. The API role
-- cannot update orders (0003), so it cannot clear the guard.
ALTER TABLE orders ADD COLUMN stats_applied_at timestamptz;

UPDATE orders o
   SET stats_applied_at = s.applied_at
  FROM user_stats_applied s
 WHERE s.order_id = o.order_id;

DROP TABLE user_stats_applied;

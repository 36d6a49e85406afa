-- Valid IPNs are acknowledged once stored (issue 5): the API's dispatcher signals them to their order's workflow
-- afterwards and stamps dispatched_at, so an IPN no longer waits for Temporal and a Temporal outage no longer turns
-- NowPayments away. dispatch_claimed_at is the sweep's lease: a row stored but not dispatched (its API process died,
-- or Temporal was unreachable) is claimed by one process's sweep at a time and sent again.
ALTER TABLE webhook_events
    ADD COLUMN dispatched_at       timestamptz,
    ADD COLUMN dispatch_claimed_at timestamptz;

-- Accepted rows from before this migration were signalled before they were acknowledged.
UPDATE webhook_events SET dispatched_at = received_at WHERE outcome = 'accepted';

CREATE INDEX webhook_events_undispatched ON webhook_events (id) WHERE outcome = 'accepted' AND dispatched_at IS NULL;

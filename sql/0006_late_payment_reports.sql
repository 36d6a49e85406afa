-- An IPN that arrives after the order's workflow run has ended (NowPayments reports sending/finished after confirmed
-- already delivered the account; or money arrives for an order that expired) is recorded by the API itself:
-- webhook_events.outcome 'late'.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_outcome_check;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_outcome_check CHECK (outcome IN
    ('accepted', 'duplicate', 'orphaned', 'late', 'invalid_signature', 'malformed', 'too_large'));

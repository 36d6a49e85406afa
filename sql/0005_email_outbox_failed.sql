-- An order e-mail that can never be sent (the recipient stored for the user is not one plain address, e.g. from before
-- the API refused such tokens) is recorded as 'failed' with the reason in last_error. The activity returns at once
-- instead of being retried for a day, and a later run for the same order and kind finds the row failed and sends nothing;
-- an operator re-queues it by setting status back to 'pending' once the address is fixed.
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_status_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check CHECK (status IN ('pending', 'sent', 'skipped', 'failed'));

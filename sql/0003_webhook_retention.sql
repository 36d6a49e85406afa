-- The worker deletes expired webhook_events rows by age (src/Data/Webhooks/WebhookEventRetention.cs).
CREATE INDEX webhook_events_received ON webhook_events (received_at);

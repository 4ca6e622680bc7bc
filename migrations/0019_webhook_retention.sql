-- Webhook delivery records are pruned after the retention period, oldest first.
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (created_at);

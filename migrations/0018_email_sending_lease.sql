-- An email is claimed before it is sent: while `sending_until` is in the
-- future one attempt holds it, so a message delivered twice, or a retry
-- racing a slow attempt, never sends it a second time.
ALTER TABLE email_deliveries ADD COLUMN sending_until TEXT;

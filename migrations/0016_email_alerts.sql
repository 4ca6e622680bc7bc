-- Email alerts: a resident's subscription to one council (confirmed by the
-- link in a confirmation email before anything else is sent), and each email
-- sent for it. The address is kept only to send to; it is never served or
-- logged, and deleting a subscription deletes its emails' records.
CREATE TABLE email_subscriptions (
  id                   TEXT PRIMARY KEY,                   -- 'sub_<random>'; signed links name it
  address              TEXT NOT NULL,
  address_key          TEXT NOT NULL,                      -- HMAC of the address: look-ups and caps
  council_id           TEXT NOT NULL REFERENCES councils (id),
  committees           TEXT NOT NULL DEFAULT '[]',         -- JSON committee ids; empty: every committee
  keywords             TEXT NOT NULL DEFAULT '[]',         -- JSON lower-cased words or phrases; empty: everything
  frequency            TEXT NOT NULL CHECK (frequency IN ('immediate', 'weekly')),
  status               TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active')),
  created_at           TEXT NOT NULL,
  confirmed_at         TEXT,
  confirmation_sent_at TEXT,                               -- the last confirmation or manage-link email
  UNIQUE (address_key, council_id)
);
-- Who follows a council: read in pages of ids when a summary or digest is published.
CREATE INDEX email_subscriptions_by_council ON email_subscriptions (council_id, status, frequency, id);
-- Unconfirmed subscriptions expire.
CREATE INDEX email_subscriptions_by_status ON email_subscriptions (status, created_at);

CREATE TABLE email_deliveries (
  id                  TEXT PRIMARY KEY,                    -- 'em_<hash>' of subscription, kind and happening
  subscription_id     TEXT NOT NULL REFERENCES email_subscriptions (id),
  address_key         TEXT NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('confirmation', 'manage', 'meeting', 'digest')),
  subject_id          TEXT NOT NULL,                       -- the subscription, the meeting or the week
  detail              TEXT NOT NULL DEFAULT '{}',          -- JSON: the summary version, the keywords matched
  status              TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'capped')),
  attempts            INTEGER NOT NULL DEFAULT 0,
  provider_message_id TEXT,
  last_error          TEXT,
  created_at          TEXT NOT NULL,
  sent_at             TEXT
);
-- The per-address caps count an address's recent emails; old records are deleted.
CREATE INDEX email_deliveries_by_address ON email_deliveries (address_key, created_at);
CREATE INDEX email_deliveries_by_subscription ON email_deliveries (subscription_id);
CREATE INDEX email_deliveries_by_age ON email_deliveries (created_at);

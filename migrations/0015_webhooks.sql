-- Webhook endpoints registered by integrators, and each delivery made to them.
CREATE TABLE webhook_endpoints (
  id                   TEXT PRIMARY KEY,                  -- 'ep_<random>'
  url                  TEXT NOT NULL,
  council_id           TEXT REFERENCES councils (id),     -- NULL: every council
  events               TEXT NOT NULL DEFAULT '[]',        -- JSON; empty: every event
  secret               TEXT NOT NULL,                     -- whsec_…; never in an answer but the registration's
  enabled              INTEGER NOT NULL DEFAULT 1,
  disabled_reason      TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
  id            TEXT PRIMARY KEY,                         -- 'msg_<random>', the webhook-id
  endpoint_id   TEXT NOT NULL REFERENCES webhook_endpoints (id),
  event         TEXT NOT NULL,
  payload       TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'pending',          -- pending | delivered | failed
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_status   INTEGER,
  last_error    TEXT,
  created_at    TEXT NOT NULL,
  delivered_at  TEXT
);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at);

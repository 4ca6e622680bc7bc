-- API keys for integrators, issued by an operator: a key lets its holder
-- register, list and remove its own webhook endpoints (`/api/v1/webhooks`).
-- Only the key's hash is kept; the key is shown once, when it is issued.
CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,                 -- 'key_<random>'
  name          TEXT NOT NULL,                    -- who holds it, for operators
  key_hash      TEXT NOT NULL UNIQUE,             -- SHA-256 of the key, hex
  max_endpoints INTEGER NOT NULL DEFAULT 10,
  created_at    TEXT NOT NULL,
  revoked_at    TEXT
);

-- An endpoint registered with a key belongs to it (NULL: registered by an operator).
ALTER TABLE webhook_endpoints ADD COLUMN api_key_id TEXT REFERENCES api_keys (id);
CREATE INDEX webhook_endpoints_by_key ON webhook_endpoints (api_key_id);

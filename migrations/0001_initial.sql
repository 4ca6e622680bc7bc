-- council-digest schema: councils, what they published, and how we fetched it.
-- Ids are TEXT built from the council slug and the council's own ids, so that
-- re-scraping never creates duplicates and ids stay readable in URLs.

CREATE TABLE councils (
  id           TEXT PRIMARY KEY,                 -- slug, e.g. 'coventry'
  name         TEXT NOT NULL,
  platform     TEXT NOT NULL CHECK (platform IN ('moderngov', 'cmis', 'other')),
  base_url     TEXT NOT NULL,
  time_zone    TEXT NOT NULL DEFAULT 'Europe/London',
  coverage     TEXT NOT NULL DEFAULT 'unsupported' CHECK (coverage IN ('supported', 'unsupported')),
  enabled      INTEGER NOT NULL DEFAULT 1,
  web_service  TEXT NOT NULL DEFAULT 'auto' CHECK (web_service IN ('auto', 'on', 'off')),
  gss_code     TEXT,
  nation       TEXT,
  https_note   TEXT,
  notes        TEXT,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE committees (
  id            TEXT PRIMARY KEY,                -- '<council>-c<source id>'
  council_id    TEXT NOT NULL REFERENCES councils (id),
  source_id     TEXT NOT NULL,
  title         TEXT NOT NULL,
  category      TEXT,
  is_deleted    INTEGER NOT NULL DEFAULT 0,
  is_expired    INTEGER NOT NULL DEFAULT 0,
  first_seen_at TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (council_id, source_id)
);

CREATE TABLE meetings (
  id                  TEXT PRIMARY KEY,          -- '<council>-<source meeting id>'
  council_id          TEXT NOT NULL REFERENCES councils (id),
  committee_id        TEXT NOT NULL REFERENCES committees (id),
  source_id           TEXT NOT NULL,
  title               TEXT NOT NULL,             -- as the council writes it
  local_date          TEXT NOT NULL,             -- YYYY-MM-DD in the council's zone
  local_time          TEXT,                      -- HH:MM, NULL when unknown
  time_zone           TEXT NOT NULL,
  starts_at_utc       TEXT,                      -- RFC 3339 instant
  status              TEXT NOT NULL DEFAULT 'confirmed',
  is_special          INTEGER NOT NULL DEFAULT 0,
  location            TEXT,
  agenda_published    INTEGER NOT NULL DEFAULT 0,
  minutes_published   INTEGER NOT NULL DEFAULT 0,
  decisions_published INTEGER NOT NULL DEFAULT 0,
  web_url             TEXT NOT NULL,
  source_mode         TEXT NOT NULL DEFAULT 'web_service',
  detail_hash         TEXT,                      -- hash of everything parsed from the detail fetch
  fingerprint         TEXT,                      -- JSON: per item and per document hashes
  content_changed     INTEGER NOT NULL DEFAULT 0,-- 1 until re-summarised
  change_note         TEXT,
  changed_at          TEXT,
  listed              INTEGER NOT NULL DEFAULT 1,-- 0 when gone from the council's list
  missing_since       TEXT,
  detail_fetched_at   TEXT,
  first_seen_at       TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  UNIQUE (council_id, source_id)
);
CREATE INDEX meetings_by_council_date ON meetings (council_id, local_date);
CREATE INDEX meetings_by_committee_date ON meetings (committee_id, local_date);

CREATE TABLE agenda_items (
  id            TEXT PRIMARY KEY,                -- '<council>-i<source item id>'
  meeting_id    TEXT NOT NULL REFERENCES meetings (id),
  source_id     TEXT NOT NULL,
  position      INTEGER NOT NULL,
  number        TEXT,
  title         TEXT NOT NULL,
  agenda_text   TEXT,
  minutes_text  TEXT,
  is_restricted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, position);

CREATE TABLE documents (
  id             TEXT PRIMARY KEY,               -- '<council>-a<attachment id>' or '<council>-u<url hash>'
  meeting_id     TEXT NOT NULL REFERENCES meetings (id),
  agenda_item_id TEXT,
  position       INTEGER NOT NULL,
  url            TEXT NOT NULL,
  title          TEXT NOT NULL,
  kind           TEXT NOT NULL,
  published_on   TEXT,
  is_restricted  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_by_meeting ON documents (meeting_id, position);

CREATE TABLE people (
  id         TEXT PRIMARY KEY,                   -- '<council>-m<member id>'
  council_id TEXT NOT NULL REFERENCES councils (id),
  name       TEXT NOT NULL,
  party      TEXT,
  ward       TEXT
);

CREATE TABLE attendance (
  meeting_id TEXT NOT NULL REFERENCES meetings (id),
  person_id  TEXT NOT NULL REFERENCES people (id),
  role       TEXT,
  attendance TEXT,
  PRIMARY KEY (meeting_id, person_id)
);

-- What changed in a meeting's agenda or documents, one row per detected change.
CREATE TABLE meeting_changes (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  meeting_id TEXT NOT NULL REFERENCES meetings (id),
  run_id     TEXT,
  changed_at TEXT NOT NULL,
  what       TEXT NOT NULL
);

-- One row per refresh of one council.
CREATE TABLE scrape_runs (
  id                 TEXT PRIMARY KEY,
  council_id         TEXT NOT NULL REFERENCES councils (id),
  trigger            TEXT NOT NULL,              -- 'cron' | 'admin'
  mode               TEXT,                       -- 'web_service' | 'html'
  status             TEXT NOT NULL DEFAULT 'queued', -- queued | planning | fetching | succeeded | partial | failed
  started_at         TEXT NOT NULL,
  finished_at        TEXT,
  window_from        TEXT,
  window_to          TEXT,
  committees_seen    INTEGER NOT NULL DEFAULT 0,
  meetings_planned   INTEGER NOT NULL DEFAULT 0,
  meetings_done      INTEGER NOT NULL DEFAULT 0,
  meetings_new       INTEGER NOT NULL DEFAULT 0,
  meetings_changed   INTEGER NOT NULL DEFAULT 0,
  meetings_unchanged INTEGER NOT NULL DEFAULT 0,
  meetings_failed    INTEGER NOT NULL DEFAULT 0,
  meetings_missing   INTEGER NOT NULL DEFAULT 0,
  error              TEXT
);
CREATE INDEX scrape_runs_by_council ON scrape_runs (council_id, started_at);

-- One row per HTTP request made to a council site.
CREATE TABLE fetch_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id      TEXT,
  council_id  TEXT NOT NULL,
  url         TEXT NOT NULL,
  status      INTEGER,                           -- HTTP status, NULL when no answer
  duration_ms INTEGER NOT NULL,
  bytes       INTEGER NOT NULL DEFAULT 0,
  outcome     TEXT NOT NULL,                     -- 'ok' | 'not_modified' | 'error'
  error       TEXT,
  fetched_at  TEXT NOT NULL
);
CREATE INDEX fetch_log_by_run ON fetch_log (run_id);

-- HTTP validators for conditional GETs, per URL.
CREATE TABLE http_validators (
  url           TEXT PRIMARY KEY,
  etag          TEXT,
  last_modified TEXT,
  body_hash     TEXT,
  updated_at    TEXT NOT NULL
);

-- Meeting summaries and weekly digests, each kept in versions with provenance.

CREATE TABLE summaries (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  meeting_id         TEXT NOT NULL REFERENCES meetings (id),
  version            INTEGER NOT NULL,
  method             TEXT NOT NULL,              -- 'model' | 'extractive'
  provider           TEXT NOT NULL,              -- workers_ai | openai_compatible | extractive
  model              TEXT,
  prompt_version     TEXT NOT NULL,
  input_hash         TEXT NOT NULL,
  input_tokens       INTEGER NOT NULL DEFAULT 0,
  output_tokens      INTEGER NOT NULL DEFAULT 0,
  naive_tokens       INTEGER NOT NULL DEFAULT 0,
  estimated_cost_usd REAL NOT NULL DEFAULT 0,
  model_calls        INTEGER NOT NULL DEFAULT 0,
  quotes_kept        INTEGER NOT NULL DEFAULT 0,
  quotes_dropped     INTEGER NOT NULL DEFAULT 0,
  decisions_dropped  INTEGER NOT NULL DEFAULT 0,
  notes              TEXT,                       -- what happened: retries, validation errors, fallbacks
  updated_reason     TEXT,                       -- why this version replaced the previous one
  body               TEXT NOT NULL,              -- the published summary as JSON
  created_at         TEXT NOT NULL,
  UNIQUE (meeting_id, input_hash),
  UNIQUE (meeting_id, version)
);
CREATE INDEX summaries_by_meeting ON summaries (meeting_id, version);

-- Tokens spent on model summaries, per council and calendar month (UTC).
CREATE TABLE model_usage (
  council_id    TEXT NOT NULL REFERENCES councils (id),
  month         TEXT NOT NULL,                   -- YYYY-MM
  input_tokens  INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd      REAL NOT NULL DEFAULT 0,
  calls         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (council_id, month)
);

CREATE TABLE digests (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  council_id  TEXT NOT NULL REFERENCES councils (id),
  week        TEXT NOT NULL,                     -- ISO week, YYYY-Www (Monday to Sunday, Europe/London)
  version     INTEGER NOT NULL,
  input_hash  TEXT NOT NULL,
  method      TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  UNIQUE (council_id, week, version),
  UNIQUE (council_id, week, input_hash)
);

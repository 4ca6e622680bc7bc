-- The decisions register: executive and delegated decisions and officer
-- decisions, as each council publishes them (mgDelegatedDecisions.aspx,
-- mgListOfficerDecisions.aspx, ieDecisionDetails.aspx). The text is the
-- council's own; nothing here is generated.
CREATE TABLE decisions (
  id                 TEXT PRIMARY KEY,               -- '<council>-d<decision id>'
  council_id         TEXT NOT NULL REFERENCES councils (id),
  source_id          TEXT NOT NULL,
  register           TEXT NOT NULL CHECK (register IN ('delegated', 'officer')),
  title              TEXT NOT NULL,
  listed_on          TEXT,                           -- the register's date for it
  call_in            TEXT,                           -- the register's call-in words
  decision_maker     TEXT,
  status             TEXT,
  is_key             INTEGER,
  subject_to_call_in INTEGER,
  call_in_deadline   TEXT,
  purpose            TEXT,
  decision           TEXT,
  published_on       TEXT,
  decided_on         TEXT,
  meeting_source_id  TEXT,                           -- the meeting it was taken at, on the council's site
  documents          TEXT NOT NULL DEFAULT '[]',     -- JSON [{title, url}]
  web_url            TEXT NOT NULL,
  detail_fetched_at  TEXT,
  read_error         TEXT,
  first_seen_at      TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);
CREATE INDEX decisions_by_council_date ON decisions (council_id, listed_on);

-- When the council's decisions register was last read, and why the last read failed.
ALTER TABLE councils ADD COLUMN decisions_read_at TEXT;
ALTER TABLE councils ADD COLUMN decisions_error TEXT;

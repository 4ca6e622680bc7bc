-- A council's health, shown to everyone, and its open-data export.

-- When operators were last told the council is failing (`council.failing`):
-- one flag per run of failures, however many crons see it.
ALTER TABLE councils ADD COLUMN failing_flagged_at TEXT;

-- Unreadable documents of a council, for its status page.
CREATE INDEX documents_failed_by_council ON documents (council_id, progress_at) WHERE text_status = 'failed';

-- Each council's open-data sets ('latest' and months, 'YYYY-MM'): the
-- newest export of each, its manifest (files, row counts, sha256, licences)
-- as JSON; the files themselves are in R2.
CREATE TABLE open_data_exports (
  council_id   TEXT NOT NULL REFERENCES councils (id),
  set_name     TEXT NOT NULL,
  generated_at TEXT NOT NULL,
  manifest     TEXT NOT NULL,
  PRIMARY KEY (council_id, set_name)
);

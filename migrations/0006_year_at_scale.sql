-- Running for a year inside D1's 10 GB: bulk page text moves to R2, search rows
-- are removed by key, runs count each meeting once, and stuck work is findable.

-- Page text now lives in R2, one object per document version
-- (`text/<document id>/<content hash>.json`); D1 keeps only where it is.
DROP TABLE document_pages;
ALTER TABLE documents ADD COLUMN text_key TEXT;         -- R2 key of the extracted pages
ALTER TABLE documents ADD COLUMN progress_at TEXT;      -- last fetch or extraction step that finished
ALTER TABLE documents ADD COLUMN retry_after TEXT;      -- a document that failed for a transient cause is read again after this
-- Text read before this migration was in D1: read every document again into R2.
UPDATE documents SET text_status = NULL, content_hash = NULL, pages_done = 0, page_count = NULL, text_chars = NULL,
  extraction_attempts = 0, text_error = NULL;
DELETE FROM http_validators WHERE url IN (SELECT url FROM documents);
CREATE INDEX documents_partial ON documents (progress_at) WHERE text_status = 'partial';
CREATE INDEX documents_to_retry ON documents (retry_after) WHERE text_status = 'failed' AND retry_after IS NOT NULL;

-- Search rows are keyed by an ordinary table, so a meeting's rows are deleted
-- by rowid instead of scanning the FTS index for an UNINDEXED value.
CREATE TABLE search_rows (
  id         INTEGER PRIMARY KEY,                -- the rowid of the row in search_text
  meeting_id TEXT NOT NULL,
  council_id TEXT NOT NULL,
  kind       TEXT NOT NULL,                      -- summary | agenda_item | document
  url        TEXT NOT NULL
);
CREATE INDEX search_rows_by_meeting ON search_rows (meeting_id, kind);
CREATE VIRTUAL TABLE search_text USING fts5(title, body, tokenize = 'porter unicode61');
INSERT INTO search_rows (id, meeting_id, council_id, kind, url)
  SELECT rowid, meeting_id, council_id, kind, url FROM search_index;
INSERT INTO search_text (rowid, title, body) SELECT rowid, title, body FROM search_index;
DROP TABLE search_index;

-- Each meeting of a run counted once, however often its message is delivered.
CREATE TABLE run_meetings (
  run_id     TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('new', 'changed', 'unchanged', 'failed')),
  error      TEXT,
  PRIMARY KEY (run_id, meeting_id)
) WITHOUT ROWID;

ALTER TABLE scrape_runs ADD COLUMN full_visit INTEGER NOT NULL DEFAULT 0; -- 1: visit everything the schedule tracks
ALTER TABLE scrape_runs ADD COLUMN progress_at TEXT;                      -- last step of the run that finished
ALTER TABLE scrape_runs ADD COLUMN meetings_skipped INTEGER NOT NULL DEFAULT 0; -- listed but not due for a visit
UPDATE scrape_runs SET progress_at = COALESCE(finished_at, started_at);
CREATE INDEX scrape_runs_open ON scrape_runs (progress_at) WHERE finished_at IS NULL;
CREATE INDEX scrape_runs_by_start ON scrape_runs (started_at);

-- When the meeting's details were last read (changed or not), for the visit schedule.
ALTER TABLE meetings ADD COLUMN visited_at TEXT;
UPDATE meetings SET visited_at = detail_fetched_at;
-- Why the last read of a meeting was incomplete (its page failed while the web service answered).
ALTER TABLE meetings ADD COLUMN read_error TEXT;
-- Which run last saved the meeting and what that was, so a redelivered message
-- of the same run counts the meeting as it was first counted.
ALTER TABLE meetings ADD COLUMN saved_by_run TEXT;
ALTER TABLE meetings ADD COLUMN saved_outcome TEXT;
-- A refresh lists a council's meetings over several messages (a few committees
-- each), so no invocation outgrows its limits. Part 0 is the refresh itself
-- (meetings outside the listing window still waiting for minutes); each part
-- is counted once, however often its message is delivered.
ALTER TABLE scrape_runs ADD COLUMN listing_parts INTEGER;  -- parts planned; NULL until the committees are read
CREATE TABLE run_listings (
  run_id  TEXT NOT NULL,
  part    INTEGER NOT NULL,
  planned INTEGER NOT NULL,                     -- meetings to read
  skipped INTEGER NOT NULL,                     -- listed but not due
  missing INTEGER NOT NULL,                     -- no longer listed by the council
  error   TEXT,
  PRIMARY KEY (run_id, part)
) WITHOUT ROWID;

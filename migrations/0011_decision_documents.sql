-- A document belongs to a meeting or to a decision in the decisions register,
-- and names its council, so that a decision's documents go through the same
-- reader (download, text in steps, retries) as a meeting's.
--
-- SQLite cannot relax NOT NULL in place, so the table is rebuilt. The one
-- table that refers to documents (agenda_item_pages) is set aside first and
-- put back after, so no foreign key is ever left pointing at nothing.

CREATE TABLE saved_item_pages AS SELECT * FROM agenda_item_pages;
DELETE FROM agenda_item_pages;

CREATE TABLE documents_rebuilt (
  id                  TEXT PRIMARY KEY,            -- '<council>-a<attachment id>', '<council>-u<url hash>', '<decision>-u<url hash>'
  council_id          TEXT NOT NULL REFERENCES councils (id),
  meeting_id          TEXT REFERENCES meetings (id),
  decision_id         TEXT REFERENCES decisions (id),
  agenda_item_id      TEXT,
  position            INTEGER NOT NULL,
  url                 TEXT NOT NULL,
  title               TEXT NOT NULL,
  kind                TEXT NOT NULL,
  published_on        TEXT,
  is_restricted       INTEGER NOT NULL DEFAULT 0,
  text_status         TEXT,                        -- NULL until fetched; partial | extracted | no_text_layer | failed
  text_error          TEXT,
  content_hash        TEXT,
  byte_size           INTEGER,
  page_count          INTEGER,
  pages_done          INTEGER NOT NULL DEFAULT 0,
  text_chars          INTEGER,
  extraction_attempts INTEGER NOT NULL DEFAULT 0,
  fetched_at          TEXT,
  extracted_at        TEXT,
  text_key            TEXT,
  progress_at         TEXT,
  retry_after         TEXT,
  CHECK ((meeting_id IS NULL) <> (decision_id IS NULL))
);

INSERT INTO documents_rebuilt (id, council_id, meeting_id, decision_id, agenda_item_id, position, url, title, kind,
  published_on, is_restricted, text_status, text_error, content_hash, byte_size, page_count, pages_done, text_chars,
  extraction_attempts, fetched_at, extracted_at, text_key, progress_at, retry_after)
SELECT d.id, m.council_id, d.meeting_id, NULL, d.agenda_item_id, d.position, d.url, d.title, d.kind,
  d.published_on, d.is_restricted, d.text_status, d.text_error, d.content_hash, d.byte_size, d.page_count, d.pages_done,
  d.text_chars, d.extraction_attempts, d.fetched_at, d.extracted_at, d.text_key, d.progress_at, d.retry_after
FROM documents d JOIN meetings m ON m.id = d.meeting_id;

DROP TABLE documents;
ALTER TABLE documents_rebuilt RENAME TO documents;

CREATE INDEX documents_by_meeting ON documents (meeting_id, position) WHERE meeting_id IS NOT NULL;
CREATE INDEX documents_by_decision ON documents (decision_id, position) WHERE decision_id IS NOT NULL;
CREATE INDEX documents_partial ON documents (progress_at) WHERE text_status = 'partial';
CREATE INDEX documents_to_retry ON documents (retry_after) WHERE text_status = 'failed' AND retry_after IS NOT NULL;

INSERT INTO agenda_item_pages SELECT * FROM saved_item_pages;
DROP TABLE saved_item_pages;

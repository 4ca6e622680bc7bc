-- Document text: fetch state per document, extracted pages, and which reports
-- pack pages belong to which agenda item.

ALTER TABLE documents ADD COLUMN text_status TEXT;            -- NULL until fetched; partial | extracted | no_text_layer | failed
ALTER TABLE documents ADD COLUMN text_error TEXT;             -- why the text could not be read
ALTER TABLE documents ADD COLUMN content_hash TEXT;           -- sha256 of the fetched bytes
ALTER TABLE documents ADD COLUMN byte_size INTEGER;
ALTER TABLE documents ADD COLUMN page_count INTEGER;
ALTER TABLE documents ADD COLUMN pages_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN text_chars INTEGER;
ALTER TABLE documents ADD COLUMN extraction_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN fetched_at TEXT;
ALTER TABLE documents ADD COLUMN extracted_at TEXT;

CREATE TABLE document_pages (
  document_id           TEXT NOT NULL REFERENCES documents (id),
  page_number           INTEGER NOT NULL,        -- 1-based page of the PDF
  printed_page          INTEGER,                 -- the number printed in its footer
  text                  TEXT NOT NULL,
  text_chars            INTEGER NOT NULL,
  fingerprint           TEXT,                    -- normalised text hash; NULL for near-empty pages
  duplicate_of_document TEXT,                    -- the same text was already read there
  duplicate_of_page     INTEGER,
  error                 TEXT,
  PRIMARY KEY (document_id, page_number)
);
CREATE INDEX document_pages_by_fingerprint ON document_pages (fingerprint);

-- From the agenda frontsheet: the printed page range of each item in the reports pack.
CREATE TABLE agenda_item_pages (
  agenda_item_id     TEXT PRIMARY KEY REFERENCES agenda_items (id),
  meeting_id         TEXT NOT NULL REFERENCES meetings (id),
  frontsheet_id      TEXT NOT NULL REFERENCES documents (id),
  first_printed_page INTEGER NOT NULL,
  last_printed_page  INTEGER NOT NULL
);
CREATE INDEX agenda_item_pages_by_meeting ON agenda_item_pages (meeting_id);

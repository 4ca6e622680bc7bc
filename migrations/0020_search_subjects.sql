-- A search row's subject is a meeting or a decision (which `kind` says):
-- the column is named for what it holds.
ALTER TABLE search_rows RENAME COLUMN meeting_id TO subject_id;
DROP INDEX search_rows_by_meeting;
CREATE INDEX search_rows_by_subject ON search_rows (subject_id, kind);

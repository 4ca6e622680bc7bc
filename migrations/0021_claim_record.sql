-- The public record of the claim checks. Per summary version: how many
-- sentences of the model's prose were checked, how many were left out by the
-- kind of claim not found (JSON {"amount": 2, "name": 1}: counts only, never
-- the text, which may name someone wrongly), and how many sections stand in
-- the council's own words. Per council, running totals kept as each version
-- is stored, so that the record is read without reading every summary.
ALTER TABLE summaries ADD COLUMN sentences_checked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE summaries ADD COLUMN dropped_by_kind TEXT;
ALTER TABLE summaries ADD COLUMN sections_extractive INTEGER NOT NULL DEFAULT 0;

CREATE TABLE claim_record (
  council_id          TEXT PRIMARY KEY REFERENCES councils (id),
  summaries           INTEGER NOT NULL DEFAULT 0,   -- versions published
  model_written       INTEGER NOT NULL DEFAULT 0,   -- of which written by a model and checked
  extractive          INTEGER NOT NULL DEFAULT 0,   -- of which in the council's own words throughout
  sentences_checked   INTEGER NOT NULL DEFAULT 0,
  sentences_dropped   INTEGER NOT NULL DEFAULT 0,
  sections_extractive INTEGER NOT NULL DEFAULT 0,   -- sections the checks emptied, shown in the council's words
  quotes_kept         INTEGER NOT NULL DEFAULT 0,
  quotes_dropped      INTEGER NOT NULL DEFAULT 0,
  decisions_dropped   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE claim_drops (
  council_id TEXT NOT NULL REFERENCES councils (id),
  kind       TEXT NOT NULL,                         -- amount, percentage, figure, date, financial year, time, vote, reference, name
  dropped    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (council_id, kind)
);

-- What was stored before this record began is counted once.
INSERT INTO claim_record (council_id, summaries, model_written, extractive, sentences_dropped, quotes_kept, quotes_dropped, decisions_dropped)
SELECT m.council_id, COUNT(*), SUM(s.method = 'model'), SUM(s.method = 'extractive'), SUM(s.sentences_dropped),
       SUM(s.quotes_kept), SUM(s.quotes_dropped), SUM(s.decisions_dropped)
FROM summaries s JOIN meetings m ON m.id = s.meeting_id GROUP BY m.council_id;

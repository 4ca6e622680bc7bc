-- Claim checks on a model summary's prose: how many sentences were left out
-- because a figure, date or name in them is not in the sources, why (kept
-- for operators, never served: a left-out sentence may name someone the
-- papers do not), and whether every claim in the version was checked.
ALTER TABLE summaries ADD COLUMN sentences_dropped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE summaries ADD COLUMN dropped_reasons TEXT;          -- JSON [{place, reason}]
ALTER TABLE summaries ADD COLUMN claims_checked INTEGER NOT NULL DEFAULT 0;

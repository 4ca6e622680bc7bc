-- Every public read uses an index: meetings across councils by date, and the
-- latest summaries.
CREATE INDEX meetings_by_date ON meetings (local_date, id);
CREATE INDEX summaries_by_created ON summaries (created_at);

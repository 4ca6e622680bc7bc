-- Full-text search over summaries, agenda items and document titles.
CREATE VIRTUAL TABLE search_index USING fts5(
  title,
  body,
  kind UNINDEXED,        -- summary | agenda_item | document
  meeting_id UNINDEXED,
  council_id UNINDEXED,
  url UNINDEXED,
  tokenize = 'porter unicode61'
);

-- Search that stays cheap at UK scale: an FTS5 prefix index for prefixes of
-- three and four characters (the shortest a query may end with), and the
-- council as an indexed column, so that a search within one council is an
-- index intersection rather than a filter over every match in the country.
CREATE VIRTUAL TABLE search_terms USING fts5(title, body, council, tokenize = 'porter unicode61', prefix = '3 4');
INSERT INTO search_terms (rowid, title, body, council)
  SELECT t.rowid, t.title, t.body, r.council_id FROM search_text t JOIN search_rows r ON r.id = t.rowid;
DROP TABLE search_text;
ALTER TABLE search_terms RENAME TO search_text;

-- Hosts besides its own that a council serves documents from (space-separated);
-- a document link or redirect to any other host is recorded and not fetched.
ALTER TABLE councils ADD COLUMN document_hosts TEXT NOT NULL DEFAULT '';

-- Councillors as each council lists them (GetCouncillorsByWard), in the same
-- people table attendance links to (ids '<council>-m<member id>'). A
-- councillor the list stops naming is marked former, never deleted, so old
-- attendance still leads to them; people only ever seen in attendance lists
-- have no listed_since.
ALTER TABLE people ADD COLUMN photo_url TEXT;
ALTER TABLE people ADD COLUMN email TEXT;
ALTER TABLE people ADD COLUMN phone TEXT;
ALTER TABLE people ADD COLUMN listed_since TEXT;
ALTER TABLE people ADD COLUMN former_since TEXT;
CREATE INDEX people_by_council_ward ON people (council_id, ward);
CREATE INDEX attendance_by_person ON attendance (person_id);

-- When the council's councillors were last read, and why the last read failed.
ALTER TABLE councils ADD COLUMN councillors_read_at TEXT;
ALTER TABLE councils ADD COLUMN councillors_error TEXT;

-- Recorded votes, in the shape of Open Civic Data's VoteEvent where it fits:
-- one event per motion put to a recorded vote (its motion as the minutes word
-- it, the result, the counts per option, the meeting and item, the document
-- and page it was read from), and each member's choice. A name that could not
-- be matched to exactly one councillor is kept as written, with no person.
CREATE TABLE vote_events (
  id              TEXT PRIMARY KEY,                  -- '<meeting id>-v<n>' in the order the minutes print them
  council_id      TEXT NOT NULL REFERENCES councils (id),
  meeting_id      TEXT NOT NULL REFERENCES meetings (id),
  agenda_item_id  TEXT REFERENCES agenda_items (id),
  position        INTEGER NOT NULL,
  motion          TEXT NOT NULL,
  result          TEXT,                              -- as the minutes say: 'Motion carried', 'Amendment lost'
  counts          TEXT NOT NULL,                     -- JSON {"for": 57, "against": 0, "abstain": 2}
  source          TEXT NOT NULL,                     -- 'minutes' (printed) | 'minutes_text' (items' minutes) | 'recorded_votes_page'
  document_id     TEXT REFERENCES documents (id),
  page            INTEGER,
  note            TEXT,                              -- where printed counts differ from the names read
  read_at         TEXT NOT NULL
);
CREATE INDEX vote_events_by_meeting ON vote_events (meeting_id, position);

CREATE TABLE vote_choices (
  vote_event_id  TEXT NOT NULL REFERENCES vote_events (id),
  position       INTEGER NOT NULL,                   -- the name's place in the printed list
  choice         TEXT NOT NULL,                      -- 'for' | 'against' | 'abstain' | 'absent'
  name_as_written TEXT NOT NULL,
  person_id      TEXT REFERENCES people (id),        -- null: not matched to exactly one councillor
  PRIMARY KEY (vote_event_id, choice, position)
);
CREATE INDEX vote_choices_by_person ON vote_choices (person_id, vote_event_id);

-- Webcasts: what was said at meetings, from the webcast platform's captions.

-- A council's webcast portal (Public-i: https://<council>.public-i.tv) and,
-- when its captions are not where the platform usually keeps them, their
-- address with `{activity}` for the webcast.
ALTER TABLE councils ADD COLUMN webcast_site TEXT;
ALTER TABLE councils ADD COLUMN webcast_captions TEXT;
-- Where the webcast's media file (MP4) is, with `{activity}` for the webcast:
-- read for speech to text when there are no captions (`SPEECH_MODEL`).
ALTER TABLE councils ADD COLUMN webcast_media TEXT;
-- A webcast portal the council's meeting pages link, found by a refresh:
-- shown to operators, who register it as webcast_site after checking it.
ALTER TABLE councils ADD COLUMN webcast_site_linked TEXT;
-- When the council's webcasts were last listed, and why that failed.
ALTER TABLE councils ADD COLUMN webcasts_read_at TEXT;
ALTER TABLE councils ADD COLUMN webcasts_error TEXT;

-- One row a webcast the platform lists; matched to one of our meetings when
-- it can be (never guessed), its agenda points as JSON ([{text, at_ms}]).
-- The transcript is in R2 (transcript_key, named by the captions' SHA-256);
-- captions_status: 'unread' (not asked yet), 'absent' (not published yet),
-- 'read', 'error' (captions_error says why; the transcript read before stays).
CREATE TABLE webcasts (
  id               TEXT PRIMARY KEY,           -- '<council>-w<activity>'
  council_id       TEXT NOT NULL REFERENCES councils (id),
  platform         TEXT NOT NULL,
  activity         TEXT NOT NULL,
  meeting_id       TEXT REFERENCES meetings (id),
  title            TEXT NOT NULL,
  live_at          TEXT,
  player_url       TEXT NOT NULL,
  captions_url     TEXT,
  points           TEXT NOT NULL DEFAULT '[]',
  points_unread    INTEGER NOT NULL DEFAULT 0,
  captions_status  TEXT NOT NULL DEFAULT 'unread',
  captions_error   TEXT,
  captions_hash    TEXT,
  transcript_key   TEXT,
  made_from        TEXT,
  cues             INTEGER NOT NULL DEFAULT 0,
  skipped_cues     INTEGER NOT NULL DEFAULT 0,
  duration_ms      INTEGER NOT NULL DEFAULT 0,
  captions_read_at TEXT,
  -- Speech to text of its sound: 'transcribing' (speech_chunks planned),
  -- 'done', 'error' (speech_error says why); NULL when never tried.
  speech_status    TEXT,
  speech_error     TEXT,
  speech_chunks    INTEGER NOT NULL DEFAULT 0,
  first_seen_at    TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (council_id, activity)
);
CREATE INDEX webcasts_by_meeting ON webcasts (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX webcasts_by_council_live ON webcasts (council_id, live_at);

-- The chunks of a webcast's sound the speech model has heard (one row each,
-- so a message handled twice counts once).
CREATE TABLE webcast_speech_chunks (
  webcast_id TEXT NOT NULL REFERENCES webcasts (id),
  number     INTEGER NOT NULL,
  heard_at   TEXT NOT NULL,
  PRIMARY KEY (webcast_id, number)
);

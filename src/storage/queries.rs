//! Every SQL statement the worker runs. The schema lives in `migrations/`.

pub const LIST_COUNCILS: &str = "SELECT id, name, platform, base_url, time_zone, coverage, enabled, web_service, gss_code, nation, https_note, notes, document_hosts, councillors_read_at, councillors_error, decisions_read_at, decisions_error, webcast_site, webcast_captions, webcast_media, webcast_site_linked, webcasts_read_at, webcasts_error, created_at, updated_at FROM councils ORDER BY name";
pub const ENABLED_COUNCILS: &str = "SELECT id, name, platform, base_url, time_zone, coverage, enabled, web_service, gss_code, nation, https_note, notes, document_hosts, councillors_read_at, councillors_error, decisions_read_at, decisions_error, webcast_site, webcast_captions, webcast_media, webcast_site_linked, webcasts_read_at, webcasts_error, created_at, updated_at FROM councils WHERE enabled = 1 AND platform = 'moderngov' ORDER BY id";
pub const GET_COUNCIL: &str = "SELECT id, name, platform, base_url, time_zone, coverage, enabled, web_service, gss_code, nation, https_note, notes, document_hosts, councillors_read_at, councillors_error, decisions_read_at, decisions_error, webcast_site, webcast_captions, webcast_media, webcast_site_linked, webcasts_read_at, webcasts_error, created_at, updated_at FROM councils WHERE id = ?1";
pub const UPSERT_COUNCIL: &str = "INSERT INTO councils (id, name, platform, base_url, time_zone, coverage, enabled, web_service, gss_code, nation, notes, document_hosts, webcast_site, webcast_captions, webcast_media, created_at, updated_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?14, ?15, ?16, ?12, ?12) \
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, platform = excluded.platform, base_url = excluded.base_url, \
    time_zone = excluded.time_zone, coverage = excluded.coverage, enabled = excluded.enabled, web_service = excluded.web_service, \
    gss_code = COALESCE(excluded.gss_code, councils.gss_code), nation = COALESCE(excluded.nation, councils.nation), \
    notes = COALESCE(excluded.notes, councils.notes), document_hosts = excluded.document_hosts, \
    webcast_site = excluded.webcast_site, webcast_captions = excluded.webcast_captions, webcast_media = excluded.webcast_media, \
    updated_at = excluded.updated_at";

/// Creates a run unless the council has one still open (one run per council at a time).
pub const CREATE_RUN: &str =
    "INSERT INTO scrape_runs (id, council_id, trigger, status, started_at, progress_at, full_visit) \
    SELECT ?1, ?2, ?3, 'queued', ?4, ?4, ?5 \
    WHERE NOT EXISTS (SELECT 1 FROM scrape_runs WHERE council_id = ?2 AND finished_at IS NULL) RETURNING id";
pub const OPEN_RUN: &str =
    "SELECT id FROM scrape_runs WHERE council_id = ?1 AND finished_at IS NULL ORDER BY started_at DESC LIMIT 1";
/// Whether the council was ever listed, so its first refresh reaches back for history.
pub const COUNCIL_HAS_MEETINGS: &str = "SELECT EXISTS (SELECT 1 FROM meetings WHERE council_id = ?1) AS known";
pub const GET_RUN: &str = "SELECT * FROM scrape_runs WHERE id = ?1";
/// The committees are read: how the council is read, the window, and how many listing parts follow.
pub const RUN_LISTING: &str =
    "UPDATE scrape_runs SET mode = ?2, window_from = ?3, window_to = ?4, committees_seen = ?5, \
    listing_parts = ?6, status = 'fetching', progress_at = ?7 WHERE id = ?1 AND finished_at IS NULL";
/// One listing part done (the first delivery of its message counts).
pub const RUN_LISTING_PART: &str =
    "INSERT OR IGNORE INTO run_listings (run_id, part, planned, skipped, missing, error) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
pub const RUN_ERROR: &str = "UPDATE scrape_runs SET error = ?2 WHERE id = ?1";
pub const RUN_FAILED: &str =
    "UPDATE scrape_runs SET status = 'failed', error = ?2, finished_at = ?3, progress_at = ?3 \
    WHERE id = ?1 AND finished_at IS NULL";
/// One meeting's outcome in a run: the first delivery of its message counts, a second changes nothing.
pub const RUN_MEETING_OUTCOME: &str =
    "INSERT OR IGNORE INTO run_meetings (run_id, meeting_id, outcome, error) VALUES (?1, ?2, ?3, ?4)";
/// The run's counters recounted from its listing parts and meetings (so they are
/// exact however often a message arrives); the run closes when every listing
/// part is done and every planned meeting is counted.
pub const RUN_RECOUNT: &str = "UPDATE scrape_runs SET \
    meetings_planned = (SELECT COALESCE(SUM(planned), 0) FROM run_listings WHERE run_id = ?1), \
    meetings_skipped = (SELECT COALESCE(SUM(skipped), 0) FROM run_listings WHERE run_id = ?1), \
    meetings_missing = (SELECT COALESCE(SUM(missing), 0) FROM run_listings WHERE run_id = ?1), \
    meetings_done = (SELECT COUNT(*) FROM run_meetings WHERE run_id = ?1), \
    meetings_new = (SELECT COUNT(*) FROM run_meetings WHERE run_id = ?1 AND outcome = 'new'), \
    meetings_changed = (SELECT COUNT(*) FROM run_meetings WHERE run_id = ?1 AND outcome = 'changed'), \
    meetings_unchanged = (SELECT COUNT(*) FROM run_meetings WHERE run_id = ?1 AND outcome = 'unchanged'), \
    meetings_failed = (SELECT COUNT(*) FROM run_meetings WHERE run_id = ?1 AND outcome = 'failed'), \
    error = COALESCE(?2, error), progress_at = ?3, \
    status = CASE WHEN finished_at IS NOT NULL THEN status \
        WHEN listing_parts IS NOT NULL AND (SELECT COUNT(*) FROM run_listings WHERE run_id = ?1) >= listing_parts \
        AND (SELECT COUNT(*) FROM run_meetings WHERE run_id = ?1) >= (SELECT COALESCE(SUM(planned), 0) FROM run_listings WHERE run_id = ?1) \
        THEN (CASE WHEN (SELECT COUNT(*) FROM run_meetings WHERE run_id = ?1 AND outcome = 'failed') > 0 \
            OR COALESCE(?2, error) IS NOT NULL \
            OR EXISTS (SELECT 1 FROM run_listings WHERE run_id = ?1 AND error IS NOT NULL) THEN 'partial' ELSE 'succeeded' END) \
        ELSE status END, \
    finished_at = CASE WHEN finished_at IS NULL AND listing_parts IS NOT NULL \
        AND (SELECT COUNT(*) FROM run_listings WHERE run_id = ?1) >= listing_parts \
        AND (SELECT COUNT(*) FROM run_meetings WHERE run_id = ?1) >= (SELECT COALESCE(SUM(planned), 0) FROM run_listings WHERE run_id = ?1) \
        THEN ?3 ELSE finished_at END \
    WHERE id = ?1";

// The reaper and retention

/// Runs with no progress since ?1 are closed as failed, saying why.
pub const REAP_RUNS: &str = "UPDATE scrape_runs SET status = 'failed', finished_at = ?2, \
    error = COALESCE(error || '; ', '') || ?3 WHERE finished_at IS NULL AND progress_at < ?1 RETURNING id";
/// Documents left partial with no progress since ?1.
pub const STALE_DOCUMENTS: &str = "SELECT d.id, d.council_id, d.extraction_attempts FROM documents d \
    WHERE d.text_status = 'partial' AND d.progress_at < ?1 ORDER BY d.progress_at LIMIT ?2";
/// Documents whose transient failure may be tried again now.
pub const DOCUMENTS_TO_RETRY: &str = "SELECT d.id, d.council_id, d.extraction_attempts FROM documents d \
    WHERE d.text_status = 'failed' AND d.retry_after IS NOT NULL \
    AND d.retry_after <= ?1 ORDER BY d.retry_after LIMIT ?2";
/// Taken up again by the reaper: not stale again until ?2, and the reason is recorded.
pub const DOCUMENT_RESUMED: &str =
    "UPDATE documents SET progress_at = ?2, retry_after = NULL, text_error = ?3 WHERE id = ?1";
/// Fetch-log rows older than ?1 among the oldest ?2 (rowid order is time order,
/// so only a bounded range of rowids is read, never the whole log).
pub const PRUNE_FETCH_LOG: &str = "DELETE FROM fetch_log WHERE id IN (SELECT id FROM fetch_log \
    WHERE id <= (SELECT MIN(id) FROM fetch_log) + ?2 AND fetched_at < ?1)";
/// Finished runs older than ?1, except each council's latest run and latest success.
pub const OLD_RUNS: &str = "SELECT r.id FROM scrape_runs r WHERE r.started_at < ?1 AND r.finished_at IS NOT NULL \
    AND EXISTS (SELECT 1 FROM scrape_runs n WHERE n.council_id = r.council_id AND n.started_at > r.started_at) \
    AND (r.status != 'succeeded' OR EXISTS (SELECT 1 FROM scrape_runs n WHERE n.council_id = r.council_id \
        AND n.status = 'succeeded' AND n.started_at > r.started_at)) \
    ORDER BY r.started_at LIMIT ?2";
pub const DELETE_RUN_MEETINGS: &str = "DELETE FROM run_meetings WHERE run_id IN (SELECT value FROM json_each(?1))";
pub const DELETE_RUN_LISTINGS: &str = "DELETE FROM run_listings WHERE run_id IN (SELECT value FROM json_each(?1))";
pub const DELETE_RUNS: &str = "DELETE FROM scrape_runs WHERE id IN (SELECT value FROM json_each(?1))";
pub const INSERT_FETCH_LOG: &str =
    "INSERT INTO fetch_log (run_id, council_id, url, status, duration_ms, bytes, outcome, error, fetched_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

pub const UPSERT_COMMITTEE: &str = "INSERT INTO committees (id, council_id, source_id, title, category, is_deleted, is_expired, first_seen_at, updated_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) \
    ON CONFLICT (id) DO UPDATE SET title = excluded.title, category = COALESCE(excluded.category, committees.category), \
    is_deleted = excluded.is_deleted, is_expired = excluded.is_expired, updated_at = excluded.updated_at \
    WHERE committees.title IS NOT excluded.title OR committees.category IS NOT COALESCE(excluded.category, committees.category) \
    OR committees.is_deleted IS NOT excluded.is_deleted OR committees.is_expired IS NOT excluded.is_expired";

/// A meeting seen in a list: created with what the list says, or marked listed again.
pub const UPSERT_LISTED_MEETING: &str =
    "INSERT INTO meetings (id, council_id, committee_id, source_id, title, local_date, local_time, time_zone, \
    starts_at_utc, status, is_special, web_url, source_mode, first_seen_at, updated_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14) \
    ON CONFLICT (id) DO UPDATE SET listed = 1, missing_since = NULL WHERE meetings.listed = 0";
/// Meetings of the listed committees, inside the window, that the council no longer lists.
pub const MARK_UNLISTED_MEETINGS: &str = "UPDATE meetings SET listed = 0, missing_since = ?5 \
    WHERE council_id = ?1 AND local_date BETWEEN ?2 AND ?3 AND listed = 1 \
    AND committee_id IN (SELECT value FROM json_each(?4)) AND id NOT IN (SELECT value FROM json_each(?6))";
pub const MEETING_STATE: &str = "SELECT detail_hash, fingerprint, content_changed, saved_by_run, saved_outcome, \
    EXISTS (SELECT 1 FROM summaries s WHERE s.meeting_id = meetings.id) AS has_summary FROM meetings WHERE id = ?1";
/// What the visit schedule needs of the meetings a refresh listed.
pub const VISIT_STATES: &str = "SELECT id, local_date, visited_at, minutes_published, status FROM meetings \
    WHERE council_id = ?1 AND id IN (SELECT value FROM json_each(?2))";
/// Past meetings outside the listing window (?2..?3) still waiting for minutes, or
/// last read only in part (a source failed), with what a visit needs.
pub const TRACKED_MEETINGS: &str =
    "SELECT m.id, m.source_id, c.source_id AS committee_source_id, c.title AS committee_title, \
    m.local_date, m.local_time, m.status, m.visited_at, m.minutes_published, m.web_url FROM meetings m \
    JOIN committees c ON c.id = m.committee_id WHERE m.council_id = ?1 AND m.local_date BETWEEN ?2 AND ?3 \
    AND m.listed = 1 AND (m.minutes_published = 0 OR m.read_error IS NOT NULL) AND m.status != 'cancelled' \
    ORDER BY m.local_date";
pub const VALIDATORS_FOR: &str =
    "SELECT url, etag, last_modified FROM http_validators WHERE url IN (SELECT value FROM json_each(?1))";
/// A source that failed is fetched in full next time.
pub const DELETE_VALIDATORS: &str = "DELETE FROM http_validators WHERE url = ?1";
pub const UPSERT_VALIDATORS: &str = "INSERT INTO http_validators (url, etag, last_modified, updated_at) VALUES (?1, ?2, ?3, ?4) \
    ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, updated_at = excluded.updated_at";

pub const SAVE_MEETING: &str =
    "UPDATE meetings SET title = ?2, local_date = ?3, local_time = ?4, starts_at_utc = ?5, status = ?6, \
    is_special = ?7, location = ?8, agenda_published = ?9, minutes_published = ?10, decisions_published = ?11, \
    source_mode = ?12, detail_hash = ?13, fingerprint = ?14, detail_fetched_at = ?15, visited_at = ?15, read_error = NULL, updated_at = ?15, \
    content_changed = CASE WHEN ?16 IS NULL THEN content_changed ELSE 1 END, \
    change_note = COALESCE(?16, change_note), changed_at = CASE WHEN ?16 IS NULL THEN changed_at ELSE ?15 END, \
    saved_by_run = ?17, saved_outcome = ?18 WHERE id = ?1";
pub const MEETING_VISITED: &str = "UPDATE meetings SET visited_at = ?2 WHERE id = ?1";
/// A read that was incomplete: recorded, and the meeting read again at the next refresh.
pub const MEETING_READ_ERROR: &str = "UPDATE meetings SET read_error = ?2, visited_at = NULL WHERE id = ?1";
pub const MEETING_READ_GAPS: &str = "UPDATE meetings SET read_gaps = ?2 WHERE id = ?1";
pub const INSERT_CHANGE: &str =
    "INSERT INTO meeting_changes (meeting_id, run_id, changed_at, what) VALUES (?1, ?2, ?3, ?4)";
pub const UPSERT_ITEM: &str = "INSERT INTO agenda_items (id, meeting_id, source_id, position, number, title, agenda_text, minutes_text, is_restricted, decision_url) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
    ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, position = excluded.position, number = excluded.number, \
    title = excluded.title, agenda_text = excluded.agenda_text, minutes_text = excluded.minutes_text, is_restricted = excluded.is_restricted, \
    decision_url = excluded.decision_url";
pub const DELETE_OTHER_ITEMS: &str =
    "DELETE FROM agenda_items WHERE meeting_id = ?1 AND id NOT IN (SELECT value FROM json_each(?2))";
pub const UPSERT_DOCUMENT: &str = "INSERT INTO documents (id, meeting_id, agenda_item_id, position, url, title, kind, published_on, is_restricted, council_id) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
    ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, agenda_item_id = excluded.agenda_item_id, position = excluded.position, \
    url = excluded.url, title = excluded.title, kind = excluded.kind, published_on = excluded.published_on, is_restricted = excluded.is_restricted";
pub const DELETE_OTHER_DOCUMENTS: &str =
    "DELETE FROM documents WHERE meeting_id = ?1 AND id NOT IN (SELECT value FROM json_each(?2))";
/// A person as a meeting's attendance names them. A councillor the council's
/// list names keeps that list's name, party and ward (a meeting may write the
/// party another way, "LAB" for "Labour", which would split a party group).
pub const UPSERT_PERSON: &str = "INSERT INTO people (id, council_id, name, party, ward) VALUES (?1, ?2, ?3, ?4, ?5) \
    ON CONFLICT (id) DO UPDATE SET \
    name = CASE WHEN people.listed_since IS NULL THEN excluded.name ELSE people.name END, \
    party = CASE WHEN people.listed_since IS NULL THEN COALESCE(excluded.party, people.party) ELSE people.party END, \
    ward = CASE WHEN people.listed_since IS NULL THEN COALESCE(excluded.ward, people.ward) ELSE people.ward END";
pub const DELETE_ATTENDANCE: &str = "DELETE FROM attendance WHERE meeting_id = ?1";
pub const INSERT_ATTENDANCE: &str =
    "INSERT OR REPLACE INTO attendance (meeting_id, person_id, role, attendance) VALUES (?1, ?2, ?3, ?4)";

pub const COUNCIL_MEETINGS: &str = "SELECT m.id, m.title, m.local_date, m.local_time, m.starts_at_utc, m.status, m.is_special, m.location, \
    m.agenda_published, m.minutes_published, m.web_url, m.listed, m.content_changed, c.id AS committee_id, c.title AS committee_title, \
    EXISTS (SELECT 1 FROM summaries s WHERE s.meeting_id = m.id) AS has_summary, \
    EXISTS (SELECT 1 FROM summaries s, json_each(s.body, '$.sections') section WHERE s.meeting_id = m.id \
      AND s.version = (SELECT MAX(version) FROM summaries WHERE meeting_id = m.id) \
      AND json_array_length(section.value, '$.decisions') > 0) AS has_decisions \
    FROM meetings m JOIN committees c ON c.id = m.committee_id \
    WHERE m.council_id = ?1 AND m.local_date BETWEEN ?2 AND ?3 AND (m.local_date, m.id) > (?4, ?5) \
    ORDER BY m.local_date, m.id LIMIT ?6";
pub const GET_MEETING: &str = "SELECT m.id, m.council_id, m.source_id, m.title, m.local_date, m.local_time, m.time_zone, m.starts_at_utc, \
    m.status, m.is_special, m.location, m.agenda_published, m.minutes_published, m.decisions_published, m.web_url, m.source_mode, \
    m.listed, m.missing_since, m.content_changed, m.change_note, m.changed_at, m.detail_fetched_at, m.read_error, m.read_gaps, m.first_seen_at, m.updated_at, \
    c.id AS committee_id, c.title AS committee_title, co.name AS council_name \
    FROM meetings m JOIN committees c ON c.id = m.committee_id JOIN councils co ON co.id = m.council_id WHERE m.id = ?1";
/// What a meeting's previous read said that a part failing now may have said alone.
pub const STORED_READ: &str = "SELECT title, local_date, location FROM meetings WHERE id = ?1";
pub const MEETING_ITEMS: &str = "SELECT id, number, title, agenda_text, minutes_text, is_restricted, decision_url FROM agenda_items WHERE meeting_id = ?1 ORDER BY position";
pub const MEETING_DOCUMENTS: &str =
    "SELECT id, agenda_item_id, url, title, kind, published_on, is_restricted, text_status, text_error, \
    page_count FROM documents WHERE meeting_id = ?1 ORDER BY position";
pub const MEETING_ATTENDANCE: &str = "SELECT p.id AS person_id, p.name, p.party, p.ward, a.role, a.attendance \
    FROM attendance a JOIN people p ON p.id = a.person_id WHERE a.meeting_id = ?1 ORDER BY p.name";

pub const COUNCIL_STATUS: &str = "SELECT co.id, co.name, co.enabled, co.coverage, co.base_url, \
    (SELECT COUNT(*) FROM committees WHERE council_id = co.id) AS committees, \
    (SELECT COUNT(*) FROM meetings WHERE council_id = co.id) AS meetings, \
    (SELECT COUNT(*) FROM meetings WHERE council_id = co.id AND content_changed = 1) AS meetings_changed, \
    r.id AS last_run_id, r.status AS last_run_status, r.started_at AS last_run_started_at, r.finished_at AS last_run_finished_at, \
    r.mode AS last_run_mode, r.error AS last_run_error, \
    (SELECT MAX(finished_at) FROM scrape_runs WHERE council_id = co.id AND status = 'succeeded') AS last_success_at, \
    (SELECT error FROM scrape_runs WHERE council_id = co.id AND error IS NOT NULL ORDER BY started_at DESC LIMIT 1) AS last_error \
    FROM councils co LEFT JOIN scrape_runs r ON r.id = (SELECT id FROM scrape_runs WHERE council_id = co.id ORDER BY started_at DESC, id DESC LIMIT 1) \
    WHERE co.enabled = 1 OR r.id IS NOT NULL ORDER BY co.id";
/// Every error of a run, not only its last: each failed meeting and listing part.
pub const RUN_ERRORS: &str = "SELECT 'meeting ' || meeting_id AS subject, error FROM run_meetings \
    WHERE run_id = ?1 AND error IS NOT NULL \
    UNION ALL SELECT 'listing part ' || part AS subject, error FROM run_listings WHERE run_id = ?1 AND error IS NOT NULL";
pub const RUN_FETCHES: &str =
    "SELECT url, status, duration_ms, bytes, outcome, error, fetched_at FROM fetch_log WHERE run_id = ?1 ORDER BY id";

// Documents and their text

/// The text objects of documents a meeting no longer lists, to remove from R2.
pub const REMOVED_DOCUMENT_TEXT: &str =
    "SELECT text_key FROM documents WHERE meeting_id = ?1 AND text_key IS NOT NULL \
    AND id NOT IN (SELECT value FROM json_each(?2))";
pub const DOCUMENT_FOR_FETCH: &str = "SELECT d.id, d.meeting_id, d.decision_id, d.url, d.title, d.kind, d.is_restricted, d.text_status, \
    d.content_hash, d.extraction_attempts, d.pages_done, d.text_key, d.retry_after, d.council_id FROM documents d WHERE d.id = ?1";
/// Public documents of a meeting; with ?2 = 1 only those never fetched, and
/// those whose transient failure may be tried again (?3 = now).
pub const MEETING_DOCUMENTS_TO_FETCH: &str = "SELECT id FROM documents WHERE meeting_id = ?1 AND is_restricted = 0 \
    AND (?2 = 0 OR text_status IS NULL OR (text_status = 'failed' AND retry_after <= ?3)) ORDER BY position";
pub const DOCUMENT_FETCHED: &str = "UPDATE documents SET content_hash = ?2, byte_size = ?3, fetched_at = ?4, progress_at = ?4, \
    text_status = 'partial', text_error = NULL, pages_done = 0, page_count = NULL, text_chars = NULL, extraction_attempts = 0, \
    extracted_at = NULL, retry_after = NULL, text_key = NULL WHERE id = ?1";
pub const DOCUMENT_READ_AGAIN: &str = "UPDATE documents SET text_error = NULL \
    WHERE id = ?1 AND text_error IS NOT NULL AND text_status IN ('extracted', 'no_text_layer')";
pub const DOCUMENT_REREAD_FAILED: &str = "UPDATE documents SET text_error = ?2, progress_at = ?3 WHERE id = ?1";
/// ?4: when a transient failure may be tried again (NULL: only when the file changes).
pub const DOCUMENT_FAILED: &str = "UPDATE documents SET text_status = 'failed', text_error = ?2, \
    fetched_at = COALESCE(fetched_at, ?3), progress_at = ?3, retry_after = ?4 WHERE id = ?1";
/// Extracted text of the meeting's other documents, for recognising pages they already hold.
pub const MEETING_TEXT_KEYS: &str = "SELECT id, text_key FROM documents WHERE meeting_id = ?1 AND id != ?2 \
    AND text_key IS NOT NULL ORDER BY id";
/// The same for a decision's other documents.
pub const DECISION_TEXT_KEYS: &str = "SELECT id, text_key FROM documents WHERE decision_id = ?1 AND id != ?2 \
    AND text_key IS NOT NULL ORDER BY id";
pub const DOCUMENT_ATTEMPT: &str =
    "UPDATE documents SET extraction_attempts = extraction_attempts + 1 WHERE id = ?1 RETURNING extraction_attempts";
/// Pages done only ever grow: a step delivered twice, or late, cannot move a document back.
pub const DOCUMENT_STEP_DONE: &str = "UPDATE documents SET pages_done = MAX(pages_done, ?2), page_count = ?3, \
    extraction_attempts = 0, progress_at = ?4 WHERE id = ?1 AND content_hash = ?5 AND text_status = 'partial'";
/// ?4: characters of text, ?5: the R2 key of the pages, ?6: the content hash they were read from.
pub const DOCUMENT_EXTRACTED: &str =
    "UPDATE documents SET page_count = ?2, pages_done = ?2, extracted_at = ?3, progress_at = ?3, extraction_attempts = 0, \
    text_chars = ?4, text_key = ?5, retry_after = NULL, \
    text_status = CASE WHEN ?4 < 20 THEN 'no_text_layer' ELSE 'extracted' END, \
    text_error = CASE WHEN ?4 < 20 THEN 'no text layer: scanned pages or text drawn as outlines' ELSE NULL END \
    WHERE id = ?1 AND content_hash = ?6";
pub const MEETING_ITEM_NUMBERS: &str = "SELECT id, number FROM agenda_items WHERE meeting_id = ?1";
pub const DELETE_ITEM_PAGES: &str = "DELETE FROM agenda_item_pages WHERE meeting_id = ?1";
pub const INSERT_ITEM_PAGES: &str = "INSERT OR REPLACE INTO agenda_item_pages (agenda_item_id, meeting_id, frontsheet_id, first_printed_page, last_printed_page) \
    VALUES (?1, ?2, ?3, ?4, ?5)";
pub const GET_DOCUMENT: &str = "SELECT d.id, d.meeting_id, d.decision_id, d.agenda_item_id, d.url, d.title, d.kind, d.published_on, \
    d.is_restricted, d.text_status, d.text_error, d.content_hash, d.byte_size, d.page_count, d.text_chars, d.fetched_at, d.extracted_at, \
    d.text_key, m.title AS meeting_title, de.title AS decision_title, d.council_id FROM documents d \
    LEFT JOIN meetings m ON m.id = d.meeting_id LEFT JOIN decisions de ON de.id = d.decision_id WHERE d.id = ?1";
pub const MEETING_ITEM_PAGES: &str = "SELECT p.agenda_item_id, i.number, i.title, p.first_printed_page, p.last_printed_page \
    FROM agenda_item_pages p JOIN agenda_items i ON i.id = p.agenda_item_id WHERE p.meeting_id = ?1 ORDER BY p.first_printed_page";
pub const DELETE_PAGES_OF_REMOVED_ITEMS: &str =
    "DELETE FROM agenda_item_pages WHERE meeting_id = ?1 AND agenda_item_id NOT IN (SELECT value FROM json_each(?2))";

// Summaries and digests

pub const PENDING_DOCUMENTS: &str =
    "SELECT COUNT(*) AS pending FROM documents WHERE meeting_id = ?1 AND is_restricted = 0 \
    AND (text_status IS NULL OR text_status = 'partial')";
pub const SUMMARY_ITEMS: &str = "SELECT id, number, title, agenda_text, minutes_text, is_restricted FROM agenda_items \
    WHERE meeting_id = ?1 ORDER BY position";
/// A meeting's public documents with extracted text, with what each belongs to.
pub const SUMMARY_DOCUMENTS: &str =
    "SELECT id AS document_id, title AS document_title, url, kind, agenda_item_id, text_key FROM documents \
    WHERE meeting_id = ?1 AND is_restricted = 0 AND text_key IS NOT NULL AND text_status = 'extracted' ORDER BY position";
pub const ITEM_PAGE_RANGES: &str =
    "SELECT agenda_item_id, first_printed_page, last_printed_page FROM agenda_item_pages WHERE meeting_id = ?1";
pub const LATEST_SUMMARY: &str = "SELECT * FROM summaries WHERE meeting_id = ?1 ORDER BY version DESC LIMIT 1";
pub const INSERT_SUMMARY: &str = "INSERT OR IGNORE INTO summaries (meeting_id, version, method, provider, model, prompt_version, input_hash, \
    input_tokens, output_tokens, naive_tokens, estimated_cost_usd, model_calls, quotes_kept, quotes_dropped, decisions_dropped, notes, \
    updated_reason, body, created_at, sentences_dropped, dropped_reasons, claims_checked, sentences_checked, dropped_by_kind, \
    sections_extractive) \
    VALUES (?1, (SELECT COALESCE(MAX(version), 0) + 1 FROM summaries WHERE meeting_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \
    ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";
/// Adds a stored version to its council's record of the checks, only if the
/// version was stored now (an insert of known inputs is ignored, and so is its count).
pub const RECORD_SUMMARY: &str = "INSERT INTO claim_record (council_id, summaries, model_written, extractive, sentences_checked, \
    sentences_dropped, sections_extractive, quotes_kept, quotes_dropped, decisions_dropped) \
    SELECT ?1, 1, ?4 = 'model', ?4 = 'extractive', ?5, ?6, ?7, ?8, ?9, ?10 \
    WHERE EXISTS (SELECT 1 FROM summaries WHERE meeting_id = ?2 AND input_hash = ?3 AND created_at = ?11) \
    ON CONFLICT (council_id) DO UPDATE SET summaries = summaries + 1, model_written = model_written + excluded.model_written, \
    extractive = extractive + excluded.extractive, sentences_checked = sentences_checked + excluded.sentences_checked, \
    sentences_dropped = sentences_dropped + excluded.sentences_dropped, \
    sections_extractive = sections_extractive + excluded.sections_extractive, quotes_kept = quotes_kept + excluded.quotes_kept, \
    quotes_dropped = quotes_dropped + excluded.quotes_dropped, decisions_dropped = decisions_dropped + excluded.decisions_dropped";
/// Adds a stored version's sentences left out for one kind of claim to its council's record.
pub const RECORD_DROPS: &str = "INSERT INTO claim_drops (council_id, kind, dropped) SELECT ?1, ?4, ?5 \
    WHERE EXISTS (SELECT 1 FROM summaries WHERE meeting_id = ?2 AND input_hash = ?3 AND created_at = ?6) \
    ON CONFLICT (council_id, kind) DO UPDATE SET dropped = dropped + excluded.dropped";
/// The record of the checks, per council (one row each at most), with what
/// was left out by kind as a JSON object: one read for the whole record.
pub const CLAIM_RECORD: &str = "SELECT r.council_id, c.name AS council_name, r.summaries, r.model_written, r.extractive, \
    r.sentences_checked, r.sentences_dropped, r.sections_extractive, r.quotes_kept, r.quotes_dropped, r.decisions_dropped, \
    (SELECT json_group_object(d.kind, d.dropped) FROM claim_drops d WHERE d.council_id = r.council_id) AS dropped_by_kind \
    FROM claim_record r JOIN councils c ON c.id = r.council_id ORDER BY c.name";
/// An earlier version made from the same inputs (the inputs went A, B, A).
pub const SUMMARY_WITH_HASH: &str = "SELECT version, body FROM summaries WHERE meeting_id = ?1 AND input_hash = ?2";
/// Publishes that earlier version again, as the newest, saying why.
pub const REPUBLISH_SUMMARY: &str =
    "UPDATE summaries SET version = (SELECT MAX(version) + 1 FROM summaries WHERE meeting_id = ?1), \
    updated_reason = ?3, created_at = ?4 WHERE meeting_id = ?1 AND input_hash = ?2";
pub const CLEAR_CONTENT_CHANGED: &str = "UPDATE meetings SET content_changed = 0 WHERE id = ?1";
pub const MONTH_USAGE: &str = "SELECT COALESCE(SUM(input_tokens + output_tokens), 0) AS tokens FROM model_usage WHERE council_id = ?1 AND month = ?2";
pub const ADD_USAGE: &str = "INSERT INTO model_usage (council_id, month, input_tokens, output_tokens, cost_usd, calls) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
    ON CONFLICT (council_id, month) DO UPDATE SET input_tokens = input_tokens + excluded.input_tokens, \
    output_tokens = output_tokens + excluded.output_tokens, cost_usd = cost_usd + excluded.cost_usd, calls = calls + excluded.calls";
pub const WEEK_MEETINGS: &str = "SELECT m.id AS meeting_id, m.title, c.title AS committee, m.local_date, m.status, \
    (SELECT body FROM summaries s WHERE s.meeting_id = m.id ORDER BY version DESC LIMIT 1) AS summary, \
    (SELECT method FROM summaries s WHERE s.meeting_id = m.id ORDER BY version DESC LIMIT 1) AS method \
    FROM meetings m JOIN committees c ON c.id = m.committee_id \
    WHERE m.council_id = ?1 AND m.local_date BETWEEN ?2 AND ?3 AND m.listed = 1 ORDER BY m.local_date, m.local_time, m.id";
pub const LATEST_DIGEST: &str =
    "SELECT * FROM digests WHERE council_id = ?1 AND week = ?2 ORDER BY version DESC LIMIT 1";
pub const INSERT_DIGEST: &str = "INSERT OR IGNORE INTO digests (council_id, week, version, input_hash, method, body, created_at) \
    VALUES (?1, ?2, (SELECT COALESCE(MAX(version), 0) + 1 FROM digests WHERE council_id = ?1 AND week = ?2), ?3, ?4, ?5, ?6)";
pub const MEETING_CHANGE_NOTE: &str = "SELECT change_note FROM meetings WHERE id = ?1";

// Search and pages

// Search rows are removed by rowid through `search_rows`, never by scanning the FTS index.
pub const DELETE_MEETING_SEARCH_TEXT: &str = "DELETE FROM search_text WHERE rowid IN \
    (SELECT id FROM search_rows WHERE subject_id = ?1 AND kind IN ('agenda_item', 'document'))";
pub const DELETE_MEETING_SEARCH_ROWS: &str =
    "DELETE FROM search_rows WHERE subject_id = ?1 AND kind IN ('agenda_item', 'document')";
pub const DELETE_SUMMARY_SEARCH_TEXT: &str =
    "DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_rows WHERE subject_id = ?1 AND kind = 'summary')";
pub const DELETE_SUMMARY_SEARCH_ROWS: &str = "DELETE FROM search_rows WHERE subject_id = ?1 AND kind = 'summary'";
/// A decision's search row has the decision as its subject.
pub const DELETE_DECISION_SEARCH_TEXT: &str =
    "DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_rows WHERE subject_id = ?1 AND kind = 'decision')";
pub const DELETE_DECISION_SEARCH_ROWS: &str = "DELETE FROM search_rows WHERE subject_id = ?1 AND kind = 'decision'";
/// A search row's key; the text follows with the same rowid (`INSERT_SEARCH_TEXT`, in the same batch).
pub const INSERT_SEARCH_ROW: &str =
    "INSERT INTO search_rows (subject_id, council_id, kind, url) VALUES (?1, ?2, ?3, ?4)";
pub const INSERT_SEARCH_TEXT: &str =
    "INSERT INTO search_text (rowid, title, body, council) VALUES (last_insert_rowid(), ?1, ?2, ?3)";
/// Ranked matches among the newest `SEARCH_CANDIDATES` (200): FTS5 walks
/// the doclists in rowid order and stops there, so a word every council uses
/// costs no more than a rare one; the best `?2` of those are answered.
/// Ranked matches: each names its subject (a meeting, or a decision: `kind` says which).
pub const SEARCH: &str = "SELECT r.kind, r.subject_id, r.council_id, r.url, hits.title, hits.snippet FROM \
    (SELECT rowid AS id, title, snippet(search_text, 1, '', '', ' … ', 20) AS snippet, bm25(search_text) AS score \
    FROM search_text WHERE search_text MATCH ?1 ORDER BY rowid DESC LIMIT 200) hits \
    JOIN search_rows r ON r.id = hits.id ORDER BY hits.score LIMIT ?2";
pub const LATEST_SUMMARIES: &str = "SELECT m.id, m.title, co.name AS council FROM meetings m JOIN councils co ON co.id = m.council_id \
    WHERE m.id IN (SELECT meeting_id FROM summaries ORDER BY created_at DESC LIMIT 50) ORDER BY m.local_date DESC LIMIT 10";
pub const GET_COMMITTEE: &str = "SELECT id, council_id, source_id, title, category FROM committees WHERE id = ?1";
pub const COMMITTEE_MEETINGS: &str =
    "SELECT m.id, m.title, m.local_date, m.local_time, m.starts_at_utc, m.status, m.location, m.updated_at, \
    EXISTS (SELECT 1 FROM summaries s WHERE s.meeting_id = m.id) AS has_summary \
    FROM meetings m WHERE m.committee_id = ?1 ORDER BY m.local_date DESC, m.local_time DESC LIMIT 200";
pub const FEED_SUMMARIES: &str =
    "SELECT s.meeting_id, s.version, s.created_at, m.title, json_extract(s.body, '$.headline') AS headline \
    FROM summaries s JOIN meetings m ON m.id = s.meeting_id \
    WHERE m.council_id = ?1 AND m.local_date >= ?3 AND (?2 IS NULL OR m.committee_id = ?2) \
    ORDER BY s.created_at DESC, s.id DESC LIMIT 30";
pub const CALENDAR_MEETINGS: &str = "SELECT m.id, m.title, m.local_date, m.starts_at_utc, m.status, m.location, m.updated_at \
    FROM meetings m WHERE m.council_id = ?1 AND (?2 IS NULL OR m.committee_id = ?2) AND m.local_date >= ?3 ORDER BY m.local_date, m.local_time LIMIT 500";
pub const COUNCIL_COMMITTEES: &str = "SELECT id, source_id, title, category, is_deleted, is_expired, \
    (SELECT COUNT(*) FROM meetings m WHERE m.committee_id = committees.id) AS meetings FROM committees WHERE council_id = ?1 ORDER BY title";
/// Meetings of every council by filters, in (date, id) order after the
/// cursor, walking the date index; one extra row tells whether there is a next page.
pub const FIND_MEETINGS: &str =
    "SELECT m.id, m.council_id, m.committee_id, c.title AS committee_title, m.title, m.local_date, m.local_time, \
    m.starts_at_utc, m.status, m.location, m.web_url, m.minutes_published, m.listed, \
    EXISTS (SELECT 1 FROM summaries s WHERE s.meeting_id = m.id) AS has_summary \
    FROM meetings m INDEXED BY meetings_by_date JOIN committees c ON c.id = m.committee_id \
    WHERE m.local_date BETWEEN ?3 AND ?4 AND (?2 IS NULL OR m.committee_id = ?2) \
    AND (?5 IS NULL OR m.status = ?5) AND (m.local_date, m.id) > (?6, ?7) ORDER BY m.local_date, m.id LIMIT ?8";
/// The same for one council (`?1`), walking that council's date index.
pub const FIND_COUNCIL_MEETINGS: &str =
    "SELECT m.id, m.council_id, m.committee_id, c.title AS committee_title, m.title, m.local_date, m.local_time, \
    m.starts_at_utc, m.status, m.location, m.web_url, m.minutes_published, m.listed, \
    EXISTS (SELECT 1 FROM summaries s WHERE s.meeting_id = m.id) AS has_summary \
    FROM meetings m INDEXED BY meetings_by_council_date JOIN committees c ON c.id = m.committee_id \
    WHERE m.council_id = ?1 AND m.local_date BETWEEN ?3 AND ?4 AND (?2 IS NULL OR m.committee_id = ?2) \
    AND (?5 IS NULL OR m.status = ?5) AND (m.local_date, m.id) > (?6, ?7) ORDER BY m.local_date, m.id LIMIT ?8";

// Councillors (GetCouncillorsByWard) in the people table attendance links to.
pub const UPSERT_COUNCILLOR: &str =
    "INSERT INTO people (id, council_id, name, party, ward, photo_url, email, phone, listed_since, former_since) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL) \
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, party = excluded.party, ward = excluded.ward, \
    photo_url = excluded.photo_url, email = excluded.email, phone = excluded.phone, \
    listed_since = COALESCE(people.listed_since, excluded.listed_since), former_since = NULL";
/// Listed councillors the council's list no longer names (`?3`, a JSON array of ids) become former.
pub const MARK_FORMER_COUNCILLORS: &str = "UPDATE people SET former_since = ?2 \
    WHERE council_id = ?1 AND listed_since IS NOT NULL AND former_since IS NULL \
    AND id NOT IN (SELECT value FROM json_each(?3))";
pub const COUNCILLORS_READ: &str =
    "UPDATE councils SET councillors_read_at = ?2, councillors_error = NULL WHERE id = ?1";
pub const COUNCILLORS_FAILED: &str = "UPDATE councils SET councillors_error = ?2 WHERE id = ?1";
pub const COUNCIL_COUNCILLORS: &str =
    "SELECT id, name, party, ward, photo_url, email, phone, listed_since, former_since \
    FROM people WHERE council_id = ?1 AND listed_since IS NOT NULL ORDER BY ward, name LIMIT 1000";
pub const GET_PERSON: &str = "SELECT p.id, p.council_id, co.name AS council_name, p.name, p.party, p.ward, p.photo_url, \
    p.email, p.phone, p.listed_since, p.former_since FROM people p JOIN councils co ON co.id = p.council_id WHERE p.id = ?1";
/// A person's attendance at meetings held from `?2`, newest first.
pub const PERSON_ATTENDANCE: &str = "SELECT a.meeting_id, a.role, a.attendance, m.title, m.local_date, m.status, \
    c.id AS committee_id, c.title AS committee_title \
    FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN committees c ON c.id = m.committee_id \
    WHERE a.person_id = ?1 AND m.local_date >= ?2 ORDER BY m.local_date DESC LIMIT 500";

// The decisions register.
pub const UPSERT_DECISION_LISTING: &str = "INSERT INTO decisions (id, council_id, source_id, register, title, listed_on, call_in, web_url, first_seen_at, updated_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) \
    ON CONFLICT (id) DO UPDATE SET title = excluded.title, listed_on = COALESCE(excluded.listed_on, decisions.listed_on), \
    call_in = COALESCE(excluded.call_in, decisions.call_in), updated_at = excluded.updated_at";
pub const SAVE_DECISION_DETAIL: &str = "UPDATE decisions SET title = ?2, decision_maker = ?3, status = ?4, is_key = ?5, \
    subject_to_call_in = ?6, call_in_deadline = ?7, purpose = ?8, decision = ?9, published_on = ?10, decided_on = ?11, \
    meeting_source_id = ?12, documents = ?13, detail_fetched_at = ?14, read_error = NULL, updated_at = ?14 WHERE id = ?1";
/// A decision's documents, read like a meeting's (?7: their kind).
pub const UPSERT_DECISION_DOCUMENT: &str =
    "INSERT INTO documents (id, council_id, decision_id, position, url, title, kind) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
    ON CONFLICT (id) DO UPDATE SET position = excluded.position, url = excluded.url, title = excluded.title";
/// The text objects of documents a decision no longer lists, to remove from R2.
pub const REMOVED_DECISION_DOCUMENT_TEXT: &str =
    "SELECT text_key FROM documents WHERE decision_id = ?1 AND text_key IS NOT NULL \
    AND id NOT IN (SELECT value FROM json_each(?2))";
pub const DELETE_OTHER_DECISION_DOCUMENTS: &str =
    "DELETE FROM documents WHERE decision_id = ?1 AND id NOT IN (SELECT value FROM json_each(?2))";
pub const DECISION_DOCUMENTS: &str = "SELECT id, url, title, text_status, text_error, page_count FROM documents \
    WHERE decision_id = ?1 ORDER BY position";
/// Documents of a decision; with ?2 = 1 only those never fetched and those whose
/// transient failure may be tried again (?3 = now).
pub const DECISION_DOCUMENTS_TO_FETCH: &str = "SELECT id FROM documents WHERE decision_id = ?1 AND is_restricted = 0 \
    AND (?2 = 0 OR text_status IS NULL OR (text_status = 'failed' AND retry_after <= ?3)) ORDER BY position";
pub const DECISION_READ_ERROR: &str = "UPDATE decisions SET read_error = ?2 WHERE id = ?1";
/// Decisions of a council listed in `[?2, ?3]` whose page has not been read, or was read before `?4`.
pub const DECISIONS_TO_READ: &str = "SELECT id, source_id FROM decisions \
    WHERE council_id = ?1 AND listed_on BETWEEN ?2 AND ?3 AND (detail_fetched_at IS NULL OR detail_fetched_at < ?4) LIMIT 200";
pub const GET_DECISION_RECORD: &str =
    "SELECT id, council_id, source_id, web_url, title, detail_fetched_at FROM decisions WHERE id = ?1";
pub const DECISIONS_READ: &str = "UPDATE councils SET decisions_read_at = ?2, decisions_error = NULL WHERE id = ?1";
pub const DECISIONS_FAILED: &str = "UPDATE councils SET decisions_error = ?2 WHERE id = ?1";
/// A council's decisions in a date range, newest first, optionally by decision maker or key decisions only.
pub const COUNCIL_DECISIONS: &str =
    "SELECT d.id, d.title, d.register, d.listed_on, d.decided_on, d.decision_maker, d.status, \
    d.is_key, d.call_in, d.call_in_deadline FROM decisions d \
    WHERE d.council_id = ?1 AND d.listed_on BETWEEN ?2 AND ?3 AND (?4 IS NULL OR d.decision_maker = ?4) \
    AND (?5 = 0 OR d.is_key = 1) ORDER BY d.listed_on DESC, d.id DESC LIMIT 500";
pub const GET_DECISION: &str = "SELECT d.id, d.council_id, co.name AS council_name, d.source_id, d.register, d.title, d.listed_on, \
    d.call_in, d.decision_maker, d.status, d.is_key, d.subject_to_call_in, d.call_in_deadline, d.purpose, d.decision, \
    d.published_on, d.decided_on, d.documents, d.web_url, d.read_error, d.detail_fetched_at, \
    (SELECT m.id FROM meetings m WHERE m.council_id = d.council_id AND m.source_id = d.meeting_source_id) AS meeting_id \
    FROM decisions d JOIN councils co ON co.id = d.council_id WHERE d.id = ?1";
/// A council's newest decisions listed since `?2`, as feed items.
pub const FEED_DECISIONS: &str = "SELECT id AS decision_id, title, COALESCE(decision, purpose, '') AS headline, \
    COALESCE(detail_fetched_at, first_seen_at) AS created_at FROM decisions \
    WHERE council_id = ?1 AND listed_on >= ?2 ORDER BY listed_on DESC, id DESC LIMIT 30";
/// Decisions the register listed in a week, for the digest.
pub const WEEK_DECISIONS: &str = "SELECT id AS decision_id, title, decision_maker, listed_on FROM decisions \
    WHERE council_id = ?1 AND listed_on BETWEEN ?2 AND ?3 ORDER BY listed_on, id LIMIT 200";

// Webhooks.

pub const INSERT_WEBHOOK_ENDPOINT: &str =
    "INSERT INTO webhook_endpoints (id, url, council_id, events, secret, created_at, updated_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
/// Endpoints, without their secrets.
pub const LIST_WEBHOOK_ENDPOINTS: &str =
    "SELECT id, url, council_id, events, enabled, disabled_reason, consecutive_failures, \
    created_at, updated_at FROM webhook_endpoints ORDER BY created_at LIMIT 1000";
/// Enabled endpoints for an event of a council (?1 the event, ?2 the council).
/// A page of the endpoints following event ?1 of council ?2, after id ?3, in id order.
pub const ENDPOINTS_FOR_EVENT: &str = "SELECT id FROM webhook_endpoints WHERE enabled = 1 \
    AND (council_id IS NULL OR council_id = ?2) \
    AND (events = '[]' OR EXISTS (SELECT 1 FROM json_each(webhook_endpoints.events) WHERE value = ?1)) \
    AND id > ?3 ORDER BY id LIMIT ?4";
/// A delivery recorded once: its id names its endpoint, event and happening,
/// so the same event told again leaves the first record as it is.
pub const INSERT_WEBHOOK_DELIVERY: &str =
    "INSERT OR IGNORE INTO webhook_deliveries (id, endpoint_id, event, payload, created_at) \
    VALUES (?1, ?2, ?3, ?4, ?5)";
pub const GET_WEBHOOK_DELIVERY: &str = "SELECT d.id, d.endpoint_id, d.event, d.payload, d.status, d.attempts, \
    e.url, e.secret, e.enabled FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ?1";
pub const WEBHOOK_DELIVERED: &str = "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, \
    last_status = ?2, last_error = NULL, delivered_at = ?3 WHERE id = ?1";
/// A failed attempt: ?4 = 1 when no attempt is left.
pub const WEBHOOK_ATTEMPT_FAILED: &str =
    "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?2, last_error = ?3, \
    status = CASE WHEN ?4 = 1 THEN 'failed' ELSE status END WHERE id = ?1";
/// Gives a delivery up for ?2, keeping what its last attempt met (the reason an endpoint was switched off).
pub const WEBHOOK_GIVEN_UP: &str = "UPDATE webhook_deliveries SET status = 'failed', \
    last_error = ?2 || COALESCE('; last attempt: ' || last_error, '') WHERE id = ?1";
pub const WEBHOOK_ENDPOINT_SUCCEEDED: &str =
    "UPDATE webhook_endpoints SET consecutive_failures = 0, updated_at = ?2 WHERE id = ?1";
/// Counts a failure; the endpoint is switched off at ?3 failures in a row, saying why (?4).
pub const WEBHOOK_ENDPOINT_FAILED: &str =
    "UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, \
    enabled = CASE WHEN consecutive_failures + 1 >= ?3 THEN 0 ELSE enabled END, \
    disabled_reason = CASE WHEN consecutive_failures + 1 >= ?3 THEN ?4 ELSE disabled_reason END, updated_at = ?2 \
    WHERE id = ?1 RETURNING enabled";
pub const ENDPOINT_DELIVERIES: &str =
    "SELECT id, event, status, attempts, last_status, last_error, created_at, delivered_at \
    FROM webhook_deliveries WHERE endpoint_id = ?1 ORDER BY created_at DESC LIMIT 200";
/// A delivery sent again: pending, its endpoint switched on again.
/// Only for an endpoint whose API key (if it has one) is not revoked: a
/// replay never switches a revoked key's endpoint back on.
pub const REPLAY_WEBHOOK_DELIVERY: &str = "UPDATE webhook_deliveries SET status = 'pending', attempts = 0 \
    WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e JOIN api_keys k ON k.id = e.api_key_id \
        WHERE e.id = webhook_deliveries.endpoint_id AND k.revoked_at IS NOT NULL) \
    RETURNING endpoint_id";
pub const WEBHOOK_DELIVERY_EXISTS: &str = "SELECT id FROM webhook_deliveries WHERE id = ?1";
/// Up to ?2 delivery records older than ?1.
pub const DELETE_OLD_WEBHOOK_DELIVERIES: &str = "DELETE FROM webhook_deliveries WHERE id IN \
    (SELECT id FROM webhook_deliveries WHERE created_at < ?1 LIMIT ?2)";
/// Endpoints (with their secrets) of keys revoked before ?1, and their deliveries.
pub const DELETE_REVOKED_KEY_DELIVERIES: &str = "DELETE FROM webhook_deliveries WHERE endpoint_id IN \
    (SELECT id FROM webhook_endpoints WHERE api_key_id IN (SELECT id FROM api_keys WHERE revoked_at < ?1))";
pub const DELETE_REVOKED_KEY_ENDPOINTS: &str = "DELETE FROM webhook_endpoints WHERE api_key_id IN \
    (SELECT id FROM api_keys WHERE revoked_at < ?1)";
pub const ENABLE_WEBHOOK_ENDPOINT: &str = "UPDATE webhook_endpoints SET enabled = 1, disabled_reason = NULL, \
    consecutive_failures = 0, updated_at = ?2 WHERE id = ?1";

// Email alerts. The address is read only by the query that sends.

/// A subscription asked for: new and pending, or (when one is pending for the
/// address and council) its choices replaced. An active one is left as it is.
pub const REQUEST_SUBSCRIPTION: &str = "INSERT INTO email_subscriptions \
    (id, address, address_key, council_id, committees, keywords, frequency, created_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
    ON CONFLICT (address_key, council_id) DO UPDATE SET address = excluded.address, committees = excluded.committees, \
    keywords = excluded.keywords, frequency = excluded.frequency WHERE email_subscriptions.status = 'pending'";
pub const SUBSCRIPTION_FOR_ADDRESS: &str =
    "SELECT id, status FROM email_subscriptions WHERE address_key = ?1 AND council_id = ?2";
/// Records a confirmation or manage-link email (?1, kind ?3, at ?4) for
/// subscription ?2, in one statement so that requests in parallel cannot all
/// pass: only if none went to the subscription since ?5 (an hour ago), fewer
/// than ?7 went to its mailbox since ?6 (a day ago), and fewer than ?8 went to
/// anyone since ?5 (the global ceiling). Answers the id when recorded.
pub const CLAIM_SUBSCRIBER_EMAIL: &str = "INSERT INTO email_deliveries \
    (id, subscription_id, address_key, kind, subject_id, detail, created_at) \
    SELECT ?1, s.id, s.address_key, ?3, s.id, '{}', ?4 FROM email_subscriptions s WHERE s.id = ?2 \
    AND NOT EXISTS (SELECT 1 FROM email_deliveries d WHERE d.subscription_id = s.id \
        AND d.kind IN ('confirmation', 'manage') AND d.created_at > ?5) \
    AND (SELECT COUNT(*) FROM email_deliveries d WHERE d.address_key = s.address_key \
        AND d.kind IN ('confirmation', 'manage') AND d.created_at > ?6) < ?7 \
    AND (SELECT COUNT(*) FROM email_deliveries d WHERE d.created_at > ?5 \
        AND d.kind IN ('confirmation', 'manage')) < ?8 \
    RETURNING id";
/// The subscription's latest confirmation email, which its expiry follows.
pub const CONFIRMATION_SENT: &str = "UPDATE email_subscriptions SET confirmation_sent_at = ?2 \
    WHERE id = ?1 AND EXISTS (SELECT 1 FROM email_deliveries WHERE id = ?3)";
/// Confirmation and manage-link emails recorded for anyone since ?1 (the global ceiling).
pub const CONFIRMATIONS_TO_ANYONE_SINCE: &str = "SELECT COUNT(*) AS n FROM email_deliveries \
    WHERE created_at > ?1 AND kind IN ('confirmation', 'manage')";
/// Alerts and digests sent (or being sent) to an address since ?2, for the daily cap.
pub const ALERTS_SENT_SINCE: &str = "SELECT COUNT(*) AS n FROM email_deliveries \
    WHERE address_key = ?1 AND created_at > ?2 AND kind IN ('meeting', 'digest') AND status = 'sent'";
pub const GET_SUBSCRIPTION: &str = "SELECT s.id, s.council_id, s.committees, s.keywords, s.frequency, s.status, \
    s.created_at, s.confirmed_at, co.name AS council_name \
    FROM email_subscriptions s JOIN councils co ON co.id = s.council_id WHERE s.id = ?1";
pub const CONFIRM_SUBSCRIPTION: &str =
    "UPDATE email_subscriptions SET status = 'active', confirmed_at = COALESCE(confirmed_at, ?2) WHERE id = ?1";
pub const UPDATE_SUBSCRIPTION: &str = "UPDATE email_subscriptions SET committees = ?2, keywords = ?3, frequency = ?4 \
    WHERE id = ?1 AND status = 'active'";
pub const DELETE_SUBSCRIPTION_DELIVERIES: &str = "DELETE FROM email_deliveries WHERE subscription_id = ?1";
pub const DELETE_SUBSCRIPTION: &str = "DELETE FROM email_subscriptions WHERE id = ?1";
/// Everything about the address of subscription ?1: its emails, then its subscriptions.
pub const DELETE_ADDRESS_DELIVERIES: &str = "DELETE FROM email_deliveries WHERE address_key = \
    (SELECT address_key FROM email_subscriptions WHERE id = ?1)";
pub const DELETE_ADDRESS_SUBSCRIPTIONS: &str = "DELETE FROM email_subscriptions WHERE address_key = \
    (SELECT address_key FROM email_subscriptions WHERE id = ?1)";
/// A page of a council's confirmed subscribers of one frequency, after id ?3.
pub const SUBSCRIBERS_PAGE: &str = "SELECT id, address_key, committees, keywords, frequency \
    FROM email_subscriptions WHERE council_id = ?1 AND status = 'active' AND frequency = ?2 AND id > ?3 \
    ORDER BY id LIMIT ?4";
pub const INSERT_EMAIL_DELIVERY: &str = "INSERT OR IGNORE INTO email_deliveries \
    (id, subscription_id, address_key, kind, subject_id, detail, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
pub const GET_EMAIL_DELIVERY: &str = "SELECT d.id, d.subscription_id, d.address_key, d.kind, d.subject_id, d.detail, \
    d.status, d.attempts, d.created_at, s.address, s.council_id, s.committees, s.keywords, s.frequency, \
    s.status AS subscription_status, co.name AS council_name \
    FROM email_deliveries d JOIN email_subscriptions s ON s.id = d.subscription_id \
    JOIN councils co ON co.id = s.council_id WHERE d.id = ?1";
/// Takes an email to send until ?2: only one still queued that no other
/// attempt holds (its lease ended before ?3).
pub const CLAIM_EMAIL_SEND: &str = "UPDATE email_deliveries SET sending_until = ?2 \
    WHERE id = ?1 AND status = 'queued' AND (sending_until IS NULL OR sending_until <= ?3) RETURNING id";
/// ?4: why, when it was not confirmed by the provider (its answer was lost).
pub const EMAIL_SENT: &str = "UPDATE email_deliveries SET status = 'sent', attempts = attempts + 1, \
    provider_message_id = ?2, last_error = ?4, sent_at = ?3, sending_until = NULL WHERE id = ?1";
/// A failed attempt; ?3 = 1 closes the delivery as failed.
pub const EMAIL_ATTEMPT_FAILED: &str = "UPDATE email_deliveries SET attempts = attempts + 1, last_error = ?2, \
    status = CASE WHEN ?3 = 1 THEN 'failed' ELSE status END, sending_until = NULL WHERE id = ?1";
/// Of the emails ?1 (JSON ids), those never tried and not being sent: a
/// fan-out told again queues only these.
pub const EMAILS_TO_QUEUE: &str = "SELECT id FROM email_deliveries WHERE id IN (SELECT value FROM json_each(?1)) \
    AND status = 'queued' AND attempts = 0 AND sending_until IS NULL";
/// Closed unsent: 'failed' or 'capped', with why.
pub const EMAIL_CLOSED: &str = "UPDATE email_deliveries SET status = ?2, last_error = ?3 WHERE id = ?1";
/// Unconfirmed subscriptions whose latest confirmation email (or, with none,
/// whose request) is older than ?1, and their emails' records.
pub const EXPIRED_PENDING_DELIVERIES: &str = "DELETE FROM email_deliveries WHERE subscription_id IN \
    (SELECT id FROM email_subscriptions WHERE status = 'pending' AND COALESCE(confirmation_sent_at, created_at) < ?1)";
pub const EXPIRE_PENDING_SUBSCRIPTIONS: &str = "DELETE FROM email_subscriptions \
    WHERE status = 'pending' AND COALESCE(confirmation_sent_at, created_at) < ?1";
/// Up to ?2 email records older than ?1.
pub const DELETE_OLD_EMAIL_DELIVERIES: &str = "DELETE FROM email_deliveries WHERE id IN \
    (SELECT id FROM email_deliveries WHERE created_at < ?1 LIMIT ?2)";

// API keys for integrators, and the webhook endpoints registered with them.

pub const INSERT_API_KEY: &str =
    "INSERT INTO api_keys (id, name, key_hash, max_endpoints, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
/// Keys, without their hashes.
pub const LIST_API_KEYS: &str = "SELECT id, name, max_endpoints, created_at, revoked_at, \
    (SELECT COUNT(*) FROM webhook_endpoints e WHERE e.api_key_id = api_keys.id) AS endpoints \
    FROM api_keys ORDER BY created_at LIMIT 1000";
pub const API_KEY_BY_HASH: &str =
    "SELECT id, name, max_endpoints FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL";
pub const REVOKE_API_KEY: &str =
    "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL RETURNING id";
/// A revoked key's endpoints stop receiving events.
pub const DISABLE_KEY_ENDPOINTS: &str = "UPDATE webhook_endpoints SET enabled = 0, \
    disabled_reason = 'its API key was revoked', updated_at = ?2 WHERE api_key_id = ?1";
pub const INSERT_KEY_WEBHOOK_ENDPOINT: &str =
    "INSERT INTO webhook_endpoints (id, url, council_id, events, secret, created_at, updated_at, api_key_id) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)";
/// A key's endpoints, without their secrets.
pub const KEY_WEBHOOK_ENDPOINTS: &str =
    "SELECT id, url, council_id, events, enabled, disabled_reason, consecutive_failures, \
    created_at, updated_at FROM webhook_endpoints WHERE api_key_id = ?1 ORDER BY created_at LIMIT 1000";
pub const KEY_OWNS_ENDPOINT: &str = "SELECT id FROM webhook_endpoints WHERE id = ?1 AND api_key_id = ?2";
pub const DELETE_ENDPOINT_DELIVERIES: &str = "DELETE FROM webhook_deliveries WHERE endpoint_id = ?1";
pub const DELETE_WEBHOOK_ENDPOINT: &str = "DELETE FROM webhook_endpoints WHERE id = ?1";

// Recorded votes.
/// The council's people a printed name may be: its councillors and anyone seen at its meetings.
pub const VOTE_MEMBERS: &str = "SELECT id, name FROM people WHERE council_id = ?1 LIMIT 2000";
/// Who attended the meeting, to tell apart names that fit several people.
pub const VOTE_ATTENDED: &str = "SELECT person_id FROM attendance WHERE meeting_id = ?1 AND attendance LIKE 'Present%'";
pub const DELETE_VOTE_CHOICES: &str =
    "DELETE FROM vote_choices WHERE vote_event_id IN (SELECT id FROM vote_events WHERE meeting_id = ?1 AND source = ?2)";
pub const DELETE_VOTE_EVENTS: &str = "DELETE FROM vote_events WHERE meeting_id = ?1 AND source = ?2";
pub const INSERT_VOTE_EVENT: &str = "INSERT INTO vote_events (id, council_id, meeting_id, agenda_item_id, position, motion, \
    result, counts, source, document_id, page, note, read_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
pub const INSERT_VOTE_CHOICE: &str =
    "INSERT INTO vote_choices (vote_event_id, position, choice, name_as_written, person_id) VALUES (?1, ?2, ?3, ?4, ?5)";
/// Where a meeting's stored votes were read from.
pub const VOTE_SOURCES: &str = "SELECT DISTINCT source FROM vote_events WHERE meeting_id = ?1";
/// A meeting's recorded votes, each with its choices (in printed order, with
/// each matched person's party) and the document it was read from.
pub const MEETING_VOTES: &str =
    "SELECT e.id, e.agenda_item_id, e.motion, e.result, e.counts, e.source, e.page, e.note, \
    d.url AS document_url, d.title AS document_title, \
    (SELECT json_group_array(json(x)) FROM (SELECT json_object('choice', c.choice, 'name', c.name_as_written, \
       'person_id', c.person_id, 'party', p.party) AS x FROM vote_choices c LEFT JOIN people p ON p.id = c.person_id \
       WHERE c.vote_event_id = e.id ORDER BY c.choice, c.position)) AS choices \
    FROM vote_events e LEFT JOIN documents d ON d.id = e.document_id \
    WHERE e.meeting_id = ?1 ORDER BY e.source DESC, e.position LIMIT 200";
/// A person's recorded votes, newest first, from a page position (`?2` date, `?3`
/// vote id; empty for the first page), with how their party group voted on each.
pub const PERSON_VOTES: &str = "SELECT e.id AS vote_id, e.motion, e.result, e.counts, e.agenda_item_id, c.choice, \
    c.name_as_written, m.id AS meeting_id, m.title AS meeting_title, m.local_date, \
    (SELECT json_group_object(choice, n) FROM (SELECT c2.choice, COUNT(*) AS n FROM vote_choices c2 \
       JOIN people p2 ON p2.id = c2.person_id WHERE c2.vote_event_id = e.id AND p2.party = p.party GROUP BY c2.choice)) \
       AS party_choices \
    FROM vote_choices c JOIN vote_events e ON e.id = c.vote_event_id JOIN meetings m ON m.id = e.meeting_id \
    JOIN people p ON p.id = c.person_id \
    WHERE c.person_id = ?1 AND (?2 = '' OR m.local_date < ?2 OR (m.local_date = ?2 AND e.id < ?3)) \
    ORDER BY m.local_date DESC, e.id DESC LIMIT ?4";

// Council health

/// One council's state for its status page: ?1 the council, ?2 today and ?3
/// the oldest date still waiting for minutes (the council's calendar).
pub const COUNCIL_HEALTH: &str = "SELECT co.id, co.name, co.enabled, co.failing_flagged_at, \
    co.councillors_read_at, co.councillors_error, co.decisions_read_at, co.decisions_error, \
    (SELECT MAX(finished_at) FROM scrape_runs WHERE council_id = co.id AND status IN ('succeeded', 'partial')) AS last_read_at, \
    (SELECT status FROM scrape_runs WHERE council_id = co.id AND status IN ('succeeded', 'partial', 'failed') \
      ORDER BY started_at DESC LIMIT 1) AS last_run_status, \
    (SELECT MIN(started_at) FROM scrape_runs WHERE council_id = co.id AND status = 'failed' AND started_at > \
      COALESCE((SELECT MAX(started_at) FROM scrape_runs WHERE council_id = co.id AND status IN ('succeeded', 'partial')), '')) \
      AS failing_since, \
    (SELECT COUNT(*) FROM meetings WHERE council_id = co.id AND local_date < ?2 AND local_date >= ?3 \
      AND minutes_published = 0 AND status != 'cancelled' AND listed = 1) AS awaiting_minutes, \
    (SELECT COUNT(*) FROM documents WHERE council_id = co.id AND text_status = 'failed') AS documents_unreadable, \
    (SELECT json_array(s.method, s.notes) FROM meetings m JOIN summaries s ON s.meeting_id = m.id \
      WHERE m.council_id = co.id ORDER BY s.created_at DESC LIMIT 1) AS newest_summary \
    FROM councils co WHERE co.id = ?1";
/// What failed in the council's reads since its last good one (that one's
/// partial failures included), and its unreadable documents, newest first.
pub const COUNCIL_FAILURES: &str = "WITH since AS (SELECT COALESCE(MAX(started_at), '') AS at FROM scrape_runs \
      WHERE council_id = ?1 AND status IN ('succeeded', 'partial')) \
    SELECT r.started_at AS at, 'the council''s read' AS place, r.error AS error FROM scrape_runs r \
      WHERE r.council_id = ?1 AND r.started_at >= (SELECT at FROM since) AND r.error IS NOT NULL \
    UNION ALL SELECT r.started_at, 'meeting ' || rm.meeting_id, rm.error FROM scrape_runs r \
      JOIN run_meetings rm ON rm.run_id = r.id WHERE r.council_id = ?1 AND r.started_at >= (SELECT at FROM since) \
      AND rm.error IS NOT NULL \
    UNION ALL SELECT r.started_at, 'list of meetings, part ' || rl.part, rl.error FROM scrape_runs r \
      JOIN run_listings rl ON rl.run_id = r.id WHERE r.council_id = ?1 AND r.started_at >= (SELECT at FROM since) \
      AND rl.error IS NOT NULL \
    UNION ALL SELECT COALESCE(d.progress_at, d.fetched_at, ''), 'document: ' || d.title, d.text_error FROM documents d \
      WHERE d.council_id = ?1 AND d.text_status = 'failed' \
    ORDER BY at DESC LIMIT 30";
/// Every council being read (or read before), for `/status` and `/admin/status`.
pub const COUNCILS_HEALTH: &str = "SELECT co.id, co.name, co.enabled, co.failing_flagged_at, \
    (SELECT MAX(finished_at) FROM scrape_runs WHERE council_id = co.id AND status IN ('succeeded', 'partial')) AS last_read_at, \
    (SELECT status FROM scrape_runs WHERE council_id = co.id AND status IN ('succeeded', 'partial', 'failed') \
      ORDER BY started_at DESC LIMIT 1) AS last_run_status, \
    (SELECT MIN(started_at) FROM scrape_runs WHERE council_id = co.id AND status = 'failed' AND started_at > \
      COALESCE((SELECT MAX(started_at) FROM scrape_runs WHERE council_id = co.id AND status IN ('succeeded', 'partial')), '')) \
      AS failing_since, \
    (SELECT error FROM scrape_runs WHERE council_id = co.id AND error IS NOT NULL ORDER BY started_at DESC LIMIT 1) \
      AS last_error \
    FROM councils co WHERE co.enabled = 1 OR EXISTS (SELECT 1 FROM scrape_runs WHERE council_id = co.id) ORDER BY co.id";
/// Operators were told the council is failing (?2 now); once per run of failures.
pub const FLAG_FAILING: &str = "UPDATE councils SET failing_flagged_at = ?2 WHERE id = ?1 \
    AND (failing_flagged_at IS NULL OR failing_flagged_at < ?3) RETURNING id";

// Open data: a council's records for a set of days (?2 to ?3), at most ?4 rows of a kind

pub const EXPORT_MEETINGS: &str =
    "SELECT m.id, m.committee_id, c.title AS committee, m.title, m.local_date, m.local_time, \
    m.time_zone, m.starts_at_utc, m.status, m.location, m.agenda_published, m.minutes_published, m.web_url, m.listed, \
    m.read_gaps, m.updated_at FROM meetings m JOIN committees c ON c.id = m.committee_id \
    WHERE m.council_id = ?1 AND m.local_date >= ?2 AND m.local_date <= ?3 ORDER BY m.local_date, m.id LIMIT ?4";
pub const EXPORT_ITEMS: &str = "SELECT a.meeting_id, a.id, a.position, a.number, a.title, a.agenda_text, a.minutes_text, \
    a.is_restricted FROM meetings m JOIN agenda_items a ON a.meeting_id = m.id \
    WHERE m.council_id = ?1 AND m.local_date >= ?2 AND m.local_date <= ?3 ORDER BY m.local_date, m.id, a.position LIMIT ?4";
pub const EXPORT_DOCUMENTS: &str =
    "SELECT d.meeting_id, d.agenda_item_id, d.id, d.url, d.title, d.kind, d.published_on, \
    d.is_restricted, d.text_status, d.page_count, d.byte_size, d.content_hash FROM meetings m \
    JOIN documents d ON d.meeting_id = m.id WHERE m.council_id = ?1 AND m.local_date >= ?2 AND m.local_date <= ?3 \
    ORDER BY m.local_date, m.id, d.position LIMIT ?4";
pub const EXPORT_ATTENDANCE: &str =
    "SELECT at.meeting_id, at.person_id, p.name, at.role, at.attendance FROM meetings m \
    JOIN attendance at ON at.meeting_id = m.id JOIN people p ON p.id = at.person_id \
    WHERE m.council_id = ?1 AND m.local_date >= ?2 AND m.local_date <= ?3 ORDER BY m.local_date, m.id, p.name LIMIT ?4";
pub const EXPORT_VOTES: &str = "SELECT v.id, v.meeting_id, v.agenda_item_id, m.local_date, c.title AS committee, v.motion, \
    v.result, v.counts, v.source, v.document_id, v.page, v.note, \
    (SELECT json_group_array(json_object('option', vc.choice, 'voter_name', vc.name_as_written, 'voter_id', vc.person_id)) \
      FROM vote_choices vc WHERE vc.vote_event_id = v.id) AS votes \
    FROM meetings m JOIN committees c ON c.id = m.committee_id JOIN vote_events v ON v.meeting_id = m.id \
    WHERE m.council_id = ?1 AND m.local_date >= ?2 AND m.local_date <= ?3 ORDER BY m.local_date, m.id, v.position LIMIT ?4";
pub const EXPORT_DECISIONS: &str =
    "SELECT id, register, title, listed_on, decided_on, decision_maker, status, is_key, \
    call_in, call_in_deadline, purpose, decision, published_on, web_url, meeting_source_id, documents, read_error \
    FROM decisions WHERE council_id = ?1 AND COALESCE(decided_on, listed_on, '') >= ?2 \
    AND COALESCE(decided_on, listed_on, '') <= ?3 ORDER BY COALESCE(decided_on, listed_on), id LIMIT ?4";
/// Each meeting's newest summary: the one published.
pub const EXPORT_SUMMARIES: &str = "SELECT s.meeting_id, s.version, s.method, s.provider, s.model, s.prompt_version, \
    s.input_hash, s.created_at, s.updated_reason, s.body, s.sentences_checked, s.sentences_dropped, s.dropped_by_kind, \
    s.claims_checked, s.quotes_kept, s.quotes_dropped, s.sections_extractive FROM meetings m \
    JOIN summaries s ON s.meeting_id = m.id AND s.version = (SELECT MAX(version) FROM summaries WHERE meeting_id = m.id) \
    WHERE m.council_id = ?1 AND m.local_date >= ?2 AND m.local_date <= ?3 ORDER BY m.local_date, m.id LIMIT ?4";
pub const EXPORT_PEOPLE: &str = "SELECT id, name, party, ward, photo_url, email, phone, listed_since, former_since \
    FROM people WHERE council_id = ?1 ORDER BY id LIMIT ?2";
/// The months (`YYYY-MM`) the council has meetings in.
pub const EXPORT_MONTHS: &str = "SELECT DISTINCT substr(local_date, 1, 7) AS month FROM meetings \
    WHERE council_id = ?1 ORDER BY month";
/// The sets exported so far (the export's own record).
pub const EXPORTED_SETS: &str = "SELECT set_name FROM open_data_exports WHERE council_id = ?1";
pub const SAVE_EXPORT: &str = "INSERT INTO open_data_exports (council_id, set_name, generated_at, manifest) \
    VALUES (?1, ?2, ?3, ?4) ON CONFLICT (council_id, set_name) DO UPDATE SET generated_at = ?3, manifest = ?4";
/// Every council's newest `latest` manifest, and the months exported, for `/data`.
pub const OPEN_DATA_INDEX: &str = "SELECT e.council_id, co.name, e.generated_at, e.manifest, \
    (SELECT json_group_array(set_name) FROM (SELECT set_name FROM open_data_exports \
      WHERE council_id = e.council_id AND set_name != 'latest' ORDER BY set_name DESC)) AS months \
    FROM councils co CROSS JOIN open_data_exports e ON e.council_id = co.id AND e.set_name = 'latest' \
    ORDER BY co.name";

// Webcasts

/// A meeting's webcasts, newest first (`rows::MeetingWebcast`).
pub const MEETING_WEBCASTS: &str = "SELECT id, council_id, meeting_id, platform, activity, title, live_at, player_url, captions_url, \
    points, points_unread, captions_status, captions_error, captions_hash, transcript_key, made_from, cues, skipped_cues, duration_ms, captions_read_at, \
    speech_status, speech_error, speech_chunks FROM webcasts WHERE meeting_id = ?1 ORDER BY live_at DESC, id";
/// A webcast by id (`rows::MeetingWebcast` with its council and meeting).
pub const GET_WEBCAST: &str = "SELECT id, council_id, meeting_id, platform, activity, title, live_at, player_url, captions_url, points, \
    points_unread, captions_status, captions_error, captions_hash, transcript_key, made_from, cues, skipped_cues, duration_ms, captions_read_at, \
    speech_status, speech_error, speech_chunks FROM webcasts WHERE id = ?1";
/// A council's meetings of a date range, as webcasts are matched to them.
pub const WEBCAST_CANDIDATES: &str = "SELECT m.id, c.title AS committee, m.local_date, m.starts_at_utc \
    FROM meetings m JOIN committees c ON c.id = m.committee_id \
    WHERE m.council_id = ?1 AND m.local_date BETWEEN ?2 AND ?3 ORDER BY m.local_date, m.id";
/// A webcast as listed: its matched meeting is kept when this listing matches none.
pub const UPSERT_WEBCAST: &str = "INSERT INTO webcasts (id, council_id, platform, activity, meeting_id, title, live_at, player_url, \
    captions_url, points, points_unread, first_seen_at, updated_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) \
    ON CONFLICT (id) DO UPDATE SET meeting_id = COALESCE(excluded.meeting_id, webcasts.meeting_id), title = excluded.title, \
    live_at = excluded.live_at, player_url = excluded.player_url, captions_url = excluded.captions_url, points = excluded.points, \
    points_unread = excluded.points_unread, \
    updated_at = CASE WHEN webcasts.points IS excluded.points AND webcasts.meeting_id IS COALESCE(excluded.meeting_id, webcasts.meeting_id) \
      THEN webcasts.updated_at ELSE excluded.updated_at END";
/// The webcasts whose captions are due a read: matched to a meeting, live
/// since `?2`, and not read since `?3` (captions not out yet, or checked for a change).
pub const WEBCASTS_DUE: &str = "SELECT id FROM webcasts WHERE council_id = ?1 AND meeting_id IS NOT NULL AND live_at >= ?2 \
    AND (captions_read_at IS NULL OR captions_read_at < ?3 OR captions_status IN ('unread', 'absent')) ORDER BY live_at DESC LIMIT ?4";
pub const WEBCASTS_LISTED: &str = "UPDATE councils SET webcasts_read_at = ?2, webcasts_error = ?3 WHERE id = ?1";
pub const CAPTIONS_READ: &str = "UPDATE webcasts SET captions_status = 'read', captions_error = NULL, captions_hash = ?2, \
    transcript_key = ?3, made_from = ?4, cues = ?5, skipped_cues = ?6, duration_ms = ?7, captions_read_at = ?8, updated_at = ?8 WHERE id = ?1";
/// The same captions as before: only when they were checked.
pub const CAPTIONS_UNCHANGED: &str =
    "UPDATE webcasts SET captions_status = 'read', captions_error = NULL, captions_read_at = ?2 WHERE id = ?1";
/// Not published yet (404): a transcript read before stays.
pub const CAPTIONS_ABSENT: &str =
    "UPDATE webcasts SET captions_status = CASE WHEN transcript_key IS NULL THEN 'absent' ELSE captions_status END, \
    captions_read_at = ?2 WHERE id = ?1";
/// Unreadable: recorded; a transcript read before stays and is still used.
pub const CAPTIONS_FAILED: &str =
    "UPDATE webcasts SET captions_status = 'error', captions_error = ?2, captions_read_at = ?3 WHERE id = ?1";
/// A meeting's summary is owed again because of its webcast.
pub const MEETING_CHANGED_BY_WEBCAST: &str =
    "UPDATE meetings SET content_changed = 1, change_note = ?2, changed_at = ?3 WHERE id = ?1";
/// A webcast's sound is being transcribed in `?2` chunks (none heard yet).
pub const SPEECH_PLANNED: &str =
    "UPDATE webcasts SET speech_status = 'transcribing', speech_error = NULL, speech_chunks = ?2, \
    updated_at = ?3 WHERE id = ?1";
/// A chunk heard (a repeat counts once).
pub const SPEECH_CHUNK_HEARD: &str =
    "INSERT OR IGNORE INTO webcast_speech_chunks (webcast_id, number, heard_at) VALUES (?1, ?2, ?3)";
/// How many of its chunks are heard, of how many.
pub const SPEECH_PROGRESS: &str = "SELECT w.speech_chunks AS chunks, \
    (SELECT COUNT(*) FROM webcast_speech_chunks c WHERE c.webcast_id = w.id AND c.number < w.speech_chunks) AS heard \
    FROM webcasts w WHERE w.id = ?1";
pub const SPEECH_FAILED: &str =
    "UPDATE webcasts SET speech_status = 'error', speech_error = ?2, updated_at = ?3 WHERE id = ?1";
/// The joined transcript of a webcast's sound is its transcript (captions,
/// when they come, replace it).
pub const SPEECH_DONE: &str =
    "UPDATE webcasts SET speech_status = 'done', speech_error = NULL, captions_hash = ?2, transcript_key = ?3, \
    made_from = ?4, cues = ?5, skipped_cues = 0, duration_ms = ?6, updated_at = ?7 WHERE id = ?1";
/// A webcast a meeting page links by its id: matched to that meeting (the
/// page is the council's own word), its details filled in when its portal is listed.
pub const UPSERT_LINKED_WEBCAST: &str = "INSERT INTO webcasts (id, council_id, platform, activity, meeting_id, title, live_at, player_url, \
    captions_url, first_seen_at, updated_at) VALUES (?1, ?2, 'public-i', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) \
    ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, \
    updated_at = CASE WHEN webcasts.meeting_id IS excluded.meeting_id THEN webcasts.updated_at ELSE excluded.updated_at END";
/// The webcast portal a council's meeting pages link.
pub const WEBCAST_SITE_LINKED: &str =
    "UPDATE councils SET webcast_site_linked = ?2 WHERE id = ?1 AND webcast_site_linked IS NOT ?2";

//! D1 storage. SQL lives in `queries`; `records` prepares rows without I/O.

pub mod alerts;
mod decisions;
mod documents;
pub mod export;
mod health;
mod meetings;
mod pages;
mod people;
pub mod queries;
pub mod records;
pub mod rows;
mod runs;
mod summaries;
pub mod text;
pub mod upkeep;
pub mod version;
mod votes;
pub mod webcasts;
mod webhooks;

pub use decisions::{decision_document_id, decision_id, DecisionRecord, DecisionToRead};
pub use documents::DocumentRecord;
pub use summaries::SummaryVersion;
pub use webhooks::Replay;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1DatabaseSession, D1PreparedStatement, D1Result, Result};

use crate::model::{Committee, MeetingListing};
use queries as q;
use records::{committee_id, MeetingRow};

/// A value bound to a statement parameter.
pub enum Param<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
    Real(f64),
    Bool(bool),
}

impl From<&Param<'_>> for JsValue {
    fn from(param: &Param<'_>) -> Self {
        match param {
            Param::Text(text) => JsValue::from_str(text),
            Param::OptText(Some(text)) => JsValue::from_str(text),
            Param::OptText(None) => JsValue::NULL,
            Param::Int(number) => JsValue::from_f64(*number as f64),
            Param::Real(number) => JsValue::from_f64(*number),
            Param::Bool(flag) => JsValue::from_f64(if *flag { 1.0 } else { 0.0 }),
        }
    }
}

use Param::{Bool, Int, OptText, Text};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CouncilRow {
    pub id: String,
    pub name: String,
    pub platform: crate::model::Platform,
    pub base_url: String,
    pub time_zone: String,
    pub coverage: String,
    pub enabled: i64,
    pub web_service: String,
    pub gss_code: Option<String>,
    pub nation: Option<String>,
    pub https_note: Option<String>,
    pub notes: Option<String>,
    /// Hosts besides the base URL's that documents may come from, space-separated.
    #[serde(default)]
    pub document_hosts: String,
    /// When the council's councillors were last read, and why the last read failed.
    #[serde(default)]
    pub councillors_read_at: Option<String>,
    #[serde(default)]
    pub councillors_error: Option<String>,
    /// When the council's decisions registers were last read.
    #[serde(default)]
    pub decisions_read_at: Option<String>,
    #[serde(default)]
    pub decisions_error: Option<String>,
    /// The council's webcast portal (Public-i), and its captions' address
    /// when not the platform's usual one (`{activity}` for the webcast).
    #[serde(default)]
    pub webcast_site: Option<String>,
    #[serde(default)]
    pub webcast_captions: Option<String>,
    /// Its webcasts' media files (MP4), `{activity}` for the webcast: read
    /// for speech to text where there are no captions.
    #[serde(default)]
    pub webcast_media: Option<String>,
    /// A webcast portal its meeting pages link (found, not registered: an
    /// operator registers it as `webcast_site` after checking it).
    #[serde(default)]
    pub webcast_site_linked: Option<String>,
    /// When its webcasts were last listed, and why the last listing failed.
    #[serde(default)]
    pub webcasts_read_at: Option<String>,
    #[serde(default)]
    pub webcasts_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A council as registered through the admin API.
#[derive(Debug, Clone, Deserialize)]
pub struct CouncilInput {
    pub id: String,
    pub name: String,
    #[serde(default = "default_platform")]
    pub platform: String,
    pub base_url: String,
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    #[serde(default = "default_coverage")]
    pub coverage: String,
    #[serde(default = "default_true")]
    pub enabled: bool,
    #[serde(default = "default_web_service")]
    pub web_service: String,
    pub gss_code: Option<String>,
    pub nation: Option<String>,
    pub notes: Option<String>,
    /// Hosts besides the base URL's that the council serves documents from.
    #[serde(default)]
    pub document_hosts: Vec<String>,
    /// The council's webcast portal (Public-i: `https://<council>.public-i.tv`).
    #[serde(default)]
    pub webcast_site: Option<String>,
    /// Where its captions are, with `{activity}` for the webcast, when not
    /// where the platform usually keeps them.
    #[serde(default)]
    pub webcast_captions: Option<String>,
    /// Where its webcasts' media files (MP4) are, with `{activity}`.
    #[serde(default)]
    pub webcast_media: Option<String>,
}

fn default_platform() -> String {
    "moderngov".into()
}
fn default_time_zone() -> String {
    "Europe/London".into()
}
fn default_coverage() -> String {
    "unsupported".into()
}
fn default_true() -> bool {
    true
}
fn default_web_service() -> String {
    "auto".into()
}

impl CouncilInput {
    /// Checks the fields a maintainer can get wrong; the message names the field.
    pub fn validate(&self) -> std::result::Result<(), String> {
        let slug_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !self.id.starts_with('-');
        if !slug_ok {
            return Err("id must be a slug: lower-case letters, digits and hyphens".into());
        }
        if self.name.trim().is_empty() {
            return Err("name must not be empty".into());
        }
        if crate::model::Platform::parse(&self.platform).is_none() {
            return Err("platform must be moderngov, cmis or other".into());
        }
        let url = worker::Url::parse(&self.base_url).map_err(|_| "base_url must be an absolute URL".to_string())?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || url.query().is_some() {
            return Err("base_url must be an http(s) URL without a query".into());
        }
        if !["supported", "unsupported"].contains(&self.coverage.as_str()) {
            return Err("coverage must be supported or unsupported".into());
        }
        if !["auto", "on", "off"].contains(&self.web_service.as_str()) {
            return Err("web_service must be auto, on or off".into());
        }
        if let Some(bad) = self.document_hosts.iter().find(|h| !crate::net::is_host_name(h)) {
            return Err(format!("document_hosts must be host names such as documents.example.gov.uk, not {bad:?}"));
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err("time_zone is not a known zone".into());
        }
        if let Some(site) = &self.webcast_site {
            let url = worker::Url::parse(site).map_err(|_| "webcast_site must be an absolute URL".to_string())?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || url.query().is_some() {
                return Err("webcast_site must be an http(s) URL without a query".into());
            }
            if self.webcast_captions.is_none() && crate::sources::publici::captions_url(None, site, "1").is_none() {
                return Err("webcast_captions is needed for a webcast_site that is not <council>.public-i.tv".into());
            }
        }
        if let Some(template) = &self.webcast_media {
            if self.webcast_site.is_none() || !crate::sources::publici::valid_captions_template(template) {
                return Err("webcast_media must be an http(s) URL with {activity} in it, beside a webcast_site".into());
            }
        }
        if let Some(template) = &self.webcast_captions {
            if self.webcast_site.is_none() || !crate::sources::publici::valid_captions_template(template) {
                return Err(
                    "webcast_captions must be an http(s) URL with {activity} in it, beside a webcast_site".into()
                );
            }
        }
        Ok(())
    }
}

/// A stored meeting's visit-schedule state.
#[derive(Debug, Clone, Deserialize)]
pub struct VisitRow {
    pub id: String,
    pub local_date: String,
    pub visited_at: Option<String>,
    pub minutes_published: i64,
    pub status: String,
}

/// A past meeting outside the listing window that is still waiting for minutes.
#[derive(Debug, Clone, Deserialize)]
pub struct TrackedMeeting {
    pub id: String,
    pub source_id: String,
    pub committee_source_id: String,
    pub committee_title: String,
    pub local_date: String,
    pub local_time: Option<String>,
    pub status: String,
    pub visited_at: Option<String>,
    pub minutes_published: i64,
    pub web_url: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MeetingState {
    pub detail_hash: Option<String>,
    pub fingerprint: Option<String>,
    pub content_changed: i64,
    pub has_summary: i64,
    pub saved_by_run: Option<String>,
    pub saved_outcome: Option<String>,
}

impl MeetingState {
    /// A summary is still owed: the meeting changed since its last summary, or has none.
    pub fn summary_owed(&self) -> bool {
        self.content_changed != 0 || self.has_summary == 0
    }
}

/// What one listing part of a run planned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListingCounts {
    pub planned: usize,
    pub skipped: usize,
    pub missing: usize,
}

/// How one meeting's fetch ended, for the run's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingOutcome {
    New,
    Changed,
    Unchanged,
    Failed,
}

impl MeetingOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Changed => "changed",
            Self::Unchanged => "unchanged",
            Self::Failed => "failed",
        }
    }
}

/// How often a read that failed for a transient cause is tried again, the
/// pauses doubling from 50 ms to at most half a second (about 3 s in all).
const READ_RETRIES: u32 = 8;

/// Whether a D1 error is worth one more try of a read: the database busy or
/// overloaded, its connection reset, or an internal error, as D1 advises.
pub fn is_transient_d1_error(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    ["sqlite_busy", "database is locked", "internal error", "network connection lost", "overloaded", "reset because"]
        .iter()
        .any(|cause| message.contains(cause))
}

/// Writes tried again after a transient failure.
const WRITE_RETRIES: u32 = 6;

async fn pause_before_retry(attempt: u32) {
    #[cfg(target_arch = "wasm32")]
    worker::Delay::from(std::time::Duration::from_millis((25u64 << attempt.min(5)).min(500))).await;
    #[cfg(not(target_arch = "wasm32"))]
    let _ = attempt;
}

/// The database, or a read session on it.
enum Connection {
    Database(D1Database),
    Session(D1DatabaseSession),
}

impl Connection {
    fn prepare(&self, sql: &str) -> D1PreparedStatement {
        match self {
            Connection::Database(db) => db.prepare(sql),
            Connection::Session(session) => session.prepare(sql),
        }
    }

    async fn batch(&self, statements: Vec<D1PreparedStatement>) -> Result<Vec<D1Result>> {
        match self {
            Connection::Database(db) => db.batch(statements).await,
            Connection::Session(session) => session.batch(statements).await,
        }
    }
}

pub struct Store {
    db: Connection,
    /// Round trips to the database so far: each read, write or batch once,
    /// however often it was tried.
    round_trips: std::cell::Cell<u32>,
    /// Tries made again after a transient failure (counted apart, so a busy
    /// moment is not mistaken for a page that reads twice).
    retries: std::cell::Cell<u32>,
}

impl Store {
    /// The store the ingest worker writes through: every query goes to the primary.
    pub fn new(db: D1Database) -> Self {
        Self { db: Connection::Database(db), round_trips: Default::default(), retries: Default::default() }
    }

    /// The store the site worker reads through: a D1 session that may start
    /// on the nearest read replica (`first-unconstrained`). Reads in one
    /// session are sequentially consistent; a page may trail the primary by
    /// moments, which the cache's data versions already allow for.
    pub fn reading(db: D1Database) -> Result<Self> {
        let session = db.with_session(Some("first-unconstrained"))?;
        Ok(Self { db: Connection::Session(session), round_trips: Default::default(), retries: Default::default() })
    }

    /// How many round trips to the database this store has made: what the
    /// site worker reports per request in local development (`X-D1-Round-Trips`).
    pub fn round_trips(&self) -> u32 {
        self.round_trips.get()
    }

    /// Tries made again after a transient failure, reported beside the round trips.
    pub fn retries(&self) -> u32 {
        self.retries.get()
    }

    /// Counts a try: the first of a read, write or batch is a round trip,
    /// any later one a retry (logged with its cause).
    fn count_try(&self, attempt: u32, cause: Option<&str>) {
        if attempt == 0 {
            self.round_trips.set(self.round_trips.get() + 1);
        } else {
            self.retries.set(self.retries.get() + 1);
            worker::console_warn!(
                "D1 tried again (try {}) after: {}",
                attempt + 1,
                cause.unwrap_or("a transient error")
            );
        }
    }

    pub fn statement(&self, sql: &str, params: &[Param<'_>]) -> Result<D1PreparedStatement> {
        let values: Vec<JsValue> = params.iter().map(JsValue::from).collect();
        self.db.prepare(sql).bind(&values)
    }

    /// Rows of a read. A read that fails for a transient cause (the database
    /// busy or briefly unreachable) is tried again, a few times, after a pause.
    pub async fn rows<T: for<'de> Deserialize<'de>>(&self, sql: &str, params: &[Param<'_>]) -> Result<Vec<T>> {
        self.read(sql, params).await?.results::<T>()
    }

    /// The first row of a read, tried again as `rows` is.
    pub async fn row<T: for<'de> Deserialize<'de>>(&self, sql: &str, params: &[Param<'_>]) -> Result<Option<T>> {
        Ok(self.rows::<T>(sql, params).await?.into_iter().next())
    }

    /// Several reads in one round trip to the database (a D1 batch, in the
    /// session when reading), tried again as a read is; each statement's rows.
    pub async fn reads(&self, statements: Vec<D1PreparedStatement>) -> Result<Vec<D1Result>> {
        self.batch_tried(statements, READ_RETRIES).await
    }

    /// A batch, tried again up to `retries` times after a transient failure.
    async fn batch_tried(&self, statements: Vec<D1PreparedStatement>, retries: u32) -> Result<Vec<D1Result>> {
        let mut attempt = 0;
        let mut cause = None;
        loop {
            self.count_try(attempt, cause.as_deref());
            match self.db.batch(statements.clone()).await {
                Err(error) if attempt < retries && is_transient_d1_error(&error.to_string()) => {
                    attempt += 1;
                    cause = Some(error.to_string());
                    pause_before_retry(attempt).await;
                }
                result => return result,
            }
        }
    }

    // One read for every row type: each type adds only its decoding, not
    // another copy of the read and its retries (the site worker's size budget).
    async fn read(&self, sql: &str, params: &[Param<'_>]) -> Result<D1Result> {
        let mut attempt = 0;
        let mut cause = None;
        loop {
            self.count_try(attempt, cause.as_deref());
            match self.statement(sql, params)?.all().await {
                Err(error) if attempt < READ_RETRIES && is_transient_d1_error(&error.to_string()) => {
                    attempt += 1;
                    cause = Some(error.to_string());
                    pause_before_retry(attempt).await;
                }
                result => return result,
            }
        }
    }

    /// A write. One that failed for a transient cause (the other writer's
    /// lock, which local D1 reports as an internal error; an overloaded or
    /// reset database) is tried again, a few times, after a pause: D1 advises
    /// retrying these, and the writes here are upserts or conditional updates
    /// that a repeat leaves as one would. Any other error is the caller's.
    pub async fn run(&self, sql: &str, params: &[Param<'_>]) -> Result<()> {
        let mut attempt = 0;
        let mut cause = None;
        loop {
            self.count_try(attempt, cause.as_deref());
            match self.statement(sql, params)?.run().await {
                Err(error) if attempt < WRITE_RETRIES && is_transient_d1_error(&error.to_string()) => {
                    attempt += 1;
                    cause = Some(error.to_string());
                    pause_before_retry(attempt).await;
                }
                result => return result.map(|_| ()),
            }
        }
    }

    pub async fn batch(&self, statements: Vec<D1PreparedStatement>) -> Result<()> {
        self.batch_results(statements).await.map(|_| ())
    }

    /// Deletes in one batch (one transaction, so nothing is left half
    /// deleted); answers how many rows the last statement deleted.
    pub async fn delete_together(&self, statements: Vec<D1PreparedStatement>) -> Result<usize> {
        let results = self.batch_results(statements).await?;
        Ok(results.last().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0))
    }

    /// A batch (one transaction) and each statement's result.
    pub async fn batch_results(&self, statements: Vec<D1PreparedStatement>) -> Result<Vec<D1Result>> {
        if statements.is_empty() {
            return Ok(Vec::new());
        }
        self.batch_tried(statements, WRITE_RETRIES).await
    }

    // Councils

    pub async fn councils(&self) -> Result<Vec<CouncilRow>> {
        self.rows(q::LIST_COUNCILS, &[]).await
    }

    pub async fn enabled_councils(&self) -> Result<Vec<CouncilRow>> {
        self.rows(q::ENABLED_COUNCILS, &[]).await
    }

    pub async fn council(&self, id: &str) -> Result<Option<CouncilRow>> {
        self.row(q::GET_COUNCIL, &[Text(id)]).await
    }

    pub async fn upsert_council(&self, input: &CouncilInput, now: &str) -> Result<()> {
        let base_url = input.base_url.trim_end_matches('/');
        self.run(
            q::UPSERT_COUNCIL,
            &[
                Text(&input.id),
                Text(input.name.trim()),
                Text(&input.platform),
                Text(base_url),
                Text(&input.time_zone),
                Text(&input.coverage),
                Bool(input.enabled),
                Text(&input.web_service),
                OptText(input.gss_code.as_deref()),
                OptText(input.nation.as_deref()),
                OptText(input.notes.as_deref()),
                Text(now),
                Text(&input.document_hosts.join(" ")),
                OptText(input.webcast_site.as_deref().map(|s| s.trim_end_matches('/'))),
                OptText(input.webcast_captions.as_deref()),
                OptText(input.webcast_media.as_deref()),
            ],
        )
        .await
    }

    // Planning

    /// Stores the committees and the listed meetings, and marks meetings that
    /// the council no longer lists (only for committees whose list was read).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_plan(
        &self,
        council: &CouncilRow,
        committees: &[Committee],
        listed: &[(MeetingListing, MeetingRow, String)],
        read_committees: &[String],
        window: (&str, &str),
        mode: &str,
        now: &str,
    ) -> Result<usize> {
        let mut statements = Vec::new();
        for committee in committees {
            statements.push(self.statement(
                q::UPSERT_COMMITTEE,
                &[
                    Text(&committee_id(&council.id, &committee.source_id)),
                    Text(&council.id),
                    Text(&committee.source_id),
                    Text(&committee.title),
                    OptText(committee.category.as_deref()),
                    Bool(committee.is_deleted),
                    Bool(committee.is_expired),
                    Text(now),
                ],
            )?);
        }
        for (listing, row, web_url) in listed {
            statements.push(self.statement(
                q::UPSERT_LISTED_MEETING,
                &[
                    Text(&row.id),
                    Text(&council.id),
                    Text(&row.committee_id),
                    Text(&listing.source_id),
                    Text(&row.title),
                    Text(&row.local_date),
                    OptText(row.local_time.as_deref()),
                    Text(&council.time_zone),
                    OptText(row.starts_at_utc.as_deref()),
                    Text(row.status.as_str()),
                    Bool(row.is_special),
                    Text(web_url),
                    Text(mode),
                    Text(now),
                ],
            )?);
        }
        let read_ids: Vec<String> = read_committees.iter().map(|c| committee_id(&council.id, c)).collect();
        let listed_ids: Vec<&str> = listed.iter().map(|(_, row, _)| row.id.as_str()).collect();
        let read_json = serde_json::to_string(&read_ids).unwrap_or_default();
        let listed_json = serde_json::to_string(&listed_ids).unwrap_or_default();
        statements.push(self.statement(
            q::MARK_UNLISTED_MEETINGS,
            &[Text(&council.id), Text(window.0), Text(window.1), Text(&read_json), Text(now), Text(&listed_json)],
        )?);
        let results = self.db.batch(statements).await?;
        let missing = results.last().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0);
        Ok(missing)
    }

    /// Ranked full-text matches, with snippets, optionally for one council.
    pub async fn search(&self, query: &str, council: Option<&str>, limit: usize) -> Result<Vec<rows::SearchResult>> {
        let Some(fts) = fts_query(query, council) else { return Ok(Vec::new()) };
        let hits: Vec<rows::SearchHit> =
            self.rows(q::SEARCH, &[Text(&fts), Int(limit.min(SEARCH_RESULT_CAP) as i64)]).await?;
        Ok(hits.into_iter().map(rows::SearchResult::from).collect())
    }

    // Reads

    /// A council's meetings between two dates, in (date, id) order after the cursor.
    pub async fn council_meetings(
        &self,
        council_id: &str,
        (from, to): (&str, &str),
        cursor: (&str, &str),
        limit: usize,
    ) -> Result<Vec<rows::CouncilMeeting>> {
        let params =
            [Text(council_id), Text(from), Text(to), Text(cursor.0), Text(cursor.1), Int(limit.min(1000) as i64)];
        self.rows(q::COUNCIL_MEETINGS, &params).await
    }

    pub async fn council_status(&self) -> Result<Vec<Value>> {
        self.rows(q::COUNCIL_STATUS, &[]).await
    }

    pub async fn run_fetches(&self, run_id: &str) -> Result<Vec<Value>> {
        self.rows(q::RUN_FETCHES, &[Text(run_id)]).await
    }
}

/// A user's words as an FTS5 query: each word quoted (so no operator syntax
/// gets through), all required, the last one as a prefix.
pub fn fts_query(input: &str, council: Option<&str>) -> Option<String> {
    let words: Vec<String> = search_words(input).iter().map(|w| format!("\"{w}\"")).collect();
    let (last, rest) = words.split_last()?;
    let mut terms = rest.join(" ");
    if !terms.is_empty() {
        terms.push(' ');
    }
    terms.push_str(last);
    terms.push('*');
    // Only titles and bodies are searched for the words; the council column
    // only narrows (a search for "thames" is not every row of Kingston upon Thames).
    let words = format!("{{title body}} : ({terms})");
    // Council ids are slugs (checked at registration); anything else names no council.
    if council.is_some_and(|c| !c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')) {
        return None;
    }
    Some(match council {
        Some(council) => format!("{{council}} : \"{council}\" AND {words}"),
        None => words,
    })
}

/// The fewest characters a search word has; shorter words are left out, and
/// the last word's prefix is served by the FTS5 prefix index (3 and 4).
pub const MIN_SEARCH_WORD: usize = 3;
/// The most results a search answers.
pub const SEARCH_RESULT_CAP: usize = 30;

/// The words of a search that take part in it: letters and digits, at least
/// `MIN_SEARCH_WORD` long, lower-cased, at most twelve.
pub fn search_words(input: &str) -> Vec<String> {
    input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_SEARCH_WORD)
        .take(12)
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_words_become_a_safe_fts_query() {
        assert_eq!(fts_query("Community safety", None).as_deref(), Some("{title body} : (\"community\" \"safety\"*)"));
        assert_eq!(fts_query("NEAR(\"xyz\") OR y*", None).as_deref(), Some("{title body} : (\"near\" \"xyz\"*)"));
        assert_eq!(fts_query("  ;;  ", None), None);
        assert_eq!(
            fts_query("A45 roads", Some("west-sussex")).as_deref(),
            Some("{council} : \"west-sussex\" AND {title body} : (\"a45\" \"roads\"*)")
        );
        assert_eq!(fts_query("budget", Some("x\" OR \"y")), None);
    }

    #[test]
    fn only_transient_d1_errors_are_tried_again() {
        assert!(is_transient_d1_error(
            "D1_ERROR: Failed to parse body as JSON, got: Error: internal error; reference = 81irdak"
        ));
        assert!(is_transient_d1_error("D1_ERROR: database is locked: SQLITE_BUSY"));
        assert!(is_transient_d1_error("Network connection lost."));
        assert!(!is_transient_d1_error("D1_ERROR: no such table: meetings: SQLITE_ERROR"));
        assert!(!is_transient_d1_error("D1_ERROR: UNIQUE constraint failed: councils.id"));
    }

    #[test]
    fn search_words_have_a_minimum_length() {
        assert_eq!(search_words("to be or not"), vec!["not"]);
        assert!(search_words("a b c EV").is_empty());
        assert_eq!(search_words("HS2 café"), vec!["hs2", "café"]);
        assert_eq!(search_words(&"word ".repeat(20)).len(), 12);
    }

    fn input(base_url: &str) -> CouncilInput {
        serde_json::from_value(serde_json::json!({"id": "test-council", "name": "Test", "base_url": base_url})).unwrap()
    }

    #[test]
    fn validates_council_registrations() {
        assert!(input("http://127.0.0.1:8080").validate().is_ok());
        assert!(input("http://127.0.0.1:8080/democracy/").validate().is_ok());
        assert!(input("ftp://example").validate().is_err());
        assert!(input("not a url").validate().is_err());
        assert!(input("https://x.gov.uk/?a=b").validate().is_err());
        let mut bad = input("https://x.gov.uk");
        bad.id = "Bad Slug".into();
        assert_eq!(bad.validate().unwrap_err(), "id must be a slug: lower-case letters, digits and hyphens");
        let defaults = input("https://x.gov.uk");
        assert_eq!(
            (defaults.platform.as_str(), defaults.coverage.as_str(), defaults.enabled),
            ("moderngov", "unsupported", true)
        );
    }
}

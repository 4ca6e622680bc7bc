//! Whether each council is being read, for everyone: `/status` (every
//! council, sortable) and `/councils/{id}/status` with its API twin.

use askama::Template;
use chrono::{DateTime, Utc};
use serde::Serialize;
use worker::{Response, Result};

use super::reply::{Missing, Reply};
use crate::health::{self, State, SummaryMode};
use crate::storage::rows::{CouncilHealth, CouncilRuns, Failure};
use crate::time::{now_utc, prose_instant, DEFAULT_TIME_ZONE};

/// One council in `/status` and its API answer.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilState {
    pub id: String,
    pub name: String,
    pub state: State,
    #[serde(skip)]
    pub state_label: &'static str,
    pub last_read_at: Option<String>,
    #[serde(skip)]
    pub last_read_text: String,
    pub failing_since: Option<String>,
    pub failing_days: Option<i64>,
    /// Operators have been told (`council.failing`) of this run of failures.
    pub flagged: bool,
    pub last_error: Option<String>,
}

impl CouncilState {
    pub fn of(runs: &CouncilRuns, now: DateTime<Utc>) -> Self {
        let facts = runs.facts();
        let state = health::state(&facts, now);
        let failing = state == State::Failing;
        Self {
            id: runs.id.clone(),
            name: runs.name.clone(),
            state,
            state_label: state.label(),
            last_read_text: runs
                .last_read_at
                .as_deref()
                .map_or_else(|| "never".to_string(), |at| prose_instant(at, DEFAULT_TIME_ZONE)),
            last_read_at: runs.last_read_at.clone(),
            failing_since: runs.failing_since.clone().filter(|_| failing),
            failing_days: health::failing_days(&facts, now),
            flagged: failing
                && runs.failing_flagged_at.as_deref().zip(runs.failing_since.as_deref()).is_some_and(|(t, s)| t >= s),
            last_error: runs.last_error.clone().filter(|_| failing),
        }
    }
}

/// The orders `/status` can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Failing first, then stale, not yet read, healthy.
    State,
    Name,
    /// Longest since a good read first.
    LastRead,
}

impl SortBy {
    /// The order asked for: none is by state; one not known is `None`.
    pub fn parse(text: Option<&str>) -> Option<Self> {
        match text {
            None | Some("state") => Some(SortBy::State),
            Some("name") => Some(SortBy::Name),
            Some("last_read") => Some(SortBy::LastRead),
            Some(_) => None,
        }
    }

    pub fn sort(self, councils: &mut [CouncilState]) {
        match self {
            SortBy::State => councils.sort_by(|a, b| (a.state, &a.name).cmp(&(b.state, &b.name))),
            SortBy::Name => councils.sort_by(|a, b| a.name.cmp(&b.name)),
            // Never read first, then the oldest read.
            SortBy::LastRead => councils.sort_by(|a, b| (&a.last_read_at, &a.name).cmp(&(&b.last_read_at, &b.name))),
        }
    }
}

/// A column heading of `/status`: a link that sorts by it, marked when it does.
pub struct Column {
    pub label: &'static str,
    pub key: &'static str,
    pub sorted: bool,
}

#[derive(Template)]
#[template(path = "status.html")]
pub struct StatusPage {
    pub canonical: String,
    pub search_query: String,
    pub columns: Vec<Column>,
    pub councils: Vec<CouncilState>,
    pub counts: Vec<(&'static str, usize)>,
}

impl StatusPage {
    pub fn new(canonical: String, mut councils: Vec<CouncilState>, sort: SortBy) -> Self {
        sort.sort(&mut councils);
        let columns = [
            ("Council", "name", SortBy::Name),
            ("State", "state", SortBy::State),
            ("Last read", "last_read", SortBy::LastRead),
        ]
        .into_iter()
        .map(|(label, key, by)| Column { label, key, sorted: by == sort })
        .collect();
        let counts = [State::Failing, State::Stale, State::NotYetRead, State::Healthy]
            .into_iter()
            .map(|state| (state.label(), councils.iter().filter(|c| c.state == state).count()))
            .collect();
        Self { canonical, search_query: String::new(), columns, councils, counts }
    }
}

/// One council's health as its page and the API give it.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilStatus {
    #[serde(flatten)]
    pub state: CouncilState,
    pub meetings_awaiting_minutes: i64,
    pub documents_unreadable: i64,
    pub summaries: SummaryMode,
    #[serde(skip)]
    pub summaries_label: &'static str,
    pub councillors_read_at: Option<String>,
    pub councillors_error: Option<String>,
    pub decisions_read_at: Option<String>,
    pub decisions_error: Option<String>,
    pub failures: Vec<FailureView>,
}

/// One thing that failed since the last good read.
#[derive(Debug, Clone, Serialize)]
pub struct FailureView {
    pub at: String,
    #[serde(skip)]
    pub at_text: String,
    pub place: String,
    pub kind: &'static str,
    pub error: String,
}

impl CouncilStatus {
    pub fn of(health: CouncilHealth, failures: Vec<Failure>, now: DateTime<Utc>) -> Self {
        let runs = CouncilRuns {
            id: health.id.clone(),
            name: health.name.clone(),
            enabled: health.enabled,
            failing_flagged_at: health.failing_flagged_at.clone(),
            last_read_at: health.last_read_at.clone(),
            last_run_status: health.last_run_status.clone(),
            failing_since: health.failing_since.clone(),
            last_error: failures.first().and_then(|f| f.error.clone()),
        };
        let summaries = SummaryMode::of(health.newest_summary[0].as_str(), health.newest_summary[1].as_str());
        let failures = failures
            .into_iter()
            .map(|f| {
                let error = f.error.unwrap_or_default();
                let kind = health::failure_kind(&format!("{} {error}", f.place));
                FailureView { at_text: prose_instant(&f.at, DEFAULT_TIME_ZONE), at: f.at, place: f.place, kind, error }
            })
            .collect();
        Self {
            state: CouncilState::of(&runs, now),
            meetings_awaiting_minutes: health.awaiting_minutes,
            documents_unreadable: health.documents_unreadable,
            summaries,
            summaries_label: summaries.label(),
            councillors_read_at: health.councillors_read_at,
            councillors_error: health.councillors_error,
            decisions_read_at: health.decisions_read_at,
            decisions_error: health.decisions_error,
            failures,
        }
    }
}

#[derive(Template)]
#[template(path = "council_status.html")]
pub struct CouncilStatusPage {
    pub canonical: String,
    pub search_query: String,
    pub status: CouncilStatus,
    pub failing_since_text: String,
}

/// `/status` and `/api/v1/status`.
pub async fn all(reply: &Reply<'_>) -> Result<Response> {
    let now = now_utc();
    let councils: Vec<CouncilState> =
        reply.store.councils_health().await?.iter().map(|runs| CouncilState::of(runs, now)).collect();
    // Programs are told their mistake; people see the default order.
    let sort = match SortBy::parse(reply.query("sort").as_deref()) {
        Some(sort) => sort,
        None if reply.for_programs => return reply.bad_request("sort must be state, name or last_read"),
        None => SortBy::State,
    };
    if reply.for_programs {
        let mut councils = councils;
        sort.sort(&mut councils);
        return reply.json(&serde_json::json!({ "councils": councils }));
    }
    reply.page(&StatusPage::new(reply.canonical.clone(), councils, sort))
}

/// `/councils/{id}/status` and `/api/v1/councils/{id}/status`.
pub async fn council(reply: &Reply<'_>, id: String) -> Result<Response> {
    let now = now_utc();
    let today = crate::time::local_date(now, DEFAULT_TIME_ZONE);
    let oldest = today - chrono::Duration::days(health::AWAITING_MINUTES_DAYS);
    let (today, oldest) = (today.format("%Y-%m-%d").to_string(), oldest.format("%Y-%m-%d").to_string());
    let Some((health, failures)) = reply.store.council_health(&id, &today, &oldest).await? else {
        return reply.not_found(Missing::Council);
    };
    let status = CouncilStatus::of(health, failures, now);
    if reply.for_programs {
        return reply.json(&status);
    }
    let failing_since_text =
        status.state.failing_since.as_deref().map(|at| prose_instant(at, DEFAULT_TIME_ZONE)).unwrap_or_default();
    reply.page(&CouncilStatusPage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        status,
        failing_since_text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(id: &str, read: Option<&str>, last: Option<&str>, failing: Option<&str>) -> CouncilRuns {
        CouncilRuns {
            id: id.into(),
            name: format!("{id} <Council>"),
            enabled: 1,
            failing_flagged_at: None,
            last_read_at: read.map(Into::into),
            last_run_status: last.map(Into::into),
            failing_since: failing.map(Into::into),
            last_error: Some("HTTP status 404".into()),
        }
    }

    fn now() -> DateTime<Utc> {
        crate::time::parse_instant("2026-12-07T12:00:00Z").unwrap()
    }

    fn fixture() -> Vec<CouncilState> {
        [
            runs("bravo", Some("2026-12-07T10:00:00Z"), Some("succeeded"), None),
            runs("alpha", Some("2026-12-01T10:00:00Z"), Some("failed"), Some("2026-12-02T10:00:00Z")),
            runs("charlie", Some("2026-12-05T10:00:00Z"), Some("succeeded"), None),
            runs("delta", None, None, None),
        ]
        .iter()
        .map(|r| CouncilState::of(r, now()))
        .collect()
    }

    #[test]
    fn every_council_is_listed_by_what_is_wrong_first_and_sorts_by_any_column() {
        let page = StatusPage::new("https://x/status".into(), fixture(), SortBy::State);
        let order: Vec<&str> = page.councils.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(order, ["alpha", "charlie", "delta", "bravo"]);
        assert_eq!(page.councils[0].failing_days, Some(5));
        assert_eq!(page.counts, [("failing", 1), ("stale", 1), ("not read yet", 1), ("healthy", 1)]);
        let html = page.render().unwrap();
        assert!(html.contains("alpha &#60;Council&#62;") || html.contains("alpha &lt;Council&gt;"), "escaped");
        assert!(html.contains(r#"aria-sort="ascending""#));
        assert!(html.contains("failing for 5 days"));
        let by_read = StatusPage::new(String::new(), fixture(), SortBy::LastRead);
        let order: Vec<&str> = by_read.councils.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(order, ["delta", "alpha", "charlie", "bravo"]);
        assert_eq!(SortBy::parse(Some("name")), Some(SortBy::Name));
        assert_eq!(SortBy::parse(None), Some(SortBy::State));
        assert_eq!(SortBy::parse(Some("<script>")), None);
    }

    #[test]
    fn a_councils_page_says_what_failed_and_how_summaries_are_written() {
        let health = CouncilHealth {
            id: "alpha".into(),
            name: "Alpha".into(),
            enabled: 1,
            failing_flagged_at: Some("2026-12-05T10:00:00Z".into()),
            councillors_read_at: None,
            councillors_error: None,
            decisions_read_at: None,
            decisions_error: Some("HTTP status 500".into()),
            last_read_at: Some("2026-12-01T10:00:00Z".into()),
            last_run_status: Some("failed".into()),
            failing_since: Some("2026-12-02T10:00:00Z".into()),
            awaiting_minutes: 3,
            documents_unreadable: 1,
            newest_summary: serde_json::json!(["extractive", "monthly token budget reached: extractive summary"]),
        };
        let failures = vec![
            Failure {
                at: "2026-12-07T10:00:00Z".into(),
                place: "the council's read".into(),
                error: Some("HTTP status 404".into()),
            },
            Failure {
                at: "2026-12-03T10:00:00Z".into(),
                place: "document: <b>Report</b>".into(),
                error: Some("no text layer".into()),
            },
        ];
        let status = CouncilStatus::of(health, failures, now());
        assert_eq!(status.state.state, State::Failing);
        assert!(status.state.flagged, "told on the 5th of failures since the 2nd");
        assert_eq!(status.summaries, SummaryMode::PausedBudget);
        assert_eq!(status.failures[0].kind, "page moved or gone");
        assert_eq!(status.failures[1].kind, "document unreadable");
        let json = serde_json::to_value(&status).unwrap();
        assert_eq!(json["state"], "failing");
        assert_eq!(json["meetings_awaiting_minutes"], 3);
        assert_eq!(json["summaries"], "paused_budget");
        let html = CouncilStatusPage {
            canonical: String::new(),
            search_query: String::new(),
            failing_since_text: "Wednesday 2 December 2026, 10am".into(),
            status,
        }
        .render()
        .unwrap();
        assert!(!html.contains("<b>Report</b>"), "council text is escaped");
        assert!(html.contains("3 meetings"));
        assert!(html.contains("model budget is spent"));
        assert!(html.contains(r#"<time datetime="2026-12-07T10:00:00Z">Monday 7 December 2026, 10am</time>"#));
    }
}

//! Whether a council is being read: healthy, stale, failing or not yet read,
//! from the facts its runs leave behind. Pure, so the thresholds are tested
//! natively; the facts are read in `storage` and shown by `web::status`.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// A council last read longer ago than this is stale: every council is read
/// every two hours, so a day without a good read means something stopped.
pub const STALE_AFTER_HOURS: i64 = 24;

/// A council failing this long is flagged to operators (`/admin/status`, and
/// the `council.failing` webhook event).
pub const FLAG_AFTER_DAYS: i64 = 3;

/// How far back a past meeting without minutes counts as awaiting them: as
/// long as the schedule revisits it (`jobs::schedule::LATE_MINUTES_DAYS`).
pub const AWAITING_MINUTES_DAYS: i64 = 180;

/// What the runs of one council say about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunFacts {
    pub enabled: bool,
    /// The last run that finished having read the council (in full or in part).
    pub last_read_at: Option<DateTime<Utc>>,
    /// How the last finished run ended: succeeded, partial or failed.
    pub last_run_status: Option<String>,
    /// The first of the failed runs since the last good read.
    pub failing_since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Failing,
    Stale,
    NotYetRead,
    Healthy,
    Disabled,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Failing => "failing",
            State::Stale => "stale",
            State::NotYetRead => "not read yet",
            State::Healthy => "healthy",
            State::Disabled => "not being read",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Failing => "failing",
            State::Stale => "stale",
            State::NotYetRead => "not_yet_read",
            State::Healthy => "healthy",
            State::Disabled => "disabled",
        }
    }
}

/// The council's state at `now`. Failing wins over stale: the last run
/// failed and none has read the council since.
pub fn state(facts: &RunFacts, now: DateTime<Utc>) -> State {
    if !facts.enabled {
        return State::Disabled;
    }
    if facts.last_run_status.as_deref() == Some("failed") && facts.failing_since.is_some() {
        return State::Failing;
    }
    match facts.last_read_at {
        None => State::NotYetRead,
        Some(read) if now - read > Duration::hours(STALE_AFTER_HOURS) => State::Stale,
        Some(_) => State::Healthy,
    }
}

/// Whole days the council has been failing at `now`, when it is.
pub fn failing_days(facts: &RunFacts, now: DateTime<Utc>) -> Option<i64> {
    (state(facts, now) == State::Failing).then(|| facts.failing_since.map(|since| (now - since).num_days()))?
}

/// Whether operators are still to be told that the council is failing: it has
/// failed for `FLAG_AFTER_DAYS` and they were not told of this run of failures.
pub fn needs_flag(facts: &RunFacts, flagged_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    let Some(since) = facts.failing_since.filter(|_| state(facts, now) == State::Failing) else { return false };
    now - since >= Duration::days(FLAG_AFTER_DAYS) && flagged_at.is_none_or(|told| told < since)
}

/// What kind of failure an error message records, in words a resident reads.
pub fn failure_kind(message: &str) -> &'static str {
    let lower = message.to_ascii_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if any(&["http status 404", "http status 410", "redirect", "not the council's host", "moved"]) {
        "page moved or gone"
    } else if any(&["network", "within", "http status 5", "http status 429", "unreachable", "gave up"]) {
        "site unreachable"
    } else if any(&["text", "pdf", "extract", "document"]) {
        "document unreadable"
    } else {
        "platform error"
    }
}

/// How the council's summaries are being written now, from its newest summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryMode {
    ModelWritten,
    Extractive,
    /// The monthly model budget is spent: extractive until the month turns.
    PausedBudget,
    NoneYet,
}

impl SummaryMode {
    pub fn of(method: Option<&str>, notes: Option<&str>) -> Self {
        match (method, notes.unwrap_or_default()) {
            (None, _) => SummaryMode::NoneYet,
            (Some("model"), _) => SummaryMode::ModelWritten,
            (Some(_), notes) if notes.contains("budget reached") => SummaryMode::PausedBudget,
            (Some(_), _) => SummaryMode::Extractive,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SummaryMode::ModelWritten => "written by the model and checked against the papers",
            SummaryMode::Extractive => "extractive (the papers' own sentences)",
            SummaryMode::PausedBudget => "paused: this month's model budget is spent, so summaries are extractive",
            SummaryMode::NoneYet => "none made yet",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
    }

    fn facts(read: Option<DateTime<Utc>>, last: &str, failing: Option<DateTime<Utc>>) -> RunFacts {
        RunFacts { enabled: true, last_read_at: read, last_run_status: Some(last.into()), failing_since: failing }
    }

    #[test]
    fn a_council_read_within_a_day_is_healthy_and_stale_after() {
        let read = facts(Some(at(6, 12)), "succeeded", None);
        assert_eq!(state(&read, at(7, 11)), State::Healthy);
        assert_eq!(state(&read, at(7, 13)), State::Stale);
        let partial = facts(Some(at(6, 12)), "partial", None);
        assert_eq!(state(&partial, at(6, 14)), State::Healthy);
    }

    #[test]
    fn a_council_whose_last_run_failed_is_failing_for_as_long_as_it_has() {
        let failing = facts(Some(at(1, 12)), "failed", Some(at(2, 10)));
        assert_eq!(state(&failing, at(5, 9)), State::Failing);
        assert_eq!(failing_days(&failing, at(5, 9)), Some(2));
        assert_eq!(failing_days(&failing, at(5, 10)), Some(3));
        let never_read = RunFacts { last_read_at: None, ..failing.clone() };
        assert_eq!(state(&never_read, at(5, 9)), State::Failing);
        assert_eq!(state(&RunFacts { enabled: true, ..Default::default() }, at(5, 9)), State::NotYetRead);
        assert_eq!(state(&RunFacts { enabled: false, ..failing }, at(5, 9)), State::Disabled);
    }

    #[test]
    fn operators_are_told_once_after_three_days_of_failures() {
        let failing = facts(Some(at(1, 12)), "failed", Some(at(2, 10)));
        assert!(!needs_flag(&failing, None, at(5, 9)), "not three days yet");
        assert!(needs_flag(&failing, None, at(5, 10)));
        assert!(!needs_flag(&failing, Some(at(5, 10)), at(6, 10)), "told already");
        // A later run of failures, after a good read, is told again.
        let again = facts(Some(at(8, 12)), "failed", Some(at(9, 0)));
        assert!(needs_flag(&again, Some(at(5, 10)), at(12, 0)));
        // A council that recovered is not flagged.
        assert!(!needs_flag(&facts(Some(at(5, 12)), "succeeded", None), None, at(6, 0)));
    }

    #[test]
    fn failures_are_named_by_kind() {
        assert_eq!(failure_kind("HTTP status 404"), "page moved or gone");
        assert_eq!(failure_kind("a JavaScript redirect stub instead of data"), "page moved or gone");
        assert_eq!(failure_kind("HTTP status 503"), "site unreachable");
        assert_eq!(failure_kind("network error: connection refused"), "site unreachable");
        assert_eq!(failure_kind("no complete answer within 30 s"), "site unreachable");
        assert_eq!(failure_kind("no text layer in the PDF"), "document unreadable");
        assert_eq!(failure_kind("malformed XML: unexpected end"), "platform error");
    }

    #[test]
    fn the_newest_summary_says_how_summaries_are_written() {
        assert_eq!(SummaryMode::of(Some("model"), None), SummaryMode::ModelWritten);
        assert_eq!(
            SummaryMode::of(Some("extractive"), Some("monthly token budget reached: extractive summary")),
            SummaryMode::PausedBudget
        );
        assert_eq!(SummaryMode::of(Some("extractive"), Some("council not supported")), SummaryMode::Extractive);
        assert_eq!(SummaryMode::of(None, None), SummaryMode::NoneYet);
    }
}

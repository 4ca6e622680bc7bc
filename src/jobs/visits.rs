//! Which meetings a refresh visits, for every platform: those a listing
//! found that the schedule says are due, and past ones outside the window
//! still owed minutes or a full read; each visit is one `FetchMeeting` message.

use chrono::Duration;
use worker::Result;

use super::context::JobContext;
use super::schedule::{self, VisitState};
use super::{batches, Job};
use crate::model::MeetingListing;
use crate::storage::records::MeetingRow;
use crate::storage::{ListingCounts, Store};
use crate::time::now_utc;

pub(super) fn day_text(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Past meetings before the listing window (from `from`) still waiting for
/// minutes, those of them due a visit, and the counts for the run.
pub(super) async fn tracked_visits(
    store: &Store,
    council_id: &str,
    today: chrono::NaiveDate,
    from: chrono::NaiveDate,
    full: bool,
) -> Result<(Vec<(MeetingListing, String)>, ListingCounts)> {
    let now_instant = now_utc();
    let tracked_from = day_text(today - Duration::days(schedule::LATE_MINUTES_DAYS));
    let tracked = store.tracked_meetings(council_id, &tracked_from, &day_text(from - Duration::days(1))).await?;
    let tracked_count = tracked.len();
    let mut visits: Vec<(MeetingListing, String)> = Vec::new();
    for meeting in tracked {
        let Some(state) =
            visit_state(&meeting.local_date, meeting.visited_at.as_deref(), meeting.minutes_published, &meeting.status)
        else {
            continue;
        };
        if schedule::is_due(&state, today, now_instant, full) {
            let listing = MeetingListing {
                source_id: meeting.source_id,
                committee_source_id: meeting.committee_source_id,
                date: state.date,
                time_text: meeting.local_time,
                status: crate::model::MeetingStatus::parse(&meeting.status),
                page_url: Some(meeting.web_url),
            };
            visits.push((listing, meeting.committee_title));
        }
    }
    let counts = ListingCounts { planned: visits.len(), skipped: tracked_count - visits.len(), missing: 0 };
    Ok((visits, counts))
}

pub(super) async fn enqueue_visits(
    ctx: &JobContext<'_>,
    council_id: &str,
    run_id: &str,
    read_as: &str,
    visits: Vec<(MeetingListing, String)>,
) -> Result<()> {
    let jobs: Vec<Job> = visits
        .into_iter()
        .map(|(listing, committee_title)| Job::FetchMeeting {
            council_id: council_id.to_string(),
            run_id: run_id.to_string(),
            read_as: read_as.to_string(),
            committee_title,
            listing,
        })
        .collect();
    for batch in batches(&jobs, 100) {
        ctx.queue.send_batch(batch).await?;
    }
    Ok(())
}

/// The listed meetings due a visit now: never read, or due by the schedule.
pub(super) async fn due_visits(
    store: &Store,
    council_id: &str,
    listed: &[(MeetingListing, MeetingRow, String)],
    today: chrono::NaiveDate,
    full: bool,
    title_of: impl Fn(&str) -> String,
) -> Result<Vec<(MeetingListing, String)>> {
    let now_instant = now_utc();
    let meeting_ids: Vec<&str> = listed.iter().map(|(_, row, _)| row.id.as_str()).collect();
    let states = store.visit_states(council_id, &meeting_ids).await?;
    Ok(listed
        .iter()
        .filter(|(_, row, _)| {
            states
                .get(&row.id)
                .and_then(|row| {
                    visit_state(&row.local_date, row.visited_at.as_deref(), row.minutes_published, &row.status)
                })
                .is_none_or(|state| schedule::is_due(&state, today, now_instant, full))
        })
        .map(|(listing, _, _)| (listing.clone(), title_of(&listing.committee_source_id)))
        .collect())
}

fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A stored meeting's state for the visit schedule, from its D1 columns.
fn visit_state(local_date: &str, visited_at: Option<&str>, minutes_published: i64, status: &str) -> Option<VisitState> {
    Some(VisitState {
        date: parse_day(local_date)?,
        visited_at: visited_at.and_then(crate::time::parse_instant),
        minutes_published: minutes_published != 0,
        cancelled: status == "cancelled",
    })
}

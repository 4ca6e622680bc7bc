//! Refreshing a CMIS council: find its calendar, read the months that cover
//! the window (one message each), store the meetings and committees the
//! calendar shows, and read those due. Meetings are then read and stored by
//! the same meeting job as ModernGov's (`Mode::Cmis`).

use chrono::NaiveDate;
use worker::Result;

use super::context::{fetcher, now, JobContext};
use super::visits::{day_text, due_visits, enqueue_visits, tracked_visits};
use super::{batches, Job, JobOutcome};
use crate::model::{Committee, MeetingDetail};
use crate::sources::cmis::{self, CalendarSite};
use crate::sources::moderngov::Mode;
use crate::storage::records::meeting_row;
use crate::storage::{CouncilRow, ListingCounts};
use crate::time::{local_date, now_utc, parse_time_zone};

/// A council whose certificate is known to be faulty says so beside a connection failure.
fn with_certificate_note(council: &CouncilRow, error: &crate::sources::SourceError) -> String {
    match (council.https_note.as_deref(), error) {
        (Some("cert-issues"), crate::sources::SourceError::Network(_)) => {
            format!("{error} (the site's TLS certificate is known to be faulty: browsers and this service refuse it)")
        }
        _ => error.to_string(),
    }
}

/// Part 0 of a CMIS refresh: the calendar's module, one listing part per month.
pub async fn refresh_council(
    ctx: &JobContext<'_>,
    council: &CouncilRow,
    run_id: &str,
    (from, to): (NaiveDate, NaiveDate),
    full: bool,
) -> Result<JobOutcome> {
    let store = ctx.store;
    let fetcher = fetcher(ctx, council);
    let found = cmis::discover(&fetcher, &council.base_url).await;
    store.log_fetches(Some(run_id), &council.id, &fetcher.take_log()).await?;
    let site = match found {
        Ok(site) => site,
        Err(error) if error.is_transient() => {
            store.run_error(run_id, &format!("calendar page: {error}")).await?;
            return Ok(JobOutcome::Retry(error.to_string()));
        }
        Err(error) => {
            store
                .run_failed(run_id, &format!("calendar page: {}", with_certificate_note(council, &error)), &now())
                .await?;
            return Ok(JobOutcome::Done);
        }
    };
    let window = (day_text(from), day_text(to));
    store.save_plan(council, &[], &[], &[], (&window.0, &window.1), Mode::Cmis.as_str(), &now()).await?;
    let parts: Vec<Job> = cmis::months(from, to)
        .into_iter()
        .enumerate()
        .map(|(index, month)| Job::ListCalendarMonth {
            council_id: council.id.clone(),
            run_id: run_id.to_string(),
            site: site.clone(),
            part: index as u32 + 1,
            month,
            from,
            to,
            full,
        })
        .collect();
    store.run_listing(run_id, Mode::Cmis.as_str(), (&window.0, &window.1), 0, parts.len() + 1, &now()).await?;
    let today = local_date(now_utc(), parse_time_zone(&council.time_zone));
    let (visits, counts) = tracked_visits(store, &council.id, today, from, full).await?;
    for batch in batches(&parts, 100) {
        ctx.queue.send_batch(batch).await?;
    }
    enqueue_visits(ctx, &council.id, run_id, Mode::Cmis, visits).await?;
    store.listing_part_done(run_id, 0, counts, None, &now()).await?;
    Ok(JobOutcome::Done)
}

/// One month of the calendar: its meetings in the window are stored (with the
/// committees the calendar names) and those due are read.
#[allow(clippy::too_many_arguments)]
pub async fn list_month(
    ctx: &JobContext<'_>,
    council_id: &str,
    run_id: &str,
    site: &CalendarSite,
    part: u32,
    month: NaiveDate,
    (from, to): (NaiveDate, NaiveDate),
    full: bool,
) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(council) = store.council(council_id).await? else {
        store
            .listing_part_done(run_id, part, ListingCounts::default(), Some("council is not registered"), &now())
            .await?;
        return Ok(JobOutcome::Done);
    };
    let fetcher = fetcher(ctx, &council);
    let listed = cmis::list_month(&fetcher, &council.base_url, site, month).await;
    store.log_fetches(Some(run_id), council_id, &fetcher.take_log()).await?;
    let label = month.format("%B %Y");
    let meetings = match listed {
        Ok(meetings) => meetings,
        Err(error) if error.is_transient() => {
            let message = format!("calendar for {label}: {error}");
            store.run_error(run_id, &message).await?;
            return Ok(JobOutcome::Retry(message));
        }
        Err(error) => {
            let message = format!("calendar for {label}: {error}");
            store.listing_part_done(run_id, part, ListingCounts::default(), Some(&message), &now()).await?;
            return Ok(JobOutcome::Done);
        }
    };
    let zone = parse_time_zone(&council.time_zone);
    let today = local_date(now_utc(), zone);
    let in_window: Vec<&cmis::CalendarMeeting> = meetings.iter().filter(|m| m.date >= from && m.date <= to).collect();
    let mut committees: Vec<Committee> = Vec::new();
    for meeting in &in_window {
        if !committees.iter().any(|c| c.source_id == meeting.committee_id) {
            committees.push(Committee {
                source_id: meeting.committee_id.clone(),
                title: meeting.committee_title.clone(),
                category: None,
                is_deleted: false,
                is_expired: false,
            });
        }
    }
    let title_of = |committee: &str| {
        committees.iter().find(|c| c.source_id == committee).map_or_else(|| "Meeting".to_string(), |c| c.title.clone())
    };
    let listed: Vec<_> = in_window
        .iter()
        .map(|meeting| {
            let listing = cmis::listing(meeting);
            let row = meeting_row(&council.id, &meeting.committee_title, &listing, &MeetingDetail::default(), zone);
            (listing, row, meeting.page_url.clone())
        })
        .collect();
    let window = (day_text(from), day_text(to));
    // A month shows only its own days: no meeting is marked missing from it.
    store.save_plan(&council, &committees, &listed, &[], (&window.0, &window.1), Mode::Cmis.as_str(), &now()).await?;
    let visits = due_visits(store, &council.id, &listed, today, full, title_of).await?;
    let counts = ListingCounts { planned: visits.len(), skipped: listed.len() - visits.len(), missing: 0 };
    enqueue_visits(ctx, &council.id, run_id, Mode::Cmis, visits).await?;
    store.listing_part_done(run_id, part, counts, None, &now()).await?;
    Ok(JobOutcome::Done)
}

//! Refreshing a council: plan its window, then fetch and store each meeting.

use chrono::Duration;
use worker::{Queue, Result};

use super::context::{fetcher, now, JobContext};
use super::fault;
use super::schedule;
use super::visits::{day_text, due_visits, enqueue_visits, tracked_visits};
use super::{batches, Job, JobOutcome};
use crate::model::{MeetingDetail, MeetingListing, Platform};

use crate::sources::moderngov::{
    self, fetch_meeting, list_committees, list_meetings, meeting_urls, MeetingFetch, Mode, WebServiceSetting,
};
use crate::sources::partial::{self, FailedPart};
use crate::sources::SourceError;
use crate::storage::records::{describe_changes, fingerprint, meeting_id, meeting_row, Fingerprint};
use crate::storage::text::TextStore;
use crate::storage::{CouncilRow, ListingCounts, MeetingOutcome, Store};
use crate::time::{local_date, now_utc, parse_time_zone};

pub(super) fn new_run_id(council_id: &str) -> String {
    let random = (worker::js_sys::Math::random() * 1e9) as u64;
    format!("{council_id}-{}-{random:09}", now_utc().timestamp_millis())
}

/// Records a run and enqueues its refresh; answers the run id, or `Err` with
/// the id of the council's run still in progress (one run per council at a time).
/// A `full` run visits every meeting the schedule tracks, due or not.
pub async fn start_refresh(
    store: &Store,
    queue: &Queue,
    council_id: &str,
    trigger: &str,
    full: bool,
) -> Result<std::result::Result<String, String>> {
    let run_id = new_run_id(council_id);
    if let Err(open) = store.create_run(&run_id, council_id, trigger, full, &now()).await? {
        return Ok(Err(open));
    }
    queue.send(Job::RefreshCouncil { council_id: council_id.to_string(), run_id: run_id.clone() }).await?;
    Ok(Ok(run_id))
}

/// Part 0 of a refresh: read the council's committees, plan the listing parts,
/// and read past meetings outside the listing window still waiting for minutes.
pub(super) async fn refresh_council(ctx: &JobContext<'_>, council_id: &str, run_id: &str) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(council) = store.council(council_id).await? else {
        store.run_failed(run_id, "council is not registered", &now()).await?;
        return Ok(JobOutcome::Done);
    };
    if council.platform == Platform::Other {
        store.run_failed(run_id, &format!("no adapter for platform {}", council.platform.as_str()), &now()).await?;
        return Ok(JobOutcome::Done);
    }
    let zone = parse_time_zone(&council.time_zone);
    let today = local_date(now_utc(), zone);
    let full = store.run_record(run_id).await?.is_some_and(|run| run["full_visit"].as_i64() == Some(1));
    let first_refresh = !store.council_has_meetings(council_id).await?;
    let settings = ctx.settings;
    let (from, to) = schedule::listing_window(
        today,
        settings.window_days_back,
        settings.window_days_ahead,
        first_refresh,
        settings.backfill_days,
    );
    if council.platform == Platform::Cmis {
        return super::cmis::refresh_council(ctx, &council, run_id, (from, to), full).await;
    }
    let fetcher = fetcher(ctx, &council);
    let setting = WebServiceSetting::parse(&council.web_service);
    let listed = list_committees(&fetcher, &council.base_url, setting).await;
    store.log_fetches(Some(run_id), council_id, &fetcher.take_log()).await?;
    let list = match listed {
        Ok(list) => list,
        Err(error) if error.is_transient() => {
            store.run_error(run_id, &error.to_string()).await?;
            return Ok(JobOutcome::Retry(error.to_string()));
        }
        Err(error) => {
            store.run_failed(run_id, &error.to_string(), &now()).await?;
            return Ok(JobOutcome::Done);
        }
    };
    let window = (day_text(from), day_text(to));
    store.save_plan(&council, &list.committees, &[], &[], (&window.0, &window.1), list.mode.as_str(), &now()).await?;

    let to_read: Vec<(String, String)> = list.to_read().into_iter().map(|c| (c.source_id, c.title)).collect();
    let parts: Vec<Job> = to_read
        .chunks(settings.committees_per_part)
        .enumerate()
        .map(|(index, committees)| Job::ListMeetings {
            council_id: council.id.clone(),
            run_id: run_id.to_string(),
            mode: list.mode,
            part: index as u32 + 1,
            committees: committees.to_vec(),
            from,
            to,
            full,
        })
        .collect();
    let note = list.web_service_error.as_ref().map(|e| format!("web service unavailable, used HTML pages ({e})"));
    if let Some(note) = &note {
        worker::console_log!("{council_id}: {note}");
    }
    store
        .run_listing(run_id, list.mode.as_str(), (&window.0, &window.1), list.committees.len(), parts.len() + 1, &now())
        .await?;

    let (visits, counts) = tracked_visits(store, &council.id, today, from, full).await?;
    // Messages first, then the count: a part counted is a part whose work is queued.
    for batch in batches(&parts, 100) {
        ctx.queue.send_batch(batch).await?;
    }
    // The decisions registers, read at most every few hours (not part of the run's count).
    if super::decisions::registers_due(council.decisions_read_at.as_deref(), now_utc()) {
        let (decisions_from, decisions_to) = (today - Duration::days(settings.window_days_back), today);
        ctx.queue
            .send(Job::ListDecisions { council_id: council.id.clone(), from: decisions_from, to: decisions_to })
            .await?;
    }
    enqueue_visits(ctx, &council.id, run_id, list.mode, visits).await?;
    store.listing_part_done(run_id, 0, counts, None, &now()).await?;
    Ok(JobOutcome::Done)
}

/// One listing part: some committees' meetings in the window are stored, the
/// ones the council no longer lists marked, and those due are read.
#[allow(clippy::too_many_arguments)]
pub(super) async fn list_part(
    ctx: &JobContext<'_>,
    council_id: &str,
    run_id: &str,
    mode: Mode,
    part: u32,
    committees: &[(String, String)],
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    full: bool,
) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(council) = store.council(council_id).await? else {
        store
            .listing_part_done(run_id, part, ListingCounts::default(), Some("council is not registered"), &now())
            .await?;
        return Ok(JobOutcome::Done);
    };
    let zone = parse_time_zone(&council.time_zone);
    let today = local_date(now_utc(), zone);
    let fetcher = fetcher(ctx, &council);
    let ids: Vec<String> = committees.iter().map(|(id, _)| id.clone()).collect();
    let listed = list_meetings(&fetcher, &council.base_url, mode, &ids, (from, to)).await;
    store.log_fetches(Some(run_id), council_id, &fetcher.take_log()).await?;
    let lists = match listed {
        Ok(lists) => lists,
        Err(error) if error.is_transient() => {
            let message = format!("committees {}: {error}", ids.join(", "));
            store.run_error(run_id, &message).await?;
            return Ok(JobOutcome::Retry(message));
        }
        Err(error) => {
            let errors: Vec<(String, SourceError)> = ids.iter().map(|id| (id.clone(), error.clone())).collect();
            crate::sources::moderngov::MeetingLists { meetings: Vec::new(), committee_errors: errors }
        }
    };
    let title_of = |committee: &str| {
        committees.iter().find(|(id, _)| id == committee).map_or_else(|| "Meeting".to_string(), |(_, t)| t.clone())
    };
    let mut listed: Vec<(MeetingListing, _, String)> = Vec::new();
    for listing in &lists.meetings {
        if listed.iter().any(|(l, _, _)| l.source_id == listing.source_id) {
            continue;
        }
        let row =
            meeting_row(&council.id, &title_of(&listing.committee_source_id), listing, &MeetingDetail::default(), zone);
        let web_url =
            moderngov::urls::meeting_page(&council.base_url, &listing.committee_source_id, &listing.source_id);
        listed.push((listing.clone(), row, web_url));
    }
    let failed: Vec<&str> = lists.committee_errors.iter().map(|(id, _)| id.as_str()).collect();
    let read_committees: Vec<String> = ids.iter().filter(|id| !failed.contains(&id.as_str())).cloned().collect();
    let window = (day_text(from), day_text(to));
    let missing = store
        .save_plan(&council, &[], &listed, &read_committees, (&window.0, &window.1), mode.as_str(), &now())
        .await?;
    let errors: Vec<String> =
        lists.committee_errors.iter().map(|(id, error)| format!("committee {id}: {error}")).collect();
    let error = (!errors.is_empty()).then(|| errors.join("; "));

    let visits = due_visits(store, &council.id, &listed, today, full, title_of).await?;
    let counts = ListingCounts { planned: visits.len(), skipped: listed.len() - visits.len(), missing };
    enqueue_visits(ctx, &council.id, run_id, mode, visits).await?;
    store.listing_part_done(run_id, part, counts, error.as_deref(), &now()).await?;
    Ok(JobOutcome::Done)
}

pub(super) async fn refresh_meeting(
    ctx: &JobContext<'_>,
    council_id: &str,
    run_id: &str,
    mode: Mode,
    committee_title: &str,
    listing: &MeetingListing,
) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(council) = store.council(council_id).await? else {
        store
            .meeting_done(run_id, &listing.source_id, MeetingOutcome::Failed, Some("council is not registered"), &now())
            .await?;
        return Ok(JobOutcome::Done);
    };
    let fetcher = fetcher(ctx, &council);
    let fetched = match (mode, &listing.page_url) {
        // CMIS: the page the calendar links, with every page of its attendance grid.
        (Mode::Cmis, Some(page_url)) => {
            let read = crate::sources::cmis::fetch_meeting(&fetcher, page_url, &listing.source_id).await;
            read.map(|read| MeetingFetch::Fetched {
                detail: read.detail,
                validators: Vec::new(),
                failed_part: read.note.map(|note| (FailedPart::AttendancePages, note)),
            })
        }
        (Mode::Cmis, None) => Err(SourceError::UnexpectedPage("no page address for this CMIS meeting".into())),
        _ => {
            let urls = meeting_urls(&council.base_url, mode, &listing.committee_source_id, &listing.source_id);
            let known = store.validators(&urls).await?;
            fetch_meeting(&fetcher, &council.base_url, mode, &listing.committee_source_id, &listing.source_id, &known)
                .await
        }
    };
    store.log_fetches(Some(run_id), council_id, &fetcher.take_log()).await?;
    let meeting = meeting_id(council_id, &listing.source_id);
    let (mut detail, validators, failed_part) = match fetched {
        Ok(MeetingFetch::NotModified) => {
            store.meeting_visited(&meeting, &now()).await?;
            store.meeting_done(run_id, &listing.source_id, MeetingOutcome::Unchanged, None, &now()).await?;
            super::documents::enqueue_meeting_documents(ctx, council_id, &meeting, false).await?;
            return Ok(JobOutcome::Done);
        }
        Ok(MeetingFetch::Fetched { detail, validators, failed_part }) => (detail, validators, failed_part),
        Err(error) if error.is_transient() => {
            let message = format!("meeting {}: {error}", listing.source_id);
            store.run_error(run_id, &message).await?;
            return Ok(JobOutcome::Retry(message));
        }
        Err(error) => {
            let message = format!("meeting {}: {error}", listing.source_id);
            store.meeting_done(run_id, &listing.source_id, MeetingOutcome::Failed, Some(&message), &now()).await?;
            return Ok(JobOutcome::Done);
        }
    };
    // A part of the read failed (the meeting page, later attendance pages):
    // everything the parts that answered say is stored, and from the previous
    // read only what the failed part alone said is kept. The failure is
    // recorded on the meeting, which is read again at the next refresh.
    let read_error = match &failed_part {
        Some((part, why)) => {
            if let Some(previous) = store.stored_read(council_id, &meeting).await? {
                partial::keep_from_previous(&mut detail, &previous, *part);
            }
            if *part == FailedPart::MeetingPage {
                // Fetched in full next time, whatever validators it sent before.
                store
                    .forget_validators(&moderngov::urls::meeting_page(
                        &council.base_url,
                        &listing.committee_source_id,
                        &listing.source_id,
                    ))
                    .await?;
            }
            Some(format!("meeting {}: {why}", listing.source_id))
        }
        None => None,
    };
    let outcome = store_meeting(ctx, &council, run_id, mode, committee_title, listing, &detail, &validators).await?;
    fault::point(ctx.env, ctx.settings, council_id, "after_meeting_saved").await?;
    if matches!(outcome, MeetingOutcome::New | MeetingOutcome::Changed) {
        let data = serde_json::json!({
            "council_id": council_id, "meeting_id": meeting, "outcome": outcome.as_str(),
            "date": listing.date.to_string(), "committee": committee_title,
            "url": super::webhooks::public_link(ctx, &format!("/meetings/{meeting}")),
            "source_url": listing.page_url.clone().unwrap_or_else(|| moderngov::urls::meeting_page(&council.base_url, &listing.committee_source_id, &listing.source_id)),
        });
        super::webhooks::emit(ctx, council_id, ("meeting.updated", &format!("{meeting}:{run_id}")), data).await?;
    }
    // A summary still owed (an earlier delivery stored the meeting but stopped
    // before asking for it) is asked for again; the input hash keeps it cheap.
    let summary_owed = outcome == MeetingOutcome::Unchanged
        && store.meeting_state(&meeting).await?.is_some_and(|state| state.summary_owed());
    if outcome == MeetingOutcome::Unchanged {
        store.meeting_visited(&meeting, &now()).await?;
    }
    if let Some(message) = &read_error {
        // After the save, which clears it; it shows on the meeting's page.
        store.meeting_read_error(&meeting, message).await?;
    }
    if outcome != MeetingOutcome::Unchanged || read_error.is_some() {
        crate::storage::version::bump(ctx.env, council_id).await;
    }
    let all = outcome != MeetingOutcome::Unchanged;
    super::documents::enqueue_meeting_documents(ctx, council_id, &meeting, all).await?;
    fault::point(ctx.env, ctx.settings, council_id, "after_queue_send").await?;
    if all || summary_owed {
        super::summaries::request_summary(ctx, council_id, &meeting, ctx.settings.summary_delay_seconds).await?;
    }
    // Counted last, so that a run is closed only when its meetings' work is queued.
    store.meeting_done(run_id, &listing.source_id, outcome, read_error.as_deref(), &now()).await?;
    Ok(JobOutcome::Done)
}

#[allow(clippy::too_many_arguments)]
async fn store_meeting(
    ctx: &JobContext<'_>,
    council: &CouncilRow,
    run_id: &str,
    mode: Mode,
    committee_title: &str,
    listing: &MeetingListing,
    detail: &MeetingDetail,
    validators: &[(String, crate::net::Validators)],
) -> Result<MeetingOutcome> {
    let store = ctx.store;
    let zone = parse_time_zone(&council.time_zone);
    let row = meeting_row(&council.id, committee_title, listing, detail, zone);
    let new_fingerprint = fingerprint(&council.id, &row, detail);
    let state = store.meeting_state(&meeting_id(&council.id, &listing.source_id)).await?;
    let previous = state.as_ref().and_then(|s| s.detail_hash.as_ref().map(|hash| (hash, s.fingerprint.as_deref())));
    let (outcome, changes) = match previous {
        None => (MeetingOutcome::New, Vec::new()),
        Some((hash, _)) if *hash == new_fingerprint.digest() => {
            // Saved already by this run (its message is being delivered again): count it as then.
            let state = state.as_ref().expect("a previous hash comes from a state");
            let saved_now = state.saved_by_run.as_deref() == Some(run_id);
            return Ok(match state.saved_outcome.as_deref() {
                Some("new") if saved_now => MeetingOutcome::New,
                Some("changed") if saved_now => MeetingOutcome::Changed,
                _ => MeetingOutcome::Unchanged,
            });
        }
        Some((_, old)) => {
            let old: Fingerprint = old.and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default();
            let changes = describe_changes(&old, &new_fingerprint);
            let outcome = if changes.is_empty() { MeetingOutcome::Unchanged } else { MeetingOutcome::Changed };
            (outcome, changes)
        }
    };
    let removed_text = store
        .save_meeting(
            &council.id,
            Some(run_id),
            &row,
            detail,
            &new_fingerprint,
            &changes,
            validators,
            mode.as_str(),
            outcome,
            &now(),
        )
        .await?;
    // Text of documents the meeting no longer lists; losing this delete only leaves litter.
    let texts = TextStore::new(ctx.bucket);
    for key in removed_text {
        texts.delete(&key).await;
    }
    Ok(outcome)
}

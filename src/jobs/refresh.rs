//! Refreshing a council, one pipeline for every platform: its adapter
//! (`sources::platform`) plans the window's listing parts, each part is one
//! message that lists meetings and queues those due, and each meeting is one
//! message that reads and stores it.

use chrono::Duration;
use worker::{Queue, Result};

use super::context::{fetcher, now, JobContext};
use super::fault;
use super::schedule;
use super::visits::{day_text, due_visits, enqueue_visits, tracked_visits};
use super::{batches, Job, JobOutcome};

use crate::model::{MeetingDetail, MeetingListing};
use crate::sources::partial::{self, FailedPart};
use crate::sources::platform::{CouncilSite, MeetingFetch, PlanFailure, PlatformAdapter, Window};
use crate::storage::records::{describe_changes, fingerprint, meeting_id, meeting_row, Fingerprint};
use crate::storage::text::TextStore;
use crate::storage::{CouncilRow, ListingCounts, MeetingOutcome, Store};
use crate::time::{local_date, now_utc, parse_time_zone};
use crate::with_adapter;

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

/// A council's registered facts, as its platform reads them.
fn site_of(council: &CouncilRow) -> CouncilSite<'_> {
    CouncilSite { base_url: &council.base_url, web_service: &council.web_service }
}

/// A council whose certificate is known to be faulty says so beside a connection failure.
fn with_certificate_note(council: &CouncilRow, failure: &PlanFailure) -> String {
    match (council.https_note.as_deref(), failure.network) {
        (Some("cert-issues"), true) => format!(
            "{} (the site's TLS certificate is known to be faulty: browsers and this service refuse it)",
            failure.message
        ),
        _ => failure.message.clone(),
    }
}

/// Part 0 of a refresh: the council's platform plans the listing parts; past
/// meetings outside the listing window still waiting for minutes are read.
pub(super) async fn refresh_council(ctx: &JobContext<'_>, council_id: &str, run_id: &str) -> Result<JobOutcome> {
    let Some(council) = ctx.store.council(council_id).await? else {
        ctx.store.run_failed(run_id, "council is not registered", &now()).await?;
        return Ok(JobOutcome::Done);
    };
    with_adapter!(council.platform, |adapter| plan_refresh(ctx, adapter, &council, run_id).await, else {
        let message = format!("no adapter for platform {}", council.platform.as_str());
        ctx.store.run_failed(run_id, &message, &now()).await?;
        Ok(JobOutcome::Done)
    })
}

async fn plan_refresh<A: PlatformAdapter>(
    ctx: &JobContext<'_>,
    adapter: &A,
    council: &CouncilRow,
    run_id: &str,
) -> Result<JobOutcome> {
    let store = ctx.store;
    let zone = parse_time_zone(&council.time_zone);
    let today = local_date(now_utc(), zone);
    let full = store.run_record(run_id).await?.is_some_and(|run| run["full_visit"].as_i64() == Some(1));
    let first_refresh = !store.council_has_meetings(&council.id).await?;
    let settings = ctx.settings;
    let (from, to) = schedule::listing_window(
        today,
        settings.window_days_back,
        settings.window_days_ahead,
        first_refresh,
        settings.backfill_days,
    );
    let fetcher = fetcher(ctx, council);
    let planned = adapter.plan(&fetcher, site_of(council), (from, to), settings.committees_per_part).await;
    store.log_fetches(Some(run_id), &council.id, &fetcher.take_log()).await?;
    let plan = match planned {
        Ok(plan) => plan,
        Err(failure) if failure.transient => {
            store.run_error(run_id, &failure.message).await?;
            return Ok(JobOutcome::Retry(failure.message));
        }
        Err(failure) => {
            store.run_failed(run_id, &with_certificate_note(council, &failure), &now()).await?;
            return Ok(JobOutcome::Done);
        }
    };
    let window = (day_text(from), day_text(to));
    store.save_plan(council, &plan.committees, &[], &[], (&window.0, &window.1), plan.read_as, &now()).await?;
    let mut parts = Vec::with_capacity(plan.parts.len());
    for (index, part) in plan.parts.iter().enumerate() {
        let plan_part = serde_json::to_string(part).map_err(|e| worker::Error::RustError(e.to_string()))?;
        parts.push(Job::ListPart {
            council_id: council.id.clone(),
            run_id: run_id.to_string(),
            read_as: plan.read_as.to_string(),
            part: index as u32 + 1,
            plan_part,
            from,
            to,
            full,
        });
    }
    if let Some(note) = &plan.note {
        worker::console_log!("{}: {note}", council.id);
    }
    store
        .run_listing(run_id, plan.read_as, (&window.0, &window.1), plan.committees.len(), parts.len() + 1, &now())
        .await?;

    let (visits, counts) = tracked_visits(store, &council.id, today, from, full).await?;
    // Messages first, then the count: a part counted is a part whose work is queued.
    for batch in batches(&parts, 100) {
        ctx.queue.send_batch(batch).await?;
    }
    // The decisions registers, read at most every few hours (not part of the run's count).
    if adapter.offers().decisions && super::decisions::registers_due(council.decisions_read_at.as_deref(), now_utc()) {
        let (decisions_from, decisions_to) = (today - Duration::days(settings.window_days_back), today);
        ctx.queue
            .send(Job::ListDecisions { council_id: council.id.clone(), from: decisions_from, to: decisions_to })
            .await?;
    }
    enqueue_visits(ctx, &council.id, run_id, plan.read_as, visits).await?;
    store.listing_part_done(run_id, 0, counts, None, &now()).await?;
    Ok(JobOutcome::Done)
}

/// How a listing part is named in the run's record, by the council's platform.
pub(super) async fn part_label(ctx: &JobContext<'_>, council_id: &str, part: u32, plan_part: &str) -> Result<String> {
    let fallback = format!("listing part {part}");
    let Some(council) = ctx.store.council(council_id).await? else { return Ok(fallback) };
    Ok(with_adapter!(council.platform, |adapter| decode_part(adapter, plan_part)
        .map_or(fallback, |decoded| adapter.part_label(&decoded)), else fallback))
}

fn decode_part<A: PlatformAdapter>(_adapter: &A, plan_part: &str) -> Option<A::Part> {
    serde_json::from_str(plan_part).ok()
}

/// One listing part: its meetings in the window are stored (with any
/// committees it names), the ones no longer listed marked, and those due read.
#[allow(clippy::too_many_arguments)]
pub(super) async fn list_part(
    ctx: &JobContext<'_>,
    council_id: &str,
    run_id: &str,
    read_as: &str,
    part: u32,
    plan_part: &str,
    window: Window,
    full: bool,
) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(council) = store.council(council_id).await? else {
        store
            .listing_part_done(run_id, part, ListingCounts::default(), Some("council is not registered"), &now())
            .await?;
        return Ok(JobOutcome::Done);
    };
    let read = ListPartRead { run_id, read_as, part, window, full };
    with_adapter!(council.platform, |adapter| list_part_with(ctx, adapter, &council, &read, plan_part).await, else {
        let message = format!("no adapter for platform {}", council.platform.as_str());
        store.listing_part_done(run_id, part, ListingCounts::default(), Some(&message), &now()).await?;
        Ok(JobOutcome::Done)
    })
}

/// What a listing part's message says besides its platform's part.
struct ListPartRead<'a> {
    run_id: &'a str,
    read_as: &'a str,
    part: u32,
    window: Window,
    full: bool,
}

async fn list_part_with<A: PlatformAdapter>(
    ctx: &JobContext<'_>,
    adapter: &A,
    council: &CouncilRow,
    read: &ListPartRead<'_>,
    plan_part: &str,
) -> Result<JobOutcome> {
    let store = ctx.store;
    let (run_id, part) = (read.run_id, read.part);
    let Some(decoded) = decode_part(adapter, plan_part) else {
        let message = format!("listing part {part} is not one this platform plans");
        store.listing_part_done(run_id, part, ListingCounts::default(), Some(&message), &now()).await?;
        return Ok(JobOutcome::Done);
    };
    let label = adapter.part_label(&decoded);
    let zone = parse_time_zone(&council.time_zone);
    let today = local_date(now_utc(), zone);
    let fetcher = fetcher(ctx, council);
    let listed = adapter.list(&fetcher, site_of(council), &decoded, read.window).await;
    store.log_fetches(Some(run_id), &council.id, &fetcher.take_log()).await?;
    let listed = match listed {
        Ok(listed) => listed,
        Err(error) if error.is_transient() => {
            let message = format!("{label}: {error}");
            store.run_error(run_id, &message).await?;
            return Ok(JobOutcome::Retry(message));
        }
        Err(error) => {
            let message = format!("{label}: {error}");
            store.listing_part_done(run_id, part, ListingCounts::default(), Some(&message), &now()).await?;
            return Ok(JobOutcome::Done);
        }
    };
    let rows: Vec<(MeetingListing, _, String)> = listed
        .meetings
        .iter()
        .map(|m| {
            let row = meeting_row(&council.id, &m.committee_title, &m.listing, &MeetingDetail::default(), zone);
            (m.listing.clone(), row, m.web_url.clone())
        })
        .collect();
    let window = (day_text(read.window.0), day_text(read.window.1));
    let missing = store
        .save_plan(
            council,
            &listed.committees,
            &rows,
            &listed.complete_for,
            (&window.0, &window.1),
            read.read_as,
            &now(),
        )
        .await?;
    let error = (!listed.errors.is_empty()).then(|| listed.errors.join("; "));
    let title_of = |committee: &str| {
        listed
            .meetings
            .iter()
            .find(|m| m.listing.committee_source_id == committee)
            .map_or_else(|| "Meeting".to_string(), |m| m.committee_title.clone())
    };
    let visits = due_visits(store, &council.id, &rows, today, read.full, title_of).await?;
    let counts = ListingCounts { planned: visits.len(), skipped: rows.len() - visits.len(), missing };
    enqueue_visits(ctx, &council.id, run_id, read.read_as, visits).await?;
    store.listing_part_done(run_id, part, counts, error.as_deref(), &now()).await?;
    Ok(JobOutcome::Done)
}

/// Reads one meeting through its council's platform and stores it.
pub(super) async fn refresh_meeting(
    ctx: &JobContext<'_>,
    council_id: &str,
    run_id: &str,
    read_as: &str,
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
    let visit = MeetingVisit { run_id, read_as, committee_title, listing };
    with_adapter!(council.platform, |adapter| refresh_meeting_with(ctx, adapter, &council, &visit).await, else {
        let message = format!("no adapter for platform {}", council.platform.as_str());
        store.meeting_done(run_id, &listing.source_id, MeetingOutcome::Failed, Some(&message), &now()).await?;
        Ok(JobOutcome::Done)
    })
}

/// One meeting's message: which run, how the council is read, and the meeting as listed.
struct MeetingVisit<'a> {
    run_id: &'a str,
    read_as: &'a str,
    committee_title: &'a str,
    listing: &'a MeetingListing,
}

async fn refresh_meeting_with<A: PlatformAdapter>(
    ctx: &JobContext<'_>,
    adapter: &A,
    council: &CouncilRow,
    visit: &MeetingVisit<'_>,
) -> Result<JobOutcome> {
    let store = ctx.store;
    let (run_id, listing, council_id) = (visit.run_id, visit.listing, council.id.as_str());
    let site = site_of(council);
    let fetcher = fetcher(ctx, council);
    let urls = adapter.meeting_urls(site, visit.read_as, listing);
    let known = if urls.is_empty() { Default::default() } else { store.validators(&urls).await? };
    let fetched = adapter.read_meeting(&fetcher, site, visit.read_as, listing, &known).await;
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
    let page_url = listing.page_url.clone().unwrap_or_else(|| adapter.meeting_page(site, listing));
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
                store.forget_validators(&adapter.meeting_page(site, listing)).await?;
            }
            Some(format!("meeting {}: {why}", listing.source_id))
        }
        None => None,
    };
    let outcome = store_meeting(ctx, council, visit, &detail, &validators).await?;
    fault::point(ctx.env, ctx.settings, council_id, "after_meeting_saved").await?;
    let page_read = !matches!(&failed_part, Some((FailedPart::MeetingPage, _)));
    super::votes::from_meeting(ctx, council_id, &meeting, &detail, page_read).await?;
    if matches!(outcome, MeetingOutcome::New | MeetingOutcome::Changed) {
        let data = serde_json::json!({
            "council_id": council_id, "meeting_id": meeting, "outcome": outcome.as_str(),
            "date": listing.date.to_string(), "committee": visit.committee_title,
            "url": super::webhooks::public_link(ctx, &format!("/meetings/{meeting}")),
            "source_url": page_url,
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
    // What the platform listed but could not be read in full, set (or cleared) at every read.
    store.meeting_read_gaps(&meeting, &detail.gaps).await?;
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

async fn store_meeting(
    ctx: &JobContext<'_>,
    council: &CouncilRow,
    visit: &MeetingVisit<'_>,
    detail: &MeetingDetail,
    validators: &[(String, crate::net::Validators)],
) -> Result<MeetingOutcome> {
    let store = ctx.store;
    let MeetingVisit { run_id, read_as, committee_title, listing } = *visit;
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
            read_as,
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

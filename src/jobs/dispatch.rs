//! Which job does what: each queued message to its handler, a message that
//! exhausted its retries to what closes its part, and the crons' messages.

use chrono::Duration;
use worker::{Queue, Result};

use super::context::{now, JobContext};
use super::refresh::{list_part, new_run_id, refresh_council, refresh_meeting};
use super::{batches, Job, JobOutcome};
use crate::storage::{ListingCounts, MeetingOutcome, Store};
use crate::time::{local_date, now_utc, stamp};

/// The cron's work: one refresh message per enabled council, except councils
/// whose previous run is still in progress.
pub async fn enqueue_all(store: &Store, queue: &Queue, trigger: &str) -> Result<usize> {
    let councils = store.enabled_councils().await?;
    let mut jobs = Vec::with_capacity(councils.len());
    for council in &councils {
        let run_id = new_run_id(&council.id);
        match store.create_run(&run_id, &council.id, trigger, false, &now()).await? {
            Ok(()) => jobs.push(Job::RefreshCouncil { council_id: council.id.clone(), run_id }),
            Err(open) => worker::console_log!("{}: run {open} still in progress, not starting another", council.id),
        }
    }
    for batch in batches(&jobs, 100) {
        queue.send_batch(batch).await?;
    }
    // Webcasts are listed once the refresh has had time to store the meetings they are matched to.
    for council in councils.iter().filter(|c| c.webcast_site.is_some()) {
        let job = Job::ListWebcasts { council_id: council.id.clone(), recheck: false };
        queue.send(worker::MessageBuilder::new(job).delay_seconds(WEBCASTS_AFTER_REFRESH_SECONDS).build()).await?;
    }
    Ok(jobs.len())
}

/// How long after a refresh is queued its council's webcasts are listed.
const WEBCASTS_AFTER_REFRESH_SECONDS: u32 = 900;

/// The weekly work: each enabled council's digest of the week before, and a
/// fresh read of its councillors.
pub async fn enqueue_digests(store: &Store, queue: &Queue) -> Result<usize> {
    let last_week = local_date(now_utc(), crate::time::DEFAULT_TIME_ZONE) - Duration::days(7);
    let week = crate::time::iso_week_label(last_week);
    let jobs: Vec<Job> = store
        .enabled_councils()
        .await?
        .into_iter()
        .flat_map(|c| {
            [
                Job::MakeDigest { council_id: c.id.clone(), week: week.clone() },
                Job::RefreshCouncillors { council_id: c.id },
            ]
        })
        .collect();
    for batch in batches(&jobs, 100) {
        queue.send_batch(batch).await?;
    }
    Ok(jobs.len())
}

/// The daily export: each enabled council's `latest` open-data set, which
/// asks for its month sets in turn.
pub async fn enqueue_exports(store: &Store, queue: &Queue) -> Result<usize> {
    let jobs: Vec<Job> = store
        .enabled_councils()
        .await?
        .into_iter()
        .map(|c| Job::ExportSet { council_id: c.id, set: crate::opendata::LATEST.to_string() })
        .collect();
    for batch in batches(&jobs, 100) {
        queue.send_batch(batch).await?;
    }
    Ok(jobs.len())
}

pub async fn run_job(ctx: &JobContext<'_>, job: &Job) -> Result<JobOutcome> {
    match job {
        Job::RefreshCouncil { council_id, run_id } => refresh_council(ctx, council_id, run_id).await,
        Job::ListPart { council_id, run_id, read_as, part, plan_part, from, to, full } => {
            list_part(ctx, council_id, run_id, read_as, *part, plan_part, (*from, *to), *full).await
        }
        Job::FetchMeeting { council_id, run_id, read_as, committee_title, listing } => {
            refresh_meeting(ctx, council_id, run_id, read_as, committee_title, listing).await
        }
        Job::ListMeetings { .. } | Job::ListCalendarMonth { .. } => match job.as_list_part() {
            Some(current) => Box::pin(run_job(ctx, &current)).await,
            None => Ok(JobOutcome::Done),
        },
        Job::FetchDocument { document_id, .. } => super::documents::fetch_document(ctx, document_id).await,
        Job::ExtractDocument { document_id, content_hash, first_page, .. } => {
            super::documents::continue_extraction(ctx, document_id, content_hash, *first_page).await
        }
        Job::SummariseMeeting { council_id, meeting_id } => {
            super::summaries::summarise_meeting(ctx, council_id, meeting_id, None).await
        }
        Job::MakeDigest { council_id, week } => {
            let (digest, new) = super::summaries::make_digest(ctx.store, council_id, week).await?;
            crate::storage::version::bump(ctx.env, council_id).await;
            // A digest saved by a try that failed before telling it is told
            // again by the next try (each email and delivery goes once).
            let tell = new || digest.as_ref().is_some_and(super::summaries::recently_made);
            if let (Some(digest), true) = (digest, tell) {
                let data = serde_json::json!({
                    "council_id": council_id, "week": week, "version": digest["version"],
                    "url": super::webhooks::public_link(ctx, &format!("/councils/{council_id}/weeks/{week}")),
                    "headline": digest["body"]["headline"],
                });
                let key = format!("{council_id}:{week}:{}", digest["version"]);
                super::webhooks::emit(ctx, council_id, ("digest.published", &key), data).await?;
                if let Some(version) = digest["version"].as_i64() {
                    super::alerts::digest_published(ctx, council_id, week, version).await?;
                }
            }
            Ok(JobOutcome::Done)
        }
        Job::RefreshCouncillors { council_id } => super::councillors::refresh_councillors(ctx, council_id).await,
        Job::ListDecisions { council_id, from, to } => {
            super::decisions::list_decisions(ctx, council_id, (*from, *to)).await
        }
        Job::FetchDecision { decision_id, .. } => super::decisions::fetch_decision(ctx, decision_id).await,
        Job::DeliverWebhook { delivery_id, .. } => super::webhooks::deliver(ctx, delivery_id).await,
        Job::AlertSubscribers { council_id, published, after } => {
            super::alerts::fan_out(ctx, council_id, published, after).await
        }
        Job::SendEmail { delivery_id, .. } => crate::mail::send(ctx.store, ctx.env, delivery_id).await,
        Job::ExportSet { council_id, set } => super::export::export_set(ctx, council_id, set).await,
        Job::ListWebcasts { council_id, recheck } => super::webcasts::list_webcasts(ctx, council_id, *recheck).await,
        Job::ReadCaptions { council_id, webcast_id } => {
            super::webcasts::read_captions(ctx, council_id, webcast_id).await
        }
        Job::TranscribeWebcast { council_id, webcast_id } => {
            super::speech::plan_transcription(ctx, council_id, webcast_id).await
        }
        Job::TranscribeChunk { council_id, webcast_id, number } => {
            super::speech::transcribe_chunk(ctx, council_id, webcast_id, *number).await
        }
    }
}

/// A message that exhausted its retries: close its part of the run as failed.
pub async fn give_up(ctx: &JobContext<'_>, job: &Job) -> Result<()> {
    let store = ctx.store;
    let note = "gave up after repeated transient failures";
    match job {
        Job::RefreshCouncil { run_id, .. } => {
            let previous = store.run_record(run_id).await?.and_then(|r| r["error"].as_str().map(str::to_string));
            let error = previous.map_or_else(|| note.to_string(), |e| format!("{e} ({note})"));
            store.run_failed(run_id, &error, &now()).await
        }
        Job::ListPart { council_id, run_id, part, plan_part, .. } => {
            let label = super::refresh::part_label(ctx, council_id, *part, plan_part).await?;
            let error = format!("{label}: {note}");
            store.listing_part_done(run_id, *part, ListingCounts::default(), Some(&error), &now()).await
        }
        Job::ListMeetings { .. } | Job::ListCalendarMonth { .. } => match job.as_list_part() {
            Some(current) => Box::pin(give_up(ctx, &current)).await,
            None => Ok(()),
        },
        Job::FetchMeeting { run_id, listing, .. } => {
            let error = format!("meeting {}: {note}", listing.source_id);
            store.meeting_done(run_id, &listing.source_id, MeetingOutcome::Failed, Some(&error), &now()).await
        }
        Job::FetchDocument { document_id, .. } | Job::ExtractDocument { document_id, .. } => {
            // The cause may have been transient (the site, R2 or D1 was down): read it again later.
            let retry_after = stamp(now_utc() + Duration::hours(ctx.settings.document_retry_hours));
            let reason = format!("{note}, or the extraction crashed; will be tried again after {retry_after}");
            match store.document_record(document_id).await? {
                Some(document) => super::documents::give_up_reading(ctx, &document, &reason, Some(&retry_after)).await,
                None => Ok(()),
            }
        }
        Job::SummariseMeeting { council_id, meeting_id } => {
            // The model stayed unreachable: publish the extractive summary now.
            let reason = "the model could not be reached after repeated tries";
            super::summaries::summarise_meeting(ctx, council_id, meeting_id, Some(reason)).await.map(|_| ())
        }
        Job::MakeDigest { council_id, week } => {
            worker::console_error!("digest of {council_id} {week}: {note}");
            Ok(())
        }
        Job::RefreshCouncillors { council_id } => store.councillors_failed(council_id, note).await,
        Job::ListDecisions { council_id, .. } => store.decisions_failed(council_id, note).await,
        Job::FetchDecision { decision_id, .. } => store.decision_read_error(decision_id, note).await,
        Job::DeliverWebhook { delivery_id, .. } => store.webhook_given_up(delivery_id, note).await,
        Job::AlertSubscribers { council_id, published, after } => {
            worker::console_error!("alerts of {council_id} {published:?} after {after:?}: {note}");
            Ok(())
        }
        Job::SendEmail { delivery_id, .. } => store.email_closed(delivery_id, "failed", note).await,
        Job::ExportSet { council_id, set } => {
            // The set written before stays served; the next day's export tries again.
            worker::console_error!("open-data set {set} of {council_id}: {note}");
            Ok(())
        }
        Job::ListWebcasts { council_id, .. } => {
            store.webcasts_failed(council_id, &format!("webcasts not listed: {note}"), &now()).await
        }
        // The captions are asked for again by the next listing.
        Job::ReadCaptions { webcast_id, .. } => {
            store.captions_failed(webcast_id, &format!("captions not read: {note}"), &now()).await
        }
        Job::TranscribeWebcast { webcast_id, .. } => {
            store.speech_failed(webcast_id, &format!("the webcast's sound was not read: {note}"), &now()).await
        }
        Job::TranscribeChunk { webcast_id, number, .. } => {
            let error = format!("the webcast's sound was not transcribed: chunk {number}: {note}");
            store.speech_failed(webcast_id, &error, &now()).await
        }
    }
}

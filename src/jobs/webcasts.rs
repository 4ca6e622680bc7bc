//! Webcasts: listing a council's webcasts on its platform, matching them to
//! our meetings, and reading each one's captions into a transcript. New or
//! changed captions of a summarised meeting make its summary again, saying why.

use chrono::Duration;
use worker::Result;

use super::context::{now, webcast_fetcher, JobContext};
use super::{Job, JobOutcome};
use crate::net::{Fetcher, HttpRequest, SourceError};
use crate::sources::publici;
use crate::storage::webcasts::{put_transcript, transcript_key, CaptionsRead, ListedWebcast};
use crate::time::{local_date, now_utc, parse_time_zone, stamp};
use crate::webcasts::{tidy, vtt, Transcript, FROM_CAPTIONS};

/// Webcasts live this long ago still have their captions looked at.
const CAPTIONS_WATCH_DAYS: i64 = 90;
/// Captions read are checked again for a change after this long.
const CAPTIONS_RECHECK_HOURS: i64 = 24;
/// Captions read a listing, at most (the next listing takes the rest).
const CAPTIONS_PER_LISTING: usize = 25;

/// Lists a council's webcasts, matches them to its meetings, stores them, and
/// asks for the captions that are due (with `recheck`, every matched webcast's).
pub async fn list_webcasts(ctx: &JobContext<'_>, council_id: &str, recheck: bool) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(council) = store.council(council_id).await? else { return Ok(JobOutcome::Done) };
    let (Some(site), Some(fetcher)) =
        (council.webcast_site.clone(), webcast_fetcher(ctx, &council, ctx.settings.max_page_bytes))
    else {
        return Ok(JobOutcome::Done);
    };
    let listed = list(&fetcher, &site).await;
    store.log_fetches(None, council_id, &fetcher.take_log()).await?;
    let (webcasts, left_out) = match listed {
        Ok(listed) => listed,
        Err(Listing::Source(error)) if error.is_transient() => {
            return Ok(JobOutcome::Retry(format!("webcasts of {council_id}: {error}")));
        }
        Err(error) => {
            store.webcasts_failed(council_id, &format!("webcasts not listed: {error}"), &now()).await?;
            crate::storage::version::bump(ctx.env, council_id).await;
            return Ok(JobOutcome::Done);
        }
    };
    // Only webcasts whose captions are still watched are stored and matched:
    // an archive of years is not written again at every listing.
    let since = now_utc() - Duration::days(CAPTIONS_WATCH_DAYS);
    let archived = webcasts.len();
    let webcasts: Vec<publici::WebcastListing> =
        webcasts.into_iter().filter(|w| w.live_at.is_some_and(|at| at >= since)).collect();
    let zone = parse_time_zone(&council.time_zone);
    let dates: Vec<_> = webcasts.iter().filter_map(|w| w.live_at).map(|at| local_date(at, zone)).collect();
    let candidates = match (dates.iter().min(), dates.iter().max()) {
        (Some(first), Some(last)) => {
            let range = (first.format("%Y-%m-%d").to_string(), last.format("%Y-%m-%d").to_string());
            store.webcast_candidates(council_id, (&range.0, &range.1)).await?
        }
        _ => Vec::new(),
    };
    let ids: Vec<String> = webcasts.iter().map(|w| format!("{council_id}-w{}", w.activity)).collect();
    let players: Vec<String> = webcasts.iter().map(|w| publici::player_url(&site, &w.activity)).collect();
    let captions: Vec<Option<String>> = webcasts
        .iter()
        .map(|w| publici::captions_url(council.webcast_captions.as_deref(), &site, &w.activity))
        .collect();
    let matched: Vec<Option<&str>> = webcasts
        .iter()
        .map(|w| {
            let date = local_date(w.live_at?, zone);
            publici::match_meeting(w, date, &candidates).map(|at| candidates[at].id.as_str())
        })
        .collect();
    let rows: Vec<ListedWebcast<'_>> = webcasts
        .iter()
        .enumerate()
        .map(|(at, listing)| ListedWebcast {
            id: &ids[at],
            platform: publici::PLATFORM,
            listing,
            meeting_id: matched[at],
            player_url: &players[at],
            captions_url: captions[at].as_deref(),
        })
        .collect();
    for chunk in rows.chunks(50) {
        store.save_webcasts(council_id, chunk, &now()).await?;
    }
    crate::storage::version::bump(ctx.env, council_id).await;
    let unmatched = matched.iter().filter(|m| m.is_none()).count();
    worker::console_log!(
        "{council_id}: {} webcasts of the last {CAPTIONS_WATCH_DAYS} days of {archived} listed ({unmatched} matched to no meeting, {left_out} without an id)",
        webcasts.len()
    );
    let due = store
        .webcasts_due(
            council_id,
            &stamp(since),
            &stamp(now_utc() - if recheck { Duration::zero() } else { Duration::hours(CAPTIONS_RECHECK_HOURS) }),
            CAPTIONS_PER_LISTING,
        )
        .await?;
    let jobs: Vec<Job> = due
        .into_iter()
        .map(|webcast_id| Job::ReadCaptions { council_id: council_id.to_string(), webcast_id })
        .collect();
    if !jobs.is_empty() {
        ctx.queue.send_batch(jobs).await?;
    }
    Ok(JobOutcome::Done)
}

enum Listing {
    Source(SourceError),
    Unreadable(String),
}

impl std::fmt::Display for Listing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Listing::Source(error) => write!(f, "{error}"),
            Listing::Unreadable(why) => f.write_str(why),
        }
    }
}

/// The platform's archived webcasts: the council's id from `magic_rss`, then the feed.
async fn list<F: Fetcher>(
    fetcher: &F,
    site: &str,
) -> std::result::Result<(Vec<publici::WebcastListing>, usize), Listing> {
    let page = crate::sources::get_text(fetcher, &publici::magic_rss_url(site)).await.map_err(Listing::Source)?;
    let ds_id = publici::parse_ds_id(&page).map_err(Listing::Unreadable)?;
    let feed =
        crate::sources::get_text(fetcher, &publici::archived_feed_url(site, &ds_id)).await.map_err(Listing::Source)?;
    publici::parse_archived_feed(&feed).map_err(Listing::Unreadable)
}

/// Reads one webcast's captions: not there yet (404) is recorded as absent;
/// the same bytes as before change nothing; unreadable captions are a
/// recorded error and the transcript read before (if any) stays; new captions
/// are a new transcript, and the meeting's summary is asked for again.
pub async fn read_captions(ctx: &JobContext<'_>, council_id: &str, webcast_id: &str) -> Result<JobOutcome> {
    let store = ctx.store;
    let (Some(council), Some(webcast)) = (store.council(council_id).await?, store.webcast(webcast_id).await?) else {
        return Ok(JobOutcome::Done);
    };
    let (Some(url), Some(fetcher)) =
        (webcast.captions_url.clone(), webcast_fetcher(ctx, &council, ctx.settings.max_page_bytes))
    else {
        return Ok(JobOutcome::Done);
    };
    let answer = fetcher.get(&HttpRequest::get(&url)).await;
    store.log_fetches(None, council_id, &fetcher.take_log()).await?;
    let body = match answer {
        Ok(response) => response.body,
        Err(SourceError::Http { status: 404 | 410 }) => {
            store.captions_absent(webcast_id, &now()).await?;
            crate::storage::version::bump(ctx.env, council_id).await;
            // No captions: its sound is transcribed, when that is set up, once.
            let speech = ctx.settings.speech_model.is_some() && council.webcast_media.is_some();
            if speech && webcast.transcript_key.is_none() && webcast.speech_status.is_none() {
                let job =
                    Job::TranscribeWebcast { council_id: council_id.to_string(), webcast_id: webcast_id.to_string() };
                ctx.queue.send(job).await?;
            }
            return Ok(JobOutcome::Done);
        }
        Err(error) if error.is_transient() => {
            return Ok(JobOutcome::Retry(format!("captions of {webcast_id}: {error}")));
        }
        Err(error) => {
            store.captions_failed(webcast_id, &format!("captions not read: {error}"), &now()).await?;
            crate::storage::version::bump(ctx.env, council_id).await;
            return Ok(JobOutcome::Done);
        }
    };
    let hash = crate::hash::sha256_hex(&body);
    if webcast.captions_hash.as_deref() == Some(hash.as_str()) && webcast.transcript_key.is_some() {
        store.captions_unchanged(webcast_id, &now()).await?;
        crate::storage::version::bump(ctx.env, council_id).await;
        return Ok(JobOutcome::Done);
    }
    let captions = match vtt::parse_bytes(&body) {
        Ok(captions) => captions,
        Err(error) => {
            store.captions_failed(webcast_id, &format!("captions not read: {error}"), &now()).await?;
            crate::storage::version::bump(ctx.env, council_id).await;
            return Ok(JobOutcome::Done);
        }
    };
    let skipped = captions.skipped;
    let cues = tidy(captions.cues);
    let duration_ms = cues.iter().map(|c| c.end_ms).max().unwrap_or(0);
    let transcript = Transcript { made_from: FROM_CAPTIONS.to_string(), cues };
    let key = transcript_key(council_id, webcast_id, &hash);
    let bucket = ctx.bucket;
    put_transcript(bucket, &key, &transcript).await?;
    let note = match webcast.transcript_key {
        None => "the webcast's captions were published",
        Some(_) => "the webcast's captions changed",
    };
    let read = CaptionsRead {
        hash: &hash,
        key: &key,
        made_from: FROM_CAPTIONS,
        cues: transcript.cues.len(),
        skipped,
        duration_ms,
    };
    store.captions_read(&webcast, &read, Some(note), &now()).await?;
    crate::storage::version::bump(ctx.env, council_id).await;
    if let Some(meeting_id) = &webcast.meeting_id {
        super::summaries::request_summary(ctx, council_id, meeting_id, 0).await?;
    }
    Ok(JobOutcome::Done)
}

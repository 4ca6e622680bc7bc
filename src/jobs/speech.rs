//! Speech to text for a webcast without captions (behind `SPEECH_MODEL`, off
//! by default): the MP4's index is found with ranged requests, its AAC track
//! is planned into chunks of about ten minutes (each plan kept in R2), and
//! one message a chunk copies the chunk's frames out as ADTS (kept in R2)
//! and sends them to the speech model. The last chunk heard joins every
//! chunk's segments, at their chunk's start, into the webcast's transcript.

use base64::Engine;
use serde::{Deserialize, Serialize};
use worker::Result;

use super::context::{now, webcast_fetcher, JobContext};
use super::{Job, JobOutcome};
use crate::net::{Fetcher, HttpRequest, SourceError};
use crate::storage::webcasts::{put_transcript, read_json, transcript_key, CaptionsRead};
use crate::webcasts::audio::{
    adts_chunk, audio_track, box_header, join, plan_chunks, whisper_segments, ChunkPlan, Ranges, SpokenSegment,
};
use crate::webcasts::{Transcript, FROM_SPEECH};

/// How a chunk's frames are requested: frames closer than 64 KB in one
/// request (the video between them read and dropped), at most 4 MB a request.
const RANGES: Ranges = Ranges { join_gap: 64 * 1024, max_range: 4 * 1024 * 1024 };
/// Boxes looked at before the MP4's index, at most.
const MAX_TOP_LEVEL_BOXES: usize = 16;
/// The largest index (`moov`) read.
const MAX_INDEX_BYTES: u64 = 32 * 1024 * 1024;

fn plan_key(webcast_id: &str, number: u32) -> String {
    format!("speech/{webcast_id}/plan-{number}.json")
}

fn audio_key(webcast_id: &str, number: u32) -> String {
    format!("speech/{webcast_id}/{number}.aac")
}

fn heard_key(webcast_id: &str, number: u32) -> String {
    format!("speech/{webcast_id}/{number}.json")
}

/// What a chunk's model answer came to, as kept in R2.
#[derive(Serialize, Deserialize)]
struct Heard {
    start_ms: u64,
    segments: Vec<SpokenSegment>,
}

/// The body of the MP4's `moov` box: top-level boxes are stepped over by
/// their headers (one small ranged request each) until it is found.
async fn find_index<F: Fetcher>(fetcher: &F, url: &str) -> std::result::Result<Vec<u8>, String> {
    let mut offset = 0u64;
    for _ in 0..MAX_TOP_LEVEL_BOXES {
        let head = ranged(fetcher, url, (offset, offset + 15)).await.map_err(|e| e.to_string())?;
        let (size, kind, header) = box_header(&head).ok_or("the media file ends before its index")?;
        let Some(size) = size else { return Err("the media file has no index before its end".into()) };
        if &kind == b"moov" {
            if size > MAX_INDEX_BYTES {
                return Err(format!("the media file's index is {size} bytes, over {MAX_INDEX_BYTES}"));
            }
            return ranged(fetcher, url, (offset + header as u64, offset + size - 1)).await.map_err(|e| e.to_string());
        }
        if size < 8 {
            return Err("the media file is not MP4 (a box smaller than its header)".into());
        }
        offset += size;
    }
    Err("no index in the media file's first boxes".into())
}

/// One byte range of a file.
async fn ranged<F: Fetcher>(fetcher: &F, url: &str, range: (u64, u64)) -> std::result::Result<Vec<u8>, SourceError> {
    Ok(fetcher.get(&HttpRequest::get(url).with_range(range)).await?.body)
}

/// Plans a webcast's transcription from its media file: the chunks, each
/// kept in R2, and one message a chunk.
pub async fn plan_transcription(ctx: &JobContext<'_>, council_id: &str, webcast_id: &str) -> Result<JobOutcome> {
    let store = ctx.store;
    let (Some(council), Some(webcast)) = (store.council(council_id).await?, store.webcast(webcast_id).await?) else {
        return Ok(JobOutcome::Done);
    };
    let (Some(_), Some(template), Some(fetcher)) =
        (&ctx.settings.speech_model, &council.webcast_media, webcast_fetcher(ctx, &council, MAX_INDEX_BYTES as usize))
    else {
        return Ok(JobOutcome::Done);
    };
    let url = template.replace("{activity}", &webcast.activity);
    let index = find_index(&fetcher, &url).await;
    store.log_fetches(None, council_id, &fetcher.take_log()).await?;
    let plans = match index.and_then(|moov| audio_track(&moov).map_err(|e| e.to_string())) {
        Ok(track) => plan_chunks(&track, ctx.settings.speech_chunk_seconds * 1000, RANGES),
        Err(error) => {
            store.speech_failed(webcast_id, &format!("the webcast's sound was not read: {error}"), &now()).await?;
            crate::storage::version::bump(ctx.env, council_id).await;
            return Ok(JobOutcome::Done);
        }
    };
    for plan in &plans {
        let body = serde_json::to_vec(plan)?;
        ctx.bucket.put(plan_key(webcast_id, plan.number), body).execute().await?;
    }
    store.speech_planned(webcast_id, plans.len(), &now()).await?;
    let jobs: Vec<Job> = plans
        .iter()
        .map(|p| Job::TranscribeChunk {
            council_id: council_id.to_string(),
            webcast_id: webcast_id.to_string(),
            number: p.number,
        })
        .collect();
    for batch in super::batches(&jobs, 100) {
        ctx.queue.send_batch(batch).await?;
    }
    worker::console_log!("{webcast_id}: its sound planned in {} chunks", plans.len());
    Ok(JobOutcome::Done)
}

/// Why the speech model gave no segments.
enum NotHeard {
    /// Try again later (not reached, busy).
    Unreachable(String),
    /// It refused the audio or answered nothing readable: recorded.
    Refused(String),
}

/// Sends one chunk's audio to the configured speech model: the Workers AI
/// binding, or its REST form at `SPEECH_BASE_URL`.
async fn hear(
    ctx: &JobContext<'_>,
    model: &str,
    audio_base64: String,
) -> std::result::Result<Vec<SpokenSegment>, NotHeard> {
    let input = serde_json::json!({"audio": audio_base64, "language": "en"});
    let answer: serde_json::Value = if ctx.settings.speech_base_url.is_empty() {
        let ai = ctx.env.ai("AI").map_err(|e| NotHeard::Refused(format!("no AI binding: {e}")))?;
        ai.run(model, input).await.map_err(|e| NotHeard::Unreachable(e.to_string()))?
    } else {
        let url = format!("{}/ai/run/{model}", ctx.settings.speech_base_url.trim_end_matches('/'));
        let key = ctx.env.secret("SPEECH_API_KEY").ok().map(|k| format!("Bearer {k}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(key) = key.as_deref() {
            headers.push(("Authorization", key));
        }
        let body = input.to_string();
        let answer =
            crate::net::post_with_timeout(&url, &headers, &body, ctx.settings.model_timeout_ms, 16 * 1024 * 1024)
                .await
                .map_err(|e| NotHeard::Unreachable(e.to_string()))?;
        match answer.status {
            200 => serde_json::from_str(&answer.body).map_err(|e| NotHeard::Refused(format!("not JSON: {e}")))?,
            429 | 500..=599 => return Err(NotHeard::Unreachable(format!("HTTP {}", answer.status))),
            status => {
                let said: String = answer.body.chars().take(300).collect();
                return Err(NotHeard::Refused(format!("HTTP {status}: {said}")));
            }
        }
    };
    whisper_segments(&answer).map_err(NotHeard::Refused)
}

/// Copies one chunk's frames out as ADTS, keeps them, has them heard, and,
/// when it is the last chunk heard, joins the webcast's transcript.
pub async fn transcribe_chunk(
    ctx: &JobContext<'_>,
    council_id: &str,
    webcast_id: &str,
    number: u32,
) -> Result<JobOutcome> {
    let store = ctx.store;
    let (Some(council), Some(webcast)) = (store.council(council_id).await?, store.webcast(webcast_id).await?) else {
        return Ok(JobOutcome::Done);
    };
    let (Some(model), Some(template), Some(fetcher)) = (
        ctx.settings.speech_model.clone(),
        council.webcast_media.clone(),
        webcast_fetcher(ctx, &council, RANGES.max_range as usize),
    ) else {
        return Ok(JobOutcome::Done);
    };
    let Some(plan) = read_json::<ChunkPlan>(ctx.bucket, &plan_key(webcast_id, number)).await? else {
        return Ok(JobOutcome::Done);
    };
    // A message handled again finds its chunk heard: the model is not paid twice.
    if ctx.bucket.head(heard_key(webcast_id, number)).await?.is_some() {
        return record_heard(ctx, council_id, &webcast, number).await;
    }
    let url = template.replace("{activity}", &webcast.activity);
    let mut fetched = Vec::with_capacity(plan.ranges.len());
    let mut failure = None;
    for range in &plan.ranges {
        match ranged(&fetcher, &url, *range).await {
            Ok(bytes) => fetched.push((range.0, bytes)),
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    store.log_fetches(None, council_id, &fetcher.take_log()).await?;
    match failure {
        Some(error) if error.is_transient() => {
            return Ok(JobOutcome::Retry(format!("sound of {webcast_id}, chunk {number}: {error}")));
        }
        Some(error) => return failed(ctx, council_id, webcast_id, &format!("chunk {number} not read: {error}")).await,
        None => {}
    }
    let audio = match adts_chunk(&plan, &fetched) {
        Ok(audio) => audio,
        Err(error) => return failed(ctx, council_id, webcast_id, &format!("chunk {number}: {error}")).await,
    };
    drop(fetched);
    let audio_base64 = base64::engine::general_purpose::STANDARD.encode(&audio);
    ctx.bucket.put(audio_key(webcast_id, number), audio).execute().await?;
    let segments = match hear(ctx, &model, audio_base64).await {
        Ok(segments) => segments,
        Err(NotHeard::Unreachable(why)) => {
            return Ok(JobOutcome::Retry(format!("speech model for {webcast_id}, chunk {number}: {why}")));
        }
        Err(NotHeard::Refused(why)) => {
            return failed(ctx, council_id, webcast_id, &format!("the speech model refused chunk {number}: {why}"))
                .await;
        }
    };
    let heard = Heard { start_ms: plan.start_ms, segments };
    ctx.bucket.put(heard_key(webcast_id, number), serde_json::to_vec(&heard)?).execute().await?;
    record_heard(ctx, council_id, &webcast, number).await
}

/// Records a chunk heard and, when it is the last, joins every chunk's
/// segments at their starts into the webcast's transcript.
async fn record_heard(
    ctx: &JobContext<'_>,
    council_id: &str,
    webcast: &crate::storage::rows::MeetingWebcast,
    number: u32,
) -> Result<JobOutcome> {
    let (store, webcast_id) = (ctx.store, webcast.id.as_str());
    let (done, chunks) = store.speech_chunk_done(webcast_id, number, &now()).await?;
    if done < chunks {
        return Ok(JobOutcome::Done);
    }
    // The last chunk heard: every chunk's segments, joined at their starts.
    let mut parts = Vec::with_capacity(chunks);
    for n in 0..chunks as u32 {
        match read_json::<Heard>(ctx.bucket, &heard_key(webcast_id, n)).await? {
            Some(heard) => parts.push((heard.start_ms, heard.segments)),
            None => return Ok(JobOutcome::Retry(format!("{webcast_id}: chunk {n} heard but not yet kept"))),
        }
    }
    let transcript = Transcript { made_from: FROM_SPEECH.to_string(), cues: join(&parts) };
    let bytes = serde_json::to_vec(&transcript)?;
    let hash = crate::hash::sha256_hex(&bytes);
    let key = transcript_key(council_id, webcast_id, &hash);
    put_transcript(ctx.bucket, &key, &transcript).await?;
    let duration_ms = transcript.cues.iter().map(|c| c.end_ms).max().unwrap_or(0);
    let read = CaptionsRead {
        hash: &hash,
        key: &key,
        made_from: FROM_SPEECH,
        cues: transcript.cues.len(),
        skipped: 0,
        duration_ms,
    };
    store.speech_done(webcast, &read, "the webcast's sound was transcribed", &now()).await?;
    crate::storage::version::bump(ctx.env, council_id).await;
    if let Some(meeting_id) = &webcast.meeting_id {
        super::summaries::request_summary(ctx, council_id, meeting_id, 0).await?;
    }
    Ok(JobOutcome::Done)
}

async fn failed(ctx: &JobContext<'_>, council_id: &str, webcast_id: &str, error: &str) -> Result<JobOutcome> {
    ctx.store.speech_failed(webcast_id, &format!("the webcast's sound was not transcribed: {error}"), &now()).await?;
    crate::storage::version::bump(ctx.env, council_id).await;
    Ok(JobOutcome::Done)
}

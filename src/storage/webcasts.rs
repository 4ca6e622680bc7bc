//! Webcasts in D1 (each listed webcast, its meeting, its captions' state)
//! and their transcripts in R2 (one object per version of the captions,
//! named by their SHA-256, so a transcript once written never changes).

use serde::Deserialize;
use worker::{Bucket, Result};

use super::queries as q;
use super::rows::MeetingWebcast;
use super::Param::{Int, OptText, Text};
use super::Store;
use crate::sources::publici::{MeetingRef, WebcastListing};
use crate::webcasts::Transcript;

/// The R2 key of a transcript.
pub fn transcript_key(council_id: &str, webcast_id: &str, captions_hash: &str) -> String {
    format!("transcripts/{council_id}/{webcast_id}/{captions_hash}.json")
}

/// A webcast as listed, ready to store.
pub struct ListedWebcast<'a> {
    pub id: &'a str,
    pub platform: &'a str,
    pub listing: &'a WebcastListing,
    pub meeting_id: Option<&'a str>,
    pub player_url: &'a str,
    pub captions_url: Option<&'a str>,
}

/// What a read of captions found, to record.
pub struct CaptionsRead<'a> {
    pub hash: &'a str,
    pub key: &'a str,
    pub made_from: &'a str,
    pub cues: usize,
    pub skipped: usize,
    pub duration_ms: u64,
}

impl Store {
    /// A council's meetings between two dates, as webcasts are matched to them.
    pub async fn webcast_candidates(&self, council_id: &str, (from, to): (&str, &str)) -> Result<Vec<MeetingRef>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            committee: String,
            local_date: String,
            starts_at_utc: Option<String>,
        }
        let rows: Vec<Row> = self.rows(q::WEBCAST_CANDIDATES, &[Text(council_id), Text(from), Text(to)]).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(MeetingRef {
                    date: chrono::NaiveDate::parse_from_str(&r.local_date, "%Y-%m-%d").ok()?,
                    starts_at: r.starts_at_utc.as_deref().and_then(crate::time::parse_instant),
                    id: r.id,
                    committee: r.committee,
                })
            })
            .collect())
    }

    /// Stores a listing's webcasts (one batch) and when the council's webcasts were listed.
    pub async fn save_webcasts(&self, council_id: &str, webcasts: &[ListedWebcast<'_>], now: &str) -> Result<()> {
        let mut statements = Vec::with_capacity(webcasts.len() + 1);
        for webcast in webcasts {
            let points = serde_json::to_string(&webcast.listing.points)?;
            let live_at = webcast.listing.live_at.map(crate::time::stamp);
            statements.push(self.statement(
                q::UPSERT_WEBCAST,
                &[
                    Text(webcast.id),
                    Text(council_id),
                    Text(webcast.platform),
                    Text(&webcast.listing.activity),
                    OptText(webcast.meeting_id),
                    Text(&webcast.listing.title),
                    OptText(live_at.as_deref()),
                    Text(webcast.player_url),
                    OptText(webcast.captions_url),
                    Text(&points),
                    Int(webcast.listing.points_unread as i64),
                    Text(now),
                ],
            )?);
        }
        statements.push(self.statement(q::WEBCASTS_LISTED, &[Text(council_id), Text(now), OptText(None)])?);
        self.batch(statements).await
    }

    /// The council's webcasts could not be listed: why, kept for its status.
    pub async fn webcasts_failed(&self, council_id: &str, error: &str, now: &str) -> Result<()> {
        self.run(q::WEBCASTS_LISTED, &[Text(council_id), Text(now), Text(error)]).await
    }

    /// Webcasts whose captions are due a read (see `WEBCASTS_DUE`).
    pub async fn webcasts_due(
        &self,
        council_id: &str,
        live_since: &str,
        read_before: &str,
        limit: usize,
    ) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
        }
        let rows: Vec<Row> = self
            .rows(q::WEBCASTS_DUE, &[Text(council_id), Text(live_since), Text(read_before), Int(limit as i64)])
            .await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    pub async fn webcast(&self, id: &str) -> Result<Option<MeetingWebcast>> {
        self.row(q::GET_WEBCAST, &[Text(id)]).await
    }

    /// Records new captions and, when the webcast's meeting has a summary,
    /// marks the meeting changed with why (so its summary is made again).
    pub async fn captions_read(
        &self,
        webcast: &MeetingWebcast,
        read: &CaptionsRead<'_>,
        note: Option<&str>,
        now: &str,
    ) -> Result<()> {
        let mut statements = vec![self.statement(
            q::CAPTIONS_READ,
            &[
                Text(&webcast.id),
                Text(read.hash),
                Text(read.key),
                Text(read.made_from),
                Int(read.cues as i64),
                Int(read.skipped as i64),
                Int(read.duration_ms as i64),
                Text(now),
            ],
        )?];
        if let (Some(meeting_id), Some(note)) = (webcast.meeting_id.as_deref(), note) {
            statements.push(self.statement(q::MEETING_CHANGED_BY_WEBCAST, &[Text(meeting_id), Text(note), Text(now)])?);
        }
        self.batch(statements).await
    }

    pub async fn captions_unchanged(&self, webcast_id: &str, now: &str) -> Result<()> {
        self.run(q::CAPTIONS_UNCHANGED, &[Text(webcast_id), Text(now)]).await
    }

    pub async fn captions_absent(&self, webcast_id: &str, now: &str) -> Result<()> {
        self.run(q::CAPTIONS_ABSENT, &[Text(webcast_id), Text(now)]).await
    }

    pub async fn captions_failed(&self, webcast_id: &str, error: &str, now: &str) -> Result<()> {
        self.run(q::CAPTIONS_FAILED, &[Text(webcast_id), Text(error), Text(now)]).await
    }

    /// The webcast's sound is planned in `chunks` chunks (a plan made again,
    /// from a message handled twice, keeps the chunks heard: they are the same).
    pub async fn speech_planned(&self, webcast_id: &str, chunks: usize, now: &str) -> Result<()> {
        self.run(q::SPEECH_PLANNED, &[Text(webcast_id), Int(chunks as i64), Text(now)]).await
    }

    /// Records a chunk heard; answers (chunks heard, chunks planned).
    pub async fn speech_chunk_done(&self, webcast_id: &str, number: u32, now: &str) -> Result<(usize, usize)> {
        #[derive(Deserialize)]
        struct Row {
            chunks: i64,
            heard: i64,
        }
        let results = self
            .batch_results(vec![
                self.statement(q::SPEECH_CHUNK_HEARD, &[Text(webcast_id), Int(i64::from(number)), Text(now)])?,
                self.statement(q::SPEECH_PROGRESS, &[Text(webcast_id)])?,
            ])
            .await?;
        let row = results.get(1).map(|r| r.results::<Row>()).transpose()?.and_then(|rows| rows.into_iter().next());
        Ok(row.map_or((0, usize::MAX), |r| (r.heard as usize, r.chunks as usize)))
    }

    pub async fn speech_failed(&self, webcast_id: &str, error: &str, now: &str) -> Result<()> {
        self.run(q::SPEECH_FAILED, &[Text(webcast_id), Text(error), Text(now)]).await
    }

    /// The joined transcript of the webcast's sound is its transcript; the
    /// meeting is marked changed with why (its summary is made again).
    pub async fn speech_done(
        &self,
        webcast: &MeetingWebcast,
        read: &CaptionsRead<'_>,
        note: &str,
        now: &str,
    ) -> Result<()> {
        let mut statements = vec![self.statement(
            q::SPEECH_DONE,
            &[
                Text(&webcast.id),
                Text(read.hash),
                Text(read.key),
                Text(read.made_from),
                Int(read.cues as i64),
                Int(read.duration_ms as i64),
                Text(now),
            ],
        )?];
        if let Some(meeting_id) = webcast.meeting_id.as_deref() {
            statements.push(self.statement(q::MEETING_CHANGED_BY_WEBCAST, &[Text(meeting_id), Text(note), Text(now)])?);
        }
        self.batch(statements).await
    }
}

/// Writes a transcript under its key.
pub async fn put_transcript(bucket: &Bucket, key: &str, transcript: &Transcript) -> Result<()> {
    let body = serde_json::to_vec(transcript)?;
    bucket.put(key, body).execute().await.map(|_| ())
}

/// A transcript, or `None` when its object is not there.
pub async fn transcript(bucket: &Bucket, key: &str) -> Result<Option<Transcript>> {
    read_json(bucket, key).await
}

/// A JSON object of ours in R2 (a transcript, a chunk's plan or what was
/// heard of it), or `None` when it is not there.
pub async fn read_json<T: for<'de> Deserialize<'de>>(bucket: &Bucket, key: &str) -> Result<Option<T>> {
    let Some(object) = bucket.get(key).execute().await? else { return Ok(None) };
    let Some(body) = object.body() else { return Ok(None) };
    let bytes = body.bytes().await?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| worker::Error::RustError(format!("stored {key} is not readable: {e}")))
}

//! Email alerts: when a meeting's summary or a council's week is published,
//! find who follows it (a page of subscribers a message) and record one email
//! each; each email is then its own message on the emails queue, sent by
//! `mail` with retries and backoff.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use worker::Result;

use super::context::{now, JobContext};
use super::{batches, Job, JobOutcome};
use crate::mail::{committee_titles, titles_of, EmailSettings};
use crate::notify::alerts::{delivery_id, meeting_matches, Frequency};
use crate::notify::compose;
use crate::storage::alerts::NewEmail;
use crate::storage::Store;
use crate::time::now_utc;

/// Subscribers read per fan-out message.
const SUBSCRIBERS_PER_PAGE: usize = 200;
/// A summary remade for a meeting older than this is not emailed about.
const ALERT_WITHIN_DAYS: i64 = 60;

/// What was published, for the fan-out.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Published {
    /// Version `version` of a meeting's summary.
    Summary { meeting_id: String, version: i64 },
    /// Version `version` of a council's digest for an ISO week.
    Digest { week: String, version: i64 },
}

/// Asks for the alerts of a meeting's newly saved summary, after the alert
/// delay (a version superseded by then is not told).
pub async fn summary_published(ctx: &JobContext<'_>, council_id: &str, meeting_id: &str, version: i64) -> Result<()> {
    let delay = EmailSettings::from_env(ctx.env, None).map_or(900, |s| s.alert_delay_seconds);
    let job = Job::AlertSubscribers {
        council_id: council_id.to_string(),
        published: Published::Summary { meeting_id: meeting_id.to_string(), version },
        after: String::new(),
    };
    ctx.queue.send(worker::MessageBuilder::new(job).delay_seconds(delay).build()).await
}

/// Asks for the weekly emails of a council's new digest.
pub async fn digest_published(ctx: &JobContext<'_>, council_id: &str, week: &str, version: i64) -> Result<()> {
    let published = Published::Digest { week: week.to_string(), version };
    ctx.queue.send(Job::AlertSubscribers { council_id: council_id.to_string(), published, after: String::new() }).await
}

/// One page of the fan-out: records an email for each subscriber (after id
/// `after`) who follows what was published, queues them, and queues the next page.
pub async fn fan_out(ctx: &JobContext<'_>, council_id: &str, published: &Published, after: &str) -> Result<JobOutcome> {
    let store = ctx.store;
    if let Err(error) = EmailSettings::from_env(ctx.env, None) {
        // Alerts are off: nothing is recorded that could never be sent.
        worker::console_error!("email alerts are off: {error}");
        return Ok(JobOutcome::Done);
    }
    let Some(target) = target(store, council_id, published).await? else { return Ok(JobOutcome::Done) };
    let page = store.subscribers_page(council_id, target.frequency, after, SUBSCRIBERS_PER_PAGE).await?;
    // A digest is narrowed by committee title; a meeting has its committee's id.
    let titles = match &target.what {
        Target::Digest { .. } if !page.is_empty() => committee_titles(store, council_id).await?,
        _ => Vec::new(),
    };
    let mut emails: Vec<NewEmail> = Vec::new();
    for subscriber in &page {
        let preferences = subscriber.preferences();
        let matched = match &target.what {
            Target::Summary { committee_id, texts } => {
                let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                meeting_matches(&preferences, committee_id, &texts)
            }
            Target::Digest { body } => {
                let chosen = titles_of(&titles, &preferences.committees);
                let points = compose::digest_points(body, &preferences, &chosen);
                (!points.is_empty()).then(|| points.into_iter().flat_map(|(_, m)| m).collect())
            }
        };
        let Some(matched) = matched else { continue };
        emails.push((
            delivery_id(&subscriber.id, target.kind, &target.key),
            subscriber.id.clone(),
            subscriber.address_key.clone(),
            target.kind,
            target.subject_id.clone(),
            json!({"version": target.version, "matched": matched}).to_string(),
        ));
    }
    store.add_emails(&emails, &now()).await?;
    // Told again (its message redelivered), a page queues only what was never tried.
    let ids: Vec<&str> = emails.iter().map(|email| email.0.as_str()).collect();
    let unsent = if ids.is_empty() { Vec::new() } else { store.emails_to_queue(&ids).await? };
    let jobs: Vec<Job> = unsent
        .into_iter()
        .map(|delivery_id| Job::SendEmail { council_id: council_id.to_string(), delivery_id })
        .collect();
    let queue = ctx.env.queue("EMAILS")?;
    for batch in batches(&jobs, 100) {
        queue.send_batch(batch).await?;
    }
    if page.len() == SUBSCRIBERS_PER_PAGE {
        let last = page.last().map(|s| s.id.clone()).unwrap_or_default();
        let next =
            Job::AlertSubscribers { council_id: council_id.to_string(), published: published.clone(), after: last };
        ctx.queue.send(next).await?;
    }
    Ok(JobOutcome::Done)
}

struct FanOutTarget {
    frequency: Frequency,
    kind: &'static str,
    subject_id: String,
    /// Names this publication in the emails' ids.
    key: String,
    version: i64,
    what: Target,
}

enum Target {
    Summary { committee_id: String, texts: Vec<String> },
    Digest { body: Value },
}

/// What the emails will be about, unless it is no longer worth telling (a
/// newer version exists, or the meeting is long past).
async fn target(store: &Store, council_id: &str, published: &Published) -> Result<Option<FanOutTarget>> {
    match published {
        Published::Summary { meeting_id, version } => {
            let Some(summary) = store.latest_summary(meeting_id).await? else { return Ok(None) };
            if summary["version"].as_i64() != Some(*version) {
                return Ok(None);
            }
            let Some(meeting) = store.meeting_full(meeting_id).await? else { return Ok(None) };
            let recent = chrono::NaiveDate::parse_from_str(&meeting.record.local_date, "%Y-%m-%d")
                .ok()
                .is_some_and(|d| d >= now_utc().date_naive() - Duration::days(ALERT_WITHIN_DAYS));
            if !recent {
                return Ok(None);
            }
            Ok(Some(FanOutTarget {
                frequency: Frequency::Immediate,
                kind: "meeting",
                subject_id: meeting_id.clone(),
                key: format!("{meeting_id}:{version}"),
                version: *version,
                what: Target::Summary {
                    texts: compose::meeting_texts(&meeting.for_alert(), &summary),
                    committee_id: meeting.record.committee_id,
                },
            }))
        }
        Published::Digest { week, version } => {
            let Some(digest) = store.latest_digest(council_id, week).await? else { return Ok(None) };
            if digest["version"].as_i64() != Some(*version) {
                return Ok(None);
            }
            Ok(Some(FanOutTarget {
                frequency: Frequency::Weekly,
                kind: "digest",
                subject_id: week.clone(),
                // One weekly email a week, whatever later versions the digest has.
                key: week.clone(),
                version: *version,
                what: Target::Digest { body: digest["body"].clone() },
            }))
        }
    }
}

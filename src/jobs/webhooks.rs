//! Webhook events: recorded as one delivery per subscribed endpoint, each sent
//! by its own message on the webhooks queue (one per invocation, so a slow
//! endpoint holds up nothing else), signed, retried with the queue's
//! exponential backoff, and the endpoint switched off after a run of failures.

use serde_json::{json, Value};
use worker::Result;

use super::context::{now, JobContext};
use super::{Job, JobOutcome};
use crate::net::{PostAnswer, PostError};
use crate::notify::webhooks::{check_endpoint, payload, signature, DISABLE_AFTER_FAILURES};
use crate::time::now_utc;

/// Attempts per delivery before it is given up.
pub const MAX_ATTEMPTS: i64 = 6;
/// How long an endpoint has to answer.
const TIMEOUT_MS: u64 = 10_000;
/// Of an endpoint's answer only the status matters; this much is read at most.
const MAX_ANSWER_BYTES: usize = 1024;

/// Records the event for every endpoint that follows it, and queues their
/// deliveries. `key` names this happening of the event (a meeting's run, a
/// summary's version): each delivery's id is derived from it, so an event
/// told again (its job redelivered, or retold after a failure) is recorded
/// once and delivered once.
pub async fn emit(ctx: &JobContext<'_>, council_id: &str, (event, key): (&str, &str), data: Value) -> Result<()> {
    let endpoints = ctx.store.endpoints_for_event(event, council_id).await?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let body = payload(event, &now(), data).to_string();
    let deliveries: Vec<(String, String)> = endpoints
        .into_iter()
        .map(|endpoint| {
            let digest = crate::hash::sha256_hex(format!("{endpoint}|{event}|{key}").as_bytes());
            (format!("msg_{}", &digest[..24]), endpoint)
        })
        .collect();
    ctx.store.add_webhook_deliveries(&deliveries, event, &body, &now()).await?;
    let jobs: Vec<Job> = deliveries
        .into_iter()
        .map(|(delivery_id, _)| Job::DeliverWebhook { council_id: council_id.to_string(), delivery_id })
        .collect();
    let queue = ctx.env.queue("WEBHOOKS")?;
    for batch in super::batches(&jobs, 100) {
        queue.send_batch(batch).await?;
    }
    Ok(())
}

/// Where our pages are, for links in events.
pub fn public_link(ctx: &JobContext<'_>, path: &str) -> Value {
    match ctx.env.var("PUBLIC_ORIGIN").map(|v| v.to_string()) {
        Ok(origin) if !origin.is_empty() => json!(format!("{}{path}", origin.trim_end_matches('/'))),
        _ => json!(path),
    }
}

/// Sends one delivery.
pub async fn deliver(ctx: &JobContext<'_>, delivery_id: &str) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(delivery) = store.webhook_delivery(delivery_id).await? else { return Ok(JobOutcome::Done) };
    if delivery.status != "pending" {
        // Delivered already (a message delivered twice) or given up.
        return Ok(JobOutcome::Done);
    }
    if delivery.enabled == 0 {
        store.webhook_given_up(&delivery.id, "the endpoint is disabled").await?;
        return Ok(JobOutcome::Done);
    }
    // Checked when sent as well as when registered: an address allowed once
    // (or stored before the rules) is not trusted for ever.
    if let Err(why) = check_endpoint(&delivery.url, crate::config::local_development(ctx.env)) {
        store.webhook_given_up(&delivery.id, &format!("the endpoint's address is not allowed: {why}")).await?;
        return Ok(JobOutcome::Done);
    }
    let timestamp = now_utc().timestamp();
    let Some(signed) = signature(&delivery.secret, &delivery.id, timestamp, &delivery.payload) else {
        store.webhook_given_up(&delivery.id, "the endpoint's secret is unusable").await?;
        return Ok(JobOutcome::Done);
    };
    let sent = post(&delivery.url, &delivery.id, timestamp, &signed, &delivery.payload).await;
    match sent {
        Ok(answer) if (200..300).contains(&answer.status) => {
            store.webhook_delivered(&delivery, answer.status, &now()).await?;
            Ok(JobOutcome::Done)
        }
        failure => {
            let (status, error) = match failure {
                Ok(answer) => (Some(answer.status), answer_error(&answer)),
                Err(error) => (None, error),
            };
            let last = delivery.attempts + 1 >= MAX_ATTEMPTS;
            let try_again =
                store.webhook_attempt_failed(&delivery, (status, &error), last, DISABLE_AFTER_FAILURES, &now()).await?;
            if !try_again {
                return Ok(JobOutcome::Done);
            }
            Ok(JobOutcome::Retry(format!("webhook {}: {error}", delivery.id)))
        }
    }
}

/// Why an answer is a failed delivery. A redirect is one: it is not followed
/// (it could lead anywhere, http or our own network), and where it pointed
/// is reported as the endpoint said it.
fn answer_error(answer: &PostAnswer) -> String {
    match (answer.status, &answer.location) {
        (300..=399, Some(location)) => {
            let host = url::Url::parse(location).ok().and_then(|u| u.host_str().map(str::to_string));
            format!(
                "the endpoint answered HTTP {} redirecting to {}; redirects are not followed",
                answer.status,
                host.unwrap_or_else(|| "another address".into())
            )
        }
        (status, _) => format!("the endpoint answered HTTP {status}"),
    }
}

async fn post(
    url: &str,
    id: &str,
    timestamp: i64,
    signed: &str,
    body: &str,
) -> std::result::Result<PostAnswer, String> {
    let timestamp = timestamp.to_string();
    let headers = [
        ("Content-Type", "application/json"),
        ("webhook-id", id),
        ("webhook-timestamp", timestamp.as_str()),
        ("webhook-signature", signed),
        ("User-Agent", "council-digest-webhooks"),
    ];
    match crate::net::post_with_timeout(url, &headers, body, TIMEOUT_MS, MAX_ANSWER_BYTES).await {
        Ok(answer) => Ok(answer),
        Err(PostError::NoAnswer(error)) => Err(format!("the endpoint gave {error}")),
        Err(PostError::NotSent(error)) => Err(error),
    }
}

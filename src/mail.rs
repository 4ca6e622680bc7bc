//! Sending one recorded email, for both workers: the email settings, the
//! message the site worker queues for a confirmation, each email composed
//! from its record (the same body on every attempt), claimed before it is
//! sent, capped per address, and posted to the provider's HTTP API. The site
//! worker sends confirmation and manage-link emails; the ingest worker every
//! kind (`jobs::alerts` decides who is told what).

use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use worker::{Env, Result};

use crate::net::PostError;
use crate::notify::alerts::{sign_token, Purpose};
use crate::notify::compose::{self, Links};
use crate::notify::email::{provider_request, read_answer, unsubscribe_headers, Email, Provider, SendOutcome};
use crate::outcome::Outcome;
use crate::storage::alerts::EmailRecord;
use crate::storage::Store;
use crate::time::{now_utc, stamp};

/// Attempts per email before it is given up.
pub const MAX_ATTEMPTS: i64 = 6;
/// Confirmation and manage-link emails to anyone in an hour, unless set.
pub const DEFAULT_CONFIRMATIONS_PER_HOUR: i64 = 300;
/// How long the provider has to answer.
const TIMEOUT_MS: u64 = 10_000;
/// How long one attempt holds an email: past it (the attempt died), another may send it.
const SENDING_LEASE_MS: i64 = 60_000;

/// `EMAIL_CONFIRMATIONS_PER_HOUR`, or its default: readable where email is not configured (operators' status).
pub fn confirmations_per_hour(env: &Env) -> i64 {
    env.var("EMAIL_CONFIRMATIONS_PER_HOUR")
        .ok()
        .and_then(|v| v.to_string().trim().parse().ok())
        .unwrap_or(DEFAULT_CONFIRMATIONS_PER_HOUR)
}

fn now() -> String {
    stamp(now_utc())
}

/// How emails are sent, from the worker's vars and secrets.
pub struct EmailSettings {
    pub provider: Provider,
    pub base_url: String,
    pub api_key: String,
    pub from: String,
    /// Signs links and keys addresses (`EMAIL_TOKEN_SECRET`).
    pub secret: Vec<u8>,
    /// Our site, for links.
    pub origin: String,
    /// Alerts and digests to one address in 24 hours.
    pub daily_cap: i64,
    /// Confirmation and manage-link emails to anyone in an hour: past it,
    /// asking is refused (an attack on the service, or on its sending reputation).
    pub confirmations_per_hour: i64,
    /// How long after a summary is saved its alert goes out: a summary remade
    /// meanwhile (its documents still being read) is told once, as it ends up.
    pub alert_delay_seconds: u32,
}

impl EmailSettings {
    /// The settings, or why email cannot be sent (no secret, an unknown provider).
    /// `origin` stands in when `PUBLIC_ORIGIN` is not set (the site worker's own origin).
    pub fn from_env(env: &Env, origin: Option<&str>) -> std::result::Result<Self, String> {
        let var = |name: &str| env.var(name).map(|v| v.to_string()).ok().filter(|v| !v.trim().is_empty());
        let secret = env.secret("EMAIL_TOKEN_SECRET").map(|s| s.to_string()).ok().or_else(|| var("EMAIL_TOKEN_SECRET"));
        let secret = secret.filter(|s| s.len() >= 16).ok_or("EMAIL_TOKEN_SECRET is not set (16 characters or more)")?;
        let provider_name = var("EMAIL_PROVIDER").unwrap_or_default();
        let provider =
            Provider::parse(&provider_name).ok_or(format!("EMAIL_PROVIDER {provider_name:?} is not known"))?;
        let origin = var("PUBLIC_ORIGIN")
            .or(origin.map(str::to_string))
            .ok_or("PUBLIC_ORIGIN is not set")?
            .trim_end_matches('/')
            .to_string();
        let api_key = env.secret("EMAIL_API_KEY").map(|s| s.to_string()).ok().or_else(|| var("EMAIL_API_KEY"));
        Ok(Self {
            provider,
            base_url: var("EMAIL_API_BASE_URL").unwrap_or_else(|| provider.default_base_url().to_string()),
            api_key: api_key.unwrap_or_default(),
            from: var("EMAIL_FROM").unwrap_or_else(|| "council-digest <alerts@council-digest.org>".into()),
            secret: secret.into_bytes(),
            origin,
            daily_cap: var("EMAIL_DAILY_CAP").and_then(|v| v.parse().ok()).unwrap_or(20),
            confirmations_per_hour: confirmations_per_hour(env),
            alert_delay_seconds: var("ALERT_DELAY_SECONDS").and_then(|v| v.parse().ok()).unwrap_or(900),
        })
    }

    /// A signed link to one of the alert pages (`confirm`, `manage`, `unsubscribe`), valid from now.
    pub fn link(&self, purpose: Purpose, subscription_id: &str) -> String {
        self.link_issued(purpose, subscription_id, now_utc().timestamp())
    }

    /// A link whose lifetime runs from `issued_at` (an email's record), so the
    /// same email always carries the same link.
    pub fn link_issued(&self, purpose: Purpose, subscription_id: &str, issued_at: i64) -> String {
        let token = sign_token(&self.secret, purpose, subscription_id, issued_at + purpose.lifetime_seconds());
        let page = match purpose {
            Purpose::Confirm => "confirm",
            Purpose::Manage => "manage",
            Purpose::Unsubscribe => "unsubscribe",
        };
        format!("{}/alerts/{page}?token={token}", self.origin)
    }

    /// A signed token for a subscription, valid for its purpose's lifetime from now.
    pub fn token(&self, purpose: Purpose, subscription_id: &str) -> String {
        sign_token(&self.secret, purpose, subscription_id, now_utc().timestamp() + purpose.lifetime_seconds())
    }

    fn links(&self, subscription_id: &str, issued_at: i64) -> Links {
        Links {
            origin: self.origin.clone(),
            manage: self.link_issued(Purpose::Manage, subscription_id, issued_at),
            unsubscribe: self.link_issued(Purpose::Unsubscribe, subscription_id, issued_at),
        }
    }
}

/// The council's committees: (id, title).
pub async fn committee_titles(store: &Store, council_id: &str) -> Result<Vec<(String, String)>> {
    Ok(store.council_committees(council_id).await?.into_iter().map(|c| (c.id, c.title)).collect())
}

pub fn titles_of(titles: &[(String, String)], ids: &[String]) -> Vec<String> {
    ids.iter().filter_map(|id| titles.iter().find(|(known, _)| known == id).map(|(_, title)| title.clone())).collect()
}

/// The message that asks for one email to be sent, as the site worker's
/// queue carries it: the same JSON as `Job::SendEmail`, without the rest of
/// `Job`, which the site worker does not need to carry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EmailMessage {
    pub kind: String,
    pub council_id: String,
    pub delivery_id: String,
    /// The site's origin as the request that asked for the email saw it, for
    /// links when `PUBLIC_ORIGIN` is not set (local development).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

impl EmailMessage {
    pub fn new(council_id: &str, delivery_id: &str, origin: Option<&str>) -> Self {
        Self {
            kind: "send_email".into(),
            council_id: council_id.into(),
            delivery_id: delivery_id.into(),
            origin: origin.map(str::to_string),
        }
    }
}

/// Sends one recorded email of any kind (the ingest worker).
pub async fn send(store: &Store, env: &Env, delivery_id: &str) -> Result<Outcome> {
    deliver(store, (env, None), delivery_id, AnyEmail).await
}

/// Sends one confirmation or manage-link email (the site worker: it links
/// no alert or digest composition).
pub async fn send_to_subscriber(store: &Store, env: &Env, message: &EmailMessage) -> Result<Outcome> {
    deliver(store, (env, message.origin.as_deref()), &message.delivery_id, SubscriberEmail).await
}

/// Sends one email; `origin` stands in for `PUBLIC_ORIGIN` when that is not set.
async fn deliver(
    store: &Store,
    (env, origin): (&Env, Option<&str>),
    delivery_id: &str,
    composer: impl Composer,
) -> Result<Outcome> {
    let Some(email) = store.email_delivery(delivery_id).await? else { return Ok(Outcome::Done) };
    if email.status != "queued" {
        // Sent already (a message delivered twice), or closed.
        return Ok(Outcome::Done);
    }
    let settings = match EmailSettings::from_env(env, origin) {
        Ok(settings) => settings,
        Err(error) => return attempt_failed(store, &email, &format!("email is not configured: {error}")).await,
    };
    let alert = matches!(email.kind.as_str(), "meeting" | "digest");
    if alert && email.subscription_status != "active" {
        store.email_closed(&email.id, "failed", "the subscription is not confirmed").await?;
        return Ok(Outcome::Done);
    }
    if alert {
        let since = stamp(now_utc() - Duration::hours(24));
        if store.alerts_sent_since(&email.address_key, &since).await? >= settings.daily_cap {
            let reason = format!("{} emails to this address in 24 hours already", settings.daily_cap);
            store.email_closed(&email.id, "capped", &reason).await?;
            return Ok(Outcome::Done);
        }
    }
    // Claimed before anything is sent: a message delivered twice, or a retry
    // racing a slow attempt, finds it held and sends nothing.
    let lease_until = stamp(now_utc() + Duration::milliseconds(SENDING_LEASE_MS));
    if !store.claim_email_send(&email.id, &lease_until, &now()).await? {
        return Ok(Outcome::Retry(format!("email {}: another attempt is sending it", email.id)));
    }
    let Some((subject, body)) = composer.compose(store, &settings, &email).await? else {
        store.email_closed(&email.id, "failed", "what it was about is no longer stored").await?;
        return Ok(Outcome::Done);
    };
    let html = match body.html() {
        Ok(html) => html,
        Err(error) => {
            store.email_closed(&email.id, "failed", &error).await?;
            return Ok(Outcome::Done);
        }
    };
    let message = Email {
        to: email.address.clone(),
        subject,
        text: body.text(),
        html,
        headers: unsubscribe_headers(&settings.link_issued(
            Purpose::Unsubscribe,
            &email.subscription_id,
            issued_at(&email),
        )),
        idempotency_key: email.id.clone(),
    };
    if settings.provider == Provider::Log {
        // Local development: the email is written to the log (never its address).
        worker::console_log!(
            "email {} ({}), EMAIL_PROVIDER is log:\n{}\n\n{}",
            email.id,
            email.kind,
            message.subject,
            message.text
        );
        store.email_sent(&email.id, Some("log"), &now(), None).await?;
        return Ok(Outcome::Done);
    }
    let request = provider_request(settings.provider, &settings.base_url, &settings.api_key, &settings.from, &message);
    let headers: Vec<(&str, &str)> = request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let answer = crate::net::post_with_timeout(&request.url, &headers, &request.body, TIMEOUT_MS, 65_536).await;
    let outcome = match answer {
        Ok(answer) => read_answer(settings.provider, answer.status, &answer.body, &email.address),
        Err(PostError::NoAnswer(error)) if !settings.provider.recognises_repeats() => {
            // It may have been accepted, and this provider would send a repeat again.
            let note =
                format!("the provider's answer was lost ({error}); not sent again, as a repeat would be sent twice");
            store.email_sent(&email.id, None, &now(), Some(&note)).await?;
            return Ok(Outcome::Done);
        }
        Err(error) => SendOutcome::Retry(format!("the provider could not be reached: {error}")),
    };
    match outcome {
        SendOutcome::Sent(id) => {
            store.email_sent(&email.id, id.as_deref(), &now(), None).await?;
            Ok(Outcome::Done)
        }
        SendOutcome::Failed(error) => {
            store.email_attempt_failed(&email.id, &error, true).await?;
            Ok(Outcome::Done)
        }
        SendOutcome::Retry(error) => attempt_failed(store, &email, &error).await,
    }
}

/// When the email was recorded (seconds): what its body is made from, so a
/// retry sends the very same email.
fn issued_at(email: &EmailRecord) -> i64 {
    chrono::DateTime::parse_from_rfc3339(&email.created_at).map_or_else(|_| now_utc().timestamp(), |t| t.timestamp())
}

async fn attempt_failed(store: &Store, email: &EmailRecord, error: &str) -> Result<Outcome> {
    let last = email.attempts + 1 >= MAX_ATTEMPTS;
    store.email_attempt_failed(&email.id, error, last).await?;
    Ok(if last { Outcome::Done } else { Outcome::Retry(format!("email {}: {error}", email.id)) })
}

/// Makes the subject and body of a recorded email, from what is stored now
/// (a summary remade since the email was recorded is told as it is now).
trait Composer {
    async fn compose(
        &self,
        store: &Store,
        settings: &EmailSettings,
        email: &EmailRecord,
    ) -> Result<Option<compose::Composed>>;
}

/// Confirmation and manage-link emails only.
struct SubscriberEmail;

/// Every kind of email.
struct AnyEmail;

/// What a subscription follows, in words, and its chosen committees' titles.
async fn described(store: &Store, email: &EmailRecord) -> Result<(String, Vec<String>)> {
    let preferences = email.preferences();
    let titles = committee_titles(store, &email.council_id).await?;
    let chosen = titles_of(&titles, &preferences.committees);
    Ok((compose::describe(&preferences, &chosen), chosen))
}

impl Composer for SubscriberEmail {
    async fn compose(
        &self,
        store: &Store,
        settings: &EmailSettings,
        email: &EmailRecord,
    ) -> Result<Option<compose::Composed>> {
        let (what, _) = described(store, email).await?;
        let links = settings.links(&email.subscription_id, issued_at(email));
        let council = email.council_name.as_str();
        Ok(match email.kind.as_str() {
            "confirmation" => {
                let confirm = settings.link_issued(Purpose::Confirm, &email.subscription_id, issued_at(email));
                Some(compose::confirmation(council, &what, &confirm, &links.unsubscribe))
            }
            "manage" => Some(compose::manage_link(council, &what, &links)),
            _ => None,
        })
    }
}

impl Composer for AnyEmail {
    async fn compose(
        &self,
        store: &Store,
        settings: &EmailSettings,
        email: &EmailRecord,
    ) -> Result<Option<compose::Composed>> {
        if matches!(email.kind.as_str(), "confirmation" | "manage") {
            return SubscriberEmail.compose(store, settings, email).await;
        }
        let preferences = email.preferences();
        let (what, chosen) = described(store, email).await?;
        let links = settings.links(&email.subscription_id, issued_at(email));
        let council = email.council_name.as_str();
        let detail: Value = serde_json::from_str(&email.detail).unwrap_or(Value::Null);
        let matched: Vec<String> = serde_json::from_value(detail["matched"].clone()).unwrap_or_default();
        Ok(match email.kind.as_str() {
            "meeting" => {
                let (Some(meeting), Some(summary)) =
                    (store.meeting_full(&email.subject_id).await?, store.latest_summary(&email.subject_id).await?)
                else {
                    return Ok(None);
                };
                let recorded_on =
                    chrono::DateTime::from_timestamp(issued_at(email), 0).unwrap_or_default().date_naive();
                Some(compose::meeting_alert(&meeting.for_alert(), &summary, (recorded_on, &matched), &what, &links))
            }
            "digest" => {
                let Some(digest) = store.latest_digest(&email.council_id, &email.subject_id).await? else {
                    return Ok(None);
                };
                let mut body = digest["body"].clone();
                body["council_id"] = json!(email.council_id);
                let points = compose::digest_points(&body, &preferences, &chosen);
                Some(compose::digest_email(council, &body, &points, &what, &links))
            }
            _ => None,
        })
    }
}

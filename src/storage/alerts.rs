//! D1 access for email alerts: subscriptions and the emails sent for them.
//! Only `email_delivery` reads an address (to send to it).

use serde::Deserialize;
use serde_json::Value;
use worker::Result;

use super::queries as q;
use super::{Param::*, Store};
use crate::notify::alerts::{Frequency, Preferences};

/// A subscription as pages and jobs see it: never with its address.
#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionRecord {
    pub id: String,
    pub council_id: String,
    pub council_name: String,
    pub committees: String,
    pub keywords: String,
    pub frequency: String,
    pub status: String,
}

impl SubscriptionRecord {
    pub fn preferences(&self) -> Preferences {
        preferences(&self.committees, &self.keywords, &self.frequency)
    }
}

/// A subscriber in a page read when something is published.
#[derive(Debug, Clone, Deserialize)]
pub struct Subscriber {
    pub id: String,
    pub address_key: String,
    pub committees: String,
    pub keywords: String,
    pub frequency: String,
}

impl Subscriber {
    pub fn preferences(&self) -> Preferences {
        preferences(&self.committees, &self.keywords, &self.frequency)
    }
}

fn preferences(committees: &str, keywords: &str, frequency: &str) -> Preferences {
    Preferences {
        committees: serde_json::from_str(committees).unwrap_or_default(),
        keywords: serde_json::from_str(keywords).unwrap_or_default(),
        frequency: Frequency::parse(frequency).unwrap_or(Frequency::Immediate),
    }
}

/// One email to send, with what it needs.
#[derive(Debug, Clone, Deserialize)]
pub struct EmailRecord {
    pub id: String,
    pub subscription_id: String,
    pub address_key: String,
    pub kind: String,
    pub subject_id: String,
    pub detail: String,
    pub status: String,
    pub attempts: i64,
    /// When it was recorded: its links' lifetimes run from here, so that
    /// every attempt sends the same body.
    pub created_at: String,
    pub address: String,
    pub council_id: String,
    pub council_name: String,
    pub committees: String,
    pub keywords: String,
    pub frequency: String,
    pub subscription_status: String,
}

impl EmailRecord {
    pub fn preferences(&self) -> Preferences {
        preferences(&self.committees, &self.keywords, &self.frequency)
    }
}

/// The caps a confirmation or manage-link email is claimed under.
pub struct ConfirmationCaps<'a> {
    pub now: &'a str,
    pub hour_ago: &'a str,
    pub day_ago: &'a str,
    pub per_mailbox_per_day: i64,
    pub per_hour_to_anyone: i64,
}

/// An email to record: (id, subscription, address key, kind, subject, detail).
pub type NewEmail = (String, String, String, &'static str, String, String);

#[derive(Deserialize)]
struct Count {
    n: i64,
}

impl Store {
    /// Records a subscription request (new and pending, or a pending one's
    /// choices replaced); answers the subscription's id and status.
    pub async fn request_subscription(
        &self,
        (new_id, address, address_key): (&str, &str, &str),
        council_id: &str,
        preferences: &Preferences,
        now: &str,
    ) -> Result<(String, String)> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            status: String,
        }
        let committees = serde_json::to_string(&preferences.committees)?;
        let keywords = serde_json::to_string(&preferences.keywords)?;
        self.run(
            q::REQUEST_SUBSCRIPTION,
            &[
                Text(new_id),
                Text(address),
                Text(address_key),
                Text(council_id),
                Text(&committees),
                Text(&keywords),
                Text(preferences.frequency.as_str()),
                Text(now),
            ],
        )
        .await?;
        let row: Row = self
            .row(q::SUBSCRIPTION_FOR_ADDRESS, &[Text(address_key), Text(council_id)])
            .await?
            .ok_or_else(|| worker::Error::RustError("the subscription was not stored".into()))?;
        Ok((row.id, row.status))
    }

    /// Records a confirmation or manage-link email for the subscription if
    /// the caps allow it (see `CLAIM_SUBSCRIBER_EMAIL`), atomically, before
    /// anything is queued; answers whether it was recorded.
    pub async fn claim_subscriber_email(
        &self,
        email_id: &str,
        subscription_id: &str,
        kind: &str,
        caps: &ConfirmationCaps<'_>,
    ) -> Result<bool> {
        let results = self
            .batch_results(vec![
                self.statement(
                    q::CLAIM_SUBSCRIBER_EMAIL,
                    &[
                        Text(email_id),
                        Text(subscription_id),
                        Text(kind),
                        Text(caps.now),
                        Text(caps.hour_ago),
                        Text(caps.day_ago),
                        Int(caps.per_mailbox_per_day),
                        Int(caps.per_hour_to_anyone),
                    ],
                )?,
                self.statement(q::CONFIRMATION_SENT, &[Text(subscription_id), Text(caps.now), Text(email_id)])?,
            ])
            .await?;
        let claimed: Vec<Value> = match results.first() {
            Some(result) => result.results()?,
            None => Vec::new(),
        };
        Ok(!claimed.is_empty())
    }

    /// Confirmation and manage-link emails recorded for anyone since `since`.
    pub async fn confirmations_to_anyone_since(&self, since: &str) -> Result<i64> {
        Ok(self.row::<Count>(q::CONFIRMATIONS_TO_ANYONE_SINCE, &[Text(since)]).await?.map_or(0, |c| c.n))
    }

    pub async fn alerts_sent_since(&self, address_key: &str, since: &str) -> Result<i64> {
        Ok(self.row::<Count>(q::ALERTS_SENT_SINCE, &[Text(address_key), Text(since)]).await?.map_or(0, |c| c.n))
    }

    pub async fn subscription(&self, id: &str) -> Result<Option<SubscriptionRecord>> {
        self.row(q::GET_SUBSCRIPTION, &[Text(id)]).await
    }

    pub async fn confirm_subscription(&self, id: &str, now: &str) -> Result<()> {
        self.run(q::CONFIRM_SUBSCRIPTION, &[Text(id), Text(now)]).await
    }

    pub async fn update_subscription(&self, id: &str, preferences: &Preferences) -> Result<()> {
        let committees = serde_json::to_string(&preferences.committees)?;
        let keywords = serde_json::to_string(&preferences.keywords)?;
        self.run(
            q::UPDATE_SUBSCRIPTION,
            &[Text(id), Text(&committees), Text(&keywords), Text(preferences.frequency.as_str())],
        )
        .await
    }

    /// Deletes a subscription and the records of its emails.
    pub async fn delete_subscription(&self, id: &str) -> Result<()> {
        self.batch(vec![
            self.statement(q::DELETE_SUBSCRIPTION_DELIVERIES, &[Text(id)])?,
            self.statement(q::DELETE_SUBSCRIPTION, &[Text(id)])?,
        ])
        .await
    }

    /// Deletes every subscription of the address subscription `id` was made
    /// for, and the records of every email sent to it.
    pub async fn delete_address(&self, id: &str) -> Result<()> {
        self.batch(vec![
            self.statement(q::DELETE_ADDRESS_DELIVERIES, &[Text(id)])?,
            self.statement(q::DELETE_ADDRESS_SUBSCRIPTIONS, &[Text(id)])?,
        ])
        .await
    }

    pub async fn subscribers_page(
        &self,
        council_id: &str,
        frequency: Frequency,
        after: &str,
        limit: usize,
    ) -> Result<Vec<Subscriber>> {
        self.rows(q::SUBSCRIBERS_PAGE, &[Text(council_id), Text(frequency.as_str()), Text(after), Int(limit as i64)])
            .await
    }

    /// Records emails to send, in one batch; one already recorded is left as it is.
    pub async fn add_emails(&self, emails: &[NewEmail], now: &str) -> Result<()> {
        let mut statements = Vec::with_capacity(emails.len());
        for (id, subscription, key, kind, subject, detail) in emails {
            statements.push(self.statement(
                q::INSERT_EMAIL_DELIVERY,
                &[Text(id), Text(subscription), Text(key), Text(kind), Text(subject), Text(detail), Text(now)],
            )?);
        }
        self.batch(statements).await
    }

    pub async fn email_delivery(&self, id: &str) -> Result<Option<EmailRecord>> {
        self.row(q::GET_EMAIL_DELIVERY, &[Text(id)]).await
    }

    /// Takes the email to send until `lease_until`; false when it is not queued
    /// or another attempt holds it.
    pub async fn claim_email_send(&self, id: &str, lease_until: &str, now: &str) -> Result<bool> {
        let claimed: Option<Value> = self.row(q::CLAIM_EMAIL_SEND, &[Text(id), Text(lease_until), Text(now)]).await?;
        Ok(claimed.is_some())
    }

    /// Of these emails, the ones never tried and not being sent.
    pub async fn emails_to_queue(&self, ids: &[&str]) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }
        let json = serde_json::to_string(ids)?;
        Ok(self.rows::<Id>(q::EMAILS_TO_QUEUE, &[Text(&json)]).await?.into_iter().map(|r| r.id).collect())
    }

    /// Sent; `note` says why the provider's word is missing, when it is.
    pub async fn email_sent(
        &self,
        id: &str,
        provider_message_id: Option<&str>,
        now: &str,
        note: Option<&str>,
    ) -> Result<()> {
        self.run(q::EMAIL_SENT, &[Text(id), OptText(provider_message_id), Text(now), OptText(note)]).await
    }

    pub async fn email_attempt_failed(&self, id: &str, error: &str, last: bool) -> Result<()> {
        self.run(q::EMAIL_ATTEMPT_FAILED, &[Text(id), Text(error), Bool(last)]).await
    }

    /// Closes an email unsent: `status` is 'failed' or 'capped'.
    pub async fn email_closed(&self, id: &str, status: &str, reason: &str) -> Result<()> {
        self.run(q::EMAIL_CLOSED, &[Text(id), Text(status), Text(reason)]).await
    }

    /// Deletes unconfirmed subscriptions whose latest confirmation email went
    /// before `cutoff`, with their emails' records, in one batch (so no
    /// subscription is left half deleted); answers how many went.
    pub async fn expire_unconfirmed(&self, cutoff: &str) -> Result<usize> {
        self.delete_together(vec![
            self.statement(q::EXPIRED_PENDING_DELIVERIES, &[Text(cutoff)])?,
            self.statement(q::EXPIRE_PENDING_SUBSCRIPTIONS, &[Text(cutoff)])?,
        ])
        .await
    }

    /// Deletes up to `limit` email records older than `cutoff`; answers how many went.
    pub async fn prune_email_records(&self, cutoff: &str, limit: usize) -> Result<usize> {
        let result = self.statement(q::DELETE_OLD_EMAIL_DELIVERIES, &[Text(cutoff), Int(limit as i64)])?.run().await?;
        Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }
}

//! D1 access for webhook endpoints and their deliveries.

use serde::Deserialize;
use serde_json::Value;
use worker::Result;

use super::queries as q;
use super::{Param::*, Store};

#[derive(Debug, Clone, Deserialize)]
pub struct DeliveryRecord {
    pub id: String,
    pub endpoint_id: String,
    pub event: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub url: String,
    pub secret: String,
    pub enabled: i64,
}

/// Endpoints read per page when an event is fanned out.
const ENDPOINT_PAGE: usize = 500;

/// What became of a replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    Queued,
    NoSuchDelivery,
    /// The endpoint's API key was revoked: it stays off.
    KeyRevoked,
}

impl Store {
    /// Registers an endpoint, for an operator (`api_key` None) or for a key's holder.
    pub async fn add_webhook_endpoint(
        &self,
        (id, url, council_id): (&str, &str, Option<&str>),
        events: &[String],
        (secret, api_key): (&str, Option<&str>),
        now: &str,
    ) -> Result<()> {
        let events = serde_json::to_string(events)?;
        let (sql, key) = match api_key {
            None => (q::INSERT_WEBHOOK_ENDPOINT, OptText(None)),
            Some(key) => (q::INSERT_KEY_WEBHOOK_ENDPOINT, Text(key)),
        };
        let mut fields = vec![Text(id), Text(url), OptText(council_id), Text(&events), Text(secret), Text(now)];
        if api_key.is_some() {
            fields.push(key);
        }
        self.run(sql, &fields).await
    }

    /// Every endpoint (`api_key` None), or a key's; never with secrets.
    pub async fn webhook_endpoints(&self, api_key: Option<&str>) -> Result<Vec<Value>> {
        let mut rows: Vec<Value> = match api_key {
            None => self.rows(q::LIST_WEBHOOK_ENDPOINTS, &[]).await?,
            Some(key) => self.rows(q::KEY_WEBHOOK_ENDPOINTS, &[Text(key)]).await?,
        };
        for row in &mut rows {
            let events = row["events"].as_str().and_then(|e| serde_json::from_str::<Value>(e).ok());
            row["events"] = events.unwrap_or(Value::Array(Vec::new()));
        }
        Ok(rows)
    }

    pub async fn add_api_key(
        &self,
        (id, name, key_hash): (&str, &str, &str),
        max_endpoints: i64,
        now: &str,
    ) -> Result<()> {
        self.run(q::INSERT_API_KEY, &[Text(id), Text(name), Text(key_hash), Int(max_endpoints), Text(now)]).await
    }

    pub async fn api_keys(&self) -> Result<Vec<Value>> {
        self.rows(q::LIST_API_KEYS, &[]).await
    }

    /// The unrevoked key with this hash: (id, max endpoints).
    pub async fn api_key(&self, key_hash: &str) -> Result<Option<(String, i64)>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            max_endpoints: i64,
        }
        let row: Option<Row> = self.row(q::API_KEY_BY_HASH, &[Text(key_hash)]).await?;
        Ok(row.map(|r| (r.id, r.max_endpoints)))
    }

    /// Revokes a key and switches its endpoints off; answers whether it was a live key.
    pub async fn revoke_api_key(&self, id: &str, now: &str) -> Result<bool> {
        let revoked: Option<Value> = self.row(q::REVOKE_API_KEY, &[Text(id), Text(now)]).await?;
        if revoked.is_some() {
            self.run(q::DISABLE_KEY_ENDPOINTS, &[Text(id), Text(now)]).await?;
        }
        Ok(revoked.is_some())
    }

    pub async fn key_owns_endpoint(&self, endpoint_id: &str, api_key: &str) -> Result<bool> {
        let row: Option<Value> = self.row(q::KEY_OWNS_ENDPOINT, &[Text(endpoint_id), Text(api_key)]).await?;
        Ok(row.is_some())
    }

    /// Deletes an endpoint and the record of its deliveries.
    pub async fn delete_webhook_endpoint(&self, endpoint_id: &str) -> Result<()> {
        self.batch(vec![
            self.statement(q::DELETE_ENDPOINT_DELIVERIES, &[Text(endpoint_id)])?,
            self.statement(q::DELETE_WEBHOOK_ENDPOINT, &[Text(endpoint_id)])?,
        ])
        .await
    }

    /// Every endpoint following the event, read in pages of `ENDPOINT_PAGE` in id order.
    pub async fn endpoints_for_event(&self, event: &str, council_id: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
        }
        let mut endpoints: Vec<String> = Vec::new();
        loop {
            let after = endpoints.last().cloned().unwrap_or_default();
            let params = [Text(event), Text(council_id), Text(&after), Int(ENDPOINT_PAGE as i64)];
            let rows: Vec<Row> = self.rows(q::ENDPOINTS_FOR_EVENT, &params).await?;
            let full = rows.len() == ENDPOINT_PAGE;
            endpoints.extend(rows.into_iter().map(|r| r.id));
            if !full {
                return Ok(endpoints);
            }
        }
    }

    /// Deletes up to `limit` delivery records older than `cutoff`; answers how many went.
    pub async fn prune_webhook_deliveries(&self, cutoff: &str, limit: usize) -> Result<usize> {
        let result =
            self.statement(q::DELETE_OLD_WEBHOOK_DELIVERIES, &[Text(cutoff), Int(limit as i64)])?.run().await?;
        Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }

    /// Deletes the endpoints (secrets included) of keys revoked before `cutoff`, with their deliveries.
    pub async fn prune_revoked_key_endpoints(&self, cutoff: &str) -> Result<usize> {
        self.delete_together(vec![
            self.statement(q::DELETE_REVOKED_KEY_DELIVERIES, &[Text(cutoff)])?,
            self.statement(q::DELETE_REVOKED_KEY_ENDPOINTS, &[Text(cutoff)])?,
        ])
        .await
    }

    /// Records one delivery per endpoint, in one batch.
    pub async fn add_webhook_deliveries(
        &self,
        deliveries: &[(String, String)],
        event: &str,
        payload: &str,
        now: &str,
    ) -> Result<()> {
        let mut statements = Vec::with_capacity(deliveries.len());
        for (id, endpoint) in deliveries {
            statements.push(self.statement(
                q::INSERT_WEBHOOK_DELIVERY,
                &[Text(id), Text(endpoint), Text(event), Text(payload), Text(now)],
            )?);
        }
        self.batch(statements).await
    }

    pub async fn webhook_delivery(&self, id: &str) -> Result<Option<DeliveryRecord>> {
        self.row(q::GET_WEBHOOK_DELIVERY, &[Text(id)]).await
    }

    pub async fn webhook_delivered(&self, delivery: &DeliveryRecord, status: u16, now: &str) -> Result<()> {
        self.batch(vec![
            self.statement(q::WEBHOOK_DELIVERED, &[Text(&delivery.id), Int(i64::from(status)), Text(now)])?,
            self.statement(q::WEBHOOK_ENDPOINT_SUCCEEDED, &[Text(&delivery.endpoint_id), Text(now)])?,
        ])
        .await
    }

    /// Records a failed attempt and counts it against the endpoint (switched
    /// off at `disable_after` failures in a row); the delivery is closed when
    /// it was the last attempt or the endpoint is now off. Answers whether it
    /// should be tried again.
    pub async fn webhook_attempt_failed(
        &self,
        delivery: &DeliveryRecord,
        (status, error): (Option<u16>, &str),
        last_attempt: bool,
        disable_after: i64,
        now: &str,
    ) -> Result<bool> {
        #[derive(Deserialize)]
        struct Row {
            enabled: i64,
        }
        let reason = format!("disabled after {disable_after} failed deliveries in a row; the last: {error}");
        let row: Option<Row> = self
            .row(
                q::WEBHOOK_ENDPOINT_FAILED,
                &[Text(&delivery.endpoint_id), Text(now), Int(disable_after), Text(&reason)],
            )
            .await?;
        let try_again = !last_attempt && row.is_some_and(|r| r.enabled == 1);
        let status = status.map_or(OptText(None), |s| Int(i64::from(s)));
        self.run(q::WEBHOOK_ATTEMPT_FAILED, &[Text(&delivery.id), status, Text(error), Bool(!try_again)]).await?;
        Ok(try_again)
    }

    /// Closes a delivery that is not sent at all (its endpoint is off, or it was given up on).
    pub async fn webhook_given_up(&self, delivery_id: &str, reason: &str) -> Result<()> {
        self.run(q::WEBHOOK_GIVEN_UP, &[Text(delivery_id), Text(reason)]).await
    }

    pub async fn endpoint_deliveries(&self, endpoint_id: &str) -> Result<Vec<Value>> {
        self.rows(q::ENDPOINT_DELIVERIES, &[Text(endpoint_id)]).await
    }

    /// Makes a delivery pending again and switches its endpoint back on; answers whether it exists.
    /// Sends a delivery again and switches its endpoint back on, unless the
    /// endpoint's API key was revoked.
    pub async fn replay_webhook_delivery(&self, id: &str, now: &str) -> Result<Replay> {
        #[derive(Deserialize)]
        struct Row {
            endpoint_id: String,
        }
        let Some(row) = self.row::<Row>(q::REPLAY_WEBHOOK_DELIVERY, &[Text(id)]).await? else {
            let exists = self.row::<serde_json::Value>(q::WEBHOOK_DELIVERY_EXISTS, &[Text(id)]).await?.is_some();
            return Ok(if exists { Replay::KeyRevoked } else { Replay::NoSuchDelivery });
        };
        self.run(q::ENABLE_WEBHOOK_ENDPOINT, &[Text(&row.endpoint_id), Text(now)]).await?;
        Ok(Replay::Queued)
    }
}

//! Webhook endpoints for integrators: registered by an operator (the admin
//! routes) or by the holder of an API key on the site (`/api/v1/webhooks`:
//! register, list, remove, and see deliveries of their own endpoints). An
//! endpoint's secret is shown once, in the answer that registers it; no
//! answer here is cached.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use worker::{Request, Response, Result};

use super::routes::Route;
use super::{problem, with_headers};
use crate::hash::sha256_hex;
use crate::notify::webhooks::{check_endpoint, check_events, new_secret};
use crate::storage::Store;
use crate::time::{now_utc, stamp};

/// The largest registration body read.
pub const MAX_BODY_BYTES: usize = 8 * 1024;

pub fn json_no_store(value: &Value, status: u16) -> Result<Response> {
    let response =
        with_headers(Response::ok(value.to_string())?.with_status(status), "application/json; charset=utf-8")?;
    response.headers().set("Cache-Control", "no-store")?;
    Ok(response)
}

/// A new API key from 32 random bytes: its id and the key itself (`cdk_…`).
pub fn new_api_key(random: &[u8; 32]) -> (String, String) {
    let key = format!("cdk_{}", URL_SAFE_NO_PAD.encode(random));
    let id = format!("key_{}", &sha256_hex(format!("id|{key}").as_bytes())[..16]);
    (id, key)
}

/// What is kept of a key: its SHA-256 (a key is 256 random bits, so no salt or stretching is needed).
pub fn api_key_hash(key: &str) -> String {
    sha256_hex(key.trim().as_bytes())
}

/// The bearer token of a request, if any.
fn bearer(req: &Request) -> Option<String> {
    let header = req.headers().get("Authorization").ok().flatten()?;
    header.strip_prefix("Bearer ").map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Registers an endpoint from a JSON body `{url, council_id?, events?}`, for
/// an operator (`api_key` None) or a key's holder, who may have at most
/// `max_endpoints`. `local`: the configuration is local development, where
/// an endpoint on this machine is allowed.
pub async fn register_endpoint(
    store: &Store,
    body: &str,
    api_key: Option<(&str, i64)>,
    local: bool,
) -> Result<Response> {
    #[derive(serde::Deserialize)]
    struct EndpointInput {
        url: String,
        #[serde(default)]
        council_id: Option<String>,
        #[serde(default)]
        events: Vec<String>,
    }
    if body.len() > MAX_BODY_BYTES {
        return problem(413, "Content Too Large", "an endpoint is a small JSON object");
    }
    let input: EndpointInput = match serde_json::from_str(body) {
        Ok(input) => input,
        Err(error) => return problem(400, "Bad Request", &format!("body must be an endpoint as JSON: {error}")),
    };
    if let Err(message) = check_endpoint(&input.url, local).and_then(|_| check_events(&input.events)) {
        return problem(422, "Unprocessable Content", &message);
    }
    if let Some(council) = &input.council_id {
        if store.council(council).await?.is_none() {
            return problem(422, "Unprocessable Content", "no council has that id");
        }
    }
    if let Some((key, max_endpoints)) = api_key {
        if store.webhook_endpoints(Some(key)).await?.len() as i64 >= max_endpoints {
            let message = format!("this key may have {max_endpoints} endpoints; remove one first");
            return problem(409, "Conflict", &message);
        }
    }
    let random = match crate::random::random_secret() {
        Ok(random) => random,
        Err(message) => return problem(500, "Internal Server Error", &message),
    };
    let secret = new_secret(&random);
    let id = format!("ep_{}", &sha256_hex(&random)[..16]);
    let now = stamp(now_utc());
    let owner = api_key.map(|(key, _)| key);
    store
        .add_webhook_endpoint((&id, &input.url, input.council_id.as_deref()), &input.events, (&secret, owner), &now)
        .await?;
    // The secret is shown this once, to the one who registered the endpoint.
    json_no_store(
        &json!({"id": id, "url": input.url, "council_id": input.council_id, "events": input.events, "secret": secret}),
        201,
    )
}

/// The self-service routes, for the holder of an API key.
pub async fn handle(mut req: Request, store: &Store, route: Route, local: bool) -> Result<Response> {
    let unauthorised = || -> Result<Response> {
        let response =
            problem(401, "Unauthorized", "webhook routes need Authorization: Bearer <API key>; ask us for a key")?;
        response.headers().set("WWW-Authenticate", "Bearer")?;
        Ok(response)
    };
    let Some(token) = bearer(&req) else { return unauthorised() };
    let Some((key, max_endpoints)) = store.api_key(&api_key_hash(&token)).await? else { return unauthorised() };
    let method = req.inner().method();
    match route {
        Route::ApiWebhooks if method == "POST" => {
            let body = match super::body::read_capped(&mut req, MAX_BODY_BYTES).await {
                Ok(body) => body,
                Err(error) => return super::body_refused(error),
            };
            register_endpoint(store, &body, Some((&key, max_endpoints)), local).await
        }
        Route::ApiWebhooks => json_no_store(&json!({"endpoints": store.webhook_endpoints(Some(&key)).await?}), 200),
        Route::ApiWebhook(id) | Route::ApiWebhookDeliveries(id) if !store.key_owns_endpoint(&id, &key).await? => {
            problem(404, "Not Found", "this key has no endpoint with that id")
        }
        Route::ApiWebhook(id) => {
            store.delete_webhook_endpoint(&id).await?;
            Ok(with_headers(Response::empty()?.with_status(204), "text/plain; charset=utf-8")?)
        }
        Route::ApiWebhookDeliveries(id) => {
            json_no_store(&json!({"endpoint_id": id, "deliveries": store.endpoint_deliveries(&id).await?}), 200)
        }
        _ => problem(404, "Not Found", "no such resource"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_kept_only_as_hashes() {
        let (id, key) = new_api_key(&[7; 32]);
        assert!(key.starts_with("cdk_") && key.len() > 40);
        assert!(id.starts_with("key_") && !id.contains(&key[4..]));
        assert_ne!(new_api_key(&[8; 32]).1, key);
        assert_eq!(api_key_hash(&key), api_key_hash(&format!(" {key} ")));
        assert_eq!(api_key_hash(&key).len(), 64);
        assert!(!api_key_hash(&key).contains(&key[4..]));
    }
}

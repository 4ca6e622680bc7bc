//! Webhooks as the Standard Webhooks conventions describe them: a message id,
//! a timestamp and an HMAC-SHA256 signature over `id.timestamp.body` in the
//! `webhook-id`, `webhook-timestamp` and `webhook-signature` headers, with a
//! `whsec_`-prefixed base64 secret.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

/// The events an endpoint may ask for.
pub const EVENTS: [&str; 4] = ["meeting.updated", "summary.published", "decision.published", "digest.published"];

/// Consecutive failed attempts after which an endpoint is switched off.
pub const DISABLE_AFTER_FAILURES: i64 = 5;

/// A new signing secret from 32 random bytes.
pub fn new_secret(random: &[u8; 32]) -> String {
    format!("whsec_{}", STANDARD.encode(random))
}

/// `v1,<base64 signature>` for a message, or `None` for a secret that is not `whsec_<base64>`.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_")?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The envelope every event is sent in.
pub fn payload(event: &str, timestamp: &str, data: Value) -> Value {
    json!({"type": event, "timestamp": timestamp, "data": data})
}

/// Whether an endpoint address may be used: https, or http to this machine
/// only (a receiver in a test; nothing deployed can reach it).
pub fn check_endpoint(address: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(address).map_err(|e| format!("not an address: {e}"))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" if url.host_str().is_some() => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err("endpoints must use https".into()),
        other => Err(format!("endpoints must use https, not {other}")),
    }
}

/// Whether the events an endpoint asked for are known ones (none means all).
pub fn check_events(events: &[String]) -> Result<(), String> {
    match events.iter().find(|e| !EVENTS.contains(&e.as_str())) {
        Some(unknown) => Err(format!("unknown event {unknown:?}; events are {}", EVENTS.join(", "))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_the_standard_webhooks_example_does() {
        // The Standard Webhooks specification's worked example.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(signature("no-prefix", "id", 1, "b"), None);
        assert_ne!(
            signature(secret, "msg_other", 1614265330, body),
            signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
        );
    }

    #[test]
    fn endpoints_are_https_or_loopback() {
        assert!(check_endpoint("https://news.example/hooks").is_ok());
        assert!(check_endpoint("http://127.0.0.1:9000/hook").is_ok());
        assert_eq!(check_endpoint("http://news.example/hooks").unwrap_err(), "endpoints must use https");
        assert!(check_endpoint("ftp://news.example").is_err());
        assert!(check_endpoint("not a url").is_err());
    }

    #[test]
    fn events_are_the_known_ones() {
        assert!(check_events(&["summary.published".into()]).is_ok());
        assert!(check_events(&[]).is_ok());
        assert!(check_events(&["meeting.deleted".into()]).unwrap_err().contains("unknown event"));
        let secret = new_secret(&[7; 32]);
        assert!(secret.starts_with("whsec_") && signature(&secret, "m", 1, "{}").is_some());
    }
}

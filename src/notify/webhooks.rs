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
pub const EVENTS: [&str; 5] =
    ["meeting.updated", "summary.published", "decision.published", "digest.published", "council.failing"];

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

/// Name endings of hosts that are never public (RFC 6761, RFC 8375, and
/// names private networks commonly use).
const PRIVATE_SUFFIXES: [&str; 9] =
    [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp", ".test", ".invalid"];

/// Whether an endpoint address may be used: https to a public host name. No
/// IP literal (which could name our own network or a cloud metadata
/// service), no `localhost`, single-label or private name. Where the
/// configuration says `local` development, this machine (loopback, http or
/// https) is allowed too, for a receiver in a test.
pub fn check_endpoint(address: &str, local: bool) -> Result<url::Url, String> {
    let url = url::Url::parse(address).map_err(|e| format!("not an address: {e}"))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => return Err("an endpoint needs a host".into()),
    };
    if local && loopback && matches!(url.scheme(), "http" | "https") {
        return Ok(url);
    }
    match url.scheme() {
        "https" => {}
        "http" => return Err("endpoints must use https".into()),
        other => return Err(format!("endpoints must use https, not {other}")),
    }
    match url.host() {
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            let private =
                name == "localhost" || !name.contains('.') || PRIVATE_SUFFIXES.iter().any(|s| name.ends_with(s));
            if private {
                return Err(format!("{name} is not a public host name"));
            }
            Ok(url)
        }
        _ => Err("endpoints must be named by a public host name, not an IP address".into()),
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
    fn endpoints_are_public_https_hosts() {
        assert!(check_endpoint("https://news.example.org/hooks", false).is_ok());
        assert_eq!(check_endpoint("http://news.example.org/hooks", false).unwrap_err(), "endpoints must use https");
        assert!(check_endpoint("ftp://news.example.org", false).is_err());
        assert!(check_endpoint("not a url", false).is_err());
        // Addresses that lead into a network rather than to a public service.
        for address in [
            "https://127.0.0.1/hook",
            "https://10.0.0.7/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "https://[fd00::1]/hook",
            "https://2130706433/hook",
            "https://localhost/hook",
            "https://intranet/hook",
            "https://printer.local/hook",
            "https://db.internal/hook",
            "https://router.home.arpa/hook",
        ] {
            assert!(check_endpoint(address, false).is_err(), "{address} must be refused");
        }
        // Local development: this machine only.
        assert!(check_endpoint("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(check_endpoint("http://localhost:9000/hook", true).is_ok());
        assert!(check_endpoint("https://10.0.0.7/hook", true).is_err());
        assert!(check_endpoint("http://news.example.org/hooks", true).is_err());
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

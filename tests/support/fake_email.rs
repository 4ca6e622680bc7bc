//! A transactional email provider on 127.0.0.1 speaking Resend's HTTP API
//! (`POST /emails`, a bearer key, an `Idempotency-Key`): it refuses a wrong
//! key (401), an incomplete email or an address at `.invalid` (422), fails
//! the first attempt of an email to an address beginning `flaky` (503),
//! accepts the first attempt of an email to an address beginning `stall` and
//! then answers only after 13 seconds (past the sender's timeout), and
//! accepts the rest. As Resend does, a request repeating an accepted
//! idempotency key with the same body is answered as before and not
//! delivered again, and with another body is refused (409
//! `invalid_idempotent_request`). Every request is kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::http::{serve, Answer, Request};

pub const API_KEY: &str = "re_test_key";

#[derive(Debug, Clone)]
pub struct SentEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub headers: HashMap<String, String>,
    pub idempotency_key: String,
    pub status: u16,
    /// What it was answered (the body).
    pub reply: String,
    pub at: Instant,
}

#[derive(Clone)]
pub struct FakeEmail {
    pub port: u16,
    requests: Arc<Mutex<Vec<SentEmail>>>,
}

impl FakeEmail {
    pub fn start() -> Self {
        let requests: Arc<Mutex<Vec<SentEmail>>> = Arc::default();
        let kept = Arc::clone(&requests);
        let port = serve(move |request| answer(&kept, request));
        Self { port, requests }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request made, in order, with the status it was answered with.
    pub fn requests(&self) -> Vec<SentEmail> {
        self.requests.lock().unwrap().clone()
    }

    /// Emails delivered to `address`: accepted, each idempotency key once.
    pub fn delivered_to(&self, address: &str) -> Vec<SentEmail> {
        let mut seen = Vec::new();
        self.requests()
            .into_iter()
            .filter(|e| e.status == 200 && e.to.eq_ignore_ascii_case(address))
            .filter(|e| {
                let new = !seen.contains(&e.idempotency_key);
                seen.push(e.idempotency_key.clone());
                new
            })
            .collect()
    }

    /// Waits until `count` emails were delivered to `address`; answers them.
    pub fn wait_for(&self, address: &str, count: usize, timeout: Duration) -> Vec<SentEmail> {
        let deadline = Instant::now() + timeout;
        loop {
            let delivered = self.delivered_to(address);
            if delivered.len() >= count {
                return delivered;
            }
            assert!(Instant::now() < deadline, "{} of {count} emails to {address} arrived", delivered.len());
            thread::sleep(Duration::from_millis(200));
        }
    }
}

/// Answers one request as the provider would, and keeps it.
fn answer(requests: &Mutex<Vec<SentEmail>>, request: Request) -> Answer {
    let email: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let field = |name: &str| email[name].as_str().unwrap_or_default().to_string();
    let to = email["to"][0].as_str().unwrap_or_default().to_string();
    let key = request.headers.get("idempotency-key").cloned().unwrap_or_default();
    let complete =
        [&to, &field("from"), &field("subject"), &field("text"), &field("html")].iter().all(|f| !f.is_empty());
    let mut requests = requests.lock().unwrap();
    let tried = requests.iter().any(|r| r.idempotency_key == key);
    let accepted = requests.iter().find(|r| r.idempotency_key == key && r.status == 200).cloned();
    let same_body = |a: &SentEmail| {
        a.to == to && a.subject == field("subject") && a.text == field("text") && a.html == field("html")
    };
    let mut delay = Duration::ZERO;
    let (status, reply) = if request.method != "POST" || request.path != "/emails" {
        (404, r#"{"name":"not_found","message":"no such route"}"#.to_string())
    } else if request.headers.get("authorization").map(String::as_str) != Some(&format!("Bearer {API_KEY}")) {
        (401, r#"{"name":"invalid_api_key","message":"API key is invalid"}"#.to_string())
    } else if !complete {
        (422, r#"{"name":"validation_error","message":"from, to, subject, text and html are required"}"#.to_string())
    } else if to.ends_with(".invalid") {
        (422, format!(r#"{{"name":"validation_error","message":"Invalid `to` field: {to} is not deliverable"}}"#))
    } else if to.starts_with("flaky") && !tried {
        (503, r#"{"name":"internal_server_error","message":"try again"}"#.to_string())
    } else if let Some(first) = accepted {
        if same_body(&first) {
            (200, first.reply.clone())
        } else {
            (409, r#"{"name":"invalid_idempotent_request","message":"This idempotency key has already been used on a request that had a different payload."}"#.to_string())
        }
    } else if to.starts_with("stall") {
        delay = Duration::from_secs(13);
        (200, format!(r#"{{"id":"fake-{}"}}"#, requests.len() + 1))
    } else {
        (200, format!(r#"{{"id":"fake-{}"}}"#, requests.len() + 1))
    };
    let headers: HashMap<String, String> = email["headers"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
        .unwrap_or_default();
    requests.push(SentEmail {
        to,
        subject: field("subject"),
        text: field("text"),
        html: field("html"),
        headers,
        idempotency_key: key,
        status,
        reply: reply.clone(),
        at: Instant::now(),
    });
    let mut answer = Answer::new(status, "application/json", reply);
    answer.delay = delay;
    answer
}

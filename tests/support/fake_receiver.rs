//! A webhook receiver on 127.0.0.1, as an integrator runs one: `/ok/…`
//! answers 200, `/fail/…` 500, `/flaky/…` 500 to a message's first attempt
//! and 200 after. Every request is kept with its headers and body.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::http::{serve, Answer};

#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
    pub status: u16,
}

#[derive(Clone)]
pub struct FakeReceiver {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl FakeReceiver {
    pub fn start() -> Self {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let kept = Arc::clone(&received);
        let port = serve(move |request| {
            let mut received = kept.lock().unwrap();
            let path = request.path;
            let id = request.headers.get("webhook-id").cloned().unwrap_or_default();
            let seen = received.iter().any(|r| r.headers.get("webhook-id") == Some(&id) && r.path == path);
            let status = if path.starts_with("/fail") || (path.starts_with("/flaky") && !seen) { 500 } else { 200 };
            let body = String::from_utf8_lossy(&request.body).into_owned();
            received.push(Received { path, headers: request.headers, body, status });
            let reply = if status == 200 { "ok" } else { "broken" };
            Answer { status, content_type: "text/plain", body: reply.into() }
        });
        Self { port, received }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Requests to paths beginning with `prefix`.
    pub fn received(&self, prefix: &str) -> Vec<Received> {
        self.received.lock().unwrap().iter().filter(|r| r.path.starts_with(prefix)).cloned().collect()
    }
}

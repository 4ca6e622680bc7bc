//! A webhook receiver on 127.0.0.1, as an integrator runs one: `/ok/…`
//! answers 200, `/fail/…` 500, `/flaky/…` 500 to a message's first attempt
//! and 200 after; as a hostile one runs: `/trickle/…` answers 200 declaring
//! 50 MB and trickles them for minutes, `/redirect/…` answers 307 to
//! `/ok/redirected`. Every request is kept with its headers and body.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// Bytes of trickled answers written before the client went away.
    trickled: Arc<AtomicUsize>,
}

impl FakeReceiver {
    pub fn start() -> Self {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let kept = Arc::clone(&received);
        let trickled_kept: Arc<AtomicUsize> = Arc::default();
        let trickled = Arc::clone(&trickled_kept);
        let own_port_set: Arc<AtomicUsize> = Arc::default();
        let own_port = Arc::clone(&own_port_set);
        let port = serve(move |request| {
            let mut received = kept.lock().unwrap();
            let path = request.path;
            let id = request.headers.get("webhook-id").cloned().unwrap_or_default();
            let seen = received.iter().any(|r| r.headers.get("webhook-id") == Some(&id) && r.path == path);
            let status = if path.starts_with("/fail") || (path.starts_with("/flaky") && !seen) {
                500
            } else if path.starts_with("/redirect") {
                307
            } else {
                200
            };
            let body = String::from_utf8_lossy(&request.body).into_owned();
            received.push(Received { path: path.clone(), headers: request.headers, body, status });
            let mut answer = Answer::new(status, "text/plain", if status == 200 { "ok" } else { "broken" });
            if path.starts_with("/trickle") {
                answer.trickle = Some((50 * 1024 * 1024, Arc::clone(&trickled)));
            }
            if status == 307 {
                answer.location = Some(format!("http://127.0.0.1:{}/ok/redirected", own_port.load(Ordering::Relaxed)));
            }
            answer
        });
        own_port_set.store(port as usize, Ordering::Relaxed);
        Self { port, received, trickled: trickled_kept }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Requests to paths beginning with `prefix`.
    pub fn received(&self, prefix: &str) -> Vec<Received> {
        self.received.lock().unwrap().iter().filter(|r| r.path.starts_with(prefix)).cloned().collect()
    }

    /// Bytes of trickled answers written so far (the client stops reading early).
    pub fn trickled_bytes(&self) -> usize {
        self.trickled.load(Ordering::Relaxed)
    }
}

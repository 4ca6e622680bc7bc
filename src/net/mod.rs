//! Outbound HTTP to council sites: a small `Fetcher` trait (so adapters are
//! tested natively with canned answers) and its Workers implementation with a
//! timeout, a size cap, per-host pacing and a log of every request.

pub mod error;
pub mod gate;
pub mod hosts;

pub use error::SourceError;
pub use hosts::is_host_name;

use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

#[derive(Debug, Clone, Default)]
pub struct HttpRequest {
    pub url: String,
    /// Sent as If-None-Match / If-Modified-Since when present.
    pub validators: Validators,
    /// Bytes `first..=last` only (`Range`), answered 206 (or 200 whole, cut here).
    pub range: Option<(u64, u64)>,
}

impl HttpRequest {
    pub fn get(url: impl Into<String>) -> Self {
        Self { url: url.into(), validators: Validators::default(), range: None }
    }

    /// The same request for one byte range.
    pub fn with_range(mut self, (first, last): (u64, u64)) -> Self {
        self.range = Some((first, last.max(first)));
        self
    }
}

#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
    pub validators: Validators,
}

impl HttpResponse {
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// One request as recorded in the fetch log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRecord {
    pub url: String,
    pub status: Option<u16>,
    pub duration_ms: u64,
    pub bytes: usize,
    pub outcome: &'static str,
    pub error: Option<String>,
    pub fetched_at: String,
}

/// GETs a URL. Statuses other than 200 and 304 are errors.
#[allow(async_fn_in_trait)]
pub trait Fetcher {
    async fn get(&self, request: &HttpRequest) -> Result<HttpResponse, SourceError>;
}

#[derive(Debug, Clone, Copy)]
pub struct FetchPolicy {
    pub timeout_ms: u64,
    pub max_bytes: usize,
    /// Minimum gap between two requests to the same host.
    pub min_interval_ms: u64,
}

pub fn host_of(url: &str) -> String {
    worker::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default()
}

/// The Workers `fetch` with the policy applied and every request logged.
/// With a host gate, pacing and one-request-in-flight hold across every
/// invocation; without one (no binding), only within this fetcher.
pub struct WorkerFetcher {
    policy: FetchPolicy,
    gate: Option<gate::GateClient>,
    /// When set, requests and redirects may only go to these hosts.
    hosts: Option<hosts::HostPolicy>,
    last_request_by_host: RefCell<HashMap<String, f64>>,
    log: RefCell<Vec<FetchRecord>>,
}

impl WorkerFetcher {
    pub fn new(policy: FetchPolicy, gate: Option<gate::GateClient>) -> Self {
        Self { policy, gate, hosts: None, last_request_by_host: RefCell::default(), log: RefCell::default() }
    }

    /// Fetches only from the policy's hosts, following redirects one by one
    /// so that each is checked; anything else fails as `ForeignHost`.
    pub fn only_hosts(mut self, policy: hosts::HostPolicy) -> Self {
        self.hosts = Some(policy);
        self
    }

    pub fn take_log(&self) -> Vec<FetchRecord> {
        std::mem::take(&mut self.log.borrow_mut())
    }

    fn now_ms() -> f64 {
        worker::Date::now().as_millis() as f64
    }

    async fn pace(&self, host: &str) {
        let wait = {
            let last = self.last_request_by_host.borrow().get(host).copied();
            last.map_or(0.0, |last| (last + self.policy.min_interval_ms as f64 - Self::now_ms()).max(0.0))
        };
        if wait > 0.0 {
            worker::Delay::from(std::time::Duration::from_millis(wait as u64)).await;
        }
        self.last_request_by_host.borrow_mut().insert(host.to_string(), Self::now_ms());
    }

    /// One hop of a request: the answer, or where a redirect leads (never followed here).
    async fn send_hop(
        &self,
        url: &str,
        (validators, range): (&Validators, Option<(u64, u64)>),
        signal: &worker::AbortSignal,
    ) -> Result<Hop, SourceError> {
        use futures_util::StreamExt;
        let headers = worker::Headers::new();
        let set = |name: &str, value: &str| headers.set(name, value).map_err(|e| SourceError::Network(e.to_string()));
        set("User-Agent", "council-digest (+https://github.com/council-digest)")?;
        set("Accept", "application/xml, text/xml, text/html;q=0.9, application/pdf;q=0.8, */*;q=0.5")?;
        if let Some(etag) = &validators.etag {
            set("If-None-Match", etag)?;
        }
        if let Some(modified) = &validators.last_modified {
            set("If-Modified-Since", modified)?;
        }
        if let Some((first, last)) = range {
            set("Range", &format!("bytes={first}-{last}"))?;
        }
        let mut init = worker::RequestInit::new();
        init.with_method(worker::Method::Get).with_headers(headers).with_redirect(worker::RequestRedirect::Manual);
        let outbound = worker::Request::new_with_init(url, &init).map_err(|e| SourceError::Network(e.to_string()))?;
        let mut response = worker::Fetch::Request(outbound)
            .send_with_signal(signal)
            .await
            .map_err(|e| SourceError::Network(e.to_string()))?;
        let status = response.status_code();
        let header = |name: &str| response.headers().get(name).ok().flatten();
        if hosts::is_redirect(status) {
            let location = header("Location").unwrap_or_default();
            return hosts::redirect_target(url, &location).map(Hop::Redirect).ok_or(SourceError::Http { status });
        }
        let validators = Validators { etag: header("ETag"), last_modified: header("Last-Modified") };
        if status == 304 {
            return Ok(Hop::Answer(HttpResponse { status, body: Vec::new(), validators }));
        }
        // A range asked for comes as 206, or as 200 from a server that sends the whole file.
        if status != 200 && !(status == 206 && range.is_some()) {
            return Err(SourceError::Http { status });
        }
        if let Some(length) = header("Content-Length").and_then(|l| l.trim().parse::<usize>().ok()) {
            if length > self.policy.max_bytes {
                return Err(SourceError::TooLarge { limit_bytes: self.policy.max_bytes });
            }
        }
        let mut body = Vec::new();
        let mut stream = response.stream().map_err(|e| SourceError::Network(e.to_string()))?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| SourceError::Network(format!("body interrupted: {e}")))?;
            if body.len() + chunk.len() > self.policy.max_bytes {
                return Err(SourceError::TooLarge { limit_bytes: self.policy.max_bytes });
            }
            body.extend_from_slice(&chunk);
        }
        if let (200, Some((first, last))) = (status, range) {
            body = range_of(body, first, last).ok_or(SourceError::Http { status: 416 })?;
        }
        Ok(Hop::Answer(HttpResponse { status, body, validators }))
    }

    /// One hop, after its host's turn came (the gate, or local pacing), within the timeout.
    async fn gated_hop(&self, url: &str, request: (&Validators, Option<(u64, u64)>)) -> Result<Hop, SourceError> {
        use futures_util::future::{select, Either};
        let gate_name = gate::gate_name(url);
        let holder = match &self.gate {
            Some(gate) => {
                // A request may not outlive its timeout, so the lease covers it with room to spare.
                let lease_ms = self.policy.timeout_ms + 5_000;
                // Waiting longer than a few leases means the host is busy with others' work:
                // give up as a transient failure, and the message is retried later.
                let acquired = gate.acquire(&gate_name, self.policy.min_interval_ms, lease_ms, 4 * lease_ms).await;
                Some(acquired.map_err(|e| SourceError::Network(format!("waiting for the host: {e}")))?)
            }
            None => {
                self.pace(&host_of(url)).await;
                None
            }
        };
        // The timeout starts when the request is actually sent, after waiting for the host.
        let controller = worker::AbortController::default();
        let signal = controller.signal();
        let timeout = worker::Delay::from(std::time::Duration::from_millis(self.policy.timeout_ms));
        let result = {
            let attempt = std::pin::pin!(self.send_hop(url, request, &signal));
            match select(attempt, timeout).await {
                Either::Left((result, _)) => result,
                Either::Right(_) => Err(SourceError::Timeout { seconds: self.policy.timeout_ms.div_ceil(1000) }),
            }
        };
        if matches!(result, Err(SourceError::Timeout { .. })) {
            controller.abort();
        }
        if let (Some(gate), Some(holder)) = (&self.gate, holder) {
            if let Err(error) = gate.release(&gate_name, holder).await {
                // The lease ends on its own; the host is only idle a little longer.
                worker::console_error!("could not release the gate of {gate_name}: {error}");
            }
        }
        result
    }

    /// A request and its redirects, hop by hop: each hop's host is checked
    /// against the host rules and waits for its own gate.
    async fn follow(&self, request: &HttpRequest) -> Result<HttpResponse, SourceError> {
        let mut url = request.url.clone();
        let mut redirects = 0;
        loop {
            match self.gated_hop(&url, (&request.validators, request.range)).await? {
                Hop::Answer(response) => return Ok(response),
                Hop::Redirect(target) => {
                    if let Some(policy) = &self.hosts {
                        policy.check(&target).map_err(|host| SourceError::ForeignHost { host })?;
                    }
                    redirects += 1;
                    if redirects > hosts::MAX_REDIRECTS {
                        return Err(SourceError::TooManyRedirects { limit: hosts::MAX_REDIRECTS });
                    }
                    url = target;
                }
            }
        }
    }
}

/// Bytes `first..=last` of a whole body (a server that ignored `Range`).
pub fn range_of(mut body: Vec<u8>, first: u64, last: u64) -> Option<Vec<u8>> {
    let first = usize::try_from(first).ok()?;
    if first >= body.len() {
        return None;
    }
    let end = usize::try_from(last).ok()?.saturating_add(1).min(body.len());
    body.truncate(end);
    Some(body.split_off(first))
}

/// What one hop of a request came to.
enum Hop {
    Answer(HttpResponse),
    Redirect(String),
}

impl Fetcher for WorkerFetcher {
    async fn get(&self, request: &HttpRequest) -> Result<HttpResponse, SourceError> {
        if let Some(Err(host)) = self.hosts.as_ref().map(|policy| policy.check(&request.url)) {
            let error = SourceError::ForeignHost { host };
            self.log.borrow_mut().push(FetchRecord {
                url: request.url.clone(),
                status: None,
                duration_ms: 0,
                bytes: 0,
                outcome: "skipped",
                error: Some(error.to_string()),
                fetched_at: crate::time::stamp(crate::time::now_utc()),
            });
            return Err(error);
        }
        let started = Self::now_ms();
        let result = self.follow(request).await;
        let duration_ms = (Self::now_ms() - started).max(0.0) as u64;
        let record = FetchRecord {
            url: request.url.clone(),
            status: match &result {
                Ok(response) => Some(response.status),
                Err(SourceError::Http { status }) => Some(*status),
                Err(_) => None,
            },
            duration_ms,
            bytes: result.as_ref().map_or(0, |r| r.body.len()),
            outcome: match &result {
                Ok(r) if r.not_modified() => "not_modified",
                Ok(_) => "ok",
                Err(_) => "error",
            },
            error: result.as_ref().err().map(ToString::to_string),
            fetched_at: crate::time::stamp(crate::time::now_utc()),
        };
        self.log.borrow_mut().push(record);
        result
    }
}

/// Why a POST to a service of ours has no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostError {
    /// It did not reach the service (a bad address, a refused connection).
    NotSent(String),
    /// It was sent, but no answer came in time: the service may have acted on it.
    NoAnswer(String),
}

impl std::fmt::Display for PostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotSent(why) | Self::NoAnswer(why) => f.write_str(why),
        }
    }
}

/// A service's answer: its status, at most the asked-for bytes of its body,
/// and where a redirect pointed (redirects are never followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostAnswer {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
}

/// POSTs `body` to a service of ours (a webhook endpoint, an email provider,
/// a model endpoint) within `timeout_ms`: see `call_with_timeout`.
pub async fn post_with_timeout(
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
    timeout_ms: u64,
    max_answer_bytes: usize,
) -> Result<PostAnswer, PostError> {
    call_with_timeout(url, headers, Some(body), timeout_ms, max_answer_bytes).await
}

/// GETs (no `body`) or POSTs to a service of ours within `timeout_ms`, the
/// one place a request races its timeout. A redirect is answered as it is,
/// not followed (it could lead anywhere); at most `max_answer_bytes` of the
/// answer are read, and the rest is never downloaded. Not for council
/// sites, which go through `WorkerFetcher` (host rules, gates, validators).
pub async fn call_with_timeout(
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    timeout_ms: u64,
    max_answer_bytes: usize,
) -> Result<PostAnswer, PostError> {
    use futures_util::future::{select, Either};
    use futures_util::StreamExt;
    let not_sent = |e: worker::Error| PostError::NotSent(e.to_string());
    let request_headers = worker::Headers::new();
    for (name, value) in headers {
        request_headers.set(name, value).map_err(not_sent)?;
    }
    let mut init = worker::RequestInit::new();
    init.with_headers(request_headers).with_redirect(worker::RequestRedirect::Manual);
    match body {
        Some(body) => init.with_method(worker::Method::Post).with_body(Some(body.to_string().into())),
        None => init.with_method(worker::Method::Get),
    };
    let request = worker::Request::new_with_init(url, &init).map_err(not_sent)?;
    let controller = worker::AbortController::default();
    let signal = controller.signal();
    let call = async {
        let mut response = worker::Fetch::Request(request).send_with_signal(&signal).await.map_err(not_sent)?;
        let status = response.status_code();
        let location = response.headers().get("Location").ok().flatten();
        let mut bytes = Vec::new();
        if let Ok(mut stream) = response.stream() {
            while let Some(Ok(chunk)) = stream.next().await {
                bytes.extend_from_slice(&chunk);
                if bytes.len() >= max_answer_bytes {
                    bytes.truncate(max_answer_bytes);
                    break;
                }
            }
        }
        Ok(PostAnswer { status, body: String::from_utf8_lossy(&bytes).into_owned(), location })
    };
    let timeout = worker::Delay::from(std::time::Duration::from_millis(timeout_ms));
    let result = match select(std::pin::pin!(call), timeout).await {
        Either::Left((result, _)) => result,
        Either::Right(_) => Err(PostError::NoAnswer(format!("no answer within {} s", timeout_ms.div_ceil(1000)))),
    };
    // Whatever is left of the answer (or of the request) is not waited for.
    controller.abort();
    result
}

#[cfg(test)]
pub mod testing {
    //! A `Fetcher` that answers from a table, for native tests of the adapters.
    use super::*;

    #[derive(Default)]
    pub struct CannedFetcher {
        pub answers: HashMap<String, Result<HttpResponse, SourceError>>,
        pub requested: RefCell<Vec<String>>,
    }

    impl CannedFetcher {
        pub fn ok(mut self, url: &str, body: impl Into<Vec<u8>>) -> Self {
            let response = HttpResponse { status: 200, body: body.into(), validators: Validators::default() };
            self.answers.insert(url.to_string(), Ok(response));
            self
        }

        pub fn fail(mut self, url: &str, error: SourceError) -> Self {
            self.answers.insert(url.to_string(), Err(error));
            self
        }
    }

    impl Fetcher for CannedFetcher {
        async fn get(&self, request: &HttpRequest) -> Result<HttpResponse, SourceError> {
            self.requested.borrow_mut().push(request.url.clone());
            self.answers.get(&request.url).cloned().unwrap_or(Err(SourceError::Http { status: 404 }))
        }
    }
}

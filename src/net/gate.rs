//! Politeness across every invocation: one Durable Object per council host
//! (`HostGate`, named by the host and port) lets at most one request be in
//! flight to that host, and the next start no sooner than `MIN_REQUEST_INTERVAL_MS`
//! after the last one ended, whichever queue invocation or isolate asks.
//! Councils that share a host share its gate. A holder that dies keeps the host
//! only until its lease runs out.

use serde::{Deserialize, Serialize};

/// What a gate remembers (kept in the object's storage, so a restarted
/// object still knows about a request in flight).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct GateState {
    /// Until when the current holder may keep the host; 0 when free.
    pub busy_until_ms: f64,
    /// Identifies the current holder, so that a stale release is ignored.
    pub holder: u64,
    /// When the last request to the host ended (or its lease ran out).
    pub last_end_ms: f64,
}

/// What a caller asking for the host is told.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Ask again after this many milliseconds.
    Wait(u64),
    /// Go ahead; release with this holder id when done.
    Granted(u64),
}

/// Longest one call to a gate may take.
const CALL_TIMEOUT_MS: u64 = 5_000;

/// Longest a waiting caller sleeps before asking again.
const MAX_WAIT_MS: f64 = 250.0;

impl GateState {
    pub fn decide(&mut self, now_ms: f64, interval_ms: f64, lease_ms: f64) -> Decision {
        if self.busy_until_ms > now_ms {
            return Decision::Wait((self.busy_until_ms - now_ms).clamp(1.0, MAX_WAIT_MS) as u64);
        }
        if self.busy_until_ms > 0.0 {
            // The holder's lease ran out without a release: count its end then.
            self.last_end_ms = self.last_end_ms.max(self.busy_until_ms);
            self.busy_until_ms = 0.0;
        }
        let next_start = self.last_end_ms + interval_ms;
        if next_start > now_ms {
            return Decision::Wait((next_start - now_ms).clamp(1.0, MAX_WAIT_MS) as u64);
        }
        self.holder += 1;
        self.busy_until_ms = now_ms + lease_ms;
        Decision::Granted(self.holder)
    }

    /// Ends a holder's turn; a release from anyone but the current holder is ignored.
    pub fn release(&mut self, holder: u64, now_ms: f64) -> bool {
        if holder != self.holder || self.busy_until_ms == 0.0 {
            return false;
        }
        self.busy_until_ms = 0.0;
        self.last_end_ms = self.last_end_ms.max(now_ms);
        true
    }
}

/// The gate's key for a URL: its host and port.
pub fn gate_name(url: &str) -> String {
    worker::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|host| format!("{host}:{}", u.port_or_known_default().unwrap_or(0))))
        .unwrap_or_default()
}

#[cfg(any(feature = "ingest", not(target_arch = "wasm32")))]
const STATE_KEY: &str = "gate";

#[cfg(any(feature = "ingest", not(target_arch = "wasm32")))]
#[worker::durable_object]
pub struct HostGate {
    state: worker::State,
    gate: std::cell::RefCell<Option<GateState>>,
}

#[cfg(any(feature = "ingest", not(target_arch = "wasm32")))]
impl worker::DurableObject for HostGate {
    fn new(state: worker::State, _env: worker::Env) -> Self {
        Self { state, gate: std::cell::RefCell::new(None) }
    }

    async fn fetch(&self, req: worker::Request) -> worker::Result<worker::Response> {
        let url = req.url()?;
        let param = |name: &str| {
            url.query_pairs().find(|(k, _)| k == name).and_then(|(_, v)| v.parse::<f64>().ok()).unwrap_or(0.0)
        };
        if self.gate.borrow().is_none() {
            let stored: Option<GateState> = self.state.storage().get(STATE_KEY).await.unwrap_or(None);
            self.gate.borrow_mut().get_or_insert(stored.unwrap_or_default());
        }
        let now = worker::Date::now().as_millis() as f64;
        let (answer, state) = {
            let mut gate = self.gate.borrow_mut();
            let gate = gate.as_mut().expect("loaded above");
            let answer = match url.path() {
                "/acquire" => match gate.decide(now, param("interval_ms"), param("lease_ms").max(1000.0)) {
                    Decision::Wait(ms) => serde_json::json!({ "wait_ms": ms }),
                    Decision::Granted(holder) => serde_json::json!({ "holder": holder }),
                },
                "/release" => serde_json::json!({ "released": gate.release(param("holder") as u64, now) }),
                _ => return worker::Response::error("unknown gate operation", 404),
            };
            (answer, *gate)
        };
        self.state.storage().put(STATE_KEY, state).await?;
        worker::Response::from_json(&answer)
    }
}

/// Asks a host's gate for a turn, and gives it back.
pub struct GateClient {
    namespace: worker::ObjectNamespace,
}

impl GateClient {
    pub fn new(namespace: worker::ObjectNamespace) -> Self {
        Self { namespace }
    }

    /// One call to the host's gate, given up after `CALL_TIMEOUT_MS` so that a
    /// gate that does not answer can never hold up a job for ever.
    async fn call(&self, name: &str, path: &str) -> worker::Result<serde_json::Value> {
        use futures_util::future::{select, Either};
        let stub = self.namespace.id_from_name(name)?.get_stub()?;
        let mut init = worker::RequestInit::new();
        init.with_method(worker::Method::Post);
        let request = worker::Request::new_with_init(&format!("https://gate{path}"), &init)?;
        let answer = async move { stub.fetch_with_request(request).await?.json::<serde_json::Value>().await };
        let timeout = worker::Delay::from(std::time::Duration::from_millis(CALL_TIMEOUT_MS));
        match select(std::pin::pin!(answer), timeout).await {
            Either::Left((answer, _)) => answer,
            Either::Right(_) => Err(worker::Error::RustError(format!("the gate of {name} did not answer in time"))),
        }
    }

    /// Waits for the host's turn; answers the holder id to release with. Gives
    /// up after `max_wait_ms` (the host is busy with others' work: try later).
    pub async fn acquire(&self, name: &str, interval_ms: u64, lease_ms: u64, max_wait_ms: u64) -> worker::Result<u64> {
        let mut waited = 0;
        loop {
            let answer = self.call(name, &format!("/acquire?interval_ms={interval_ms}&lease_ms={lease_ms}")).await?;
            if let Some(holder) = answer["holder"].as_u64() {
                return Ok(holder);
            }
            let wait = answer["wait_ms"].as_u64().unwrap_or(100);
            if waited + wait > max_wait_ms {
                return Err(worker::Error::RustError(format!("{name} stayed busy for {waited} ms")));
            }
            worker::Delay::from(std::time::Duration::from_millis(wait)).await;
            waited += wait;
        }
    }

    pub async fn release(&self, name: &str, holder: u64) -> worker::Result<()> {
        self.call(name, &format!("/release?holder={holder}")).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_a_gap_after_each() {
        let mut gate = GateState::default();
        let Decision::Granted(first) = gate.decide(1_000.0, 500.0, 30_000.0) else { panic!("a free host is granted") };
        // In flight: everyone else waits, however long ago the last request ended.
        assert!(matches!(gate.decide(1_100.0, 500.0, 30_000.0), Decision::Wait(_)));
        assert!(gate.release(first, 2_000.0));
        // The interval runs from the end of the last request.
        assert_eq!(gate.decide(2_200.0, 500.0, 30_000.0), Decision::Wait(250));
        assert_eq!(gate.decide(2_400.0, 500.0, 30_000.0), Decision::Wait(100));
        assert!(matches!(gate.decide(2_500.0, 500.0, 30_000.0), Decision::Granted(_)));
    }

    #[test]
    fn a_holder_that_dies_keeps_the_host_only_until_its_lease_ends() {
        let mut gate = GateState::default();
        let Decision::Granted(dead) = gate.decide(1_000.0, 100.0, 5_000.0) else { panic!("a free host is granted") };
        assert!(matches!(gate.decide(5_999.0, 100.0, 5_000.0), Decision::Wait(_)));
        // The lease ended at 6000: the interval counts from then.
        assert!(matches!(gate.decide(6_050.0, 100.0, 5_000.0), Decision::Wait(_)));
        let Decision::Granted(next) = gate.decide(6_100.0, 100.0, 5_000.0) else { panic!("granted after the lease") };
        assert_ne!(dead, next);
        assert!(!gate.release(dead, 6_200.0), "a stale release is ignored");
        assert!(matches!(gate.decide(6_300.0, 100.0, 5_000.0), Decision::Wait(_)), "the new holder still holds");
        assert!(gate.release(next, 6_300.0));
        assert!(!gate.release(next, 6_301.0), "released once");
    }

    #[test]
    fn hosts_are_named_by_host_and_port() {
        assert_eq!(
            gate_name("https://democracy.coventry.gov.uk/mgWebService.asmx/GetMeeting?x=1"),
            "democracy.coventry.gov.uk:443"
        );
        assert_eq!(gate_name("http://127.0.0.1:8790/idem/ieListDocuments.aspx"), "127.0.0.1:8790");
        assert_eq!(gate_name("https://Moderngov.Example.gov.uk/"), gate_name("https://moderngov.example.gov.uk/x"));
    }
}

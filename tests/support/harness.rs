//! Runs the two real workers in workerd (`wrangler dev` for the site worker
//! and for the ingest worker, on one local D1, KV and R2 state) once per test
//! binary, next to a fake council site, and drives them over HTTP.
//!
//! Clean-up: wrangler runs under a watchdog shell in its own process group that
//! kills the whole group when this process's end of its stdin pipe closes, which
//! happens however the test binary ends (pass, failure, panic or kill).

use std::fs;
use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::fake_cmis::FakeCmis;
use super::fake_council::FakeCouncil;
use super::fake_email::FakeEmail;
use super::fake_llm::FakeLlm;
use super::fake_postcodes::FakePostcodes;
use super::fake_speech::FakeSpeech;

pub const ADMIN_TOKEN: &str = "e2e-admin-token";
/// Points where the worker fails once (see src/jobs/fault.rs), each for its
/// own council, `fault-` and the point's name with hyphens.
pub const FAULT_POINTS: [&str; 7] = [
    "after_document_fetched",
    "after_extract",
    "after_step_saved",
    "after_text_saved",
    "after_meeting_saved",
    "after_queue_send",
    "model_call",
];

/// The council a fault point fails for.
pub fn fault_council(point: &str) -> String {
    format!("fault-{}", point.replace('_', "-"))
}

/// The origin the worker builds absolute links from, whatever the request's host.
pub const PUBLIC_ORIGIN: &str = "https://council-digest.test";

/// Signs the links in alert emails; both workers have it.
pub const EMAIL_TOKEN_SECRET: &str = "e2e-email-token-secret";

/// How long a scrape may take before a test gives up on it: long enough for
/// a machine busy with the whole suite (and more) beside it.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(300);

/// The gap the worker keeps between requests to one council host.
pub const MIN_REQUEST_INTERVAL_MS: u64 = 40;

pub struct Harness {
    /// The site worker: pages, API, feeds, search.
    pub base_url: String,
    /// The ingest worker: admin routes and the cron trigger.
    pub ingest_url: String,
    pub fake: FakeCouncil,
    pub model: FakeLlm,
    /// The speech model webcasts without captions are sent to.
    pub speech: FakeSpeech,
    pub postcodes: FakePostcodes,
    /// A Civica CMIS site.
    pub cmis: FakeCmis,
    /// The email provider both workers send through.
    pub email: FakeEmail,
    pub state_dir: PathBuf,
    log_paths: Vec<PathBuf>,
    _watchdogs: Mutex<Vec<Child>>,
    exclusive: Mutex<()>,
    /// Each ordinary request comes from its own client address, so that the
    /// site's rate limits only meet the tests that aim at them.
    next_client: std::sync::atomic::AtomicU32,
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn run(command: &mut Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn wrangler(args: &[&str]) -> Command {
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg("source scripts/env.sh && exec node_modules/.bin/wrangler \"$@\"")
        .arg("wrangler")
        .args(args)
        .current_dir(root());
    command
}

/// Starts `wrangler dev` for one worker on a free loopback port, on the shared
/// local state, under a watchdog shell in its own process group that kills it
/// when the test binary's pipe closes (pass, panic or kill).
fn spawn_worker(state_dir: &std::path::Path, name: &str, config: &[&str], vars: &[String]) -> (u16, PathBuf, Child) {
    let port = free_port();
    let inspector = free_port();
    let log_path = state_dir.join(format!("{name}.log"));
    let log = fs::File::create(&log_path).unwrap();
    let script = r#"source scripts/env.sh
node_modules/.bin/wrangler dev "$@" </dev/null &
read -r _
kill -TERM -- -$$ 2>/dev/null
sleep 2
kill -KILL -- -$$ 2>/dev/null"#;
    let mut command = Command::new("setsid");
    command
        .args(["bash", "-c", script, "watchdog"])
        .args(config)
        .args(["--ip", "127.0.0.1", "--port", &port.to_string(), "--inspector-port", &inspector.to_string()])
        .args(["--persist-to", state_dir.to_str().unwrap()])
        .args(["--show-interactive-dev-session=false", "--log-level", "info"]);
    for var in vars {
        command.args(["--var", var]);
    }
    let child = command
        .env("SKIP_WORKER_BUILD", "1")
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("start wrangler dev");
    (port, log_path, child)
}

/// Waits for a worker's /healthz, twice in a row (wrangler restarts the
/// runtime once just after it first answers).
fn wait_until_healthy(base: &str, log: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut healthy_in_a_row = 0;
    while healthy_in_a_row < 2 {
        let healthy = ureq::get(&format!("{base}/healthz")).call().map(|r| r.status() == 200).unwrap_or(false);
        healthy_in_a_row = if healthy { healthy_in_a_row + 1 } else { 0 };
        let tail = fs::read_to_string(log).unwrap_or_default();
        assert!(Instant::now() < deadline, "wrangler dev did not start:\n{tail}");
        std::thread::sleep(Duration::from_millis(if healthy { 1500 } else { 300 }));
    }
}

impl Harness {
    pub fn shared() -> &'static Harness {
        static HARNESS: OnceLock<Harness> = OnceLock::new();
        HARNESS.get_or_init(Harness::start)
    }

    /// E2E tests share one worker and one D1; each holds this while it runs so
    /// that runs and counters are its own.
    pub fn exclusive(&self) -> MutexGuard<'_, ()> {
        self.exclusive.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn start() -> Harness {
        if std::env::var("E2E_SKIP_BUILD").as_deref() != Ok("1") {
            run(Command::new("bash").arg("scripts/build.sh").current_dir(root()), "worker build");
        }
        let state_dir = root().join("target/e2e").join(format!("state-{}", std::process::id()));
        let _ = fs::remove_dir_all(&state_dir);
        fs::create_dir_all(&state_dir).unwrap();
        let persist = state_dir.to_str().unwrap().to_string();
        run(&mut wrangler(&["d1", "migrations", "apply", "DB", "--local", "--persist-to", &persist]), "migrations");
        // The seeded councils are real sites; the tests only talk to 127.0.0.1.
        run(
            &mut wrangler(&[
                "d1",
                "execute",
                "DB",
                "--local",
                "--persist-to",
                &persist,
                "--command",
                "UPDATE councils SET enabled = 0",
            ]),
            "disable seeded councils",
        );

        let fake = FakeCouncil::start();
        let model = FakeLlm::start();
        let speech = FakeSpeech::start();
        let ingest_vars = [
            format!("ADMIN_TOKEN:{ADMIN_TOKEN}"),
            "REQUEST_TIMEOUT_SECS:3".into(),
            format!("MIN_REQUEST_INTERVAL_MS:{MIN_REQUEST_INTERVAL_MS}"),
            // Two committees a part, so that every refresh is listed over several messages.
            "COMMITTEES_PER_PART:2".into(),
            format!(
                "FAULT_POINTS:{}",
                FAULT_POINTS.iter().map(|p| format!("{p}@{}", fault_council(p))).collect::<Vec<_>>().join(",")
            ),
            "RETRY_BASE_SECONDS:1".into(),
            "RETRY_MAX_SECONDS:2".into(),
            // Small steps, so that documents are read across several invocations.
            "PDF_PAGES_PER_STEP:5".into(),
            // Supported councils are summarised by the local chat-completions server.
            "SUMMARY_PROVIDER:openai".into(),
            format!("OPENAI_BASE_URL:{}", model.base_url()),
            "SUMMARY_MODEL:fake-llama".into(),
            "SUMMARY_DELAY_SECONDS:1".into(),
            // Webcasts without captions, of councils with a media address, are heard
            // by the local speech model, twenty seconds at a time.
            "SPEECH_MODEL:@cf/openai/whisper-large-v3-turbo".into(),
            format!("SPEECH_BASE_URL:{}", speech.base_url()),
            "SPEECH_CHUNK_SECONDS:20".into(),
        ];
        let postcodes = FakePostcodes::start();
        let email = FakeEmail::start();
        let email_vars = [
            "EMAIL_PROVIDER:resend".to_string(),
            format!("EMAIL_API_BASE_URL:{}", email.base_url()),
            format!("EMAIL_API_KEY:{}", super::fake_email::API_KEY),
            format!("EMAIL_TOKEN_SECRET:{EMAIL_TOKEN_SECRET}"),
            format!("PUBLIC_ORIGIN:{PUBLIC_ORIGIN}"),
        ];
        let ingest_vars: Vec<String> = ingest_vars
            .into_iter()
            .chain(email_vars.iter().cloned())
            // An alert goes a second after its summary is saved.
            .chain(["ALERT_DELAY_SECONDS:1".to_string()])
            .collect();
        let site_vars: Vec<String> = [
            format!("POSTCODES_BASE_URL:{}", postcodes.base_url()),
            "RETRY_BASE_SECONDS:1".into(),
            "RETRY_MAX_SECONDS:2".into(),
        ]
        .into_iter()
        .chain(email_vars.iter().cloned())
        .collect();
        // One after the other: two workerd processes opening the same local
        // state at the same moment can fail to start.
        let (site_port, site_log, site) = spawn_worker(&state_dir, "site", &["-c", "wrangler.site.toml"], &site_vars);
        let site_url = format!("http://127.0.0.1:{site_port}");
        wait_until_healthy(&site_url, &site_log);
        let (ingest_port, ingest_log, ingest) =
            spawn_worker(&state_dir, "ingest", &["-c", "wrangler.toml", "--test-scheduled"], &ingest_vars);
        let ingest_url = format!("http://127.0.0.1:{ingest_port}");
        wait_until_healthy(&ingest_url, &ingest_log);
        Harness {
            base_url: site_url,
            ingest_url,
            fake,
            model,
            speech,
            postcodes,
            cmis: FakeCmis::start(),
            email,
            state_dir,
            log_paths: vec![site_log, ingest_log],
            _watchdogs: Mutex::new(vec![site, ingest]),
            exclusive: Mutex::new(()),
            next_client: std::sync::atomic::AtomicU32::new(0),
        }
    }

    pub fn log_tail(&self) -> String {
        let mut tail = String::new();
        for path in &self.log_paths {
            let text = fs::read_to_string(path).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            tail.push_str(&format!("--- {}\n", path.display()));
            tail.push_str(&lines[lines.len().saturating_sub(40)..].join("\n"));
            tail.push('\n');
        }
        tail
    }

    /// Another `wrangler dev` on the same local state (benchmarks): its base URL,
    /// and the watchdog that stops it when dropped with its stdin.
    pub fn start_worker(&self, name: &str, config: &[&str], vars: &[String]) -> (String, Child) {
        let (port, log, child) = spawn_worker(&self.state_dir, name, config, vars);
        let url = format!("http://127.0.0.1:{port}");
        wait_until_healthy(&url, &log);
        (url, child)
    }

    /// The worker a path belongs to: admin routes and the cron trigger are the ingest worker's.
    pub fn url_for(&self, path: &str) -> String {
        let base = if path.starts_with("/admin") || path.starts_with("/__scheduled") {
            &self.ingest_url
        } else {
            &self.base_url
        };
        format!("{base}{path}")
    }

    /// A client address of its own (TEST-NET-2/3 space).
    pub fn fresh_client(&self) -> String {
        let n = self.next_client.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("198.18.{}.{}", (n / 250) % 250, n % 250 + 1)
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        token: Option<&str>,
    ) -> Result<Reply, String> {
        self.request_from(&self.fresh_client(), method, path, body, token)
    }

    /// A GET from one client address, as the rate limits count it.
    pub fn get_as(&self, client: &str, path: &str) -> Reply {
        self.request_from(client, "GET", path, None, None)
            .unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", self.log_tail()))
    }

    fn request_from(
        &self,
        client: &str,
        method: &str,
        path: &str,
        body: Option<&Value>,
        token: Option<&str>,
    ) -> Result<Reply, String> {
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).redirects(0).build();
        let mut request = agent.request(method, &self.url_for(path)).set("CF-Connecting-IP", client);
        if let Some(token) = token {
            request = request.set("Authorization", &format!("Bearer {token}"));
        }
        let result = match body {
            Some(body) => request.send_json(body.clone()),
            None => request.call(),
        };
        read_reply(result)
    }

    /// A form POST, as a browser (or a mail program's one-click unsubscribe) sends one.
    pub fn post_form(&self, client: &str, path: &str, pairs: &[(&str, &str)]) -> Reply {
        self.post_form_with(client, path, pairs, &[])
    }

    /// A form POST with headers of the browser's (`Origin`, `Sec-Fetch-Site`).
    pub fn post_form_with(&self, client: &str, path: &str, pairs: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).redirects(0).build();
        let mut request = agent.post(&self.url_for(path)).set("CF-Connecting-IP", client);
        for (name, value) in headers {
            request = request.set(name, value);
        }
        read_reply(request.send_form(pairs)).unwrap_or_else(|e| panic!("POST {path}: {e}\n{}", self.log_tail()))
    }

    /// A GET with request headers, answered as its status, headers and raw bytes.
    pub fn get_bytes(&self, path: &str, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).redirects(0).build();
        let mut request = agent.get(&self.url_for(path)).set("CF-Connecting-IP", &self.fresh_client());
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let response = match request.call() {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("GET {path}: {error}"),
        };
        let status = response.status();
        let names = response.headers_names();
        let headers = names.iter().map(|n| (n.clone(), response.header(n).unwrap_or_default().to_string())).collect();
        let mut body = Vec::new();
        response.into_reader().take(50_000_000).read_to_end(&mut body).unwrap();
        (status, headers, body)
    }

    pub fn get_path(&self, path: &str) -> Result<Reply, String> {
        self.request("GET", path, None, None)
    }

    pub fn get(&self, path: &str) -> Reply {
        // Locally the two workers share one SQLite file, and a read can wait
        // out the other worker's lock until the request times out; a read is
        // safe to ask again, once. (Deployed, D1 serialises access.)
        let reply = match self.get_path(path) {
            Err(error) if error.contains("timed out") => self.get_path(path),
            other => other,
        };
        reply.unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", self.log_tail()))
    }

    /// An admin request. Locally the two workers are two workerd processes on
    /// one SQLite file, so a write can meet the other's lock (deployed, D1
    /// serialises them): such an answer is tried again.
    pub fn admin(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let mut attempts = 0;
        loop {
            let reply = self
                .request(method, path, body, Some(ADMIN_TOKEN))
                .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.log_tail()));
            let locked = reply.status == 500 && self.log_tail().contains("SQLITE_BUSY");
            attempts += 1;
            if !locked || attempts >= 5 {
                return reply;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn register(&self, id: &str, base_url: &str, extra: Value) -> Value {
        let mut body =
            json!({"id": id, "name": format!("{id} council"), "platform": "moderngov", "base_url": base_url});
        if let (Some(target), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            target.extend(extra.clone());
        }
        let reply = self.admin("POST", "/admin/councils", Some(&body));
        assert_eq!(reply.status, 200, "register {id}: {}", reply.body);
        reply.json()
    }

    pub fn start_scrape(&self, council: &str) -> String {
        self.start_scrape_with(council, "")
    }

    /// Starts a scrape with a query (`?full=1` visits everything the schedule tracks).
    pub fn start_scrape_with(&self, council: &str, query: &str) -> String {
        let reply = self.admin("POST", &format!("/admin/councils/{council}/scrape{query}"), None);
        assert_eq!(reply.status, 202, "scrape {council}: {}", reply.body);
        reply.json()["run_id"].as_str().unwrap().to_string()
    }

    /// Polls a run until it has finished, and returns it.
    pub fn wait_for_run(&self, run_id: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let run = self.admin("GET", &format!("/admin/runs/{run_id}"), None).json();
            if !run["finished_at"].is_null() {
                return run;
            }
            assert!(Instant::now() < deadline, "run {run_id} did not finish: {run:#}\n{}", self.log_tail());
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    pub fn scrape(&self, council: &str) -> Value {
        let run_id = self.start_scrape(council);
        self.wait_for_run(&run_id, RUN_TIMEOUT)
    }

    pub fn scrape_full(&self, council: &str) -> Value {
        let run_id = self.start_scrape_with(council, "?full=1");
        self.wait_for_run(&run_id, RUN_TIMEOUT)
    }

    pub fn status_of(&self, council: &str) -> Value {
        let status = self.admin("GET", "/admin/status", None).json();
        status["councils"].as_array().unwrap().iter().find(|c| c["id"] == council).cloned().unwrap_or(Value::Null)
    }

    /// Every stored meeting of a council in the last year and the next four
    /// weeks, paged through the public API.
    pub fn meetings(&self, council: &str) -> Vec<Value> {
        let mut meetings = Vec::new();
        let mut path = format!("/api/v1/meetings?council={council}&limit=200");
        loop {
            let reply = self.get(&path);
            assert_eq!(reply.status, 200, "{}", reply.body);
            let page = reply.json();
            meetings.extend(page["meetings"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/meetings?council={council}&limit=200&cursor={cursor}"),
                None => return meetings,
            }
        }
    }

    /// Runs SQL against the worker's local D1 and answers the rows of the last statement.
    pub fn sql(&self, sql: &str) -> Vec<Value> {
        let persist = self.state_dir.to_str().unwrap().to_string();
        let mut attempts = 0;
        let output = loop {
            let output =
                wrangler(&["d1", "execute", "DB", "--local", "--persist-to", &persist, "--json", "--command", sql])
                    .output()
                    .expect("wrangler d1 execute");
            // The running worker may hold the database for a moment: try again.
            let said =
                format!("{}{}", String::from_utf8_lossy(&output.stderr), String::from_utf8_lossy(&output.stdout));
            attempts += 1;
            if output.status.success() || !said.contains("SQLITE_BUSY") || attempts == 20 {
                break output;
            }
            std::thread::sleep(Duration::from_millis(300));
        };
        assert!(output.status.success(), "{sql}: {}", String::from_utf8_lossy(&output.stderr));
        let results: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        results.as_array().and_then(|r| r.last()).and_then(|r| r["results"].as_array()).cloned().unwrap_or_default()
    }

    pub fn trigger_cron(&self, cron: &str) -> Reply {
        let encoded = cron.replace(' ', "%20").replace('/', "%2F");
        self.get(&format!("/__scheduled?cron={encoded}"))
    }
}

fn read_reply(result: Result<ureq::Response, ureq::Error>) -> Result<Reply, String> {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => return Err(error.to_string()),
    };
    let status = response.status();
    let content_type = response.header("Content-Type").unwrap_or_default().to_string();
    let headers = response
        .headers_names()
        .into_iter()
        .map(|n| {
            let v = response.header(&n).unwrap_or_default().to_string();
            (n, v)
        })
        .collect();
    let mut body = String::new();
    response.into_reader().take(20_000_000).read_to_string(&mut body).map_err(|e| e.to_string())?;
    Ok(Reply { status, content_type, headers, body })
}

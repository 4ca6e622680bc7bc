//! Runs the real worker in workerd (`wrangler dev`, local D1 and Queues) once
//! per test binary, next to a fake council site, and drives it over HTTP.
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

use super::fake_council::FakeCouncil;
use super::fake_llm::FakeLlm;

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

/// The gap the worker keeps between requests to one council host.
pub const MIN_REQUEST_INTERVAL_MS: u64 = 40;

pub struct Harness {
    pub base_url: String,
    pub fake: FakeCouncil,
    pub model: FakeLlm,
    pub state_dir: PathBuf,
    log_path: PathBuf,
    _watchdog: Mutex<Child>,
    exclusive: Mutex<()>,
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
        let port = free_port();
        let inspector = free_port();
        let log_path = state_dir.join("wrangler.log");
        let log = fs::File::create(&log_path).unwrap();
        let script = r#"source scripts/env.sh
node_modules/.bin/wrangler dev "$@" </dev/null &
read -r _
kill -TERM -- -$$ 2>/dev/null
sleep 2
kill -KILL -- -$$ 2>/dev/null"#;
        let vars = [
            format!("ADMIN_TOKEN:{ADMIN_TOKEN}"),
            "REQUEST_TIMEOUT_SECS:3".into(),
            format!("MIN_REQUEST_INTERVAL_MS:{MIN_REQUEST_INTERVAL_MS}"),
            format!("PUBLIC_ORIGIN:{PUBLIC_ORIGIN}"),
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
        ];
        let mut command = Command::new("setsid");
        command
            .args(["bash", "-c", script, "watchdog"])
            .args(["--ip", "127.0.0.1", "--port", &port.to_string(), "--inspector-port", &inspector.to_string()])
            .args([
                "--persist-to",
                &persist,
                "--test-scheduled",
                "--show-interactive-dev-session=false",
                "--log-level",
                "info",
            ]);
        for var in &vars {
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
        let harness = Harness {
            base_url: format!("http://127.0.0.1:{port}"),
            fake,
            model,
            state_dir,
            log_path,
            _watchdog: Mutex::new(child),
            exclusive: Mutex::new(()),
        };
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            if harness.get_path("/healthz").map(|r| r.status == 200).unwrap_or(false) {
                break;
            }
            assert!(Instant::now() < deadline, "wrangler dev did not start:\n{}", harness.log_tail());
            std::thread::sleep(Duration::from_millis(300));
        }
        harness
    }

    pub fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log_path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        token: Option<&str>,
    ) -> Result<Reply, String> {
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).redirects(0).build();
        let mut request = agent.request(method, &format!("{}{path}", self.base_url));
        if let Some(token) = token {
            request = request.set("Authorization", &format!("Bearer {token}"));
        }
        let result = match body {
            Some(body) => request.send_json(body.clone()),
            None => request.call(),
        };
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

    pub fn get_path(&self, path: &str) -> Result<Reply, String> {
        self.request("GET", path, None, None)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.get_path(path).unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", self.log_tail()))
    }

    pub fn admin(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        self.request(method, path, body, Some(ADMIN_TOKEN))
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.log_tail()))
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
        self.wait_for_run(&run_id, Duration::from_secs(120))
    }

    pub fn scrape_full(&self, council: &str) -> Value {
        let run_id = self.start_scrape_with(council, "?full=1");
        self.wait_for_run(&run_id, Duration::from_secs(120))
    }

    pub fn status_of(&self, council: &str) -> Value {
        let status = self.admin("GET", "/admin/status", None).json();
        status["councils"].as_array().unwrap().iter().find(|c| c["id"] == council).cloned().unwrap_or(Value::Null)
    }

    pub fn meetings(&self, council: &str) -> Vec<Value> {
        let reply = self.get(&format!("/api/v1/councils/{council}/meetings?from=2000-01-01&to=2100-01-01"));
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()["meetings"].as_array().unwrap().clone()
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

//! Web benchmark (not a test): wrk against the site worker in `wrangler dev`
//! and against the floor of this machine, in the same run: a minimal worker
//! in the same wrangler and workerd that answers the same bytes from memory,
//! and nginx serving them as a static file. The site worker is measured for
//! its cached meeting page and API read, and (a second site worker on the same
//! state, with EDGE_CACHE=off) for the uncached meeting page and search.
//! Prints requests per second, p50 and p99, and p99 against the floor; then
//! the cold start of each worker (tests/bench/cold_start.mjs).
//! Run with `bash scripts/bench.sh` (installs wrk and nginx from Debian).

#[path = "../support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use support::fake_council::{coventry_like, Behaviour};
use support::harness::Harness;

struct Measure {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn millis(text: &str) -> f64 {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len()));
    let value: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        _ => f64::NAN,
    }
}

fn wrk(url: &str, script: &Path) -> Measure {
    let output = Command::new("wrk")
        .args(["-t2", "-c16", "-d8s", "--latency", "-s"])
        .arg(script)
        .arg(url)
        .output()
        .expect("wrk (Debian package wrk)");
    let text = String::from_utf8_lossy(&output.stdout);
    let find = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("nan")
            .to_string()
    };
    let non_2xx = text.lines().find(|l| l.contains("Non-2xx")).map(str::trim).unwrap_or_default().to_string();
    if !non_2xx.is_empty() {
        eprintln!("{url}: {non_2xx}");
    }
    Measure {
        rps: find("Requests/sec:").parse().unwrap_or(f64::NAN),
        p50_ms: millis(&find("50%")),
        p99_ms: millis(&find("99%")),
    }
}

fn start_nginx(root: &Path, port: u16) -> Child {
    let conf = root.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off; worker_processes 2; error_log {root}/error.log; pid {root}/nginx.pid;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp; \
             uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp; types {{ text/html html; }}\n\
             server {{ listen 127.0.0.1:{port}; root {root}; location / {{ }} }} }}\n",
            root = root.display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("tmp")).unwrap();
    let child = Command::new("nginx")
        .arg("-c")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx (Debian package nginx)");
    std::thread::sleep(Duration::from_millis(500));
    child
}

/// The floor: a JS worker answering the page's bytes from memory, with the
/// same headers a cached page carries.
fn write_floor_worker(dir: &Path, page: &str) -> std::path::PathBuf {
    let floor = dir.join("floor");
    std::fs::create_dir_all(&floor).unwrap();
    let body = serde_json::to_string(page).unwrap();
    std::fs::write(
        floor.join("worker.js"),
        format!(
            "const PAGE = {body};\nexport default {{ fetch(request) {{\n  if (new URL(request.url).pathname === '/healthz') return new Response('ok');\n  \
             return new Response(PAGE, {{ headers: {{ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'public, max-age=60' }} }});\n}} }};\n"
        ),
    )
    .unwrap();
    std::fs::write(
        floor.join("wrangler.toml"),
        "name = \"floor\"\nmain = \"worker.js\"\ncompatibility_date = \"2026-04-01\"\n",
    )
    .unwrap();
    floor
}

/// Postcode look-ups through the site worker with the edge cache off: the
/// first asking of a postcode goes to the (local) postcode service and is
/// kept in KV; asked again, it is answered from KV.
fn postcode_latency(site: &str) {
    // Each request from its own client address, so that the search limit is not met.
    let time = |path: &str, client: usize| {
        let started = Instant::now();
        let address = format!("10.9.{}.{}", client / 250, client % 250 + 1);
        let status = match ureq::get(&format!("{site}{path}")).set("CF-Connecting-IP", &address).call() {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("{path}: {e}"),
        };
        (started.elapsed().as_secs_f64() * 1000.0, status)
    };
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    for n in 0..25 {
        // Postcodes the service does not know: each is a fresh look-up (404, kept for a day).
        let path = format!("/api/v1/postcodes/ZZ{}%20{}ZZ", n / 10 + 1, n % 10);
        let (ms, status) = time(&path, 2 * n);
        assert!(status == 404 || status == 200, "{path}: {status}");
        cold.push(ms);
        warm.push(time(&path, 2 * n + 1).0);
    }
    let stats = |samples: &mut Vec<f64>| {
        samples.sort_by(f64::total_cmp);
        (samples[samples.len() / 2], samples[samples.len() * 9 / 10])
    };
    let ((cold_p50, cold_p90), (warm_p50, warm_p90)) = (stats(&mut cold), stats(&mut warm));
    println!("postcode look-up, service asked (KV miss): p50 {cold_p50:.1} ms, p90 {cold_p90:.1} ms");
    println!("postcode look-up, kept answer (KV hit):    p50 {warm_p50:.1} ms, p90 {warm_p90:.1} ms");
    println!("(25 postcodes, one request at a time, edge cache off; the postcode service is a local fake)\n");
}

fn main() {
    let h = Harness::shared();
    let base = h.fake.add_site("web", coventry_like(Behaviour::Healthy));
    h.register("web", &base, json!({}));
    h.scrape("web");
    let deadline = Instant::now() + Duration::from_secs(120);
    let meeting = loop {
        let with_summary = h.meetings("web").into_iter().find(|m| m["has_summary"] == 1);
        if let Some(m) = with_summary {
            break m["id"].as_str().unwrap().to_string();
        }
        assert!(Instant::now() < deadline, "no summary made");
        std::thread::sleep(Duration::from_millis(500));
    };
    let dir = h.state_dir.join("web-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let page = h.get(&format!("/meetings/{meeting}")).body;
    std::fs::write(dir.join("meeting.html"), &page).unwrap();
    // Every request from its own client address, so that the rate limits
    // (counted per client) are consulted but do not refuse the benchmark.
    let clients = dir.join("clients.lua");
    std::fs::write(
        &clients,
        "counter = 0\nrequest = function()\n  counter = counter + 1\n  \
         wrk.headers[\"CF-Connecting-IP\"] = \"10.\" .. (counter % 250) .. \".\" .. math.random(250) .. \".\" .. math.random(250)\n  \
         return wrk.format(nil, wrk.path)\nend\n",
    )
    .unwrap();
    let nginx_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut nginx = start_nginx(&dir, nginx_port);
    let floor_dir = write_floor_worker(&dir, &page);
    let floor_config = floor_dir.join("wrangler.toml");
    let (floor_url, mut floor) = h.start_worker("floor", &["-c", floor_config.to_str().unwrap()], &[]);
    let (fresh_url, mut fresh) = h.start_worker(
        "site-uncached",
        &["-c", "wrangler.site.toml"],
        &[
            "EDGE_CACHE:off".to_string(),
            "PUBLIC_ORIGIN:https://council-digest.test".to_string(),
            format!("POSTCODES_BASE_URL:{}", h.postcodes.base_url()),
        ],
    );

    let page_path = format!("/meetings/{meeting}");
    let runs = [
        ("floor: minimal worker, same bytes", format!("{floor_url}{page_path}")),
        ("nginx: static file, same bytes", format!("http://127.0.0.1:{nginx_port}/meeting.html")),
        ("site: health check (no D1, no cache)", format!("{fresh_url}/healthz")),
        ("site: meeting page, cached", format!("{}{page_path}", h.base_url)),
        ("site: meeting API, cached", format!("{}/api/v1/meetings/{meeting}", h.base_url)),
        ("site: meeting page, uncached", format!("{fresh_url}{page_path}")),
        ("site: meeting API, uncached", format!("{fresh_url}/api/v1/meetings/{meeting}")),
        ("site: no such meeting, uncached", format!("{fresh_url}/api/v1/meetings/web-999999")),
        ("site: council page, uncached", format!("{fresh_url}/councils/web")),
        ("site: search, uncached", format!("{fresh_url}/search?q=budget")),
    ];
    println!(
        "{:<38} {:>9} {:>8} {:>8} {:>12} {:>12}",
        "target", "req/s", "p50 ms", "p99 ms", "p50 / floor", "p99 / floor"
    );
    let (mut floor_p50, mut floor_p99) = (f64::NAN, f64::NAN);
    for (label, url) in runs {
        let m = wrk(&url, &clients);
        if label.starts_with("floor") {
            (floor_p50, floor_p99) = (m.p50_ms, m.p99_ms);
        }
        println!(
            "{label:<38} {:>9.0} {:>8.2} {:>8.2} {:>12.2} {:>12.2}",
            m.rps,
            m.p50_ms,
            m.p99_ms,
            m.p50_ms / floor_p50,
            m.p99_ms / floor_p99
        );
    }
    println!("(wrk -t2 -c16 -d8s on this machine; wrangler dev is a development server, not the edge)\n");
    postcode_latency(&fresh_url);
    let _ = nginx.kill();
    let _ = nginx.wait();
    // Closing a watchdog's stdin stops its wrangler and everything under it.
    for watchdog in [&mut floor, &mut fresh] {
        drop(watchdog.stdin.take());
        let _ = watchdog.wait();
    }

    // Cold start of each bundle (and of any extra bundles named in COLD_START_EXTRA, label=dir).
    let root = env!("CARGO_MANIFEST_DIR");
    let mut args = vec![
        format!("floor={}", floor_dir.display()),
        format!("site={root}/build/site"),
        format!("ingest={root}/build/ingest"),
    ];
    args.extend(std::env::var("COLD_START_EXTRA").unwrap_or_default().split_whitespace().map(str::to_string));
    let status = Command::new("node")
        .arg(format!("{root}/tests/bench/cold_start.mjs"))
        .args(&args)
        .current_dir(root)
        .status()
        .expect("node runs the cold-start benchmark");
    assert!(status.success(), "cold-start benchmark failed");
}

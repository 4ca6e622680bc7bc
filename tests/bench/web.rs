//! Web benchmark (not a test): wrk against `wrangler dev` for the meeting page
//! and the meeting API, cached and uncached, and against nginx serving the same
//! rendered page as a static file, in the same run. Prints requests per second,
//! p50 and p99 latency, and the ratio to nginx.
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

fn wrk(url: &str, script: Option<&Path>) -> Measure {
    let mut command = Command::new("wrk");
    command.args(["-t2", "-c16", "-d8s", "--latency"]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let output = command.arg(url).output().expect("wrk (Debian package wrk)");
    let text = String::from_utf8_lossy(&output.stdout);
    let find = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("nan")
            .to_string()
    };
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
    std::fs::write(dir.join("meeting.html"), h.get(&format!("/meetings/{meeting}")).body).unwrap();
    let uncached = dir.join("uncached.lua");
    std::fs::write(
        &uncached,
        "counter = 0\nrequest = function()\n  counter = counter + 1\n  return wrk.format(nil, wrk.path .. \"?nocache=\" .. counter .. \"-\" .. math.random(1000000000))\nend\n",
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut nginx = start_nginx(&dir, port);

    let page = format!("{}/meetings/{meeting}", h.base_url);
    let api = format!("{}/api/v1/meetings/{meeting}", h.base_url);
    let runs = [
        ("nginx static meeting page", format!("http://127.0.0.1:{port}/meeting.html"), None),
        ("worker meeting page, cached", page.clone(), None),
        ("worker meeting page, uncached", page, Some(uncached.as_path())),
        ("worker meeting API, cached", api.clone(), None),
        ("worker meeting API, uncached", api, Some(uncached.as_path())),
    ];
    println!("{:<34} {:>10} {:>9} {:>9} {:>12}", "target", "req/s", "p50 ms", "p99 ms", "p99 / nginx");
    let mut nginx_p99 = f64::NAN;
    for (label, url, script) in runs {
        let m = wrk(&url, script);
        if label.starts_with("nginx") {
            nginx_p99 = m.p99_ms;
        }
        println!("{label:<34} {:>10.0} {:>9.2} {:>9.2} {:>12.1}", m.rps, m.p50_ms, m.p99_ms, m.p99_ms / nginx_p99);
    }
    let _ = nginx.kill();
    let _ = nginx.wait();
    println!("(wrk -t2 -c16 -d8s on one 2-core machine; wrangler dev is a development server, not the edge)");
}

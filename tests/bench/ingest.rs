//! Ingestion benchmark (not a test): parse times natively and inside workerd,
//! and the cost of refreshing a council with 50 meetings, first run and rerun.
//! Run with `bash scripts/bench.sh`.

#[path = "../support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use council_digest::sources::bench_parse;
use serde_json::{json, Value};
use support::fake_council::{with_meeting_count, Behaviour};
use support::harness::{Harness, ADMIN_TOKEN};

const FIXTURES: [(&str, &str); 6] = [
    ("get_meeting", "moderngov/manchester_GetMeeting_4967_with-minutes.xml"),
    ("get_meeting", "moderngov/manchester_GetMeeting_4966_cancelled-no-agenda.xml"),
    ("meeting_page", "moderngov/redbridge_ieListDocuments_CId516_MId6937_bs4-prettified.html"),
    ("cmis_meeting", "cmis/birmingham_ViewMeetingPublic_city-council-2025-11-04_full_rendered.html"),
    ("cmis_meeting", "cmis/birmingham_ViewMeetingPublic_city-council-2025-04-08_items-with-documents_rendered.html"),
    ("cmis_month", "cmis/birmingham_MeetingCalendarPublicNoJava_month_excerpt.html"),
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    samples[samples.len() / 2]
}

fn native_micros(format: &str, body: &[u8]) -> f64 {
    let iterations = 300;
    let run = || {
        let started = Instant::now();
        std::hint::black_box(bench_parse(format, body, iterations).unwrap());
        started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations)
    };
    median((0..5).map(|_| run()).collect())
}

fn workerd_micros(h: &Harness, format: &str, body: &[u8]) -> f64 {
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(120)).build();
    let time = |iterations: u32| {
        let started = Instant::now();
        let reply = agent
            .post(&format!("{}/admin/bench/parse?format={format}&iterations={iterations}", h.ingest_url))
            .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
            .send_bytes(body)
            .expect("bench endpoint");
        assert_eq!(reply.status(), 200);
        started.elapsed().as_secs_f64() * 1e6
    };
    let iterations = 200;
    let one = median((0..7).map(|_| time(1)).collect());
    let many = median((0..5).map(|_| time(iterations)).collect());
    (many - one) / f64::from(iterations - 1)
}

fn refresh(h: &Harness, council: &str, full: bool) -> (Value, f64) {
    let started = Instant::now();
    let run = if full { h.scrape_full(council) } else { h.scrape(council) };
    (run, started.elapsed().as_secs_f64() * 1e3)
}

fn main() {
    println!("== parse time per document (median) ==");
    println!("{:<90} {:>10} {:>10}", "fixture", "native µs", "workerd µs");
    let h = Harness::shared();
    for (format, name) in FIXTURES {
        let body = fixture(name);
        let items = bench_parse(format, &body, 1).unwrap();
        let native = native_micros(format, &body);
        let workerd = workerd_micros(h, format, &body);
        println!("{:<90} {native:>10.1} {workerd:>10.1}   ({items} items, {} bytes)", name, body.len());
    }

    println!("\n== refresh of a council with 50 meetings in its window ==");
    let base = h.fake.add_site("bench50", with_meeting_count(Behaviour::Healthy, 50));
    h.register("bench50", &base, json!({}));
    // The fake answers as ModernGov does: no validators on the web service or pages.
    let mut reads = Vec::new();
    for (label, full) in [("first run", false), ("rerun, due only", false), ("rerun, full", true)] {
        let (run, wall_ms) = refresh(h, "bench50", full);
        let fetches = run["fetches"].as_array().unwrap();
        let not_modified = fetches.iter().filter(|f| f["outcome"] == "not_modified").count();
        let bytes: i64 = fetches.iter().filter_map(|f| f["bytes"].as_i64()).sum();
        println!(
            "{label:<16} meetings read {:>3} (skipped {:>2}) new {:>3} changed {:>2} unchanged {:>3} | subrequests {:>3} ({not_modified} answered 304, {bytes} bytes) | wall {wall_ms:>7.0} ms",
            run["meetings_planned"], run["meetings_skipped"], run["meetings_new"], run["meetings_changed"], run["meetings_unchanged"], fetches.len()
        );
        reads.push(run["meetings_planned"].as_f64().unwrap_or(0.0));
    }
    // CPU: the pure part of a refresh (parse + fingerprint of 50 meetings) natively;
    // workerd's wall time above is an upper bound that includes local D1 and queue latency.
    let xml_body = fixture("moderngov/manchester_GetMeeting_4967_with-minutes.xml");
    let page_body = fixture("moderngov/redbridge_ieListDocuments_CId516_MId6937_bs4-prettified.html");
    let per_meeting = native_micros("get_meeting", &xml_body) + native_micros("meeting_page", &page_body);
    let workerd_per_meeting =
        workerd_micros(h, "get_meeting", &xml_body) + workerd_micros(h, "meeting_page", &page_body);
    for (label, meetings) in ["first run", "rerun, due only", "rerun, full"].iter().zip(&reads) {
        println!(
            "parse CPU, {label}: {meetings} meetings read: native {:.1} ms, workerd {:.1} ms (every read meeting is parsed: no 304s from dynamic pages)",
            per_meeting * meetings / 1e3,
            workerd_per_meeting * meetings / 1e3
        );
    }
}

//! Storage benchmark (not a test): ingests a fake council built from the real
//! fixtures in workerd, measures what D1 and R2 hold per meeting, per document
//! page and per refresh, and projects one year for every enabled council.
//! Run with `bash scripts/bench.sh`.

#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;
use support::fake_council::{coventry_like, Behaviour};
use support::harness::Harness;

/// Assumptions of the projection, stated in the output.
const COUNCILS: f64 = 305.0;
const MEETINGS_PER_COUNCIL_YEAR: f64 = 450.0;
const PAGES_PER_MEETING: f64 = 120.0;
const REFRESHES_PER_DAY: f64 = 12.0;
const RETENTION_DAYS: f64 = 30.0;
/// Councils ingested for the measurement.
const COUNCILS_INGESTED: usize = 4;

fn files_under(dir: &Path, suffix: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, suffix, found);
        } else if path.to_string_lossy().ends_with(suffix) {
            found.push(path);
        }
    }
}

/// Bytes per D1 table (indexes included), from the local database file.
fn d1_tables(state: &Path) -> BTreeMap<String, f64> {
    let mut databases = Vec::new();
    files_under(&state.join("v3/d1"), ".sqlite", &mut databases);
    let mut totals = BTreeMap::new();
    for database in databases {
        let output = Command::new("python3").arg("scripts/d1_bytes.py").arg(&database).output().unwrap();
        let sizes: BTreeMap<String, f64> = serde_json::from_slice(&output.stdout).unwrap_or_default();
        for (table, bytes) in sizes {
            *totals.entry(table).or_insert(0.0) += bytes;
        }
    }
    totals
}

/// Bytes of R2 objects (local blobs).
fn r2_bytes(state: &Path) -> f64 {
    let mut blobs = Vec::new();
    files_under(&state.join("v3/r2"), "", &mut blobs);
    blobs
        .iter()
        .filter(|p| p.to_string_lossy().contains("/blobs/"))
        .map(|p| p.metadata().map_or(0, |m| m.len()) as f64)
        .sum()
}

fn total(tables: &BTreeMap<String, f64>) -> f64 {
    tables.values().sum()
}

fn settle(h: &Harness, council: &str) -> (usize, f64) {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let meetings = h.meetings(council);
        let mut pages = 0.0;
        let mut pending = 0;
        let mut summarised = 0;
        for meeting in &meetings {
            let detail = h.get(&format!("/api/v1/meetings/{}", meeting["id"].as_str().unwrap())).json();
            summarised += usize::from(!detail["summary"].is_null());
            for document in detail["documents"].as_array().into_iter().flatten().chain(
                detail["agenda_items"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|i| i["documents"].as_array().into_iter().flatten()),
            ) {
                match document["text_status"].as_str() {
                    None | Some("partial") => pending += 1,
                    _ => pages += document["page_count"].as_f64().unwrap_or(0.0),
                }
            }
        }
        if pending == 0 && summarised + 1 >= meetings.len() {
            return (meetings.len(), pages);
        }
        assert!(Instant::now() < deadline, "did not settle: {pending} documents pending\n{}", h.log_tail());
        std::thread::sleep(Duration::from_secs(1));
    }
}

fn main() {
    let h = Harness::shared();
    let state = h.state_dir.clone();
    let before = d1_tables(&state);
    let r2_before = r2_bytes(&state);

    // Several councils, so that D1's 4 KiB pages are a small part of what is measured.
    let councils: Vec<String> = (1..=COUNCILS_INGESTED).map(|n| format!("storage-{n}")).collect();
    let runs: Vec<String> = councils
        .iter()
        .map(|council| {
            let mut site = coventry_like(Behaviour::Healthy);
            site.serve_documents = true;
            let base = h.fake.add_site(council, site);
            h.register(council, &base, json!({"coverage": "supported"}));
            h.start_scrape(council)
        })
        .collect();
    for run in &runs {
        h.wait_for_run(run, Duration::from_secs(300));
    }
    let (mut meetings, mut pages) = (0, 0.0);
    for council in &councils {
        let (m, p) = settle(h, council);
        meetings += m;
        pages += p;
    }
    std::thread::sleep(Duration::from_secs(2));
    let ingested = d1_tables(&state);
    let r2_ingested = r2_bytes(&state);

    // Refreshes after ingestion: what is due, as the cron would, three times per council.
    let mut refresh_requests = 0.0;
    let mut refreshes = 0.0;
    for _ in 0..3 {
        for council in &councils {
            let run = h.scrape(council);
            refresh_requests += run["fetches"].as_array().map_or(0, Vec::len) as f64;
            refreshes += 1.0;
        }
    }
    std::thread::sleep(Duration::from_secs(2));
    let refreshed = d1_tables(&state);

    let delta = |after: &BTreeMap<String, f64>, before: &BTreeMap<String, f64>| -> BTreeMap<String, f64> {
        after
            .iter()
            .map(|(t, b)| (t.clone(), b - before.get(t).copied().unwrap_or(0.0)))
            .filter(|(_, b)| *b != 0.0)
            .collect()
    };
    let ingest_delta = delta(&ingested, &before);
    let refresh_delta = delta(&refreshed, &ingested);
    let d1_per_meeting = total(&ingest_delta) / meetings as f64;
    let r2_per_page = (r2_ingested - r2_before) / pages.max(1.0);
    let d1_per_refresh = total(&refresh_delta) / refreshes;

    println!("== storage: {COUNCILS_INGESTED} councils, {meetings} meetings, {pages} document pages read");
    println!("D1 growth by table on ingestion (bytes, pages of 4 KiB, indexes included):");
    for (table, bytes) in &ingest_delta {
        println!("  {table:<22} {bytes:>10.0}");
    }
    println!("D1 growth by table over {refreshes} refreshes of what is due ({refresh_requests} requests):");
    for (table, bytes) in &refresh_delta {
        println!("  {table:<22} {bytes:>10.0}");
    }
    println!("D1 per meeting: {d1_per_meeting:.0} B; per document page: 0 B in D1 (text is in R2)");
    println!("R2 per document page: {r2_per_page:.0} B (page text JSON; document bytes are deleted after reading)");
    println!("D1 per refresh (fetch log, run, run meetings): {d1_per_refresh:.0} B");

    let meetings_year = COUNCILS * MEETINGS_PER_COUNCIL_YEAR;
    let pages_year = meetings_year * PAGES_PER_MEETING;
    let d1_meetings = meetings_year * d1_per_meeting;
    let d1_refreshes = COUNCILS * REFRESHES_PER_DAY * RETENTION_DAYS * d1_per_refresh;
    let r2_pages = pages_year * r2_per_page;
    let gb = |bytes: f64| bytes / 1e9;
    println!("== projection for one year");
    println!(
        "assumptions: {COUNCILS} councils x {MEETINGS_PER_COUNCIL_YEAR} meetings/year = {meetings_year} meetings; \
         {PAGES_PER_MEETING} pages/meeting = {pages_year} pages; {REFRESHES_PER_DAY} refreshes/day; fetch log and runs kept {RETENTION_DAYS} days"
    );
    println!("D1 meetings: {meetings_year} x {d1_per_meeting:.0} B = {:.2} GB", gb(d1_meetings));
    println!(
        "D1 refresh records (steady state): {COUNCILS} x {REFRESHES_PER_DAY} x {RETENTION_DAYS} x {d1_per_refresh:.0} B = {:.2} GB",
        gb(d1_refreshes)
    );
    println!("D1 total after a year: {:.2} GB (hard cap 10 GB, target under 2 GB)", gb(d1_meetings + d1_refreshes));
    println!("R2 page text: {pages_year} x {r2_per_page:.0} B = {:.2} GB", gb(r2_pages));
}

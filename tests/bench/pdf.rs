//! PDF benchmark (not a test): for each fixture PDF, pages per second natively
//! and inside workerd, peak memory, the same for poppler's pdftotext, and the
//! character-level agreement of our text with pdftotext's.
//! Run with `bash scripts/bench.sh`.

#[path = "../support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::harness::{Harness, ADMIN_TOKEN};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

/// Runs a command under GNU time and answers (wall seconds, peak resident KiB, stdout).
/// GNU time forks the command from its own small process, so the peak is the
/// command's own (a direct child of this large process would inherit its peak).
fn run_measured(command: &mut Command) -> (f64, i64, Vec<u8>) {
    let report = std::env::temp_dir().join(format!("council-digest-time-{}", std::process::id()));
    let mut timed = Command::new("/usr/bin/time");
    timed.arg("-f").arg("%M").arg("-o").arg(&report).arg(command.get_program()).args(command.get_args());
    let started = Instant::now();
    let output = timed.stderr(std::process::Stdio::null()).output().expect("/usr/bin/time (Debian package time)");
    let seconds = started.elapsed().as_secs_f64();
    let peak =
        std::fs::read_to_string(&report).ok().and_then(|t| t.trim().lines().last()?.trim().parse().ok()).unwrap_or(0);
    (seconds, peak, output.stdout)
}

fn similarity(ours: &str, theirs: &str) -> f64 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ours.txt"), ours).unwrap();
    std::fs::write(dir.join("theirs.txt"), theirs).unwrap();
    let output = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/similarity.py"))
        .arg(dir.join("ours.txt"))
        .arg(dir.join("theirs.txt"))
        .output()
        .expect("python3");
    String::from_utf8_lossy(&output.stdout).trim().parse().unwrap_or(f64::NAN)
}

fn workerd_pages_per_second(h: &Harness, bytes: &[u8], pages: usize) -> (f64, u64) {
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(300)).build();
    let call = |iterations: u32| {
        let started = Instant::now();
        let reply = agent
            .post(&format!("{}/admin/bench/pdf?iterations={iterations}", h.ingest_url))
            .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
            .send_bytes(bytes);
        let elapsed = started.elapsed().as_secs_f64();
        match reply {
            Ok(reply) => {
                let json: serde_json::Value = reply.into_json().unwrap();
                (elapsed, json["wasm_memory_bytes"].as_u64().unwrap_or(0))
            }
            Err(_) => (f64::NAN, 0),
        }
    };
    let (one, _) = call(1);
    let (four, memory) = call(4);
    let per_run = ((four - one) / 3.0).max(1e-6);
    (pages as f64 / per_run, memory)
}

fn main() {
    let exe = std::env::current_exe().unwrap();
    if let Some(path) = std::env::args().nth(1).filter(|a| a.ends_with(".pdf")) {
        // Child mode: extract one file and print its text, so the parent measures time and memory.
        let bytes = std::fs::read(path).unwrap();
        let pages = council_digest::documents::extract_all(&bytes).unwrap_or_default();
        let text: Vec<String> = pages.into_iter().map(|p| p.text).collect();
        print!("{}", text.join("\n\u{c}"));
        return;
    }
    let has_pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    let h = Harness::shared();
    println!(
        "{:<72} {:>5} {:>10} {:>9} {:>10} {:>9} {:>10} {:>9} {:>9}",
        "fixture", "pages", "ours p/s", "ours MiB", "workerd", "wasm MiB", "pdftotext", "p2t MiB", "agree"
    );
    for path in fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let pages = council_digest::documents::extract_all(&bytes).map(|p| p.len()).unwrap_or(0);
        let mut ours_times = Vec::new();
        let mut ours_rss = 0;
        let mut ours_text = String::new();
        for _ in 0..3 {
            let (seconds, rss, output) = run_measured(Command::new(&exe).arg(&path));
            ours_times.push(seconds);
            ours_rss = ours_rss.max(rss);
            ours_text = String::from_utf8_lossy(&output).to_string();
        }
        ours_times.sort_by(f64::total_cmp);
        let (workerd_pps, wasm_memory) = workerd_pages_per_second(h, &bytes, pages);
        let (p2t_pps, p2t_rss, agreement) = if has_pdftotext {
            let mut times = Vec::new();
            let mut rss = 0;
            let mut text = String::new();
            for _ in 0..3 {
                let (seconds, peak, output) = run_measured(Command::new("pdftotext").arg("-q").arg(&path).arg("-"));
                times.push(seconds);
                rss = rss.max(peak);
                text = String::from_utf8_lossy(&output).to_string();
            }
            times.sort_by(f64::total_cmp);
            let agreement =
                if text.trim().is_empty() && ours_text.trim().is_empty() { 1.0 } else { similarity(&ours_text, &text) };
            (pages as f64 / times[1], rss, agreement)
        } else {
            (f64::NAN, 0, f64::NAN)
        };
        println!(
            "{:<72} {:>5} {:>10.0} {:>9.1} {:>10.0} {:>9.1} {:>10.0} {:>9.1} {:>9.3}",
            name,
            pages,
            pages as f64 / ours_times[1],
            ours_rss as f64 / 1024.0,
            workerd_pps,
            wasm_memory as f64 / 1048576.0,
            p2t_pps,
            p2t_rss as f64 / 1024.0,
            agreement
        );
    }
    println!("(ours and pdftotext: whole process per file, median of 3, peak RSS; workerd: extraction only, wasm linear memory)");
}

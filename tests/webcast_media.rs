//! The speech path's audio handling against a real webcast file: a known
//! script spoken by espeak-ng and encoded by ffmpeg as H.264 and AAC in MP4
//! (`support/make_webcast_media.sh`). The AAC track is found in the file's
//! index, cut into chunks, copied out as ADTS, and each chunk checked by
//! ffprobe and ffmpeg: valid AAC, of its planned length, holding the sound
//! of its stretch of the webcast.

use std::path::PathBuf;
use std::process::Command;

use council_digest::webcasts::audio::{adts_chunk, audio_track, box_header, plan_chunks, Ranges};

fn media() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-webcast");
    let made = Command::new("bash")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/make_webcast_media.sh"))
        .arg(&dir)
        .status()
        .expect("espeak-ng and ffmpeg (scripts/setup.sh installs them)");
    assert!(made.success());
    dir
}

/// The `moov` box's body, found by stepping over the top-level boxes.
fn index(file: &[u8]) -> &[u8] {
    let mut at = 0usize;
    while at < file.len() {
        let (size, kind, header) = box_header(&file[at..]).expect("a box");
        let size = size.expect("sized") as usize;
        if &kind == b"moov" {
            return &file[at + header..at + size];
        }
        at += size;
    }
    panic!("no moov");
}

fn probe(path: &std::path::Path) -> (String, String, f64) {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "format=format_name,duration:stream=codec_name", "-of", "json"])
        .arg(path)
        .output()
        .unwrap();
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    (
        found["format"]["format_name"].as_str().unwrap_or_default().to_string(),
        found["streams"][0]["codec_name"].as_str().unwrap_or_default().to_string(),
        found["format"]["duration"].as_str().and_then(|d| d.parse().ok()).unwrap_or(0.0),
    )
}

/// Mean loudness of each 100 ms of a file (ffmpeg decodes it to 8 kHz mono),
/// and its decoded length in ms (ffprobe only estimates a raw ADTS file's).
fn loudness(path: &std::path::Path) -> (Vec<f64>, u64) {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "s16le", "-ac", "1", "-ar", "8000", "-"])
        .output()
        .unwrap();
    assert!(output.status.success(), "ffmpeg decodes {path:?}: {}", String::from_utf8_lossy(&output.stderr));
    let samples: Vec<f64> =
        output.stdout.chunks_exact(2).map(|b| f64::from(i16::from_le_bytes([b[0], b[1]])).abs()).collect();
    let length_ms = samples.len() as u64 / 8;
    (samples.chunks(800).map(|f| f.iter().sum::<f64>() / f.len() as f64).collect(), length_ms)
}

#[test]
fn a_webcast_is_cut_into_adts_chunks_that_decode_to_their_stretch() {
    let dir = media();
    let file = std::fs::read(dir.join("webcast.mp4")).unwrap();
    let track = audio_track(index(&file)).expect("the AAC track");
    assert_eq!(track.timescale, 44_100);
    assert_eq!((track.config.object_type, track.config.frequency_index, track.config.channels), (2, 4, 1));
    let plans = plan_chunks(&track, 20_000, Ranges { join_gap: 64 * 1024, max_range: 4 * 1024 * 1024 });
    assert_eq!(plans.len(), 3, "a minute in chunks of twenty seconds");
    let (reference, _) = loudness(&dir.join("speech.wav"));
    let started = std::time::Instant::now();
    for plan in &plans {
        // Only the ranges the plan names are read, as the worker's ranged requests read them.
        let fetched: Vec<(u64, Vec<u8>)> =
            plan.ranges.iter().map(|(a, b)| (*a, file[*a as usize..=*b as usize].to_vec())).collect();
        let adts = adts_chunk(plan, &fetched).unwrap();
        let path = dir.join(format!("chunk_{}.aac", plan.number));
        std::fs::write(&path, &adts).unwrap();
        let (container, codec, _) = probe(&path);
        assert_eq!((container.as_str(), codec.as_str()), ("aac", "aac"), "ADTS AAC");
        // Its sound is the webcast's at its place, of its length: loud where the reference is loud.
        let (heard, length_ms) = loudness(&path);
        let planned = plan.end_ms - plan.start_ms;
        assert!(
            length_ms.abs_diff(planned) < 100,
            "chunk {} decodes to {length_ms} ms, planned {planned} ms",
            plan.number
        );
        let from = (plan.start_ms / 100) as usize;
        let loud = |v: &f64| *v > 200.0;
        let agree = heard.iter().zip(&reference[from..]).filter(|(h, r)| loud(h) == loud(r)).count();
        assert!(agree * 100 >= heard.len() * 95, "chunk {}: {agree} of {} frames agree", plan.number, heard.len());
    }
    eprintln!(
        "cut {} chunks of a {} s webcast in {:?} (with ffprobe and ffmpeg)",
        plans.len(),
        track.duration / 44_100,
        started.elapsed()
    );
    let joined: u64 = plans.iter().map(|p| p.end_ms - p.start_ms).sum();
    assert!((59_900..=60_100).contains(&joined), "the chunks join to the whole: {joined} ms");
    assert_eq!(plans[1].start_ms, plans[0].end_ms);
}

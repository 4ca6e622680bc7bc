//! Webcasts, in numbers: how fast a three-hour meeting's captions are read,
//! how much of a meeting's token budget its transcript takes beside the
//! papers, how a three-hour AAC track is planned into chunks, and what
//! hearing a meeting costs with each speech model. Native; prints numbers.

use std::time::Instant;

use council_digest::summarise::input::{estimate_tokens, plan, ItemInput, MeetingInput, WebcastInput, PASSAGE_CHARS};
use council_digest::webcasts::audio::{plan_chunks, AacConfig, AudioTrack, Ranges, Sample, SPEECH_MODELS};
use council_digest::webcasts::{cut, passages, tidy, vtt, AgendaPoint, ItemRef};

const WORDS: [&str; 24] = [
    "the",
    "council",
    "budget",
    "members",
    "chair",
    "report",
    "residents",
    "ward",
    "plan",
    "housing",
    "cabinet",
    "recommendation",
    "officers",
    "funding",
    "year",
    "question",
    "thank",
    "you",
    "we",
    "will",
    "motion",
    "agreed",
    "street",
    "road",
];

/// A three-hour meeting's machine captions: a cue every four seconds, each
/// two lines, rolling (each repeating the last line of the one before).
fn three_hour_captions() -> String {
    let mut file = String::from("WEBVTT\nKind: captions\nLanguage: en-GB\n\n");
    let line = |n: usize| (0..6).map(|k| WORDS[(n * 7 + k * 5) % 23]).collect::<Vec<_>>().join(" ");
    let clock =
        |ms: u64| format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    for n in 0..2700usize {
        let start = n as u64 * 4000;
        file.push_str(&format!(
            "{}\n{} --> {} align:start position:0%\n{}\n{}\n\n",
            n + 1,
            clock(start),
            clock(start + 4000),
            line(n),
            line(n + 1)
        ));
    }
    file
}

fn main() {
    let file = three_hour_captions();
    let mut times = Vec::new();
    let mut cues = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        let captions = vtt::parse(&file).expect("captions");
        cues = tidy(captions.cues);
        times.push(started.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "captions: a three-hour file, {} KB, {} cues: read and tidied in {:.1} ms (median of 15), {:.0} MB/s, {:.0} cues/ms",
        file.len() / 1024,
        2700,
        median.as_secs_f64() * 1000.0,
        file.len() as f64 / median.as_secs_f64() / 1e6,
        2700.0 / (median.as_secs_f64() * 1000.0)
    );
    let words: usize = cues.iter().map(|c| c.text.split_whitespace().count()).sum();
    let transcript_tokens: usize = cues.iter().map(|c| estimate_tokens(&c.text)).sum();
    println!("captions: after tidying, {words} words ({} a minute), about {transcript_tokens} tokens", words / 180);

    // Ten substantive items, each with papers of about 6,000 tokens, the
    // webcast's agenda points every eighteen minutes.
    let titles: Vec<String> = (1..=10).map(|n| format!("Item subject {n} housing budget")).collect();
    let ids: Vec<String> = (1..=10).map(|n| format!("m-{n}")).collect();
    let numbers: Vec<String> = (1..=10).map(|n| n.to_string()).collect();
    let refs: Vec<ItemRef<'_>> =
        (0..10).map(|i| ItemRef { id: &ids[i], number: Some(&numbers[i]), title: &titles[i] }).collect();
    let points: Vec<AgendaPoint> = (0..10)
        .map(|i| AgendaPoint { text: format!("{} {}", numbers[i], titles[i]), at_ms: i as u64 * 1_080_000 })
        .collect();
    let segments = cut(&cues, &points, &refs);
    let paper = "The report sets out the options, their costs and the consultation's findings in detail. ".repeat(270);
    let items: Vec<ItemInput> = (0..10)
        .map(|i| ItemInput {
            item_id: ids[i].clone(),
            number: Some(numbers[i].clone()),
            title: titles[i].clone(),
            is_restricted: false,
            minutes_text: None,
            agenda_text: Some(paper.clone()),
            pages: vec![],
            said: segments
                .iter()
                .filter(|s| s.item_id.as_deref() == Some(ids[i].as_str()))
                .flat_map(|s| passages(&s.cues, PASSAGE_CHARS))
                .collect(),
        })
        .collect();
    let meeting = MeetingInput {
        meeting_id: "m".into(),
        title: "Cabinet".into(),
        committee: "Cabinet".into(),
        council: "Bench".into(),
        date: "2026-12-01".into(),
        web_url: "https://example.gov.uk/m".into(),
        items,
        webcast: Some(WebcastInput {
            player_url: "https://bench.public-i.tv/p/1".into(),
            made_from: "captions".into(),
        }),
    };
    for budget in [24_000usize, 60_000] {
        let planned = plan(&meeting, budget);
        let tokens = |debate: bool| -> usize {
            planned.sources.iter().filter(|s| s.is_debate() == debate).map(|s| estimate_tokens(&s.text)).sum()
        };
        let (papers, debate) = (tokens(false), tokens(true));
        let said_total: usize = meeting.items.iter().flat_map(|i| &i.said).map(|p| estimate_tokens(&p.text)).sum();
        let papers_total: usize =
            meeting.items.iter().map(|i| estimate_tokens(i.agenda_text.as_deref().unwrap_or_default())).sum();
        println!(
            "budget {budget}: papers {papers} of {papers_total} tokens, transcript {debate} of {said_total} ({:.0}% of what was sent; {:.0}% of the transcript)",
            100.0 * debate as f64 / (papers + debate) as f64,
            100.0 * debate as f64 / said_total as f64
        );
    }

    // A three-hour AAC track (44.1 kHz, 1024 samples a frame, about 48 kbit/s)
    // as a webcast holds it: a second of audio frames, then a second of video
    // at 1 Mbit/s (125 KB), in turn.
    let frames = 3 * 3600 * 44_100 / 1024;
    let mut offset = 40u64;
    let samples: Vec<Sample> = (0..frames as u64)
        .map(|n| {
            if n > 0 && n % 43 == 0 {
                offset += 125_000;
            }
            let size = 270 + (n % 7) as u32;
            let sample = Sample { offset, size, start: n * 1024 };
            offset += u64::from(size);
            sample
        })
        .collect();
    let track = AudioTrack {
        timescale: 44_100,
        config: AacConfig { object_type: 2, frequency_index: 4, channels: 1 },
        duration: frames as u64 * 1024,
        samples,
    };
    let adts_total: usize = track.samples.iter().map(|s| s.size as usize + 7).sum();
    for (label, join_gap) in
        [("each second of audio between 125 KB of video", 64 * 1024), ("the same, read through the video", 256 * 1024)]
    {
        let started = Instant::now();
        let chunks = plan_chunks(&track, 600_000, Ranges { join_gap, max_range: 4 * 1024 * 1024 });
        let planned_in = started.elapsed();
        let ranges: usize = chunks.iter().map(|c| c.ranges.len()).sum();
        let read: u64 = chunks.iter().flat_map(|c| &c.ranges).map(|(a, b)| b + 1 - a).sum();
        println!(
            "audio ({label}; join gap {} KB): {frames} frames planned in {:.1} ms into {} chunks; {} requests ({} a chunk), {:.0} MB read for {:.0} MB of ADTS",
            join_gap / 1024,
            planned_in.as_secs_f64() * 1000.0,
            chunks.len(),
            ranges,
            ranges / chunks.len(),
            read as f64 / 1e6,
            adts_total as f64 / 1e6
        );
    }
    // An audio-only file: frames back to back.
    let mut offset = 40u64;
    let contiguous: Vec<Sample> = track
        .samples
        .iter()
        .map(|s| {
            let sample = Sample { offset, ..*s };
            offset += u64::from(s.size);
            sample
        })
        .collect();
    let audio_only = AudioTrack { samples: contiguous, ..track };
    let chunks = plan_chunks(&audio_only, 600_000, Ranges { join_gap: 64 * 1024, max_range: 4 * 1024 * 1024 });
    let ranges: usize = chunks.iter().map(|c| c.ranges.len()).sum();
    println!(
        "audio (an audio-only file): {} chunks, {ranges} requests ({} a chunk)",
        chunks.len(),
        ranges / chunks.len()
    );
    for (model, per_minute) in SPEECH_MODELS {
        println!("speech: {model} at ${per_minute} a minute: ${:.2} for a three-hour meeting", per_minute * 180.0);
    }
}

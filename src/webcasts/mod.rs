//! What was said at a meeting (pure): a webcast's transcript as timed cues,
//! tidied, cut into the meeting's agenda items by the webcast's agenda
//! points, grouped into passages a summary can cite, and the moment a quote
//! was said. Transcripts come from captions files (`vtt.rs`) or, where there
//! are none, from the webcast's sound heard by a speech model (`audio.rs`);
//! the webcast platforms are sources (`sources::publici`).

pub mod audio;
pub mod vtt;

use serde::{Deserialize, Serialize};

pub use vtt::Cue;

/// How a transcript was made: the platform's own captions, or our speech model.
pub const FROM_CAPTIONS: &str = "captions";
pub const FROM_SPEECH: &str = "speech";

/// What a transcript's words are, in the words pages and quotes use.
pub fn provenance_label(made_from: &str) -> &'static str {
    match made_from {
        FROM_SPEECH => "the webcast's sound, transcribed automatically",
        _ => "the webcast's automatic captions",
    }
}

/// A transcript as kept in R2 (one object per version of a webcast's captions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// `FROM_CAPTIONS` or `FROM_SPEECH`.
    pub made_from: String,
    pub cues: Vec<Cue>,
}

/// Where the webcast's agenda says an item began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaPoint {
    pub text: String,
    pub at_ms: u64,
}

/// One of our agenda items, as points are matched to it.
#[derive(Debug, Clone, Copy)]
pub struct ItemRef<'a> {
    pub id: &'a str,
    pub number: Option<&'a str>,
    pub title: &'a str,
}

/// A stretch of the webcast: one agenda point's (or, with no points, the
/// whole meeting), the item it was matched to, and its cues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub item_id: Option<String>,
    /// The webcast's own words for the stretch (its agenda point).
    pub point: Option<String>,
    pub start_ms: u64,
    pub end_ms: u64,
    pub cues: Vec<Cue>,
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect()
}

/// The item a point names: by the number it begins with ("4.", "Item 4 -"),
/// else by its words (most of the item's title's words, in the point).
pub fn match_point(point: &str, items: &[ItemRef<'_>]) -> Option<usize> {
    let lowered = point.trim().to_lowercase();
    let lowered = lowered.strip_prefix("item").map(str::trim_start).unwrap_or(&lowered);
    let leading: String = lowered.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    if leading.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let by_number = items
            .iter()
            .position(|i| i.number.is_some_and(|n| n.trim().trim_end_matches('.').eq_ignore_ascii_case(&leading)));
        if by_number.is_some() {
            return by_number;
        }
    }
    let said = words(point);
    items
        .iter()
        .enumerate()
        .map(|(at, item)| {
            let title = words(item.title);
            let shared = title.iter().filter(|w| said.contains(w)).count();
            (at, shared, title.len())
        })
        .filter(|(_, shared, len)| *len > 0 && shared * 3 >= len * 2)
        .max_by_key(|(_, shared, _)| *shared)
        .map(|(at, _, _)| at)
}

/// Machine captions often roll: each cue repeats the end of the one before.
/// The repeated words are taken off the later cue (a cue left empty goes).
pub fn tidy(cues: Vec<Cue>) -> Vec<Cue> {
    let mut out: Vec<Cue> = Vec::with_capacity(cues.len());
    for mut cue in cues {
        if let Some(previous) = out.last() {
            let before: Vec<&str> = previous.text.split_whitespace().collect();
            let now: Vec<&str> = cue.text.split_whitespace().collect();
            let longest = before.len().min(now.len()).min(40);
            let overlap = (2..=longest).rev().find(|n| before[before.len() - n..] == now[..*n]).unwrap_or(0);
            if overlap > 0 {
                cue.text = now[overlap..].join(" ");
            }
        }
        if !cue.text.is_empty() {
            out.push(cue);
        }
    }
    out
}

/// Cuts a transcript by the agenda points' times: each point's stretch runs
/// to the next point; what comes before the first point is a stretch of its
/// own with no item; a meeting without points keeps one stretch.
pub fn cut(cues: &[Cue], points: &[AgendaPoint], items: &[ItemRef<'_>]) -> Vec<Segment> {
    let end_of = |cues: &[Cue]| cues.iter().map(|c| c.end_ms).max().unwrap_or(0);
    let mut points: Vec<&AgendaPoint> = points.iter().collect();
    points.sort_by_key(|p| p.at_ms);
    if points.is_empty() {
        return vec![Segment { item_id: None, point: None, start_ms: 0, end_ms: end_of(cues), cues: cues.to_vec() }];
    }
    let mut segments = Vec::new();
    let first = points[0].at_ms;
    let opening: Vec<Cue> = cues.iter().filter(|c| c.start_ms < first).cloned().collect();
    if !opening.is_empty() {
        segments.push(Segment { item_id: None, point: None, start_ms: 0, end_ms: first, cues: opening });
    }
    for (at, point) in points.iter().enumerate() {
        let next = points.get(at + 1).map(|p| p.at_ms);
        let own: Vec<Cue> =
            cues.iter().filter(|c| c.start_ms >= point.at_ms && next.is_none_or(|n| c.start_ms < n)).cloned().collect();
        let end_ms = next.unwrap_or_else(|| end_of(&own).max(point.at_ms));
        segments.push(Segment {
            item_id: match_point(&point.text, items).map(|i| items[i].id.to_string()),
            point: Some(point.text.clone()),
            start_ms: point.at_ms,
            end_ms,
            cues: own,
        });
    }
    segments
}

/// A run of cues a summary reads as one source: its text (the cues' text
/// joined by spaces) and where each cue begins in it, by word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
    /// (index of the cue's first word in `text`, the cue's start).
    pub cue_words: Vec<(u32, u64)>,
}

/// Groups a stretch's cues into passages of about `max_chars` characters.
pub fn passages(cues: &[Cue], max_chars: usize) -> Vec<Passage> {
    let mut out: Vec<Passage> = Vec::new();
    let mut current: Option<Passage> = None;
    for cue in cues {
        let full = current.as_ref().is_some_and(|p| p.text.len() + cue.text.len() + 1 > max_chars);
        if full {
            out.extend(current.take());
        }
        let passage = current.get_or_insert_with(|| Passage {
            start_ms: cue.start_ms,
            end_ms: cue.end_ms,
            text: String::new(),
            cue_words: Vec::new(),
        });
        let index = passage.text.split_whitespace().count() as u32;
        passage.cue_words.push((index, cue.start_ms));
        if !passage.text.is_empty() {
            passage.text.push(' ');
        }
        passage.text.push_str(&cue.text);
        passage.end_ms = passage.end_ms.max(cue.end_ms);
    }
    out.extend(current);
    out
}

/// When the words of `quote` began to be said in a passage: the start of the
/// cue holding its first word (matched on letters and digits, so spacing,
/// case and punctuation may differ). `None` when the quote is not there.
pub fn moment_of(passage: &Passage, quote: &str) -> Option<u64> {
    let normalise =
        |w: &str| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let said: Vec<String> = passage.text.split_whitespace().map(normalise).collect();
    let wanted: Vec<String> = quote.split_whitespace().map(normalise).filter(|w| !w.is_empty()).collect();
    if wanted.is_empty() || wanted.len() > said.len() {
        return None;
    }
    let at = (0..=said.len() - wanted.len()).find(|start| {
        let mut words = said[*start..].iter().filter(|w| !w.is_empty());
        wanted.iter().all(|w| words.next() == Some(w))
    })? as u32;
    passage.cue_words.iter().rev().find(|(first_word, _)| *first_word <= at).map(|(_, start)| *start)
}

/// A moment as a clock reading: "4:05" under an hour, "1:04:05" after.
pub fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// One page of a stretch's cues.
pub fn page<T>(cues: &[T], offset: usize, limit: usize) -> (&[T], Option<usize>) {
    let start = offset.min(cues.len());
    let end = (start + limit).min(cues.len());
    (&cues[start..end], (end < cues.len()).then_some(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start_s: u64, text: &str) -> Cue {
        Cue { start_ms: start_s * 1000, end_ms: start_s * 1000 + 3000, text: text.into(), speaker: None }
    }

    fn items() -> Vec<ItemRef<'static>> {
        vec![
            ItemRef { id: "m-1", number: Some("1."), title: "Apologies for Absence" },
            ItemRef { id: "m-4", number: Some("4"), title: "Draft Revenue Budget 2025-26" },
            ItemRef { id: "m-5", number: None, title: "Coventry Local Plan Review" },
        ]
    }

    #[test]
    fn points_match_items_by_number_then_by_words() {
        let items = items();
        assert_eq!(match_point("1 Apologies", &items), Some(0));
        assert_eq!(match_point("Item 4 - Budget", &items), Some(1));
        assert_eq!(match_point("4. anything", &items), Some(1));
        assert_eq!(match_point("Local Plan Review (Coventry)", &items), Some(2));
        assert_eq!(match_point("Questions from the public", &items), None);
        assert_eq!(match_point("9 Draft Budget", &items), None, "two of five title words is not enough");
    }

    #[test]
    fn rolling_captions_lose_their_repeated_words() {
        let tidied = tidy(vec![
            cue(0, "good evening everyone and"),
            cue(2, "everyone and welcome to the"),
            cue(4, "welcome to the"),
            cue(6, "meeting"),
        ]);
        let texts: Vec<&str> = tidied.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["good evening everyone and", "welcome to the", "meeting"]);
    }

    #[test]
    fn a_transcript_is_cut_at_the_points_times() {
        let cues: Vec<Cue> = (0..10).map(|i| cue(i * 60, &format!("minute {i}"))).collect();
        let points = vec![
            AgendaPoint { text: "4 Budget".into(), at_ms: 300_000 },
            AgendaPoint { text: "1 Apologies".into(), at_ms: 120_000 },
        ];
        let segments = cut(&cues, &points, &items());
        assert_eq!(segments.len(), 3);
        assert_eq!((segments[0].item_id.as_deref(), segments[0].cues.len()), (None, 2), "before the first point");
        assert_eq!(segments[1].item_id.as_deref(), Some("m-1"));
        assert_eq!((segments[1].start_ms, segments[1].end_ms, segments[1].cues.len()), (120_000, 300_000, 3));
        assert_eq!(segments[2].item_id.as_deref(), Some("m-4"));
        assert_eq!((segments[2].cues.len(), segments[2].end_ms), (5, 543_000));
        let whole = cut(&cues, &[], &items());
        assert_eq!((whole.len(), whole[0].cues.len(), whole[0].item_id.clone()), (1, 10, None));
    }

    #[test]
    fn a_quote_is_found_at_the_cue_it_begins_in() {
        let cues = vec![cue(10, "I move the report."), cue(14, "The budget is fair"), cue(17, "to every ward, Chair.")];
        let passages = passages(&cues, 1000);
        assert_eq!(passages.len(), 1);
        let passage = &passages[0];
        assert_eq!(passage.text, "I move the report. The budget is fair to every ward, Chair.");
        assert_eq!(moment_of(passage, "the budget is fair to every ward"), Some(14_000));
        assert_eq!(moment_of(passage, "\u{201c}Fair to every ward,\u{201d}"), Some(14_000), "begins in the second cue");
        assert_eq!(moment_of(passage, "ward chair"), Some(17_000));
        assert_eq!(moment_of(passage, "the budget is unfair"), None);
        let small = super::passages(&cues, 25);
        assert_eq!(small.len(), 3, "{small:?}");
        assert_eq!(small[1].start_ms, 14_000);
    }

    #[test]
    fn clocks_and_pages() {
        assert_eq!(clock(65_000), "1:05");
        assert_eq!(clock(3_723_999), "1:02:03");
        let cues: Vec<Cue> = (0..5).map(|i| cue(i, "x")).collect();
        let (first, next) = page(&cues, 0, 2);
        assert_eq!((first.len(), next), (2, Some(2)));
        let (last, next) = page(&cues, 4, 2);
        assert_eq!((last.len(), next), (1, None));
        assert_eq!(page(&cues, 9, 2).0.len(), 0);
    }
}

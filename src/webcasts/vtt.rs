//! WebVTT captions (W3C WebVTT: the file body, cue timings and settings, cue
//! text), read into timed plain text. Written here rather than taken from a
//! crate: the crates published for it are pre-releases or leave out parts of
//! the format (notes, styles, regions, settings) that real files carry.
//!
//! What the reader does with each part of a file:
//! - the `WEBVTT` signature (after an optional byte-order mark) is required;
//!   anything else is not a caption file and is an error;
//! - header lines after the signature, `NOTE`, `STYLE` and `REGION` blocks
//!   are skipped;
//! - a cue is an optional identifier line, a timings line
//!   (`[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt` with optional settings after it),
//!   and payload lines up to a blank line; its text loses its tags
//!   (`<v Name>`, `<c.class>`, `<i>`, inline timestamps) and has its
//!   character references decoded; a voice tag's name is kept as the speaker;
//! - a block whose timings cannot be read, or whose end is before its start,
//!   is skipped and counted (the spec drops such cues); a file with no cue at
//!   all that could be read is an error.

use serde::{Deserialize, Serialize};

/// The most cues one file may hold (a 12-hour meeting cued every second is 43,200).
pub const MAX_CUES: usize = 100_000;

/// One caption: from `start_ms` to `end_ms` after the webcast began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cue {
    #[serde(rename = "s")]
    pub start_ms: u64,
    #[serde(rename = "e")]
    pub end_ms: u64,
    #[serde(rename = "t")]
    pub text: String,
    /// The speaker a voice tag names (machine captions have none).
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

/// A caption file as read: its cues in time order, and how many blocks were
/// skipped because they could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Captions {
    pub cues: Vec<Cue>,
    pub skipped: usize,
}

/// Why a file is not captions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VttError {
    /// The file does not begin with the `WEBVTT` signature.
    NoSignature(String),
    /// The file is WebVTT but holds no cue that could be read.
    NoCues { skipped: usize },
    /// More cues than `MAX_CUES`.
    TooManyCues,
}

impl std::fmt::Display for VttError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VttError::NoSignature(start) => write!(f, "not a WebVTT file (it begins {start:?})"),
            VttError::NoCues { skipped: 0 } => write!(f, "a WebVTT file with no cues"),
            VttError::NoCues { skipped } => write!(f, "a WebVTT file with no readable cue ({skipped} unreadable)"),
            VttError::TooManyCues => write!(f, "a WebVTT file with more than {MAX_CUES} cues"),
        }
    }
}

/// Reads a caption file's bytes: UTF-8, as WebVTT requires (invalid bytes
/// become U+FFFD, as a browser decodes them).
pub fn parse_bytes(bytes: &[u8]) -> Result<Captions, VttError> {
    parse(&String::from_utf8_lossy(bytes))
}

pub fn parse(text: &str) -> Result<Captions, VttError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Line terminators are CRLF, LF or CR; NUL becomes U+FFFD.
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n").replace('\0', "\u{fffd}");
    let mut lines = normalised.split('\n');
    let first = lines.next().unwrap_or_default();
    let signed = first == "WEBVTT" || first.starts_with("WEBVTT ") || first.starts_with("WEBVTT\t");
    if !signed {
        return Err(VttError::NoSignature(first.chars().take(40).collect()));
    }
    // The header runs to the first blank line.
    for line in lines.by_ref() {
        if line.is_empty() {
            break;
        }
    }
    let mut captions = Captions::default();
    let mut block: Vec<&str> = Vec::new();
    for line in lines.chain(std::iter::once("")) {
        if !line.is_empty() {
            block.push(line);
            continue;
        }
        if block.is_empty() {
            continue;
        }
        match read_block(&block) {
            Block::Cue(cue) => {
                if captions.cues.len() == MAX_CUES {
                    return Err(VttError::TooManyCues);
                }
                captions.cues.push(cue);
            }
            Block::Skipped => {}
            Block::Unreadable => captions.skipped += 1,
        }
        block.clear();
    }
    if captions.cues.is_empty() {
        return Err(VttError::NoCues { skipped: captions.skipped });
    }
    // Cues are ordered by start time (and end time) for every use here.
    captions.cues.sort_by_key(|c| (c.start_ms, c.end_ms));
    Ok(captions)
}

enum Block {
    Cue(Cue),
    /// A note, a style or a region: not captions.
    Skipped,
    Unreadable,
}

fn read_block(block: &[&str]) -> Block {
    let first = block[0];
    let keyword =
        |word: &str| first == word || first.starts_with(&format!("{word} ")) || first.starts_with(&format!("{word}\t"));
    if !first.contains("-->") && (keyword("NOTE") || keyword("STYLE") || keyword("REGION")) {
        return Block::Skipped;
    }
    // An identifier line comes before the timings line, when there is one.
    let (timings_at, timings) = match block.iter().position(|l| l.contains("-->")) {
        Some(at) if at <= 1 => (at, block[at]),
        _ => return Block::Unreadable,
    };
    let Some((start, end)) = read_timings(timings) else { return Block::Unreadable };
    if end < start {
        return Block::Unreadable;
    }
    let payload = &block[timings_at + 1..];
    let (text, speaker) = cue_text(&payload.join("\n"));
    Block::Cue(Cue { start_ms: start, end_ms: end, text, speaker })
}

/// `start --> end [settings]`: both times in milliseconds. Settings
/// (`align:start position:10%`) place the text on screen and are not kept.
fn read_timings(line: &str) -> Option<(u64, u64)> {
    let (start, rest) = line.split_once("-->")?;
    let start = timestamp(start.trim_matches([' ', '\t']))?;
    let rest = rest.trim_start_matches([' ', '\t']);
    let end_text = rest.split([' ', '\t']).next()?;
    let end = timestamp(end_text)?;
    Some((start, end))
}

/// `[hh:]mm:ss.ttt`: hours any number of digits, minutes and seconds two
/// digits under 60, milliseconds three digits.
pub fn timestamp(text: &str) -> Option<u64> {
    let (clock, millis) = text.split_once('.')?;
    if millis.len() != 3 || !millis.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [m, s] => ("0", *m, *s),
        [h, m, s] if h.len() >= 2 => (*h, *m, *s),
        _ => return None,
    };
    let two_digits = |t: &str| t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(minutes) || !two_digits(seconds) || !hours.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m, s): (u64, u64, u64) = (hours.parse().ok()?, minutes.parse().ok()?, seconds.parse().ok()?);
    if m > 59 || s > 59 {
        return None;
    }
    Some(((h * 60 + m) * 60 + s) * 1000 + millis.parse::<u64>().ok()?)
}

/// A cue's payload as plain text (tags gone, references decoded, lines
/// joined by spaces) and the speaker of its first voice tag.
fn cue_text(payload: &str) -> (String, Option<String>) {
    let mut text = String::with_capacity(payload.len());
    let mut speaker = None;
    let mut rest = payload;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            // An unclosed tag runs to the end of the cue, as the spec reads it.
            rest = "";
            break;
        };
        let tag = &after[..close];
        if let Some(name) = tag.strip_prefix('v').filter(|t| t.starts_with([' ', '\t', '.'])) {
            // `<v.loud Mary>`: classes, then the annotation (the name).
            let name = name.trim_start_matches(|c: char| c != ' ' && c != '\t').trim();
            if speaker.is_none() && !name.is_empty() {
                speaker = Some(decode_references(name));
            }
        }
        rest = &after[close + 1..];
    }
    text.push_str(rest);
    let decoded = decode_references(&text);
    (decoded.split_whitespace().collect::<Vec<_>>().join(" "), speaker)
}

/// The character references WebVTT text uses (named ones the spec lists for
/// captions, and numeric ones).
fn decode_references(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some(' '),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lrm" => Some('\u{200e}'),
                "rlm" => Some('\u{200f}'),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let value = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(value)
                }
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                if !matches!(c, '\u{200e}' | '\u{200f}') {
                    out.push(c);
                }
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_timings_settings_multi_line_cues_notes_and_styles() {
        let file = "\u{feff}WEBVTT - council meeting\nKind: captions\nLanguage: en-GB\n\nSTYLE\n::cue { color: yellow }\n\nNOTE made by\nautomatic speech recognition\n\nREGION\nid:fred width:40%\n\n1\n00:00:01.000 --> 00:00:04.500 align:start position:10%\nGood evening and <i>welcome</i>\nto this meeting.\n\n01:02:03.250 --> 01:02:05.000\n<v.loud Councillor Jane Smith>I move the report &amp; its <c.yellow>recommendations</c>.</v>\n\n00:05.000 --> 00:07.000\n&lt;inaudible&gt; &#8220;thank you&#x201D;&nbsp;chair\n";
        let captions = parse(file).unwrap();
        assert_eq!(captions.skipped, 0);
        assert_eq!(captions.cues.len(), 3);
        assert_eq!(
            captions.cues[0],
            Cue {
                start_ms: 1000,
                end_ms: 4500,
                text: "Good evening and welcome to this meeting.".into(),
                speaker: None
            }
        );
        assert_eq!(captions.cues[1].start_ms, 5000, "sorted by start: mm:ss.ttt reads without hours");
        assert_eq!(captions.cues[1].text, "<inaudible> \u{201c}thank you\u{201d} chair");
        let last = &captions.cues[2];
        assert_eq!((last.start_ms, last.end_ms), (3_723_250, 3_725_000));
        assert_eq!(last.text, "I move the report & its recommendations.");
        assert_eq!(last.speaker.as_deref(), Some("Councillor Jane Smith"));
    }

    #[test]
    fn crlf_and_cr_line_ends_and_a_missing_final_newline() {
        let captions =
            parse("WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nOne\r\n\r00:00:03.000 --> 00:00:04.000\rTwo")
                .unwrap();
        let texts: Vec<&str> = captions.cues.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["One", "Two"]);
    }

    #[test]
    fn unreadable_blocks_are_skipped_and_counted() {
        let file = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:61.000 --> 00:01:02.000\nbad seconds\n\n00:00:09.000 --> 00:00:08.000\nends before it starts\n\njust text\nwith no timings\n\n0:00:01.000 --> 00:00:02.000\none-digit hours\n";
        let captions = parse(file).unwrap();
        assert_eq!(captions.cues.len(), 1);
        assert_eq!(captions.skipped, 4);
    }

    #[test]
    fn files_that_are_not_captions_are_errors() {
        assert!(matches!(parse("<!DOCTYPE html><html>Not found</html>"), Err(VttError::NoSignature(_))));
        assert!(matches!(parse("WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nx"), Err(VttError::NoSignature(_))));
        assert_eq!(parse("WEBVTT\n\nNOTE nothing yet\n"), Err(VttError::NoCues { skipped: 0 }));
        assert_eq!(parse("WEBVTT\n\n1\n2\nnot a cue\n"), Err(VttError::NoCues { skipped: 1 }));
        assert_eq!(parse(""), Err(VttError::NoSignature(String::new())));
        let error = parse_bytes(b"\xff\xfe<\x00h\x00").unwrap_err();
        assert!(error.to_string().starts_with("not a WebVTT file"), "{error}");
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp("00:01.500"), Some(1500));
        assert_eq!(timestamp("10:00:00.000"), Some(36_000_000));
        assert_eq!(timestamp("100:00:00.001"), Some(360_000_001));
        for bad in ["1:00.000", "00:00.00", "00:60.000", "00:00:00", "aa:bb.ccc", "00:00.0000", "-1:00.000"] {
            assert_eq!(timestamp(bad), None, "{bad}");
        }
    }
}

//! Open data: each council's meetings, people, votes, decisions and
//! summaries as gzipped JSON Lines, one set per month of meetings and one
//! "latest" set of everything, each with a manifest. Pure: the shapes (Open
//! Civic Data's `Event`, `Person` and `VoteEvent` where they fit), the files
//! and the manifest; `jobs::export` reads and writes them, `web::data` serves them.

pub mod shapes;

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;
use serde_json::Value;

/// Bumped when a file's shape changes in a way a reader would notice.
pub const SCHEMA_VERSION: u32 = 1;

/// The set of everything stored; the others are months (`2026-11`).
pub const LATEST: &str = "latest";

/// The most rows of one kind an export reads; past it the file says it is partial.
pub const MAX_ROWS: usize = 20_000;

/// Our summaries' licence.
pub const SUMMARY_LICENCE: &str = "CC-BY-4.0";
pub const SUMMARY_LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";
/// The council's own data, where the council publishes under it.
pub const COUNCIL_LICENCE: &str = "OGL-UK-3.0";
pub const COUNCIL_LICENCE_URL: &str = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

/// The files of a set, in the order the manifest lists them.
pub const FILES: [&str; 5] =
    ["events.jsonl.gz", "people.jsonl.gz", "vote_events.jsonl.gz", "decisions.jsonl.gz", "summaries.jsonl.gz"];
pub const MANIFEST: &str = "manifest.json";

/// Whether a path segment names a file of a set.
pub fn is_file_name(name: &str) -> bool {
    name == MANIFEST || FILES.contains(&name)
}

/// Whether a path segment names a set: `latest` or a month `YYYY-MM`.
pub fn is_set_name(name: &str) -> bool {
    name == LATEST
        || chrono::NaiveDate::parse_from_str(&format!("{name}-01"), "%Y-%m-%d").is_ok_and(|_| name.len() == 7)
}

/// Where a set's file is kept in R2.
pub fn object_key(council_id: &str, set: &str, file: &str) -> String {
    format!("open-data/{council_id}/{set}/{file}")
}

/// The first and last day (`YYYY-MM-DD`) a set covers.
pub fn set_days(set: &str) -> Option<(String, String)> {
    if set == LATEST {
        return Some(("0000-01-01".into(), "9999-12-31".into()));
    }
    let first = chrono::NaiveDate::parse_from_str(&format!("{set}-01"), "%Y-%m-%d").ok()?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first.format("%Y-%m-%d").to_string(), (next - chrono::Duration::days(1)).format("%Y-%m-%d").to_string()))
}

/// One gzipped JSON Lines file, and what the manifest says of it.
pub struct File {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub entry: FileEntry,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub rows: usize,
    pub bytes: usize,
    /// Of the gzipped bytes, as served.
    pub sha256: String,
    /// Open Civic Data's type the rows follow, where one fits.
    pub follows: Option<String>,
    /// The rows are not all there is: a read stopped at `MAX_ROWS`.
    pub partial: bool,
    pub licence: String,
}

/// Rows as gzipped JSON Lines, one JSON object a line.
pub fn jsonl_gz(
    name: &'static str,
    rows: &[Value],
    follows: Option<&str>,
    partial: bool,
    licence: &str,
) -> std::io::Result<File> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for row in rows {
        serde_json::to_writer(&mut encoder, row)?;
        encoder.write_all(b"\n")?;
    }
    let bytes = encoder.finish()?;
    let entry = FileEntry {
        name: name.to_string(),
        rows: rows.len(),
        bytes: bytes.len(),
        sha256: crate::hash::sha256_hex(&bytes),
        follows: follows.map(str::to_string),
        partial,
        licence: licence.to_string(),
    };
    Ok(File { name, bytes, entry })
}

/// A set's manifest.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    pub council_id: String,
    pub council_name: String,
    pub set: String,
    /// The days the set's meetings fall on (a month's, or every day for `latest`).
    pub from: String,
    pub to: String,
    pub generated_at: String,
    pub files: Vec<FileEntry>,
    pub licences: Value,
    /// Where the data came from.
    pub source: String,
}

impl Manifest {
    pub fn new(council: (&str, &str, &str), set: &str, generated_at: &str, files: Vec<FileEntry>) -> Self {
        let (council_id, council_name, base_url) = council;
        let (from, to) = set_days(set).unwrap_or_default();
        Self {
            schema_version: SCHEMA_VERSION,
            council_id: council_id.to_string(),
            council_name: council_name.to_string(),
            set: set.to_string(),
            from,
            to,
            generated_at: generated_at.to_string(),
            files,
            licences: serde_json::json!({
                "council_data": {
                    "licence": COUNCIL_LICENCE,
                    "url": COUNCIL_LICENCE_URL,
                    "applies": "to the council's own records (meetings, agendas, documents' titles and links, decisions, councillors, attendance and votes) where the council publishes them under the Open Government Licence, as most English, Welsh and Scottish councils do; the council's site states its terms",
                    "attribution": format!("Contains public sector information from {council_name}, licensed under the Open Government Licence v3.0."),
                },
                "summaries": {
                    "licence": SUMMARY_LICENCE,
                    "url": SUMMARY_LICENCE_URL,
                    "applies": "to our summaries, their claim checks and their provenance",
                    "attribution": "council-digest",
                },
            }),
            source: base_url.to_string(),
        }
    }

    /// Whether any file of the set is partial.
    pub fn partial(&self) -> bool {
        self.files.iter().any(|f| f.partial)
    }
}

/// A set's files and manifest from a council's records (each kind read up to
/// `MAX_ROWS + 1`, so that a kind with more is known to be cut): the events
/// with their agenda, documents and attendance, the people (in `latest`
/// only), votes, decisions and summaries.
pub fn build_set(
    records: &crate::storage::export::SetRecords,
    council: (&str, &str, &str),
    set: &str,
    today: &str,
    generated_at: &str,
) -> std::io::Result<(Vec<File>, Manifest)> {
    fn cut<T>(rows: &[T]) -> (&[T], bool) {
        (&rows[..rows.len().min(MAX_ROWS)], rows.len() > MAX_ROWS)
    }
    let (meetings, meetings_cut) = cut(&records.meetings);
    let events_cut = meetings_cut
        || records.items.len() > MAX_ROWS
        || records.documents.len() > MAX_ROWS
        || records.attendees.len() > MAX_ROWS;
    // Each meeting's own rows, found by its id (not by scanning every row per meeting).
    fn by_meeting<T>(rows: &[T], meeting_of: impl Fn(&T) -> &str) -> HashMap<String, Vec<&T>> {
        let mut grouped: HashMap<String, Vec<&T>> = HashMap::new();
        for row in rows {
            grouped.entry(meeting_of(row).to_string()).or_default().push(row);
        }
        grouped
    }
    let items = by_meeting(&records.items, |i| &i.meeting_id);
    let documents = by_meeting(&records.documents, |d| &d.meeting_id);
    let attendees = by_meeting(&records.attendees, |a| &a.meeting_id);
    fn own<'a, T>(grouped: &'a HashMap<String, Vec<&'a T>>, meeting_id: &str) -> &'a [&'a T] {
        grouped.get(meeting_id).map_or(&[], Vec::as_slice)
    }
    let events: Vec<Value> = meetings
        .iter()
        .map(|m| shapes::event(m, own(&items, &m.id), own(&documents, &m.id), own(&attendees, &m.id), today))
        .collect();
    let (people, people_cut) = cut(&records.people);
    let (votes, votes_cut) = cut(&records.votes);
    let (decisions, decisions_cut) = cut(&records.decisions);
    let (summaries, summaries_cut) = cut(&records.summaries);
    let mut files = vec![jsonl_gz(FILES[0], &events, Some("Event"), events_cut, COUNCIL_LICENCE)?];
    if set == LATEST {
        let people: Vec<Value> = people.iter().map(|p| shapes::person(p, council.1)).collect();
        files.push(jsonl_gz(FILES[1], &people, Some("Person"), people_cut, COUNCIL_LICENCE)?);
    }
    let votes: Vec<Value> = votes.iter().map(shapes::vote_event).collect();
    files.push(jsonl_gz(FILES[2], &votes, Some("VoteEvent"), votes_cut, COUNCIL_LICENCE)?);
    let decisions: Vec<Value> = decisions.iter().map(shapes::decision).collect();
    files.push(jsonl_gz(FILES[3], &decisions, None, decisions_cut, COUNCIL_LICENCE)?);
    let summaries: Vec<Value> = summaries.iter().map(shapes::summary).collect();
    files.push(jsonl_gz(FILES[4], &summaries, None, summaries_cut, SUMMARY_LICENCE)?);
    let manifest = Manifest::new(council, set, generated_at, files.iter().map(|f| f.entry.clone()).collect());
    Ok((files, manifest))
}

/// The months (`YYYY-MM`) a set of meeting dates falls in, in order.
pub fn months_of<'a>(dates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut months: Vec<String> = dates.into_iter().filter(|d| d.len() >= 7).map(|d| d[..7].to_string()).collect();
    months.sort();
    months.dedup();
    months.retain(|m| is_set_name(m));
    months
}

/// Which month sets an export of `latest` asks for next: the two newest months
/// (minutes and late papers still change them) and every month with meetings
/// that has no set yet, oldest first, at most `most` (bounded work a day).
pub fn months_to_export(with_meetings: &[String], exported: &[String], this_month: &str, most: usize) -> Vec<String> {
    let previous = set_days(this_month)
        .and_then(|(first, _)| chrono::NaiveDate::parse_from_str(&first, "%Y-%m-%d").ok())
        .and_then(|d| d.checked_sub_months(chrono::Months::new(1)))
        .map(|d| d.format("%Y-%m").to_string())
        .unwrap_or_default();
    let mut wanted: Vec<String> = with_meetings
        .iter()
        .filter(|m| **m == this_month || **m == previous || !exported.contains(m))
        .cloned()
        .collect();
    // The newest two first: they change; then the missing, oldest first.
    wanted.sort_by_key(|m| (*m != this_month && *m != previous, m.clone()));
    wanted.truncate(most);
    wanted
}

/// A byte range of a file asked for with `Range`, resolved against its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// No range, or one this server answers whole (several ranges).
    Whole,
    /// Bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// 416: the range starts past the end.
    Unsatisfiable,
}

/// Reads a `Range: bytes=…` header for a file of `size` bytes (RFC 9110 §14):
/// one range is served as asked (clamped to the end); several, or a unit
/// other than bytes, or a malformed header is answered with the whole file.
pub fn resolve_range(header: Option<&str>, size: u64) -> RangeAnswer {
    let Some(spec) = header.map(str::trim).and_then(|h| h.strip_prefix("bytes=")) else { return RangeAnswer::Whole };
    if spec.contains(',') {
        return RangeAnswer::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else { return RangeAnswer::Whole };
    let number = |text: &str| text.trim().parse::<u64>().ok();
    match (first.trim().is_empty(), number(first), number(last)) {
        // A suffix: the last N bytes.
        (true, _, Some(suffix)) if suffix > 0 && size > 0 => {
            RangeAnswer::Part { start: size.saturating_sub(suffix), end: size - 1 }
        }
        (true, _, _) => RangeAnswer::Unsatisfiable,
        (false, Some(start), _) if start >= size => RangeAnswer::Unsatisfiable,
        (false, Some(start), None) if last.trim().is_empty() => RangeAnswer::Part { start, end: size - 1 },
        (false, Some(start), Some(end)) if end >= start => RangeAnswer::Part { start, end: end.min(size - 1) },
        _ => RangeAnswer::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn sets_are_latest_or_a_month() {
        assert!(is_set_name("latest") && is_set_name("2026-11"));
        for bad in ["2026-13", "2026-1", "26-11", "../x", "2026-11-01", ""] {
            assert!(!is_set_name(bad), "{bad}");
        }
        assert_eq!(set_days("2026-02"), Some(("2026-02-01".into(), "2026-02-28".into())));
        assert_eq!(set_days("2024-02").unwrap().1, "2024-02-29");
        assert!(is_file_name("events.jsonl.gz") && is_file_name("manifest.json"));
        assert!(!is_file_name("../../secrets") && !is_file_name("events.jsonl"));
    }

    #[test]
    fn a_file_is_gzipped_json_lines_with_its_count_and_hash() {
        let rows = vec![serde_json::json!({"id": 1, "name": "a\nb"}), serde_json::json!({"id": 2})];
        let file = jsonl_gz("events.jsonl.gz", &rows, Some("Event"), false, COUNCIL_LICENCE).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&file.bytes[..]).read_to_string(&mut text).unwrap();
        let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines, rows, "one object a line, new lines inside strings escaped");
        assert_eq!(file.entry.rows, 2);
        assert_eq!(file.entry.bytes, file.bytes.len());
        assert_eq!(file.entry.sha256, crate::hash::sha256_hex(&file.bytes));
        let manifest = Manifest::new(("kent", "Kent County Council", "https://x"), "2026-11", "now", vec![file.entry]);
        assert_eq!((manifest.from.as_str(), manifest.to.as_str()), ("2026-11-01", "2026-11-30"));
        assert!(!manifest.partial());
        assert!(manifest.licences["council_data"]["attribution"].as_str().unwrap().contains("Kent County Council"));
    }

    #[test]
    fn the_newest_months_and_missing_ones_are_exported_a_few_at_a_time() {
        let months: Vec<String> =
            ["2025-01", "2025-02", "2025-03", "2026-10", "2026-11", "2026-12"].map(String::from).to_vec();
        let exported: Vec<String> = ["2025-02", "2026-11", "2026-12"].map(String::from).to_vec();
        assert_eq!(months_to_export(&months, &exported, "2026-12", 4), ["2026-11", "2026-12", "2025-01", "2025-03"]);
        assert_eq!(months_to_export(&months, &exported, "2026-12", 2), ["2026-11", "2026-12"]);
        assert_eq!(months_of(["2026-11-03", "2026-11-30", "2025-01-02", "bad"]), ["2025-01", "2026-11"]);
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        let size = 1000;
        assert_eq!(resolve_range(None, size), RangeAnswer::Whole);
        assert_eq!(resolve_range(Some("bytes=0-99"), size), RangeAnswer::Part { start: 0, end: 99 });
        assert_eq!(resolve_range(Some("bytes=900-"), size), RangeAnswer::Part { start: 900, end: 999 });
        assert_eq!(resolve_range(Some("bytes=-100"), size), RangeAnswer::Part { start: 900, end: 999 });
        assert_eq!(resolve_range(Some("bytes=-5000"), size), RangeAnswer::Part { start: 0, end: 999 });
        assert_eq!(resolve_range(Some("bytes=990-5000"), size), RangeAnswer::Part { start: 990, end: 999 });
        assert_eq!(resolve_range(Some("bytes=1000-"), size), RangeAnswer::Unsatisfiable);
        assert_eq!(resolve_range(Some("bytes=-0"), size), RangeAnswer::Unsatisfiable);
        assert_eq!(resolve_range(Some("bytes=5-1"), size), RangeAnswer::Whole);
        assert_eq!(resolve_range(Some("bytes=0-1,5-9"), size), RangeAnswer::Whole);
        assert_eq!(resolve_range(Some("items=0-1"), size), RangeAnswer::Whole);
        assert_eq!(resolve_range(Some("bytes=x-"), size), RangeAnswer::Whole);
    }
}

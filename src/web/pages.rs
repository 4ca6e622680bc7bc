//! Resident pages: compile-time-checked templates (askama, in `templates/`)
//! filled from stored rows. Templates escape every value; links to council
//! documents pass through `safe_href` so only http(s) links are ever rendered.

use askama::Template;
use serde_json::{json, Value};

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

fn opt_text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_string).filter(|s| !s.is_empty())
}

/// Only http(s) and site-relative links survive; anything else (javascript:, data:) becomes inert.
pub fn safe_href(url: &str) -> String {
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") || (url.starts_with('/') && !url.starts_with("//"))
    {
        url.to_string()
    } else {
        "#".to_string()
    }
}

/// JSON for a `<script type="application/ld+json">` block: no character can close the element.
pub fn script_json(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

pub struct LinkRow {
    pub id: String,
    pub title: String,
    pub council: String,
}

pub struct CouncilLink {
    pub id: String,
    pub name: String,
    pub supported: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub canonical: String,
    pub search_query: String,
    pub latest: Vec<LinkRow>,
    /// What was typed into the council-name box (`?q=`).
    pub name_query: String,
    pub groups: Vec<NationGroup>,
}

pub struct KindGroup {
    pub label: &'static str,
    pub councils: Vec<CouncilLink>,
}

pub struct NationGroup {
    pub nation: String,
    pub kinds: Vec<KindGroup>,
}

/// Enabled councils whose name matches `query` (all when it is empty), by
/// nation (England, Scotland, Wales, Northern Ireland) and kind, by name.
pub fn group_councils(councils: &[crate::storage::CouncilRow], query: &str) -> Vec<NationGroup> {
    use crate::lookup::councils::{name_matches, CouncilKind};
    const NATIONS: [&str; 4] = ["England", "Scotland", "Wales", "Northern Ireland"];
    let mut chosen: Vec<&crate::storage::CouncilRow> = councils
        .iter()
        .filter(|c| c.enabled == 1 && (query.trim().is_empty() || name_matches(query, &c.name)))
        .collect();
    let nation_rank = |c: &crate::storage::CouncilRow| {
        let nation = c.nation.as_deref().unwrap_or_default();
        NATIONS.iter().position(|n| *n == nation).unwrap_or(NATIONS.len())
    };
    chosen.sort_by(|a, b| {
        (nation_rank(a), CouncilKind::of(a.gss_code.as_deref()), &a.name).cmp(&(
            nation_rank(b),
            CouncilKind::of(b.gss_code.as_deref()),
            &b.name,
        ))
    });
    let mut groups: Vec<NationGroup> = Vec::new();
    for council in chosen {
        let nation = council.nation.clone().unwrap_or_else(|| "Elsewhere".into());
        if groups.last().is_none_or(|g| g.nation != nation) {
            groups.push(NationGroup { nation, kinds: Vec::new() });
        }
        let kinds = &mut groups.last_mut().expect("pushed above").kinds;
        let label = CouncilKind::of(council.gss_code.as_deref()).label();
        if kinds.last().is_none_or(|k| k.label != label) {
            kinds.push(KindGroup { label, councils: Vec::new() });
        }
        kinds.last_mut().expect("pushed above").councils.push(CouncilLink {
            id: council.id.clone(),
            name: council.name.clone(),
            supported: council.coverage == "supported",
        });
    }
    groups
}

pub struct DecisionRow {
    pub id: String,
    pub title: String,
    pub date: String,
    pub maker: String,
    pub is_key: bool,
}

#[derive(Template)]
#[template(path = "decisions.html")]
pub struct DecisionsPage {
    pub canonical: String,
    pub search_query: String,
    pub council_id: String,
    pub council_name: String,
    pub from: String,
    pub to: String,
    pub maker: String,
    pub key_only: bool,
    pub makers: Vec<String>,
    pub decisions: Vec<DecisionRow>,
    pub read_error: Option<String>,
}

#[derive(Template)]
#[template(path = "decision.html")]
pub struct DecisionPage {
    pub canonical: String,
    pub search_query: String,
    pub council_id: String,
    pub council_name: String,
    pub title: String,
    pub maker: String,
    pub status: String,
    pub is_key: String,
    pub call_in: String,
    pub decided_on: String,
    pub published_on: String,
    pub purpose: Vec<String>,
    pub decision: Vec<String>,
    pub meeting_id: String,
    pub web_url: String,
    pub documents: Vec<DecisionDocument>,
    pub read_error: String,
}

pub struct DecisionDocument {
    pub title: String,
    pub url: String,
    /// Our id for its text; empty until the reader has it.
    pub id: String,
    pub reading: String,
}

/// What the document reader made of a document, in a few words.
pub fn reading_note(status: Option<&str>, pages: Option<u64>, error: Option<&str>) -> String {
    match status {
        Some("extracted") => match pages {
            Some(1) => "text read: 1 page".to_string(),
            Some(n) => format!("text read: {n} pages"),
            None => "text read".to_string(),
        },
        Some("no_text_layer") => "scanned: no text to read".to_string(),
        Some("failed") => format!("not read: {}", error.unwrap_or("the file could not be read")),
        Some("partial") => "being read".to_string(),
        _ => "not read yet".to_string(),
    }
}

pub struct CouncillorLink {
    pub id: String,
    pub name: String,
    pub party: String,
}

pub struct WardGroup {
    pub ward: String,
    pub councillors: Vec<CouncillorLink>,
}

#[derive(Template)]
#[template(path = "councillors.html")]
pub struct CouncillorsPage {
    pub canonical: String,
    pub search_query: String,
    pub council_id: String,
    pub council_name: String,
    pub wards: Vec<WardGroup>,
    pub former: Vec<CouncillorLink>,
    /// Why the last read failed, when it did (the list shown is the one read before).
    pub read_error: Option<String>,
}

impl CouncillorsPage {
    /// Rows in (ward, name) order: current councillors by ward, former apart.
    pub fn group(rows: &[crate::storage::rows::Councillor]) -> (Vec<WardGroup>, Vec<CouncillorLink>) {
        let mut wards: Vec<WardGroup> = Vec::new();
        let mut former = Vec::new();
        for row in rows {
            let link = CouncillorLink {
                id: row.id.clone(),
                name: row.name.clone(),
                party: row.party.clone().unwrap_or_default(),
            };
            if row.former_since.is_some() {
                former.push(link);
                continue;
            }
            let ward = row.ward.clone().unwrap_or_default();
            if wards.last().is_none_or(|w| w.ward != ward) {
                wards.push(WardGroup { ward, councillors: Vec::new() });
            }
            wards.last_mut().expect("pushed above").councillors.push(link);
        }
        (wards, former)
    }
}

pub struct AttendedMeeting {
    pub id: String,
    pub title: String,
    pub date: String,
    pub attendance: String,
}

#[derive(Template)]
#[template(path = "councillor.html")]
pub struct CouncillorPage {
    pub canonical: String,
    pub search_query: String,
    pub council_id: String,
    pub council_name: String,
    pub name: String,
    pub ward: String,
    pub party: String,
    pub email: String,
    pub phone: String,
    pub former_since: String,
    pub record: super::people::AttendanceRecord,
    /// The rate as a whole percentage, when there is one.
    pub rate: String,
    pub meetings: Vec<AttendedMeeting>,
    /// Their recorded votes, newest first (at most `COUNCILLOR_PAGE_VOTES`).
    pub votes: Vec<CouncillorVote>,
    /// More are recorded than are shown.
    pub more_votes: bool,
    /// How often they voted with their party group's majority; empty when not known.
    pub party_line: String,
}

/// The recorded votes a councillor's page lists.
pub const COUNCILLOR_PAGE_VOTES: usize = 50;

pub struct CouncillorVote {
    pub date: String,
    pub meeting_id: String,
    pub meeting_title: String,
    pub motion: String,
    pub choice: String,
    pub result: String,
}

impl CouncillorVote {
    pub fn new(vote: &crate::storage::rows::PersonVote) -> Self {
        Self {
            date: crate::time::prose_date(&vote.local_date),
            meeting_id: vote.meeting_id.clone(),
            meeting_title: vote.meeting_title.clone(),
            motion: vote.motion.clone(),
            choice: crate::votes::option_label(&vote.choice).to_string(),
            result: vote.result.clone().unwrap_or_default(),
        }
    }
}

/// "Voted with the majority of the Labour group in 9 of 10 recorded votes where the group had one."
pub fn party_line_sentence(party: &str, line: crate::votes::PartyLine) -> String {
    if party.is_empty() || line.votes_counted == 0 {
        return String::new();
    }
    format!(
        "Voted with the majority of the {party} group in {} of {} recorded votes where the group had one.",
        line.with_majority, line.votes_counted
    )
}

pub struct PostcodeCouncil {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "postcode.html")]
pub struct PostcodePage {
    pub canonical: String,
    pub search_query: String,
    /// As typed.
    pub query: String,
    /// Normalised, when it is a postcode.
    pub postcode: String,
    pub councils: Vec<PostcodeCouncil>,
    pub wards: Vec<String>,
    /// The ward's current councillors, when the ward is matched.
    pub councillors: Vec<CouncillorLink>,
    /// Why there is no answer, when there is none.
    pub message: Option<String>,
}

pub struct CouncilView {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub supported: bool,
    pub base_url: String,
    /// Where the meetings are read from, in words ("Civica ModernGov").
    pub platform: &'static str,
}

impl CouncilView {
    pub fn of(council: &crate::storage::CouncilRow) -> Self {
        let name = council.name.clone();
        let short_name = name
            .trim_end_matches(" Council")
            .trim_end_matches(" City")
            .trim_end_matches(" Borough")
            .trim_end_matches(" District")
            .trim_end_matches(" County")
            .to_string();
        Self {
            id: council.id.clone(),
            name,
            short_name,
            supported: council.coverage == "supported",
            base_url: safe_href(&council.base_url),
            platform: council.platform.display_name(),
        }
    }
}

pub struct PointView {
    pub meeting_id: String,
    pub title: String,
    pub text: String,
    pub decisions: Vec<String>,
}

pub struct DigestView {
    pub week: String,
    pub headline: String,
    pub points: Vec<PointView>,
    /// The register's decisions of the week: (id, title, decision maker).
    pub decided: Vec<(String, String, String)>,
}

impl DigestView {
    pub fn from_row(digest: &Value) -> Self {
        let body = &digest["body"];
        Self {
            week: text(&digest["week"]),
            headline: text(&body["headline"]),
            points: body["points"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| PointView {
                    meeting_id: text(&p["meeting_id"]),
                    title: text(&p["title"]),
                    text: text(&p["text"]),
                    decisions: p["decisions"].as_array().into_iter().flatten().map(text).collect(),
                })
                .collect(),
            decided: body["decided"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| (text(&d["decision_id"]), text(&d["title"]), text(&d["decision_maker"])))
                .collect(),
        }
    }
}

pub struct MeetingLink {
    pub id: String,
    pub title: String,
    pub cancelled: bool,
    pub has_summary: bool,
    pub agenda_published: bool,
}

impl MeetingLink {
    fn of(row: &crate::storage::rows::CouncilMeeting) -> Self {
        Self {
            id: row.id.clone(),
            title: row.title.clone(),
            cancelled: row.status == "cancelled",
            has_summary: row.has_summary == 1,
            agenda_published: row.agenda_published == 1,
        }
    }
}

pub struct CommitteeGroup {
    pub id: String,
    pub title: String,
    pub meetings: Vec<MeetingLink>,
}

/// Meetings grouped by committee, committees in order of first appearance.
pub fn group_by_committee(rows: &[crate::storage::rows::CouncilMeeting]) -> Vec<CommitteeGroup> {
    let mut groups: Vec<CommitteeGroup> = Vec::new();
    for row in rows {
        match groups.iter_mut().find(|g| g.id == row.committee_id) {
            Some(group) => group.meetings.push(MeetingLink::of(row)),
            None => groups.push(CommitteeGroup {
                id: row.committee_id.clone(),
                title: row.committee_title.clone(),
                meetings: vec![MeetingLink::of(row)],
            }),
        }
    }
    groups
}

/// A part of a council's page: its heading, what it says when it is empty, its meetings by committee.
pub struct MeetingSection {
    pub heading: &'static str,
    pub empty: &'static str,
    pub groups: Vec<CommitteeGroup>,
}

/// A council's meetings as its page shows them: those still to come (from
/// `today`, soonest first), then those held whose summary records decisions,
/// then the others held (newest first), each by committee.
pub fn coming_and_held(rows: &[crate::storage::rows::CouncilMeeting], today: &str) -> Vec<MeetingSection> {
    let (coming, mut held): (Vec<_>, Vec<_>) = rows.iter().cloned().partition(|r| r.local_date.as_str() >= today);
    held.reverse();
    let (decided, other): (Vec<_>, Vec<_>) = held.into_iter().partition(|r| r.has_decisions == 1);
    vec![
        MeetingSection {
            heading: "Coming up",
            empty: "No meetings listed for the next four weeks.",
            groups: group_by_committee(&coming),
        },
        MeetingSection {
            heading: "Decided recently",
            empty: "No decisions summarised from the last four weeks yet.",
            groups: group_by_committee(&decided),
        },
        MeetingSection {
            heading: "Other meetings held in the last four weeks",
            empty: "None.",
            groups: group_by_committee(&other),
        },
    ]
}

#[derive(Template)]
#[template(path = "council.html")]
pub struct CouncilPage {
    pub canonical: String,
    pub search_query: String,
    pub council: CouncilView,
    pub contact: String,
    pub digest: Option<DigestView>,
    /// Meetings still to come, then those decided and the others held in the last four weeks (`coming_and_held`).
    pub sections: Vec<MeetingSection>,
}

#[derive(Template)]
#[template(path = "committee.html")]
pub struct CommitteePage {
    pub canonical: String,
    pub search_query: String,
    pub council_id: String,
    pub council_name: String,
    pub committee_id: String,
    pub title: String,
    pub meetings: Vec<MeetingLink>,
}

impl CommitteePage {
    pub fn new(
        canonical: String,
        council: &crate::storage::CouncilRow,
        committee: crate::storage::rows::Committee,
        rows: &[crate::storage::rows::CommitteeMeeting],
    ) -> Self {
        Self {
            canonical,
            search_query: String::new(),
            council_id: council.id.clone(),
            council_name: council.name.clone(),
            committee_id: committee.id,
            title: committee.title,
            meetings: rows
                .iter()
                .map(|row| MeetingLink {
                    id: row.id.clone(),
                    title: row.title.clone(),
                    cancelled: row.status == "cancelled",
                    has_summary: row.has_summary == 1,
                    agenda_published: false,
                })
                .collect(),
        }
    }
}

pub struct Noted {
    pub text: String,
    pub footnote: u64,
}

/// A checked claim as the page marks it: a link to the document page where
/// it was found, described by the words found there.
pub struct ClaimMark {
    pub id: String,
    pub url: String,
    pub note: String,
}

/// A run of a summary's prose: plain, or a checked claim.
pub struct Segment {
    pub text: String,
    pub mark: Option<ClaimMark>,
}

/// Cuts `text` at each checked claim that names a source, in the order written;
/// a claim not found in the text as written is left unmarked.
fn segments(prose: &str, claims: &Value, footnotes: &[FootnoteView], id_prefix: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut cursor = 0;
    for (n, claim) in claims.as_array().into_iter().flatten().enumerate() {
        let written = claim["text"].as_str().unwrap_or_default();
        let Some(footnote) = claim["footnote"].as_u64().and_then(|f| footnotes.iter().find(|v| v.number == f)) else {
            continue;
        };
        let Some(at) = (!written.is_empty()).then(|| prose[cursor..].find(written)).flatten().map(|k| cursor + k)
        else {
            continue;
        };
        if at > cursor {
            out.push(Segment { text: prose[cursor..at].to_string(), mark: None });
        }
        let kind = text(&claim["kind"]);
        let mut kind_title = kind.clone();
        if let Some(first) = kind_title.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        out.push(Segment {
            text: written.to_string(),
            mark: Some(ClaimMark {
                id: format!("{id_prefix}-{}", n + 1),
                url: footnote.url.clone(),
                note: format!("{kind_title} found in {}: \u{201c}{}\u{201d}", footnote.label, text(&claim["context"])),
            }),
        });
        cursor = at + written.len();
    }
    if cursor < prose.len() || out.is_empty() {
        out.push(Segment { text: prose[cursor..].to_string(), mark: None });
    }
    out
}

pub struct SectionView {
    pub title: String,
    pub summary: String,
    /// `summary` cut at its checked claims.
    pub segments: Vec<Segment>,
    /// The council's own text stands in for the model's account of the item.
    pub extractive: bool,
    pub decisions: Vec<Noted>,
    /// Quotes of the papers.
    pub quotes: Vec<Noted>,
    /// What was said about the item (from the webcast), cut at its checked claims.
    pub said_segments: Vec<Segment>,
    /// Quotes of what was said, each with its moment.
    pub said_quotes: Vec<SaidQuote>,
}

/// A quote of the webcast: its words, footnote, and the player at its moment.
pub struct SaidQuote {
    pub text: String,
    pub footnote: u64,
    /// "12:34" (or "1:02:03") into the webcast.
    pub at: String,
    pub link: String,
}

/// What became of a webcast's words, when not its captions read as they are,
/// and what of them could only be read in part.
fn webcast_note(webcast: &crate::storage::rows::MeetingWebcast) -> String {
    let has_transcript = webcast.transcript_key.is_some();
    let heard = webcast.made_from.as_deref() == Some(crate::webcasts::FROM_SPEECH) && has_transcript;
    let mut note: Vec<String> = Vec::new();
    let words = match (webcast.captions_status.as_str(), has_transcript, heard) {
        (_, _, true) => "No captions are published: what was said was transcribed from its sound, automatically.",
        ("read", _, _) => "",
        ("error", true, _) => "Its captions could not be read again; what was read before is used.",
        ("error", false, _) => "Its captions could not be read, so what was said is not in the summary.",
        _ if webcast.speech_status.as_deref() == Some("transcribing") => {
            "Its captions are not published; its sound is being transcribed."
        }
        _ if webcast.speech_status.as_deref() == Some("error") => {
            "Its captions are not published and its sound could not be transcribed, so what was said is not in the summary."
        }
        _ => "Its captions are not published yet, so what was said is not in the summary.",
    };
    if !words.is_empty() {
        note.push(words.to_string());
    }
    // Read in part: said so, never shown as complete.
    if has_transcript && webcast.skipped_cues > 0 {
        note.push(format!("{} of its captions could not be read and are left out.", webcast.skipped_cues));
    }
    if webcast.points_unread > 0 {
        note.push(format!(
            "{} of its agenda points had no time that could be read, so what was said on those items is not told apart.",
            webcast.points_unread
        ));
    }
    note.join(" ")
}

/// The meeting's webcast, as its page links it.
pub struct WebcastView {
    pub title: String,
    pub url: String,
    /// What became of its captions, when they are not (yet) read.
    pub note: String,
}

pub struct FootnoteView {
    pub number: u64,
    pub url: String,
    pub label: String,
}

/// Said next to the model label only when it is true of the version shown.
pub const CHECKED_NOTE: &str = "Every quote, figure and date in this summary was found in the council's documents.";

pub struct SummaryView {
    pub label: String,
    pub checked_note: Option<&'static str>,
    pub updated_reason: Option<String>,
    pub headline: String,
    pub headline_segments: Vec<Segment>,
    pub sections: Vec<SectionView>,
    pub procedural: Option<String>,
    pub footnotes: Vec<FootnoteView>,
}

impl SummaryView {
    /// `current_link` answers a document's link as the meeting lists it now:
    /// a footnote points there (CMIS's opaque links change), at the cited page.
    pub fn from_row(summary: &Value, current_link: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let body = summary.get("body").filter(|b| b.is_object())?;
        let noted = |list: &Value| -> Vec<Noted> {
            list.as_array()
                .into_iter()
                .flatten()
                .map(|n| Noted { text: text(&n["text"]), footnote: n["footnote"].as_u64().unwrap_or(0) })
                .collect()
        };
        let footnotes: Vec<FootnoteView> = body["footnotes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                let current = f["document_id"].as_str().and_then(&current_link).map(|link| match f["page"].as_u64() {
                    Some(page) => format!("{link}#page={page}"),
                    None => link,
                });
                FootnoteView {
                    number: f["number"].as_u64().unwrap_or(0),
                    url: safe_href(&current.unwrap_or_else(|| text(&f["url"]))),
                    label: text(&f["label"]),
                }
            })
            .collect();
        let headline = text(&body["headline"]);
        Some(Self {
            label: text(&body["label"]),
            checked_note: (summary["method"] == "model" && summary["claims_checked"].as_i64() == Some(1))
                .then_some(CHECKED_NOTE),
            updated_reason: opt_text(&summary["updated_reason"]),
            headline_segments: segments(&headline, &body["headline_claims"], &footnotes, "claim-h"),
            headline,
            sections: body["sections"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(n, s)| {
                    let summary = text(&s["summary"]);
                    let said = text(&s["said"]);
                    let quotes = s["quotes"].as_array().cloned().unwrap_or_default();
                    let (said_quotes, paper_quotes): (Vec<Value>, Vec<Value>) =
                        quotes.into_iter().partition(|q| q["said_at"].is_u64());
                    SectionView {
                        title: text(&s["title"]),
                        segments: segments(&summary, &s["claims"], &footnotes, &format!("claim-{}", n + 1)),
                        summary,
                        extractive: s["extractive"].as_bool().unwrap_or(false),
                        decisions: noted(&s["decisions"]),
                        quotes: noted(&Value::Array(paper_quotes)),
                        said_segments: if said.is_empty() {
                            Vec::new()
                        } else {
                            segments(&said, &s["said_claims"], &footnotes, &format!("said-{}", n + 1))
                        },
                        said_quotes: said_quotes
                            .iter()
                            .map(|q| SaidQuote {
                                text: text(&q["text"]),
                                footnote: q["footnote"].as_u64().unwrap_or(0),
                                at: crate::webcasts::clock(q["said_at"].as_u64().unwrap_or(0)),
                                link: safe_href(&text(&q["link"])),
                            })
                            .collect(),
                    }
                })
                .collect(),
            procedural: opt_text(&body["procedural"]),
            footnotes,
        })
    }
}

/// What of a meeting could not be read in full, in words: lists the platform
/// pages beyond what can be read, and documents with no text to read.
fn not_read_in_full(meeting: &crate::storage::rows::Meeting) -> Vec<String> {
    let mut out: Vec<String> = meeting.record.read_gaps.iter().map(|gap| gap.describe()).collect();
    for document in meeting.all_documents() {
        match document.text_status.as_deref() {
            Some("no_text_layer") => {
                out.push(format!("{}: scanned, with no text to read, so not in the summary", document.title))
            }
            Some("failed") => out.push(format!(
                "{}: could not be read ({}), so not in the summary",
                document.title,
                document.text_error.as_deref().unwrap_or("the file could not be read")
            )),
            _ => {}
        }
    }
    out
}

pub struct ItemView {
    pub number: Option<String>,
    pub title: String,
    /// The council's record of the decision on the item; empty when it links none.
    pub decision_url: String,
    /// Its recorded votes.
    pub votes: Vec<VoteView>,
    id: String,
}

/// A name under a vote's option: linked to the councillor's page when matched.
pub struct VoterView {
    pub name: String,
    pub href: String,
}

pub struct OptionView {
    pub label: String,
    pub names: Vec<VoterView>,
}

/// A recorded vote as the meeting page shows it.
pub struct VoteView {
    pub motion: String,
    pub result: String,
    /// "for 57, against 42, abstain 2"
    pub counts: String,
    pub options: Vec<OptionView>,
    pub note: String,
    pub source_url: String,
    pub source_label: String,
}

impl VoteView {
    /// `meeting_page`: where the council's own voting record is reached from.
    pub fn new(vote: &crate::storage::rows::MeetingVote, meeting_page: &str) -> Self {
        let counts: Vec<String> = crate::votes::OPTIONS
            .iter()
            .filter_map(|o| Some(format!("{} {}", o.replace('_', " "), vote.counts.get(*o)?)))
            .collect();
        let mut options: Vec<OptionView> = Vec::new();
        for choice in vote.choices.as_array().into_iter().flatten() {
            let label = crate::votes::option_label(choice["choice"].as_str().unwrap_or_default());
            let label = format!("{}{}", label[..1].to_ascii_uppercase(), &label[1..]);
            let name = VoterView {
                name: choice["name"].as_str().unwrap_or_default().to_string(),
                href: choice["person_id"].as_str().map(|id| format!("/councillors/{id}")).unwrap_or_default(),
            };
            match options.iter_mut().find(|o| o.label == label) {
                Some(option) => option.names.push(name),
                None => options.push(OptionView { label, names: vec![name] }),
            }
        }
        let (source_url, source_label) = match (&vote.document_url, vote.page) {
            (Some(url), Some(page)) => (
                safe_href(&format!("{url}#page={page}")),
                format!("{}, page {page}", vote.document_title.as_deref().unwrap_or("the minutes")),
            ),
            (Some(url), None) => (safe_href(url), vote.document_title.clone().unwrap_or_else(|| "the minutes".into())),
            _ => (safe_href(meeting_page), "the council's voting record, linked from its meeting page".into()),
        };
        Self {
            motion: vote.motion.clone(),
            result: vote.result.clone().unwrap_or_default(),
            counts: counts.join(", "),
            options,
            note: vote.note.clone().unwrap_or_default(),
            source_url,
            source_label,
        }
    }
}

pub struct DocLink {
    pub url: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "meeting.html")]
pub struct MeetingPage {
    pub canonical: String,
    pub search_query: String,
    pub json_ld: String,
    pub council_id: String,
    pub council_name: String,
    pub committee_id: String,
    pub committee: String,
    pub title: String,
    pub date: String,
    /// The date as residents read it: "Sunday 15 November 2026".
    pub date_text: String,
    pub web_url: String,
    pub cancelled: bool,
    pub summary: Option<SummaryView>,
    /// What the summary was made from, plainly: the agenda (before) or the minutes (after).
    pub summary_basis: &'static str,
    pub items: Vec<ItemView>,
    pub documents: Vec<DocLink>,
    /// Why the last read was incomplete (a part of it failed), if it was.
    pub read_error: Option<String>,
    /// What the council's site lists but could not be read in full, and documents without text to read.
    pub not_read_in_full: Vec<String>,
    /// Recorded votes not on any listed item.
    pub other_votes: Vec<VoteView>,
    pub webcast: Option<WebcastView>,
    /// How quotes of what was said are labelled: whose words they are.
    pub said_label: String,
}

/// Today's date (`YYYY-MM-DD`) where councils are.
fn today_text() -> String {
    crate::time::local_date(crate::time::now_utc(), crate::time::DEFAULT_TIME_ZONE).format("%Y-%m-%d").to_string()
}

/// Whether a summary cites the minutes: an item's minutes text, or the printed minutes.
fn uses_minutes(summary: &Value, meeting: &crate::storage::rows::Meeting) -> bool {
    summary["body"]["footnotes"].as_array().into_iter().flatten().any(|footnote| {
        footnote["label"].as_str().is_some_and(|label| label.ends_with(": minutes"))
            || footnote["document_id"]
                .as_str()
                .is_some_and(|id| meeting.all_documents().any(|d| d.id == id && d.kind == "printed_minutes"))
    })
}

/// What a summary was made from, as the meeting page says it.
pub fn summary_basis(uses_minutes: bool, held: bool, minutes_published: bool) -> &'static str {
    match (uses_minutes, held, minutes_published) {
        (true, _, _) => "Made from the minutes: the council's record of what was decided, published after the meeting.",
        (false, false, _) => {
            "Made from the agenda and reports, before the meeting: it says what is proposed, not what was decided."
        }
        (false, true, false) => {
            "Made from the agenda and reports: the meeting has been held but its minutes are not out yet, so this says what was proposed. It will be made again from the minutes."
        }
        (false, true, true) => {
            "Made from the agenda and reports; the minutes are out now and this will be made again from them."
        }
    }
}

impl MeetingPage {
    pub fn new(canonical: String, meeting: &crate::storage::rows::Meeting, summary: &Value) -> Self {
        let record = &meeting.record;
        let cancelled = record.status == "cancelled";
        let json_ld = script_json(&json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": record.title,
            "startDate": record.starts_at_utc.as_deref().unwrap_or(&record.local_date),
            "eventStatus": if cancelled { "https://schema.org/EventCancelled" } else { "https://schema.org/EventScheduled" },
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {"@type": "Place", "name": record.location.as_deref().unwrap_or("See the council website")},
            "organizer": {"@type": "GovernmentOrganization", "name": record.council_name},
            "url": canonical,
        }));
        let link =
            |d: &crate::storage::rows::MeetingDocument| DocLink { url: safe_href(&d.url), title: d.title.clone() };
        let mut documents: Vec<DocLink> = meeting.documents.iter().map(link).collect();
        documents.extend(meeting.agenda_items.iter().flat_map(|i| i.documents.iter()).map(link));
        let items = meeting
            .agenda_items
            .iter()
            .map(|i| ItemView {
                number: i.record.number.clone().filter(|n| !n.is_empty()),
                title: i.record.title.clone(),
                decision_url: i.record.decision_url.as_deref().map(safe_href).unwrap_or_default(),
                votes: Vec::new(),
                id: i.record.id.clone(),
            })
            .collect();
        Self {
            canonical,
            search_query: String::new(),
            json_ld,
            council_id: record.council_id.clone(),
            council_name: record.council_name.clone(),
            committee_id: record.committee_id.clone(),
            committee: record.committee_title.clone(),
            title: record.title.clone(),
            date: record.local_date.clone(),
            date_text: crate::time::prose_date(&record.local_date),
            web_url: safe_href(&record.web_url),
            cancelled,
            read_error: record.read_error.clone().filter(|e| !e.is_empty()),
            not_read_in_full: not_read_in_full(meeting),
            summary: SummaryView::from_row(summary, |id| {
                meeting.all_documents().find(|d| d.id == id).map(|d| d.url.clone())
            }),
            summary_basis: summary_basis(
                uses_minutes(summary, meeting),
                record.local_date < today_text(),
                record.minutes_published != 0,
            ),
            items,
            documents,
            other_votes: Vec::new(),
            said_label: format!(
                "from {}",
                crate::webcasts::provenance_label(
                    meeting.webcasts.first().and_then(|w| w.made_from.as_deref()).unwrap_or_default()
                )
            ),
            webcast: meeting.webcasts.first().map(|w| WebcastView {
                title: w.title.clone(),
                url: safe_href(&w.player_url),
                note: webcast_note(w),
            }),
        }
    }

    /// The meeting's recorded votes, each under its item (or after the agenda).
    pub fn with_votes(mut self, votes: &[crate::storage::rows::MeetingVote]) -> Self {
        for vote in votes {
            let view = VoteView::new(vote, &self.web_url);
            match self.items.iter_mut().find(|i| vote.agenda_item_id.as_deref() == Some(i.id.as_str())) {
                Some(item) => item.votes.push(view),
                None => self.other_votes.push(view),
            }
        }
        self
    }
}

#[derive(Template)]
#[template(path = "digest.html")]
pub struct DigestPage {
    pub canonical: String,
    pub search_query: String,
    pub council_id: String,
    pub council_name: String,
    pub week: String,
    pub headline: String,
    pub points: Vec<PointView>,
    pub decided: Vec<(String, String, String)>,
}

pub struct SearchResult {
    pub url: String,
    pub title: String,
    pub kind: String,
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub canonical: String,
    pub search_query: String,
    pub results: Vec<SearchResult>,
    /// The query has no word long enough to search for.
    pub too_short: bool,
}

#[derive(Template)]
#[template(path = "about.html")]
pub struct AboutPage {
    pub canonical: String,
    pub search_query: String,
    pub contact: String,
    pub record: super::checks::Record,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub canonical: String,
    pub search_query: String,
    pub heading: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_page_says_whether_its_summary_is_from_the_agenda_or_the_minutes() {
        assert!(summary_basis(true, true, true).starts_with("Made from the minutes"));
        assert!(summary_basis(false, false, false).contains("before the meeting"));
        assert!(summary_basis(false, true, false).contains("minutes are not out yet"));
        assert!(summary_basis(false, true, true).contains("will be made again from them"));
    }

    #[test]
    fn a_documents_reading_is_told_in_a_few_words() {
        assert_eq!(reading_note(Some("extracted"), Some(12), None), "text read: 12 pages");
        assert_eq!(reading_note(Some("extracted"), Some(1), None), "text read: 1 page");
        assert_eq!(
            reading_note(Some("failed"), None, Some("download failed: HTTP 404")),
            "not read: download failed: HTTP 404"
        );
        assert_eq!(reading_note(Some("no_text_layer"), Some(3), None), "scanned: no text to read");
        assert_eq!(reading_note(None, None, None), "not read yet");
    }

    fn council(id: &str, name: &str, gss: &str, nation: &str, enabled: i64) -> crate::storage::CouncilRow {
        serde_json::from_value(json!({
            "id": id, "name": name, "platform": "moderngov", "base_url": "https://x.example", "time_zone": "Europe/London",
            "coverage": "unsupported", "enabled": enabled, "web_service": "auto", "gss_code": gss, "nation": nation,
            "https_note": null, "notes": null, "created_at": "", "updated_at": ""
        }))
        .unwrap()
    }

    #[test]
    fn councils_are_grouped_by_nation_and_kind() {
        let councils = vec![
            council("cardiff", "City of Cardiff Council", "W06000015", "Wales", 1),
            council("warwickshire", "Warwickshire County Council", "E10000031", "England", 1),
            council("warwick", "Warwick District Council", "E07000222", "England", 1),
            council("edinburgh", "City of Edinburgh Council", "S12000036", "Scotland", 1),
            council("coventry", "Coventry City Council", "E08000026", "England", 1),
            council("old", "Old County Council", "E10000099", "England", 0),
        ];
        let groups = group_councils(&councils, "");
        let nations: Vec<&str> = groups.iter().map(|g| g.nation.as_str()).collect();
        assert_eq!(nations, ["England", "Scotland", "Wales"]);
        let england: Vec<(&str, Vec<&str>)> =
            groups[0].kinds.iter().map(|k| (k.label, k.councils.iter().map(|c| c.id.as_str()).collect())).collect();
        assert_eq!(
            england,
            [
                ("County councils", vec!["warwickshire"]),
                ("District councils", vec!["warwick"]),
                ("Metropolitan boroughs", vec!["coventry"])
            ]
        );
        let found = group_councils(&councils, "warwick");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kinds.iter().map(|k| k.councils.len()).sum::<usize>(), 2);
        assert!(group_councils(&councils, "atlantis").is_empty());
    }

    #[test]
    fn postcode_pages_escape_what_was_typed() {
        let page = PostcodePage {
            canonical: "https://x/postcode".into(),
            search_query: String::new(),
            query: "\"><script>alert(1)</script>".into(),
            postcode: String::new(),
            councils: Vec::new(),
            wards: vec!["<b>Ward</b>".into()],
            councillors: Vec::new(),
            message: Some("That is not a UK postcode.".into()),
        };
        let html = page.render().unwrap();
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<b>Ward"));
        assert!(html.contains("That is not a UK postcode."));
    }

    use crate::storage::rows::{AgendaItem, AgendaItemRecord, Meeting, MeetingDocument, MeetingRecord};

    fn document(id: &str, url: &str, title: &str) -> MeetingDocument {
        MeetingDocument {
            id: id.into(),
            agenda_item_id: None,
            url: url.into(),
            title: title.into(),
            kind: "other".into(),
            published_on: None,
            is_restricted: 0,
            text_status: None,
            text_error: None,
            page_count: None,
        }
    }

    /// A meeting of Cabinet on 5 January 2026 with these documents and items (number, title, documents).
    fn meeting(
        title: &str,
        web_url: &str,
        documents: Vec<MeetingDocument>,
        items: Vec<(&str, &str, Vec<MeetingDocument>)>,
    ) -> Meeting {
        let record: MeetingRecord = serde_json::from_value(json!({
            "id": "c-1", "council_id": "c", "source_id": "1", "title": title, "local_date": "2026-01-05",
            "local_time": null, "time_zone": "Europe/London", "starts_at_utc": null, "status": "confirmed",
            "is_special": 0, "location": null, "agenda_published": 1, "minutes_published": 0, "decisions_published": 0,
            "web_url": web_url, "source_mode": "web_service", "listed": 1, "missing_since": null, "content_changed": 0,
            "change_note": null, "changed_at": null, "detail_fetched_at": null, "read_error": null,
            "first_seen_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "committee_id": "c-c1", "committee_title": "Cabinet", "council_name": "C"}))
        .unwrap();
        let agenda_items = items
            .into_iter()
            .enumerate()
            .map(|(n, (number, title, documents))| AgendaItem {
                record: AgendaItemRecord {
                    id: format!("c-i{n}"),
                    number: Some(number.into()),
                    title: title.into(),
                    agenda_text: None,
                    minutes_text: None,
                    is_restricted: 0,
                    decision_url: None,
                },
                documents,
            })
            .collect();
        Meeting { record, agenda_items, documents, attendance: Vec::new(), webcasts: Vec::new() }
    }

    #[test]
    fn footnotes_point_at_a_documents_current_link() {
        let meeting = meeting(
            "Cabinet",
            "https://x",
            vec![document("c-a1", "https://x/Document.ashx?new", "Pack")],
            vec![("1", "t", vec![document("c-a2", "https://x/Document.ashx?item", "Report")])],
        );
        let summary = json!({"method": "model", "updated_reason": null, "body": {
                "label": "AI generated by m", "headline": "h", "sections": [],
                "footnotes": [
                    {"number": 1, "url": "https://x/Document.ashx?old#page=3", "label": "pack", "document_id": "c-a1", "page": 3},
                    {"number": 2, "url": "https://x/Document.ashx?gone#page=1", "label": "report", "document_id": "c-a2", "page": 1},
                    {"number": 3, "url": "https://x/meeting", "label": "minutes", "document_id": null, "page": null}]}});
        let html = MeetingPage::new("https://x/meetings/c-1".into(), &meeting, &summary).render().unwrap();
        assert!(html.contains("href=\"https://x/Document.ashx?new#page=3\""), "{html}");
        assert!(html.contains("href=\"https://x/Document.ashx?item#page=1\""));
        assert!(html.contains("href=\"https://x/meeting\""));
        assert!(!html.contains("?old") && !html.contains("?gone"));
    }

    #[test]
    fn recorded_votes_stand_under_their_items_with_names_linked_and_escaped() {
        let meeting = meeting("Council", "https://x/meeting", vec![], vec![("1", "Budget", vec![])]);
        let item_id = meeting.agenda_items[0].record.id.clone();
        let vote = |item: Option<&str>, source: &str, document: Option<&str>| crate::storage::rows::MeetingVote {
            id: "c-1-v1".into(),
            agenda_item_id: item.map(str::to_string),
            motion: "That <script>alert(1)</script> be approved".into(),
            result: Some("Carried".into()),
            counts: json!({"for": 2, "against": 1}),
            source: source.into(),
            page: document.map(|_| 3),
            note: None,
            document_url: document.map(str::to_string),
            document_title: document.map(|_| "Printed minutes".to_string()),
            choices: json!([
                {"choice": "for", "name": "Mr Hill, OBE", "person_id": "c-m1", "party": "Lab"},
                {"choice": "for", "name": "Ms Meade", "person_id": "c-m2", "party": "Lab"},
                {"choice": "against", "name": "Mr Nobody", "person_id": null, "party": null}]),
        };
        let votes =
            [vote(Some(&item_id), "minutes", Some("https://x/minutes.pdf")), vote(None, "recorded_votes_page", None)];
        let html = MeetingPage::new("https://x/meetings/c-1".into(), &meeting, &Value::Null)
            .with_votes(&votes)
            .render()
            .unwrap();
        let agenda = &html[html.find("<h2>Agenda</h2>").unwrap()..];
        let under_item = &agenda[..agenda.find("</li>").unwrap()];
        assert!(under_item.contains("Recorded vote:") && under_item.contains("(for 2, against 1)"), "{under_item}");
        assert!(under_item.contains("<a href=\"/councillors/c-m1\">Mr Hill, OBE</a>"));
        assert!(under_item.contains("Mr Nobody <span class=\"muted\">(not matched to a councillor)</span>"));
        assert!(
            under_item.contains("href=\"https://x/minutes.pdf#page=3\"")
                && under_item.contains("Printed minutes, page 3")
        );
        assert!(!html.contains("<script>alert"), "the motion is escaped");
        let rest = &agenda[agenda.find("</ol>").unwrap()..];
        assert!(rest.contains("<h2>Recorded votes</h2>") && rest.contains("href=\"https://x/meeting\""), "{rest}");
    }

    #[test]
    fn the_party_line_is_said_only_with_a_party_and_votes_counted() {
        let line = |counted, with| crate::votes::PartyLine { votes_counted: counted, with_majority: with };
        assert_eq!(
            party_line_sentence("Labour", line(10, 9)),
            "Voted with the majority of the Labour group in 9 of 10 recorded votes where the group had one."
        );
        assert_eq!(party_line_sentence("", line(10, 9)), "");
        assert_eq!(party_line_sentence("Labour", line(0, 0)), "");
    }

    #[test]
    fn the_checked_note_is_shown_only_for_a_checked_model_summary() {
        let page = |method: &str, checked: i64, extractive_section: bool| {
            let summary = json!({"method": method, "claims_checked": checked, "updated_reason": null, "body": {
                "label": "AI generated by m", "headline": "h",
                "sections": [{"title": "t", "summary": "s", "extractive": extractive_section, "decisions": [], "quotes": []}],
                "footnotes": []}});
            let meeting = meeting("Cabinet", "https://x", Vec::new(), Vec::new());
            MeetingPage::new("https://x/meetings/c-1".into(), &meeting, &summary).render().unwrap()
        };
        assert!(page("model", 1, false).contains(CHECKED_NOTE.replace('\'', "&#39;").as_str()));
        assert!(!page("model", 0, false).contains("was found in the council"), "a version made before the checks");
        assert!(!page("extractive", 1, false).contains("was found in the council"));
        assert!(page("model", 1, true).contains("In the council's own words"));
        assert!(!page("model", 1, false).contains("In the council's own words"));
    }

    #[test]
    fn meeting_pages_render_hostile_text_inert() {
        let meeting = meeting(
            "<img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            Vec::new(),
            vec![("1", "<script>bad()</script>", vec![document("c-a1", "javascript:x()", "d")])],
        );
        let summary = json!({"updated_reason": null, "body": {
            "label": "AI generated by m", "headline": "</script><script>alert(3)</script>",
            "sections": [{"title": "t", "summary": "s", "decisions": [], "quotes": [{"text": "<b>q</b>", "footnote": 1}]}],
            "footnotes": [{"number": 1, "url": "data:text/html,x", "label": "l"}]}});
        let html = MeetingPage::new("https://x/meetings/c-1".into(), &meeting, &summary).render().unwrap();
        assert!(!html.contains("<img src=x"));
        assert!(!html.contains("<script>bad"));
        assert!(!html.contains("<script>alert(3)"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("data:text"));
        assert!(html.contains("&#60;script&#62;bad()"), "escaped as text");
        assert!(html.contains("&#60;b&#62;q"));
        // The JSON-LD block cannot be closed by the title.
        let ld_start = html.find("application/ld+json").unwrap();
        let ld_end = html[ld_start..].find("</script>").unwrap() + ld_start;
        assert!(!html[ld_start..ld_end].contains('<'));
    }

    #[test]
    fn unsupported_councils_show_the_request_support_notice() {
        let council: crate::storage::CouncilRow = serde_json::from_value(json!({"id": "coventry",
            "name": "Coventry City Council", "platform": "moderngov", "base_url": "https://e", "time_zone": "Europe/London",
            "coverage": "unsupported", "enabled": 1, "web_service": "auto", "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z"}))
        .unwrap();
        let page = CouncilPage {
            canonical: "https://x/councils/coventry".into(),
            search_query: String::new(),
            council: CouncilView::of(&council),
            contact: "support@example.org".into(),
            digest: None,
            sections: coming_and_held(
                &[serde_json::from_value(json!({"id": "m1", "title": "Cabinet - Monday",
                    "local_date": "2026-01-05", "status": "cancelled", "is_special": 0, "agenda_published": 0,
                    "minutes_published": 0, "web_url": "https://e/m1", "listed": 1, "content_changed": 0,
                    "committee_id": "coventry-c1", "committee_title": "Cabinet", "has_summary": 0,
                    "has_decisions": 0}))
                .unwrap()],
                "2026-01-01",
            ),
        };
        let html = page.render().unwrap();
        assert!(html.contains("Request support for Coventry"));
        assert!(html.contains("Civica ModernGov"));
        assert!(html.contains("mailto:support@example.org"));
        assert!(html.contains("(cancelled)"));
    }

    #[test]
    fn every_page_opens_with_a_skip_link_to_its_content() {
        let html = MeetingPage::new("https://x/meetings/c-1".into(), &meeting_whole(), &Value::Null).render().unwrap();
        let body = &html[html.find("<body>").unwrap()..];
        let first_link = &body[body.find("<a ").unwrap()..];
        assert!(first_link.starts_with("<a class=\"skip\" href=\"#main\">"), "{first_link}");
        assert!(html.contains("<main id=\"main\">"));
    }

    #[test]
    fn a_council_page_shows_what_is_coming_apart_from_what_was_held() {
        let meeting = |id: &str, date: &str, committee: &str| -> crate::storage::rows::CouncilMeeting {
            serde_json::from_value(json!({"id": id, "title": id, "local_date": date, "status": "confirmed",
                "is_special": 0, "agenda_published": 1, "minutes_published": 0, "web_url": "https://e", "listed": 1,
                "content_changed": 0, "committee_id": committee, "committee_title": committee, "has_summary": 0,
                "has_decisions": i64::from(id.starts_with("decided"))}))
            .unwrap()
        };
        let rows = [
            meeting("old", "2026-11-20", "Cabinet"),
            meeting("decided", "2026-11-25", "Cabinet"),
            meeting("recent", "2026-12-01", "Planning"),
            meeting("today", "2026-12-07", "Cabinet"),
            meeting("later", "2026-12-20", "Cabinet"),
        ];
        let sections = coming_and_held(&rows, "2026-12-07");
        let ids = |s: &MeetingSection| -> Vec<String> {
            s.groups.iter().flat_map(|g| g.meetings.iter().map(|m| format!("{}:{}", g.id, m.id))).collect()
        };
        assert_eq!(ids(&sections[0]), ["Cabinet:today", "Cabinet:later"], "soonest first, today's included");
        assert_eq!(ids(&sections[1]), ["Cabinet:decided"], "held with decisions summarised");
        assert_eq!(ids(&sections[2]), ["Planning:recent", "Cabinet:old"], "the others, newest first");
        let headings: Vec<&str> = sections.iter().map(|s| s.heading).collect();
        assert_eq!(headings, ["Coming up", "Decided recently", "Other meetings held in the last four weeks"]);
    }

    #[test]
    fn only_web_links_survive() {
        assert_eq!(safe_href("https://a.gov.uk/x.pdf#page=3"), "https://a.gov.uk/x.pdf#page=3");
        assert_eq!(safe_href("/meetings/x"), "/meetings/x");
        assert_eq!(safe_href("//evil.example"), "#");
        assert_eq!(safe_href(" JavaScript:alert(1)"), "#");
    }

    #[test]
    fn checked_claims_link_to_the_page_they_were_found_on() {
        let meeting = meeting(
            "Cabinet",
            "https://x",
            vec![document("d1", "https://council.example/minutes.pdf", "Printed minutes")],
            vec![],
        );
        let summary = json!({"method": "model", "claims_checked": 1, "updated_reason": null, "body": {
            "label": "AI", "headline": "The overspend is \u{a3}23m.",
            "headline_claims": [{"text": "\u{a3}23m", "kind": "amount", "footnote": 1, "found": "\u{a3}23.3 million",
                "context": "\u{2026}projected overspend of \u{a3}23.3 million <script>x</script>\u{2026}"}],
            "sections": [{"title": "t", "summary": "Mr Oakford met on 30 January.", "decisions": [], "quotes": [],
                "claims": [{"text": "Oakford", "kind": "name", "footnote": 1, "found": "Oakford", "context": "Mr Oakford noted"},
                           {"text": "30 January", "kind": "date", "footnote": null, "found": "30 January", "context": "Cabinet, 30 January"}]}],
            "footnotes": [{"number": 1, "label": "Printed minutes, page 9", "document_id": "d1", "page": 9, "url": "https://old.example/x.pdf"}]}});
        let html = MeetingPage::new("https://x/meetings/c-1".into(), &meeting, &summary).render().unwrap();
        assert!(html.contains(r#"<a class="claim" href="https://council.example/minutes.pdf#page=9" rel="noopener" aria-describedby="claim-h-1">£23m</a>"#), "{html}");
        assert!(html.contains(r#"<span class="found" role="tooltip" id="claim-h-1">Amount found in Printed minutes, page 9: “…projected overspend of £23.3 million &#60;script&#62;x&#60;/script&#62;…”</span>"#), "{html}");
        assert!(html.contains(r#"aria-describedby="claim-1-1">Oakford</a>"#));
        assert!(html.contains("met on 30 January."), "a claim found in the meeting's own details is not linked");
        assert!(!html.contains("<script>x"));
    }

    #[test]
    fn what_could_not_be_read_in_full_is_said_on_the_page() {
        let mut scanned = document("d2", "https://x/scan.pdf", "Signed minutes");
        scanned.text_status = Some("no_text_layer".into());
        let mut meeting = meeting("Cabinet", "https://x", vec![scanned], vec![]);
        meeting.record.read_gaps = vec![crate::model::ReadGap {
            part: "apologies".into(),
            read: 25,
            total: 104,
            why: "its other pages are reached only by a form postback, which is not followed".into(),
        }];
        let html = MeetingPage::new("https://x/meetings/c-1".into(), &meeting, &Value::Null).render().unwrap();
        assert!(html.contains("Not read in full"));
        assert!(html.contains("apologies: 25 of 104 listed could be read"), "{html}");
        assert!(html.contains("Signed minutes: scanned, with no text to read"));
        let whole = MeetingPage::new("https://x/meetings/c-1".into(), &meeting_whole(), &Value::Null).render().unwrap();
        assert!(!whole.contains("Not read in full"), "a meeting read in full says nothing of the kind");
    }

    fn meeting_whole() -> Meeting {
        meeting("Cabinet", "https://x", vec![document("d1", "https://x/a.pdf", "Agenda")], vec![])
    }

    fn webcast(captions_status: &str, transcript: bool) -> crate::storage::rows::MeetingWebcast {
        crate::storage::rows::MeetingWebcast {
            id: "c-w1".into(),
            council_id: "c".into(),
            meeting_id: Some("c-1".into()),
            captions_url: None,
            platform: "public-i".into(),
            activity: "1".into(),
            title: "Cabinet".into(),
            live_at: None,
            player_url: "https://c.public-i.tv/core/portal/webcast_interactive/1".into(),
            points: serde_json::Value::Null,
            points_unread: 0,
            captions_status: captions_status.into(),
            captions_error: None,
            captions_hash: None,
            transcript_key: transcript.then(|| "transcripts/c/c-w1/h.json".into()),
            made_from: transcript.then(|| "captions".into()),
            cues: 0,
            skipped_cues: 0,
            duration_ms: 0,
            captions_read_at: None,
            speech_status: None,
            speech_error: None,
            speech_chunks: 0,
        }
    }

    #[test]
    fn a_webcasts_note_says_what_is_missing_and_what_was_read_in_part() {
        assert_eq!(webcast_note(&webcast("read", true)), "", "captions read whole: nothing to say");
        assert!(webcast_note(&webcast("absent", false)).contains("not published yet"));
        assert!(webcast_note(&webcast("error", true)).contains("what was read before is used"));
        let mut partial = webcast("read", true);
        partial.skipped_cues = 3;
        partial.points_unread = 2;
        let note = webcast_note(&partial);
        assert!(note.contains("3 of its captions could not be read"), "{note}");
        assert!(note.contains("2 of its agenda points had no time"), "{note}");
        let mut heard = webcast("absent", true);
        heard.made_from = Some("speech".into());
        assert!(webcast_note(&heard).contains("transcribed from its sound"));
        let mut unheard = webcast("absent", false);
        unheard.speech_status = Some("error".into());
        assert!(webcast_note(&unheard).contains("could not be transcribed"));
    }
}

//! Typed rows for what pages, the API, feeds and MCP read: each struct is
//! the columns of one read in `queries`, by name, so a column renamed on one
//! side only fails `every_typed_read_names_its_columns` (tests/query_plans.rs
//! asks SQLite for each read's columns). They serialise as the API answers.

use serde::{Deserialize, Serialize};

/// `LATEST_SUMMARIES`: the newest summarised meetings, for the home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatestSummary {
    pub id: String,
    pub title: String,
    /// The council's name.
    pub council: String,
}

/// `COUNCIL_DECISIONS`: one decision in a council's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionListed {
    pub id: String,
    pub title: String,
    pub register: String,
    pub listed_on: Option<String>,
    pub decided_on: Option<String>,
    pub decision_maker: Option<String>,
    pub status: Option<String>,
    pub is_key: Option<i64>,
    pub call_in: Option<String>,
    pub call_in_deadline: Option<String>,
}

/// `GET_DECISION`: a decision's record, its documents as the council listed them (JSON text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    pub id: String,
    pub council_id: String,
    pub council_name: String,
    pub source_id: String,
    pub register: String,
    pub title: String,
    pub listed_on: Option<String>,
    pub call_in: Option<String>,
    pub decision_maker: Option<String>,
    pub status: Option<String>,
    pub is_key: Option<i64>,
    pub subject_to_call_in: Option<i64>,
    pub call_in_deadline: Option<String>,
    pub purpose: Option<String>,
    pub decision: Option<String>,
    pub published_on: Option<String>,
    pub decided_on: Option<String>,
    #[serde(skip_serializing)]
    pub documents: String,
    pub web_url: String,
    pub read_error: Option<String>,
    pub detail_fetched_at: Option<String>,
    /// Our meeting it was taken at, when we hold it.
    pub meeting_id: Option<String>,
}

/// A decision as pages and the API show it: the record, and each listed
/// document with how far reading it got.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    #[serde(flatten)]
    pub record: DecisionRecord,
    pub documents: Vec<DecisionDocument>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionDocument {
    pub title: String,
    pub url: String,
    /// Our document's id, once the reader has it.
    pub id: Option<String>,
    pub text_status: Option<String>,
    pub text_error: Option<String>,
    pub page_count: Option<i64>,
}

/// `DECISION_DOCUMENTS`: a decision's documents as the reader holds them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DecisionDocumentRead {
    pub id: String,
    pub url: String,
    pub title: String,
    pub text_status: Option<String>,
    pub text_error: Option<String>,
    pub page_count: Option<i64>,
}

/// `GET_PERSON`: a councillor, with their council's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub council_id: String,
    pub council_name: String,
    pub name: String,
    pub party: Option<String>,
    pub ward: Option<String>,
    pub photo_url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub listed_since: Option<String>,
    pub former_since: Option<String>,
}

impl Person {
    /// On the council's current list.
    pub fn is_current(&self) -> bool {
        self.former_since.is_none() && self.listed_since.is_some()
    }
}

/// `COUNCIL_COUNCILLORS`: one councillor of a council's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Councillor {
    pub id: String,
    pub name: String,
    pub party: Option<String>,
    pub ward: Option<String>,
    pub photo_url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub listed_since: Option<String>,
    pub former_since: Option<String>,
}

/// `PERSON_ATTENDANCE`: a meeting a councillor was expected at, and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attended {
    pub meeting_id: String,
    pub role: Option<String>,
    pub attendance: Option<String>,
    pub title: String,
    pub local_date: String,
    pub status: String,
    pub committee_id: String,
    pub committee_title: String,
}

/// `SEARCH`: one match, as stored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SearchHit {
    pub kind: String,
    pub subject_id: String,
    pub council_id: String,
    pub url: String,
    pub title: String,
    pub snippet: String,
}

/// One search result as the API, the search page and the MCP tool publish
/// it: `meeting_id` for a meeting's match, `decision_id` for a decision's. A
/// decision's match also keeps `meeting_id` (holding the decision id, as
/// before) for one release.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResult {
    pub kind: String,
    pub subject_id: String,
    pub meeting_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_id: Option<String>,
    pub council_id: String,
    pub url: String,
    pub title: String,
    pub snippet: String,
}

impl From<SearchHit> for SearchResult {
    fn from(hit: SearchHit) -> Self {
        SearchResult {
            decision_id: (hit.kind == "decision").then(|| hit.subject_id.clone()),
            meeting_id: hit.subject_id.clone(),
            kind: hit.kind,
            subject_id: hit.subject_id,
            council_id: hit.council_id,
            url: hit.url,
            title: hit.title,
            snippet: hit.snippet,
        }
    }
}

/// `GET_MEETING`: a meeting's record, with its committee and council names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingRecord {
    pub id: String,
    pub council_id: String,
    pub source_id: String,
    pub title: String,
    pub local_date: String,
    pub local_time: Option<String>,
    pub time_zone: String,
    pub starts_at_utc: Option<String>,
    pub status: String,
    pub is_special: i64,
    pub location: Option<String>,
    pub agenda_published: i64,
    pub minutes_published: i64,
    pub decisions_published: i64,
    pub web_url: String,
    pub source_mode: String,
    pub listed: i64,
    pub missing_since: Option<String>,
    pub content_changed: i64,
    pub change_note: Option<String>,
    pub changed_at: Option<String>,
    pub detail_fetched_at: Option<String>,
    pub read_error: Option<String>,
    /// What the platform listed but could not be read in full, stored as JSON text.
    #[serde(default, deserialize_with = "gaps_from_text")]
    pub read_gaps: Vec<crate::model::ReadGap>,
    pub first_seen_at: String,
    pub updated_at: String,
    pub committee_id: String,
    pub committee_title: String,
    pub council_name: String,
}

/// The gaps column as D1 answers it (JSON text, or null), read into its value.
/// A JSON column (as D1 answers it: text) read as the value it holds; null when empty.
fn json_from_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<serde_json::Value, D::Error> {
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.filter(|t| !t.is_empty()) {
        Some(text) => serde_json::from_str(&text).map_err(serde::de::Error::custom),
        None => Ok(serde_json::Value::Null),
    }
}

/// `MEETING_VOTES`: a recorded vote of a meeting, with each choice
/// (`choice`, `name` as written, `person_id` where matched, `party`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingVote {
    pub id: String,
    pub agenda_item_id: Option<String>,
    pub motion: String,
    pub result: Option<String>,
    #[serde(deserialize_with = "json_from_text")]
    pub counts: serde_json::Value,
    /// `minutes` or `recorded_votes_page`.
    pub source: String,
    pub page: Option<i64>,
    pub note: Option<String>,
    pub document_url: Option<String>,
    pub document_title: Option<String>,
    #[serde(deserialize_with = "json_from_text")]
    pub choices: serde_json::Value,
}

/// `PERSON_VOTES`: one person's choice on a recorded vote, with how their party group chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonVote {
    pub vote_id: String,
    pub motion: String,
    pub result: Option<String>,
    #[serde(deserialize_with = "json_from_text")]
    pub counts: serde_json::Value,
    pub agenda_item_id: Option<String>,
    pub choice: String,
    pub name_as_written: String,
    pub meeting_id: String,
    pub meeting_title: String,
    pub local_date: String,
    /// Choices of the person's party group on this vote (them included): `{"for": 12, "against": 1}`.
    #[serde(deserialize_with = "json_from_text")]
    pub party_choices: serde_json::Value,
}

impl Positioned for PersonVote {
    fn position(&self) -> (&str, &str) {
        (&self.local_date, &self.vote_id)
    }
}

/// Read through `Value`, whose decoder the worker has already, rather than a
/// decoder of its own: the site worker's size is on a budget.
fn gaps_from_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<crate::model::ReadGap>, D::Error> {
    let text: Option<String> = Option::deserialize(deserializer)?;
    let Some(text) = text.filter(|t| !t.is_empty()) else { return Ok(Vec::new()) };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(serde::de::Error::custom)?;
    let field = |gap: &serde_json::Value, name: &str| gap[name].as_str().unwrap_or_default().to_string();
    let count = |gap: &serde_json::Value, name: &str| gap[name].as_u64().unwrap_or(0) as u32;
    Ok(value
        .as_array()
        .into_iter()
        .flatten()
        .map(|gap| crate::model::ReadGap {
            part: field(gap, "part"),
            read: count(gap, "read"),
            total: count(gap, "total"),
            why: field(gap, "why"),
        })
        .collect())
}

/// `MEETING_ITEMS`: an agenda item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItemRecord {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    pub agenda_text: Option<String>,
    pub minutes_text: Option<String>,
    pub is_restricted: i64,
    pub decision_url: Option<String>,
}

/// `MEETING_DOCUMENTS`: a meeting's document, with how far reading it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingDocument {
    pub id: String,
    pub agenda_item_id: Option<String>,
    pub url: String,
    pub title: String,
    pub kind: String,
    pub published_on: Option<String>,
    pub is_restricted: i64,
    pub text_status: Option<String>,
    pub text_error: Option<String>,
    pub page_count: Option<i64>,
}

/// `MEETING_ATTENDANCE`: who was expected at a meeting, and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingAttendee {
    pub person_id: String,
    pub name: String,
    pub party: Option<String>,
    pub ward: Option<String>,
    pub role: Option<String>,
    pub attendance: Option<String>,
}

/// An agenda item with its documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaItem {
    #[serde(flatten)]
    pub record: AgendaItemRecord,
    pub documents: Vec<MeetingDocument>,
}

/// A meeting whole: its record, agenda items (each with its documents),
/// meeting-level documents and attendance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    #[serde(flatten)]
    pub record: MeetingRecord,
    pub agenda_items: Vec<AgendaItem>,
    pub documents: Vec<MeetingDocument>,
    pub attendance: Vec<MeetingAttendee>,
    /// Its webcasts (the newest first), with what their captions gave.
    pub webcasts: Vec<MeetingWebcast>,
}

/// `MEETING_WEBCASTS`, `GET_WEBCAST`: a webcast of a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingWebcast {
    pub id: String,
    #[serde(skip_serializing)]
    pub council_id: String,
    #[serde(skip_serializing)]
    pub meeting_id: Option<String>,
    #[serde(skip_serializing)]
    pub captions_url: Option<String>,
    pub platform: String,
    pub activity: String,
    pub title: String,
    pub live_at: Option<String>,
    pub player_url: String,
    #[serde(deserialize_with = "json_from_text")]
    pub points: serde_json::Value,
    pub points_unread: i64,
    /// 'unread', 'absent' (not published yet), 'read', 'error'.
    pub captions_status: String,
    pub captions_error: Option<String>,
    #[serde(skip_serializing)]
    pub captions_hash: Option<String>,
    #[serde(skip_serializing)]
    pub transcript_key: Option<String>,
    pub made_from: Option<String>,
    pub cues: i64,
    pub skipped_cues: i64,
    pub duration_ms: i64,
    pub captions_read_at: Option<String>,
    /// Speech to text of its sound: 'transcribing', 'done', 'error', or none.
    pub speech_status: Option<String>,
    pub speech_error: Option<String>,
    pub speech_chunks: i64,
}

impl MeetingWebcast {
    /// Its agenda points as stored.
    pub fn agenda_points(&self) -> Vec<crate::webcasts::AgendaPoint> {
        serde_json::from_value(self.points.clone()).unwrap_or_default()
    }
}

impl Meeting {
    /// What an alert says of it.
    pub fn for_alert(&self) -> crate::notify::compose::AlertMeeting {
        let record = &self.record;
        crate::notify::compose::AlertMeeting {
            id: record.id.clone(),
            council_name: record.council_name.clone(),
            committee_title: record.committee_title.clone(),
            local_date: record.local_date.clone(),
            status: record.status.clone(),
            web_url: record.web_url.clone(),
            item_titles: self.agenda_items.iter().map(|i| i.record.title.clone()).collect(),
        }
    }

    /// Every document of the meeting, meeting-level first.
    pub fn all_documents(&self) -> impl Iterator<Item = &MeetingDocument> {
        self.documents.iter().chain(self.agenda_items.iter().flat_map(|i| i.documents.iter()))
    }
}

/// `COUNCIL_COMMITTEES`: a council's committee, with its number of meetings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilCommittee {
    pub id: String,
    pub source_id: String,
    pub title: String,
    pub category: Option<String>,
    pub is_deleted: i64,
    pub is_expired: i64,
    pub meetings: i64,
}

/// A row of a list paged by (date, id).
pub trait Positioned {
    /// The meeting's date and id: where the next page starts after it.
    fn position(&self) -> (&str, &str);
}

/// `COUNCIL_MEETINGS`: one meeting of a council's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilMeeting {
    pub id: String,
    pub title: String,
    pub local_date: String,
    pub local_time: Option<String>,
    pub starts_at_utc: Option<String>,
    pub status: String,
    pub is_special: i64,
    pub location: Option<String>,
    pub agenda_published: i64,
    pub minutes_published: i64,
    pub web_url: String,
    pub listed: i64,
    pub content_changed: i64,
    pub committee_id: String,
    pub committee_title: String,
    pub has_summary: i64,
    /// Its published summary records decisions.
    pub has_decisions: i64,
}

impl Positioned for CouncilMeeting {
    fn position(&self) -> (&str, &str) {
        (&self.local_date, &self.id)
    }
}

/// `FIND_MEETINGS`, `FIND_COUNCIL_MEETINGS`: a meeting found across councils.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundMeeting {
    pub id: String,
    pub council_id: String,
    pub committee_id: String,
    pub committee_title: String,
    pub title: String,
    pub local_date: String,
    pub local_time: Option<String>,
    pub starts_at_utc: Option<String>,
    pub status: String,
    pub location: Option<String>,
    pub web_url: String,
    pub minutes_published: i64,
    pub listed: i64,
    pub has_summary: i64,
}

impl Positioned for FoundMeeting {
    fn position(&self) -> (&str, &str) {
        (&self.local_date, &self.id)
    }
}

/// `GET_COMMITTEE`: a committee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Committee {
    pub id: String,
    pub council_id: String,
    pub source_id: String,
    pub title: String,
    pub category: Option<String>,
}

/// `COMMITTEE_MEETINGS`: a committee's meeting, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitteeMeeting {
    pub id: String,
    pub title: String,
    pub local_date: String,
    pub local_time: Option<String>,
    pub starts_at_utc: Option<String>,
    pub status: String,
    pub location: Option<String>,
    pub updated_at: String,
    pub has_summary: i64,
}

/// `CALENDAR_MEETINGS`: a meeting as a calendar event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarMeeting {
    pub id: String,
    pub title: String,
    pub local_date: String,
    pub starts_at_utc: Option<String>,
    pub status: String,
    pub location: Option<String>,
    pub updated_at: String,
}

/// `FEED_SUMMARIES`: a summary as a feed item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryFeedRow {
    pub meeting_id: String,
    pub version: i64,
    pub created_at: String,
    pub title: String,
    pub headline: Option<String>,
}

/// `FEED_DECISIONS`: a decision as a feed item; its headline is the decision's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionFeedRow {
    pub decision_id: String,
    pub title: String,
    pub headline: String,
    pub created_at: String,
}

/// One item of a council's feed.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedItem {
    Summary(SummaryFeedRow),
    Decision(DecisionFeedRow),
}

impl FeedItem {
    pub fn created_at(&self) -> &str {
        match self {
            FeedItem::Summary(row) => &row.created_at,
            FeedItem::Decision(row) => &row.created_at,
        }
    }
}

/// The field names of a row struct, as serde reads them (for the check
/// that each typed read's struct names its query's columns).
pub fn field_names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    struct Fields(Option<&'static [&'static str]>);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl serde::de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> serde::Deserializer<'de> for &mut Fields {
        type Error = Stop;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut fields = Fields(None);
    let _ = T::deserialize(&mut fields);
    fields.0.unwrap_or_default()
}

/// Each typed read: its query's name in `queries` and its row's fields.
/// A council's record of the claim checks (`CLAIM_RECORD`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ClaimRecord {
    pub council_id: String,
    pub council_name: String,
    pub summaries: i64,
    pub model_written: i64,
    pub extractive: i64,
    pub sentences_checked: i64,
    pub sentences_dropped: i64,
    pub sections_extractive: i64,
    pub quotes_kept: i64,
    pub quotes_dropped: i64,
    pub decisions_dropped: i64,
    /// Sentences left out by kind of claim, a JSON object as SQLite builds it (null when none).
    pub dropped_by_kind: Option<String>,
}

pub fn typed_reads() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("CLAIM_RECORD", field_names::<ClaimRecord>()),
        ("LATEST_SUMMARIES", field_names::<LatestSummary>()),
        ("COUNCIL_DECISIONS", field_names::<DecisionListed>()),
        ("GET_DECISION", field_names::<DecisionRecord>()),
        ("DECISION_DOCUMENTS", field_names::<DecisionDocumentRead>()),
        ("GET_PERSON", field_names::<Person>()),
        ("COUNCIL_COUNCILLORS", field_names::<Councillor>()),
        ("PERSON_ATTENDANCE", field_names::<Attended>()),
        ("SEARCH", field_names::<SearchHit>()),
        ("GET_COMMITTEE", field_names::<Committee>()),
        ("GET_MEETING", field_names::<MeetingRecord>()),
        ("MEETING_ITEMS", field_names::<AgendaItemRecord>()),
        ("MEETING_DOCUMENTS", field_names::<MeetingDocument>()),
        ("MEETING_ATTENDANCE", field_names::<MeetingAttendee>()),
        ("MEETING_WEBCASTS", field_names::<MeetingWebcast>()),
        ("GET_WEBCAST", field_names::<MeetingWebcast>()),
        ("COUNCIL_COMMITTEES", field_names::<CouncilCommittee>()),
        ("COUNCIL_MEETINGS", field_names::<CouncilMeeting>()),
        ("FIND_MEETINGS", field_names::<FoundMeeting>()),
        ("FIND_COUNCIL_MEETINGS", field_names::<FoundMeeting>()),
        ("COMMITTEE_MEETINGS", field_names::<CommitteeMeeting>()),
        ("CALENDAR_MEETINGS", field_names::<CalendarMeeting>()),
        ("FEED_SUMMARIES", field_names::<SummaryFeedRow>()),
        ("FEED_DECISIONS", field_names::<DecisionFeedRow>()),
        ("COUNCILS_HEALTH", field_names::<CouncilRuns>()),
        ("COUNCIL_HEALTH", field_names::<CouncilHealth>()),
        ("COUNCIL_FAILURES", field_names::<Failure>()),
        ("EXPORT_MEETINGS", field_names::<export::Meeting>()),
        ("EXPORT_ITEMS", field_names::<export::Item>()),
        ("EXPORT_DOCUMENTS", field_names::<export::Document>()),
        ("EXPORT_ATTENDANCE", field_names::<export::Attendee>()),
        ("EXPORT_VOTES", field_names::<export::Vote>()),
        ("EXPORT_DECISIONS", field_names::<export::Decision>()),
        ("EXPORT_SUMMARIES", field_names::<export::Summary>()),
        ("EXPORT_PEOPLE", field_names::<export::Person>()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_read_from_the_struct() {
        assert_eq!(field_names::<LatestSummary>(), ["id", "title", "council"]);
        assert!(field_names::<DecisionRecord>().contains(&"documents"));
    }

    #[test]
    fn a_decisions_search_result_names_it_as_a_decision() {
        let hit = |kind: &str| SearchHit {
            kind: kind.into(),
            subject_id: "kent-d1".into(),
            council_id: "kent".into(),
            url: "/decisions/kent-d1".into(),
            title: "t".into(),
            snippet: "s".into(),
        };
        let decision = serde_json::to_value(SearchResult::from(hit("decision"))).unwrap();
        assert_eq!(
            (decision["decision_id"].as_str(), decision["meeting_id"].as_str()),
            (Some("kent-d1"), Some("kent-d1"))
        );
        let meeting = serde_json::to_value(SearchResult::from(hit("meeting"))).unwrap();
        assert!(meeting.get("decision_id").is_none());
    }

    #[test]
    fn read_gaps_are_read_back_from_their_json_text() {
        let gap = crate::model::ReadGap { part: "apologies".into(), read: 25, total: 104, why: "postback".into() };
        let text = serde_json::to_string(&vec![gap.clone()]).unwrap();
        #[derive(Deserialize)]
        struct Row {
            #[serde(deserialize_with = "gaps_from_text")]
            read_gaps: Vec<crate::model::ReadGap>,
        }
        let row: Row = serde_json::from_value(serde_json::json!({"read_gaps": text})).unwrap();
        assert_eq!(row.read_gaps, [gap]);
        let none: Row = serde_json::from_value(serde_json::json!({"read_gaps": null})).unwrap();
        assert!(none.read_gaps.is_empty());
    }
}

/// `COUNCILS_HEALTH`: a council's runs, as `/status` lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilRuns {
    pub id: String,
    pub name: String,
    pub enabled: i64,
    pub failing_flagged_at: Option<String>,
    pub last_read_at: Option<String>,
    pub last_run_status: Option<String>,
    pub failing_since: Option<String>,
    pub last_error: Option<String>,
}

impl CouncilRuns {
    /// The facts `health::state` judges.
    pub fn facts(&self) -> crate::health::RunFacts {
        let instant = |text: &Option<String>| text.as_deref().and_then(crate::time::parse_instant);
        crate::health::RunFacts {
            enabled: self.enabled != 0,
            last_read_at: instant(&self.last_read_at),
            last_run_status: self.last_run_status.clone(),
            failing_since: instant(&self.failing_since),
        }
    }
}

/// `COUNCIL_HEALTH`: one council's runs and what awaits it, for its status page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilHealth {
    pub id: String,
    pub name: String,
    pub enabled: i64,
    pub failing_flagged_at: Option<String>,
    pub councillors_read_at: Option<String>,
    pub councillors_error: Option<String>,
    pub decisions_read_at: Option<String>,
    pub decisions_error: Option<String>,
    pub last_read_at: Option<String>,
    pub last_run_status: Option<String>,
    pub failing_since: Option<String>,
    pub awaiting_minutes: i64,
    pub documents_unreadable: i64,
    /// `[method, notes]` of the council's newest summary, or null.
    #[serde(deserialize_with = "json_from_text")]
    pub newest_summary: serde_json::Value,
}

/// `COUNCIL_FAILURES`: one thing that failed, when, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub at: String,
    pub place: String,
    pub error: Option<String>,
}

/// Open data (`EXPORT_*`): a council's records as the export reads them.
pub mod export {
    use serde::{Deserialize, Serialize};

    /// `EXPORT_MEETINGS`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Meeting {
        pub id: String,
        pub committee_id: String,
        pub committee: String,
        pub title: String,
        pub local_date: String,
        pub local_time: Option<String>,
        pub time_zone: String,
        pub starts_at_utc: Option<String>,
        pub status: String,
        pub location: Option<String>,
        pub agenda_published: i64,
        pub minutes_published: i64,
        pub web_url: String,
        pub listed: i64,
        #[serde(deserialize_with = "super::json_from_text")]
        pub read_gaps: serde_json::Value,
        pub updated_at: String,
    }

    /// `EXPORT_ITEMS`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Item {
        pub meeting_id: String,
        pub id: String,
        pub position: i64,
        pub number: Option<String>,
        pub title: String,
        pub agenda_text: Option<String>,
        pub minutes_text: Option<String>,
        pub is_restricted: i64,
    }

    /// `EXPORT_DOCUMENTS`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Document {
        pub meeting_id: String,
        pub agenda_item_id: Option<String>,
        pub id: String,
        pub url: String,
        pub title: String,
        pub kind: Option<String>,
        pub published_on: Option<String>,
        pub is_restricted: i64,
        pub text_status: Option<String>,
        pub page_count: Option<i64>,
        pub byte_size: Option<i64>,
        pub content_hash: Option<String>,
    }

    /// `EXPORT_ATTENDANCE`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Attendee {
        pub meeting_id: String,
        pub person_id: String,
        pub name: String,
        pub role: Option<String>,
        pub attendance: Option<String>,
    }

    /// `EXPORT_VOTES`: `votes` as OCD's `[{option, voter_name, voter_id}]`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Vote {
        pub id: String,
        pub meeting_id: String,
        pub agenda_item_id: Option<String>,
        pub local_date: String,
        pub committee: String,
        pub motion: String,
        pub result: Option<String>,
        #[serde(deserialize_with = "super::json_from_text")]
        pub counts: serde_json::Value,
        pub source: String,
        pub document_id: Option<String>,
        pub page: Option<i64>,
        pub note: Option<String>,
        #[serde(deserialize_with = "super::json_from_text")]
        pub votes: serde_json::Value,
    }

    /// `EXPORT_DECISIONS`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Decision {
        pub id: String,
        pub register: String,
        pub title: String,
        pub listed_on: Option<String>,
        pub decided_on: Option<String>,
        pub decision_maker: Option<String>,
        pub status: Option<String>,
        pub is_key: Option<i64>,
        pub call_in: Option<String>,
        pub call_in_deadline: Option<String>,
        pub purpose: Option<String>,
        pub decision: Option<String>,
        pub published_on: Option<String>,
        pub web_url: String,
        pub meeting_source_id: Option<String>,
        #[serde(deserialize_with = "super::json_from_text")]
        pub documents: serde_json::Value,
        pub read_error: Option<String>,
    }

    /// `EXPORT_SUMMARIES`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Summary {
        pub meeting_id: String,
        pub version: i64,
        pub method: String,
        pub provider: String,
        pub model: Option<String>,
        pub prompt_version: String,
        pub input_hash: String,
        pub created_at: String,
        pub updated_reason: Option<String>,
        #[serde(deserialize_with = "super::json_from_text")]
        pub body: serde_json::Value,
        pub sentences_checked: i64,
        pub sentences_dropped: i64,
        #[serde(deserialize_with = "super::json_from_text")]
        pub dropped_by_kind: serde_json::Value,
        pub claims_checked: i64,
        pub quotes_kept: i64,
        pub quotes_dropped: i64,
        pub sections_extractive: i64,
    }

    /// `EXPORT_PEOPLE`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Person {
        pub id: String,
        pub name: String,
        pub party: Option<String>,
        pub ward: Option<String>,
        pub photo_url: Option<String>,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub listed_since: Option<String>,
        pub former_since: Option<String>,
    }
}

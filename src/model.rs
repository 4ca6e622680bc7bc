//! What a council publishes, as parsed from its site, before it is stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Committee {
    pub source_id: String,
    pub title: String,
    pub category: Option<String>,
    pub is_deleted: bool,
    pub is_expired: bool,
}

/// The platform a council publishes its meetings on, as the registry names
/// it; parsed once, where a council is read, and matched as a type after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Civica ModernGov: its web service, or its HTML pages.
    ModernGov,
    /// Civica CMIS: its DotNetNuke pages.
    Cmis,
    /// Any other system: registered, not read.
    #[serde(other)]
    Other,
}

impl Platform {
    /// The registry's name for a platform, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "moderngov" => Some(Self::ModernGov),
            "cmis" => Some(Self::Cmis),
            "other" => Some(Self::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ModernGov => "moderngov",
            Self::Cmis => "cmis",
            Self::Other => "other",
        }
    }

    /// Its name as residents may know it.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::ModernGov => "Civica ModernGov",
            Self::Cmis => "Civica CMIS",
            Self::Other => "another system",
        }
    }
}

/// A meeting as it appears in a committee's meeting list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingListing {
    pub source_id: String,
    pub committee_source_id: String,
    pub date: NaiveDate,
    pub time_text: Option<String>,
    pub status: MeetingStatus,
    /// The meeting's page where the platform links it rather than building it from ids (CMIS).
    #[serde(default)]
    pub page_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Confirmed,
    Cancelled,
    Postponed,
    Provisional,
}

impl MeetingStatus {
    pub fn parse(text: &str) -> Self {
        let lower = text.trim().to_ascii_lowercase();
        if lower.contains("cancel") {
            Self::Cancelled
        } else if lower.contains("postpone") {
            Self::Postponed
        } else if lower.contains("provisional") || lower.contains("draft") {
            Self::Provisional
        } else {
            Self::Confirmed
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
            Self::Postponed => "postponed",
            Self::Provisional => "provisional",
        }
    }
}

/// Everything one meeting's detail fetch tells us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MeetingDetail {
    pub source_id: String,
    /// Heading as the council's page writes it, when the page gives one.
    pub heading: Option<String>,
    pub date: Option<NaiveDate>,
    pub time_text: Option<String>,
    pub status: Option<MeetingStatus>,
    pub location: Option<String>,
    pub agenda_published: bool,
    pub minutes_published: bool,
    pub decisions_published: bool,
    pub items: Vec<AgendaItem>,
    /// Meeting-level documents: frontsheet, reports pack, minutes, supplements.
    pub documents: Vec<Document>,
    pub attendees: Vec<Attendee>,
    /// What the platform could not read in full (a list paged beyond what can be read).
    #[serde(default)]
    pub gaps: Vec<ReadGap>,
    /// The platform's own voting record pages the meeting page links.
    #[serde(default)]
    pub vote_pages: Vec<VotePage>,
    /// The votes those pages record.
    #[serde(default)]
    pub recorded_votes: Vec<crate::votes::PlatformVote>,
    /// Webcasts the meeting page links: (portal, the webcast's id where the link names one).
    #[serde(default)]
    pub webcasts: Vec<(String, Option<String>)>,
}

/// A link to an agenda item's voting record on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VotePage {
    pub item_source_id: Option<String>,
    pub url: String,
}

/// A part of a meeting a platform lists in full but could be read only in
/// part: what it is, how many of how many were read, and why not the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadGap {
    /// "attendance", "apologies", "others attending", "absent".
    pub part: String,
    pub read: u32,
    pub total: u32,
    pub why: String,
}

impl ReadGap {
    /// "apologies: 25 of 104 listed could be read (…)".
    pub fn describe(&self) -> String {
        format!("{}: {} of {} listed could be read ({})", self.part, self.read, self.total, self.why)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub source_id: String,
    pub number: Option<String>,
    pub title: String,
    pub agenda_text: Option<String>,
    pub minutes_text: Option<String>,
    pub is_restricted: bool,
    pub documents: Vec<Document>,
    /// The council's own record of the decision on this item, where it links one (CMIS).
    #[serde(default)]
    pub decision_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The council's attachment id, when it gives one.
    pub source_id: Option<String>,
    pub url: String,
    pub title: String,
    pub kind: DocumentKind,
    pub published_on: Option<NaiveDate>,
    pub is_restricted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    AgendaFrontsheet,
    ReportsPack,
    PrintedMinutes,
    Supplement,
    Decisions,
    ItemDocument,
    /// A document of a decision in the decisions register.
    DecisionDocument,
    Other,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AgendaFrontsheet => "agenda_frontsheet",
            Self::ReportsPack => "reports_pack",
            Self::PrintedMinutes => "printed_minutes",
            Self::Supplement => "supplement",
            Self::Decisions => "decisions",
            Self::ItemDocument => "item_document",
            Self::DecisionDocument => "decision_document",
            Self::Other => "other",
        }
    }

    /// The kind a stored `as_str` names; an unknown name reads as `Other`.
    pub fn parse(text: &str) -> Self {
        [
            Self::AgendaFrontsheet,
            Self::ReportsPack,
            Self::PrintedMinutes,
            Self::Supplement,
            Self::Decisions,
            Self::ItemDocument,
            Self::DecisionDocument,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
        .unwrap_or(Self::Other)
    }

    /// A meeting-level document's kind, from ModernGov's `?T=` type code or its title.
    pub fn classify_meeting_document(url: &str, title: &str) -> Self {
        let type_code =
            url.split_once('?').and_then(|(_, query)| query.split('&').find_map(|pair| pair.strip_prefix("T=")));
        match type_code {
            Some("0") => return Self::AgendaFrontsheet,
            Some("10") => return Self::ReportsPack,
            Some("1") => return Self::PrintedMinutes,
            _ => {}
        }
        Self::from_title(title)
    }

    /// A meeting-level document's kind from its title, on every platform.
    /// Minutes first: a title naming minutes is the minutes whatever else it
    /// says ("Minutes of the additional meeting"), and whether minutes are
    /// published hangs on it. Then supplements, then packs ("Agenda Document
    /// Pack", CMIS's "Final Agenda Reports"), decisions, and the agenda.
    pub fn from_title(title: &str) -> Self {
        let title = title.to_ascii_lowercase();
        let any = |words: &[&str]| words.iter().any(|w| title.contains(w));
        if any(&["minutes"]) {
            Self::PrintedMinutes
        } else if any(&["supplement", "to follow", "additional"]) {
            Self::Supplement
        } else if any(&["pack", "agenda reports"]) {
            Self::ReportsPack
        } else if any(&["frontsheet"]) {
            Self::AgendaFrontsheet
        } else if any(&["decision"]) {
            Self::Decisions
        } else if any(&["agenda"]) {
            Self::AgendaFrontsheet
        } else {
            Self::Other
        }
    }
}

/// A decision as a register lists it (`mgDelegatedDecisions.aspx`,
/// `mgListOfficerDecisions.aspx`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionListing {
    pub source_id: String,
    pub title: String,
    /// The date the register gives (made or published).
    pub date: Option<chrono::NaiveDate>,
    /// Call-in status as the register words it, when it has that column.
    pub call_in: Option<String>,
}

/// A decision's own page (`ieDecisionDetails.aspx?ID=`): the council's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionDetail {
    pub source_id: String,
    pub title: String,
    pub decision_maker: Option<String>,
    pub status: Option<String>,
    pub is_key: Option<bool>,
    pub subject_to_call_in: Option<bool>,
    pub call_in_deadline: Option<chrono::NaiveDate>,
    pub purpose: Option<String>,
    pub decision: Option<String>,
    pub published_on: Option<chrono::NaiveDate>,
    pub decided_on: Option<chrono::NaiveDate>,
    /// The meeting it was taken at: committee and meeting ids on the council's site.
    pub meeting: Option<(String, String)>,
    pub documents: Vec<Document>,
}

/// A councillor as the council lists them (`GetCouncillorsByWard`): the
/// council's own words, never generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Councillor {
    /// The ModernGov member id, the same one attendance lists use.
    pub source_id: String,
    pub name: String,
    pub ward: String,
    pub party: Option<String>,
    pub photo_url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub source_id: String,
    pub name: String,
    pub role: Option<String>,
    pub attendance: Option<String>,
    pub party: Option<String>,
    pub ward: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_are_parsed_once_from_the_registry() {
        for platform in [Platform::ModernGov, Platform::Cmis, Platform::Other] {
            assert_eq!(Platform::parse(platform.as_str()), Some(platform));
            assert_eq!(serde_json::to_value(platform).unwrap(), platform.as_str());
        }
        assert_eq!(Platform::parse("jadu"), None);
        assert_eq!(serde_json::from_str::<Platform>("\"jadu\"").unwrap(), Platform::Other);
    }

    #[test]
    fn stored_document_kinds_read_back() {
        for kind in [
            DocumentKind::PrintedMinutes,
            DocumentKind::ReportsPack,
            DocumentKind::DecisionDocument,
            DocumentKind::Other,
        ] {
            assert_eq!(DocumentKind::parse(kind.as_str()), kind);
        }
        assert_eq!(DocumentKind::parse("no such kind"), DocumentKind::Other);
    }

    #[test]
    fn classifies_meeting_documents() {
        let kind = DocumentKind::classify_meeting_document;
        assert_eq!(kind("documents/g1/Agenda frontsheet.pdf?T=0", "Agenda frontsheet"), DocumentKind::AgendaFrontsheet);
        assert_eq!(kind("documents/g1/Public reports pack.pdf?T=10", "Agenda reports pack"), DocumentKind::ReportsPack);
        assert_eq!(kind("documents/g1/Printed minutes.pdf?T=1", "Printed minutes"), DocumentKind::PrintedMinutes);
        assert_eq!(kind("documents/g1/x.pdf?T=9", "Supplementary Agenda"), DocumentKind::Supplement);
        assert_eq!(kind("documents/g1/x.pdf", "Decisions"), DocumentKind::Decisions);
        assert_eq!(kind("documents/g1/x.pdf", "Something else"), DocumentKind::Other);
    }

    #[test]
    fn reads_meeting_status() {
        assert_eq!(MeetingStatus::parse("Cancelled"), MeetingStatus::Cancelled);
        assert_eq!(MeetingStatus::parse(" Confirmed "), MeetingStatus::Confirmed);
        assert_eq!(MeetingStatus::parse("POSTPONED"), MeetingStatus::Postponed);
    }
}

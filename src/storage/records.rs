//! Pure preparation of what is written to D1: stable ids from the council's
//! own ids, rows for a meeting, and content fingerprints to tell what changed.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::model::{Document, MeetingDetail, MeetingListing, MeetingStatus};
use crate::time::{local_to_utc, meeting_title, parse_clock_time, stamp};

use crate::hash::short_hash;

pub fn committee_id(council: &str, source_id: &str) -> String {
    format!("{council}-c{source_id}")
}

pub fn meeting_id(council: &str, source_id: &str) -> String {
    format!("{council}-{source_id}")
}

pub fn item_id(council: &str, source_id: &str) -> String {
    format!("{council}-i{source_id}")
}

pub fn person_id(council: &str, source_id: &str) -> String {
    format!("{council}-m{source_id}")
}

/// The member id a stored person id was made from (`person_id`'s inverse).
pub fn person_source_id(council: &str, person_id: &str) -> Option<String> {
    person_id.strip_prefix(council)?.strip_prefix("-m").map(str::to_string)
}

/// The attachment id a stored document id was made from, if it was made from one
/// (`document_id`'s inverse), so that a document read back keeps its id when saved again.
pub fn document_source_id(council: &str, document_id: &str) -> Option<String> {
    document_id.strip_prefix(council)?.strip_prefix("-a").map(str::to_string)
}

pub fn document_id(council: &str, document: &Document) -> String {
    match &document.source_id {
        Some(id) => format!("{council}-a{id}"),
        None => format!("{council}-u{}", &short_hash(&document.url)[..12]),
    }
}

/// The meeting row's columns derived from what was fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: String,
    pub committee_id: String,
    pub title: String,
    pub local_date: String,
    pub local_time: Option<String>,
    pub starts_at_utc: Option<String>,
    pub status: MeetingStatus,
    pub is_special: bool,
}

/// Builds the meeting row. The page heading is the council's own title; without
/// one, the title is written in ModernGov's style from the committee and date.
pub fn meeting_row(
    council: &str,
    committee_title: &str,
    listing: &MeetingListing,
    detail: &MeetingDetail,
    zone: Tz,
) -> MeetingRow {
    let date = detail.date.unwrap_or(listing.date);
    let time_text = detail.time_text.as_deref().or(listing.time_text.as_deref());
    let time = time_text.and_then(parse_clock_time);
    let title = detail.heading.clone().unwrap_or_else(|| meeting_title(committee_title, date, time_text));
    let lower = format!("{title} {committee_title}").to_ascii_lowercase();
    MeetingRow {
        id: meeting_id(council, &listing.source_id),
        committee_id: committee_id(council, &listing.committee_source_id),
        local_date: date.format("%Y-%m-%d").to_string(),
        local_time: time.map(|t| t.format("%H:%M").to_string()),
        starts_at_utc: time.map(|t| stamp(local_to_utc(date, t, zone))),
        status: detail.status.unwrap_or(listing.status),
        is_special: lower.contains("special") || lower.contains("extraordinary"),
        title,
    }
}

/// Per-part content hashes of a meeting. Two fetches with equal fingerprints
/// carry the same data; a difference says exactly what changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub meta: String,
    /// item id → (label, hash)
    pub items: BTreeMap<String, (String, String)>,
    /// document id → (title, hash)
    pub documents: BTreeMap<String, (String, String)>,
    pub attendance: String,
}

fn hash_json<T: Serialize>(value: &T) -> String {
    short_hash(&serde_json::to_string(value).unwrap_or_default())
}

pub fn fingerprint(council: &str, row: &MeetingRow, detail: &MeetingDetail) -> Fingerprint {
    let meta = hash_json(&(
        &row.title,
        &row.local_date,
        &row.local_time,
        row.status,
        &detail.location,
        detail.agenda_published,
        detail.minutes_published,
        detail.decisions_published,
    ));
    let mut items = BTreeMap::new();
    let mut documents = BTreeMap::new();
    let mut add_document = |document: &Document| {
        let id = document_id(council, document);
        // CMIS's opaque `Document.ashx` links change while the document does
        // not: such a document is compared without its link.
        let opaque_link = document.source_id.is_some() && document.url.to_ascii_lowercase().contains("/document.ashx?");
        let hash = if opaque_link {
            hash_json(&(&document.title, document.kind, &document.published_on, document.is_restricted))
        } else {
            hash_json(document)
        };
        documents.insert(id, (document.title.clone(), hash));
    };
    for document in &detail.documents {
        add_document(document);
    }
    for item in &detail.items {
        let label = match &item.number {
            Some(number) => format!("item {number} \"{}\"", item.title),
            None => format!("item \"{}\"", item.title),
        };
        let hash = hash_json(&(&item.number, &item.title, &item.agenda_text, &item.minutes_text, item.is_restricted));
        items.insert(item_id(council, &item.source_id), (label, hash));
        for document in &item.documents {
            add_document(document);
        }
    }
    Fingerprint { meta, items, documents, attendance: hash_json(&detail.attendees) }
}

impl Fingerprint {
    pub fn digest(&self) -> String {
        hash_json(self)
    }
}

/// What changed between two fingerprints, in words, agenda and documents first.
/// Empty when nothing did.
pub fn describe_changes(old: &Fingerprint, new: &Fingerprint) -> Vec<String> {
    let mut changes = Vec::new();
    for (id, (label, hash)) in &new.items {
        match old.items.get(id) {
            None => changes.push(format!("{label} added")),
            Some((_, old_hash)) if old_hash != hash => changes.push(format!("{label} changed")),
            _ => {}
        }
    }
    for (id, (label, _)) in &old.items {
        if !new.items.contains_key(id) {
            changes.push(format!("{label} removed"));
        }
    }
    for (id, (title, hash)) in &new.documents {
        match old.documents.get(id) {
            None => changes.push(format!("document \"{title}\" added")),
            Some((_, old_hash)) if old_hash != hash => changes.push(format!("document \"{title}\" changed")),
            _ => {}
        }
    }
    for (id, (title, _)) in &old.documents {
        if !new.documents.contains_key(id) {
            changes.push(format!("document \"{title}\" removed"));
        }
    }
    if old.meta != new.meta {
        changes.push("meeting details changed (time, place, status or publication)".to_string());
    }
    if old.attendance != new.attendance {
        changes.push("attendance changed".to_string());
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AgendaItem, DocumentKind};
    use chrono::NaiveDate;

    fn listing() -> MeetingListing {
        MeetingListing {
            source_id: "4967".into(),
            committee_source_id: "144".into(),
            date: NaiveDate::from_ymd_opt(2026, 6, 10).unwrap(),
            time_text: Some("10.00 am".into()),
            status: MeetingStatus::Confirmed,
            page_url: None,
        }
    }

    fn detail() -> MeetingDetail {
        MeetingDetail {
            source_id: "4967".into(),
            items: vec![AgendaItem {
                source_id: "1".into(),
                number: Some("1".into()),
                title: "Budget".into(),
                agenda_text: Some("Text".into()),
                minutes_text: None,
                is_restricted: false,
                documents: vec![],
                decision_url: None,
            }],
            documents: vec![Document {
                source_id: None,
                url: "https://x/documents/g1/Agenda frontsheet.pdf?T=0".into(),
                title: "Agenda frontsheet".into(),
                kind: DocumentKind::AgendaFrontsheet,
                published_on: None,
                is_restricted: false,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn builds_a_meeting_row_in_local_and_utc_time() {
        let row = meeting_row("coventry", "Audit Committee", &listing(), &detail(), crate::time::DEFAULT_TIME_ZONE);
        assert_eq!(row.id, "coventry-4967");
        assert_eq!(row.committee_id, "coventry-c144");
        assert_eq!(row.title, "Audit Committee - Wednesday, 10th June, 2026 10.00 am");
        assert_eq!(row.local_date, "2026-06-10");
        assert_eq!(row.local_time.as_deref(), Some("10:00"));
        assert_eq!(row.starts_at_utc.as_deref(), Some("2026-06-10T09:00:00Z"));
        assert!(!row.is_special);
        let mut special = detail();
        special.heading = Some("Extraordinary Meeting, Council - Monday".into());
        assert!(meeting_row("c", "Council", &listing(), &special, crate::time::DEFAULT_TIME_ZONE).is_special);
    }

    #[test]
    fn equal_content_has_equal_fingerprints() {
        let row = meeting_row("c", "Audit", &listing(), &detail(), crate::time::DEFAULT_TIME_ZONE);
        let a = fingerprint("c", &row, &detail());
        let b = fingerprint("c", &row, &detail());
        assert_eq!(a.digest(), b.digest());
        assert!(describe_changes(&a, &b).is_empty());
    }

    #[test]
    fn describes_what_changed() {
        let row = meeting_row("c", "Audit", &listing(), &detail(), crate::time::DEFAULT_TIME_ZONE);
        let before = fingerprint("c", &row, &detail());
        let mut changed = detail();
        changed.items[0].agenda_text = Some("Revised text".into());
        changed.items.push(AgendaItem {
            source_id: "2".into(),
            number: Some("2".into()),
            title: "Parks".into(),
            ..changed.items[0].clone()
        });
        changed.documents.push(Document {
            source_id: Some("9".into()),
            url: "https://x/documents/g1/Printed minutes.pdf?T=1".into(),
            title: "Printed minutes".into(),
            kind: DocumentKind::PrintedMinutes,
            published_on: None,
            is_restricted: false,
        });
        let after = fingerprint("c", &row, &changed);
        assert_ne!(before.digest(), after.digest());
        assert_eq!(
            describe_changes(&before, &after),
            vec![
                "item 1 \"Budget\" changed".to_string(),
                "item 2 \"Parks\" added".to_string(),
                "document \"Printed minutes\" added".to_string(),
            ]
        );
        assert_eq!(describe_changes(&after, &before).len(), 3);
    }

    #[test]
    fn document_ids_are_stable() {
        let doc = &detail().documents[0];
        assert_eq!(document_id("c", doc), document_id("c", &doc.clone()));
        assert!(document_id("c", doc).starts_with("c-u"));
        let with_id = Document { source_id: Some("60860".into()), ..doc.clone() };
        assert_eq!(document_id("coventry", &with_id), "coventry-a60860");
    }

    #[test]
    fn stored_ids_give_back_the_ids_they_were_made_from() {
        let with_id = Document { source_id: Some("60860".into()), ..detail().documents[0].clone() };
        let read_back = Document {
            source_id: document_source_id("coventry", &document_id("coventry", &with_id)),
            ..with_id.clone()
        };
        assert_eq!(document_id("coventry", &read_back), "coventry-a60860", "a document read back keeps its id");
        let by_url = detail().documents[0].clone();
        assert_eq!(document_source_id("coventry", &document_id("coventry", &by_url)), None);
        assert_eq!(person_source_id("coventry", &person_id("coventry", "1726")).as_deref(), Some("1726"));
        assert_eq!(person_source_id("derby", "coventry-m1726"), None);
    }
}

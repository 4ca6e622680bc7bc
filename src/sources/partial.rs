//! A meeting read in part: one of its sources answered, another failed. What
//! the answering sources said is stored; from the previous read only what the
//! failed part alone provides is kept, so that a failure of a part never loses
//! what the other parts newly said, nor what the failed part said before.

use chrono::NaiveDate;

use crate::model::{Attendee, Document, DocumentKind, MeetingDetail};

/// The part of a meeting's read that failed this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailedPart {
    /// ModernGov's meeting page (`ieListDocuments.aspx`) while its web service
    /// answered: the page gives the heading, the location where the web service
    /// has none, and the meeting-level documents (frontsheet, pack, printed minutes).
    MeetingPage,
    /// Later pages of an attendance grid (CMIS) while the meeting's page answered.
    AttendancePages,
}

/// What was stored from the meeting's previous read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredRead {
    /// The stored title and the date it was read for: a heading from the page
    /// names the meeting's date, so it is kept only while the date is unchanged.
    pub title: String,
    pub date: Option<NaiveDate>,
    pub location: Option<String>,
    /// Meeting-level documents, in their stored order.
    pub documents: Vec<Document>,
    pub attendees: Vec<Attendee>,
}

/// Fills `detail` (the new read, without the failed part) with what only the
/// failed part said at the previous read. Everything the new read says wins.
pub fn keep_from_previous(detail: &mut MeetingDetail, previous: &StoredRead, failed: FailedPart) {
    match failed {
        FailedPart::MeetingPage => {
            if detail.heading.is_none() && previous.date.is_some() && previous.date == detail.date {
                detail.heading = Some(previous.title.clone());
            }
            if detail.location.is_none() {
                detail.location = previous.location.clone();
            }
            // A document the web service dropped is kept too until the page
            // answers again: where a document came from is not stored, and
            // keeping one a refresh longer is better than losing the page's.
            let known: Vec<String> = detail
                .documents
                .iter()
                .chain(detail.items.iter().flat_map(|item| item.documents.iter()))
                .map(|d| d.url.clone())
                .collect();
            for document in &previous.documents {
                if !known.contains(&document.url) {
                    detail.documents.push(document.clone());
                }
            }
            // As when the page answers: printed minutes linked mean minutes published.
            detail.minutes_published |= detail.documents.iter().any(|d| d.kind == DocumentKind::PrintedMinutes);
        }
        FailedPart::AttendancePages => {
            for attendee in &previous.attendees {
                if !detail.attendees.iter().any(|a| a.source_id == attendee.source_id) {
                    detail.attendees.push(attendee.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AgendaItem;

    fn document(url: &str, title: &str, kind: DocumentKind) -> Document {
        Document {
            source_id: None,
            url: url.into(),
            title: title.into(),
            kind,
            published_on: None,
            is_restricted: false,
        }
    }

    fn attendee(id: &str, name: &str) -> Attendee {
        Attendee {
            source_id: id.into(),
            name: name.into(),
            role: None,
            attendance: Some("Present".into()),
            party: None,
            ward: None,
        }
    }

    fn day(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 10, d)
    }

    /// The previous read, page included: heading, location and the page's documents.
    fn previous() -> StoredRead {
        StoredRead {
            title: "Cabinet - Tuesday, 20th October, 2026 10.00 am".into(),
            date: day(20),
            location: Some("Council House".into()),
            documents: vec![
                document(
                    "https://x.gov.uk/documents/g1/Agenda frontsheet.pdf",
                    "Agenda frontsheet",
                    DocumentKind::AgendaFrontsheet,
                ),
                document("https://x.gov.uk/mgConvert2PDF.aspx?ID=9", "Public reports pack", DocumentKind::ReportsPack),
            ],
            attendees: vec![attendee("1", "Cllr A"), attendee("2", "Cllr B"), attendee("3", "Cllr C")],
        }
    }

    /// The web service's read weeks later: minutes on every item, the page failing.
    fn web_service_with_minutes() -> MeetingDetail {
        MeetingDetail {
            source_id: "5900".into(),
            heading: None,
            date: day(20),
            time_text: Some("10.00 am".into()),
            status: None,
            location: None,
            agenda_published: true,
            minutes_published: true,
            decisions_published: false,
            items: vec![AgendaItem {
                source_id: "1".into(),
                number: Some("1".into()),
                title: "Budget".into(),
                agenda_text: Some("The report.".into()),
                minutes_text: Some("RESOLVED that the budget be approved.".into()),
                is_restricted: false,
                documents: vec![document(
                    "https://x.gov.uk/mgConvert2PDF.aspx?ID=9",
                    "Report",
                    DocumentKind::ItemDocument,
                )],
                decision_url: None,
            }],
            documents: vec![document(
                "https://x.gov.uk/mgConvert2PDF.aspx?ID=20",
                "Printed minutes",
                DocumentKind::PrintedMinutes,
            )],
            attendees: vec![attendee("1", "Cllr A")],
            gaps: Vec::new(),
            vote_pages: Vec::new(),
            webcasts: Vec::new(),
            recorded_votes: Vec::new(),
        }
    }

    #[test]
    fn a_failed_page_keeps_the_pages_facts_and_stores_the_new_minutes() {
        let mut detail = web_service_with_minutes();
        keep_from_previous(&mut detail, &previous(), FailedPart::MeetingPage);
        // What the web service newly said is all there.
        assert!(detail.minutes_published);
        assert_eq!(detail.items[0].minutes_text.as_deref(), Some("RESOLVED that the budget be approved."));
        assert_eq!(detail.documents[0].kind, DocumentKind::PrintedMinutes);
        // What only the page said before is kept: heading, location, its frontsheet.
        assert_eq!(detail.heading.as_deref(), Some("Cabinet - Tuesday, 20th October, 2026 10.00 am"));
        assert_eq!(detail.location.as_deref(), Some("Council House"));
        let urls: Vec<&str> = detail.documents.iter().map(|d| d.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://x.gov.uk/mgConvert2PDF.aspx?ID=20", "https://x.gov.uk/documents/g1/Agenda frontsheet.pdf"],
            "a document already under an item is not added again at meeting level"
        );
        // Attendance came from the web service, which answered: it is not topped up.
        assert_eq!(detail.attendees.len(), 1);
    }

    #[test]
    fn a_moved_meeting_does_not_keep_a_heading_naming_the_old_date() {
        let mut detail = web_service_with_minutes();
        detail.date = day(27);
        detail.location = Some("Committee Room 2".into());
        keep_from_previous(&mut detail, &previous(), FailedPart::MeetingPage);
        assert_eq!(detail.heading, None);
        assert_eq!(detail.location.as_deref(), Some("Committee Room 2"), "the new location wins");
    }

    #[test]
    fn printed_minutes_kept_from_the_page_still_count_as_published() {
        let mut detail = web_service_with_minutes();
        detail.minutes_published = false;
        detail.documents.clear();
        let mut before = previous();
        before.documents.push(document(
            "https://x.gov.uk/documents/g1/Printed minutes.pdf",
            "Printed minutes",
            DocumentKind::PrintedMinutes,
        ));
        keep_from_previous(&mut detail, &before, FailedPart::MeetingPage);
        assert!(detail.minutes_published);
    }

    #[test]
    fn an_attendance_grid_read_in_part_keeps_the_attendees_read_before() {
        let mut detail = web_service_with_minutes();
        detail.attendees = vec![attendee("2", "Cllr B (renamed)"), attendee("4", "Cllr D")];
        keep_from_previous(&mut detail, &previous(), FailedPart::AttendancePages);
        let names: Vec<&str> = detail.attendees.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Cllr B (renamed)", "Cllr D", "Cllr A", "Cllr C"]);
        assert_eq!(detail.heading, None, "the page answered: its heading is not replaced");
    }
}

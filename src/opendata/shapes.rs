//! Our records in Open Civic Data's shapes where they fit. Where they differ,
//! and why:
//! - ids are ours (`coventry-12345`, stable across exports and the same as the
//!   API's), not OCD's `ocd-event/<uuid>`: a reader joins files and API by them;
//! - an `Event`'s agenda item carries its documents as `media` (OCD's place
//!   for an item's links) and the council's own agenda and minutes text in
//!   `extras`; attendance is the event's `participants` with the council's
//!   own words for it (`attendance`, `role`);
//! - a `Person` follows the Open States people format OCD grew into (`party`
//!   and `roles` lists), as a councillor of a ward;
//! - a `VoteEvent` names the meeting (`event_id`) and agenda item rather than
//!   a bill and session, which councils do not have, and keeps the council's
//!   result as written beside `pass`/`fail`, and its options add `not_voting`;
//! - decisions and summaries have no OCD type: their fields are the API's.

use serde_json::{json, Value};

use crate::storage::rows::export::{Attendee, Decision, Document, Item, Meeting, Person, Summary, Vote};

/// A document's media type, from its address.
fn media_type(url: &str) -> &'static str {
    let path = url.split(['?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    match path.rsplit('.').next().unwrap_or_default() {
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "rtf" => "application/rtf",
        _ => "text/html",
    }
}

/// A document as an OCD `EventDocument` (or an agenda item's `media`).
fn document(document: &Document) -> Value {
    json!({
        "note": document.title,
        "date": document.published_on,
        "classification": document.kind,
        "media_type": media_type(&document.url),
        "links": [{"url": document.url, "media_type": media_type(&document.url)}],
        "extras": {
            "id": document.id,
            "restricted": document.is_restricted != 0,
            "text_status": document.text_status,
            "page_count": document.page_count,
            "byte_size": document.byte_size,
            "sha256": document.content_hash,
        },
    })
}

/// OCD's event status: cancelled, passed (held), or confirmed (to come).
fn status(meeting: &Meeting, today: &str) -> &'static str {
    if meeting.status.eq_ignore_ascii_case("cancelled") {
        "cancelled"
    } else if meeting.local_date.as_str() < today {
        "passed"
    } else {
        "confirmed"
    }
}

/// A meeting as an OCD `Event`, with its agenda, documents and attendance;
/// `items`, `documents` and `attendees` are the meeting's own.
pub fn event(
    meeting: &Meeting,
    items: &[&Item],
    documents: &[&Document],
    attendees: &[&Attendee],
    today: &str,
) -> Value {
    let agenda: Vec<Value> = items
        .iter()
        .map(|item| {
            json!({
                "description": item.title,
                "order": item.number.clone().unwrap_or_else(|| item.position.to_string()),
                "classification": [],
                "subjects": [],
                "notes": [],
                "related_entities": [],
                "media": documents
                    .iter()
                    .filter(|d| d.agenda_item_id.as_deref() == Some(item.id.as_str()))
                    .map(|d| document(d))
                    .collect::<Vec<_>>(),
                "extras": {
                    "id": item.id,
                    "restricted": item.is_restricted != 0,
                    "agenda_text": item.agenda_text,
                    "minutes_text": item.minutes_text,
                },
            })
        })
        .collect();
    let mut participants = vec![json!({
        "name": meeting.committee,
        "entity_type": "organization",
        "entity_id": meeting.committee_id,
        "note": "host",
    })];
    participants.extend(attendees.iter().map(|a| {
        json!({
            "name": a.name,
            "entity_type": "person",
            "entity_id": a.person_id,
            "note": a.role.clone().unwrap_or_else(|| "participant".into()),
            "attendance": a.attendance,
        })
    }));
    json!({
        "id": meeting.id,
        "name": meeting.committee,
        "description": meeting.title,
        "classification": "committee-meeting",
        "start_date": meeting.starts_at_utc.clone().unwrap_or_else(|| meeting.local_date.clone()),
        "end_date": null,
        "all_day": meeting.local_time.is_none(),
        "timezone": meeting.time_zone,
        "status": status(meeting, today),
        "location": meeting.location.as_ref().map(|name| json!({"name": name, "note": "", "coordinates": null})),
        "sources": [{"url": meeting.web_url, "note": "the council's page for the meeting"}],
        "links": [],
        "media": [],
        "participants": participants,
        "documents": documents.iter().filter(|d| d.agenda_item_id.is_none()).map(|d| document(d)).collect::<Vec<_>>(),
        "agenda": agenda,
        "extras": {
            "local_date": meeting.local_date,
            "local_time": meeting.local_time,
            "status_as_written": meeting.status,
            "agenda_published": meeting.agenda_published != 0,
            "minutes_published": meeting.minutes_published != 0,
            "listed_by_the_council": meeting.listed != 0,
            "read_gaps": meeting.read_gaps,
            "updated_at": meeting.updated_at,
        },
    })
}

/// A councillor in the Open States people format (OCD's `Person` with party and roles).
pub fn person(person: &Person, council_name: &str) -> Value {
    let mut contact = Vec::new();
    if let Some(email) = person.email.as_deref().filter(|e| !e.is_empty()) {
        contact.push(json!({"type": "email", "value": email, "note": "as the council lists it"}));
    }
    if let Some(phone) = person.phone.as_deref().filter(|p| !p.is_empty()) {
        contact.push(json!({"type": "voice", "value": phone, "note": "as the council lists it"}));
    }
    json!({
        "id": person.id,
        "name": person.name,
        "image": person.photo_url,
        "party": person.party.iter().filter(|p| !p.is_empty()).map(|p| json!({"name": p})).collect::<Vec<_>>(),
        "roles": [{
            "type": "councillor",
            "jurisdiction": council_name,
            "district": person.ward,
            "start_date": person.listed_since,
            "end_date": person.former_since,
        }],
        "contact_details": contact,
        "extras": {"current": person.former_since.is_none()},
    })
}

/// OCD's `pass`/`fail` for a result as the council words it, if it says.
pub fn result(as_written: Option<&str>) -> Option<&'static str> {
    let text = as_written?.to_ascii_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if any(&["not carried", "lost", "rejected", "defeated", "fell", "not agreed", "refused"]) {
        Some("fail")
    } else if any(&["carried", "agreed", "approved", "passed", "adopted", "accepted"]) {
        Some("pass")
    } else {
        None
    }
}

/// A recorded vote as an OCD `VoteEvent`.
pub fn vote_event(vote: &Vote) -> Value {
    let counts = crate::votes::ocd_counts(&vote.counts);
    json!({
        "id": vote.id,
        "motion_text": vote.motion,
        "motion_classification": [],
        "start_date": vote.local_date,
        "result": result(vote.result.as_deref()),
        "organization": vote.committee,
        "event_id": vote.meeting_id,
        "agenda_item_id": vote.agenda_item_id,
        "counts": counts,
        "votes": vote.votes,
        "sources": [{"note": vote.source, "document_id": vote.document_id, "page": vote.page}],
        "extras": {"result_as_written": vote.result, "note": vote.note},
    })
}

/// A decision of the council's register, as the API gives it.
pub fn decision(decision: &Decision) -> Value {
    json!({
        "id": decision.id,
        "register": decision.register,
        "title": decision.title,
        "decision_maker": decision.decision_maker,
        "listed_on": decision.listed_on,
        "decided_on": decision.decided_on,
        "published_on": decision.published_on,
        "status": decision.status,
        "is_key": decision.is_key.map(|k| k != 0),
        "call_in": decision.call_in,
        "call_in_deadline": decision.call_in_deadline,
        "purpose": decision.purpose,
        "decision": decision.decision,
        "documents": decision.documents,
        "sources": [{"url": decision.web_url, "note": "the council's page for the decision"}],
        "meeting_source_id": decision.meeting_source_id,
        "read_error": decision.read_error,
    })
}

/// A meeting's published summary with its provenance and the checks' results.
pub fn summary(summary: &Summary) -> Value {
    json!({
        "meeting_id": summary.meeting_id,
        "version": summary.version,
        "summary": summary.body,
        "provenance": {
            "method": summary.method,
            "provider": summary.provider,
            "model": summary.model,
            "prompt_version": summary.prompt_version,
            "input_hash": summary.input_hash,
            "created_at": summary.created_at,
            "updated_reason": summary.updated_reason,
        },
        "checks": {
            "sentences_checked": summary.sentences_checked,
            "sentences_left_out": summary.sentences_dropped,
            "left_out_by_kind": summary.dropped_by_kind,
            "claims_checked": summary.claims_checked,
            "quotes_kept": summary.quotes_kept,
            "quotes_left_out": summary.quotes_dropped,
            "sections_in_the_councils_words": summary.sections_extractive,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(date: &str, status: &str) -> Meeting {
        Meeting {
            id: "kent-7".into(),
            committee_id: "kent-c1".into(),
            committee: "Cabinet".into(),
            title: "Cabinet - Thursday, 30th January, 2025 10.00 am".into(),
            local_date: date.into(),
            local_time: Some("10:00".into()),
            time_zone: "Europe/London".into(),
            starts_at_utc: Some(format!("{date}T10:00:00Z")),
            status: status.into(),
            location: Some("Council Chamber".into()),
            agenda_published: 1,
            minutes_published: 0,
            web_url: "https://democracy.kent.gov.uk/ieListDocuments.aspx?MId=7".into(),
            listed: 1,
            read_gaps: Value::Null,
            updated_at: "2025-01-31T00:00:00Z".into(),
        }
    }

    #[test]
    fn a_meeting_is_an_ocd_event_with_its_agenda_documents_and_attendance() {
        let item = Item {
            meeting_id: "kent-7".into(),
            id: "kent-7-i1".into(),
            position: 1,
            number: Some("3.".into()),
            title: "Budget".into(),
            agenda_text: None,
            minutes_text: Some("RESOLVED".into()),
            is_restricted: 0,
        };
        let doc = |id: &str, item: Option<&str>, url: &str| Document {
            meeting_id: "kent-7".into(),
            agenda_item_id: item.map(Into::into),
            id: id.into(),
            url: url.into(),
            title: format!("{id} title"),
            kind: Some("report".into()),
            published_on: None,
            is_restricted: 0,
            text_status: Some("extracted".into()),
            page_count: Some(4),
            byte_size: Some(1000),
            content_hash: Some("ab".into()),
        };
        let (pack, report) =
            (doc("kent-a1", None, "https://x/pack.PDF?v=2"), doc("kent-a2", Some("kent-7-i1"), "https://x/r.docx"));
        let attendee = Attendee {
            meeting_id: "kent-7".into(),
            person_id: "kent-m9".into(),
            name: "Roger Gough".into(),
            role: Some("Chairman".into()),
            attendance: Some("Present".into()),
        };
        let event = event(&meeting("2025-01-30", "confirmed"), &[&item], &[&pack, &report], &[&attendee], "2026-12-07");
        assert_eq!(event["status"], "passed");
        assert_eq!(event["classification"], "committee-meeting");
        assert_eq!(event["documents"].as_array().unwrap().len(), 1, "the pack is the meeting's");
        assert_eq!(event["documents"][0]["media_type"], "application/pdf");
        assert_eq!(event["agenda"][0]["order"], "3.");
        assert_eq!(event["agenda"][0]["media"][0]["extras"]["id"], "kent-a2", "the report is the item's");
        assert_eq!(event["participants"][0]["entity_type"], "organization");
        assert_eq!(event["participants"][1]["entity_id"], "kent-m9");
        assert_eq!(event["participants"][1]["attendance"], "Present");
        let upcoming = super::event(&meeting("2027-01-30", "confirmed"), &[], &[], &[], "2026-12-07");
        assert_eq!(upcoming["status"], "confirmed");
        assert_eq!(
            super::event(&meeting("2025-01-30", "Cancelled"), &[], &[], &[], "2026-12-07")["status"],
            "cancelled"
        );
    }

    #[test]
    fn results_as_councils_word_them_are_pass_or_fail() {
        assert_eq!(result(Some("Carried")), Some("pass"));
        assert_eq!(result(Some("Motion not carried")), Some("fail"));
        assert_eq!(result(Some("Rejected")), Some("fail"));
        assert_eq!(result(Some("Noted")), None);
        assert_eq!(result(None), None);
    }

    #[test]
    fn a_councillor_is_a_person_with_party_and_ward() {
        let p = Person {
            id: "coventry-m1".into(),
            name: "Cllr A".into(),
            party: Some("Labour".into()),
            ward: Some("Foleshill".into()),
            photo_url: None,
            email: Some("a@x".into()),
            phone: None,
            listed_since: None,
            former_since: None,
        };
        let person = person(&p, "Coventry City Council");
        assert_eq!(person["party"], json!([{"name": "Labour"}]));
        assert_eq!(person["roles"][0]["district"], "Foleshill");
        assert_eq!(person["contact_details"].as_array().unwrap().len(), 1);
        assert_eq!(person["extras"]["current"], true);
    }
}

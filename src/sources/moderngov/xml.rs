//! The ModernGov XML web service (`mgWebService.asmx`): GetCommittees,
//! GetMeetings, GetMeeting and GetCouncillorsByWard. Every field is optional and trimmed; booleans are
//! `True`/`False`; HTML inside `agendatext` and minutes arrives escaped, or on
//! some installs raw, and both become clean text.

use roxmltree::Node;

use super::urls::{absolute_url, is_source_id};
use crate::model::{
    AgendaItem, Attendee, Committee, Councillor, Document, DocumentKind, MeetingDetail, MeetingListing, MeetingStatus,
};
use crate::sources::detect::parse_xml;
use crate::sources::text::{collapse_whitespace, decode_leftover_entities, html_to_text, non_empty};
use crate::sources::SourceError;
use crate::time::parse_uk_date;

fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|c| c.is_element() && c.tag_name().name().eq_ignore_ascii_case(name))
}

fn children<'a, 'input: 'a>(node: Node<'a, 'input>, name: &'a str) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |c| c.is_element() && c.tag_name().name().eq_ignore_ascii_case(name))
}

/// All text under a node, so raw (unescaped) HTML children still yield their words.
fn deep_text(node: Node<'_, '_>) -> String {
    node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect()
}

/// A field's text, with references that survived XML decoding decoded once more.
fn text_of(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name).and_then(|c| non_empty(&decode_leftover_entities(&deep_text(c))))
}

/// An id field: a number, or nothing (see `urls::is_source_id`).
fn id_of(node: Node<'_, '_>, name: &str) -> Option<String> {
    text_of(node, name).filter(|id| is_source_id(id))
}

fn flag(node: Node<'_, '_>, name: &str) -> bool {
    text_of(node, name).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Text from a field holding (escaped or raw) HTML.
fn html_field(node: Node<'_, '_>, name: &str) -> Option<String> {
    let field = child(node, name)?;
    let has_raw_markup = field.children().any(|c| c.is_element());
    let text = if has_raw_markup {
        collapse_whitespace(&decode_leftover_entities(
            &field.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect::<Vec<_>>().join(" "),
        ))
    } else {
        html_to_text(&deep_text(field))
    };
    non_empty(&text)
}

pub fn parse_committees(text: &str) -> Result<Vec<Committee>, SourceError> {
    let document = parse_xml(text, "committees")?;
    Ok(children(document.root_element(), "committee")
        .filter_map(|node| {
            Some(Committee {
                source_id: id_of(node, "committeeid")?,
                title: text_of(node, "committeetitle")?,
                category: text_of(node, "committeecategory"),
                is_deleted: flag(node, "committeedeleted"),
                is_expired: flag(node, "committeeexpired"),
            })
        })
        .collect())
}

pub fn parse_meetings(text: &str) -> Result<Vec<MeetingListing>, SourceError> {
    let document = parse_xml(text, "getmeetings")?;
    let mut listings = Vec::new();
    for committee in children(document.root_element(), "committee") {
        let Some(committee_id) = id_of(committee, "committeeid") else {
            continue;
        };
        let Some(list) = child(committee, "committeemeetings") else {
            continue;
        };
        for meeting in children(list, "meeting") {
            let (Some(source_id), Some(date)) =
                (id_of(meeting, "meetingid"), text_of(meeting, "meetingdate").and_then(|d| parse_uk_date(&d)))
            else {
                continue;
            };
            listings.push(MeetingListing {
                source_id,
                committee_source_id: committee_id.clone(),
                date,
                time_text: text_of(meeting, "meetingtime"),
                status: text_of(meeting, "meetingstatus")
                    .map_or(MeetingStatus::Confirmed, |s| MeetingStatus::parse(&s)),
                page_url: None,
            });
        }
    }
    Ok(listings)
}

fn parse_linked_documents(node: Node<'_, '_>, base_url: &str, item_level: bool) -> Vec<Document> {
    let Some(list) = child(node, "linkeddocuments") else {
        return Vec::new();
    };
    children(list, "linkeddoc")
        .filter_map(|doc| {
            let url = absolute_url(base_url, &text_of(doc, "url")?)?;
            let title = text_of(doc, "title").unwrap_or_else(|| "Document".to_string());
            let kind = if item_level {
                DocumentKind::ItemDocument
            } else {
                DocumentKind::classify_meeting_document(&url, &title)
            };
            Some(Document {
                source_id: id_of(doc, "attachmentid"),
                url,
                title,
                kind,
                published_on: text_of(doc, "publicationdate").and_then(|d| parse_uk_date(&d)),
                is_restricted: flag(doc, "isrestricted"),
            })
        })
        .collect()
}

pub fn parse_meeting(text: &str, base_url: &str) -> Result<MeetingDetail, SourceError> {
    let document = parse_xml(text, "meeting")?;
    let root = document.root_element();
    let source_id = id_of(root, "meetingid").ok_or_else(|| SourceError::UnexpectedDocument {
        expected: "meeting",
        found: "meeting without meetingid".into(),
    })?;
    let items = child(root, "agendaitems")
        .map(|list| {
            children(list, "agendaitem")
                .filter_map(|item| {
                    Some(AgendaItem {
                        source_id: id_of(item, "agendaitemid")?,
                        number: text_of(item, "fulldisplaynumberformat")
                            .or_else(|| text_of(item, "agendaitemnumber"))
                            .map(|n| n.trim_end_matches('.').to_string()),
                        title: text_of(item, "agendaitemtitle").unwrap_or_else(|| "Untitled item".to_string()),
                        agenda_text: html_field(item, "agendatext"),
                        minutes_text: html_field(item, "minutesnonemptyhtmlbody")
                            .or_else(|| html_field(item, "minuteshtmlbody")),
                        is_restricted: flag(item, "isrestricted"),
                        documents: parse_linked_documents(item, base_url, true),
                        decision_url: None,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let attendees = child(root, "attendees")
        .map(|list| {
            children(list, "attendee")
                .filter_map(|person| {
                    let attribute =
                        |name: &str| person.attribute(name).and_then(|v| non_empty(&decode_leftover_entities(v)));
                    Some(Attendee {
                        source_id: attribute("memberid").filter(|id| is_source_id(id))?,
                        name: attribute("name")?,
                        role: attribute("roledescription"),
                        attendance: attribute("attendance"),
                        party: attribute("politicalparty"),
                        ward: attribute("ward"),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let location = match (text_of(root, "meetinglocation"), text_of(root, "meetingroom")) {
        (Some(place), Some(room)) if !place.contains(&room) => Some(format!("{room}, {place}")),
        (place, room) => place.or(room),
    };
    Ok(MeetingDetail {
        source_id,
        heading: None,
        date: text_of(root, "meetingdate").and_then(|d| parse_uk_date(&d)),
        time_text: text_of(root, "meetingtime"),
        status: text_of(root, "meetingstatus").map(|s| MeetingStatus::parse(&s)),
        location,
        agenda_published: flag(root, "agendapublished"),
        minutes_published: flag(root, "minutepublished"),
        decisions_published: flag(root, "decisionpublished"),
        items,
        documents: parse_linked_documents(root, base_url, false),
        attendees,
        gaps: Vec::new(),
        vote_pages: Vec::new(),
        webcasts: Vec::new(),
        recorded_votes: Vec::new(),
    })
}

/// Every councillor of every ward. A council always has councillors, so an
/// answer with none (an install that lists no wards) is an error, not news
/// that everyone left.
pub fn parse_councillors(text: &str, base_url: &str) -> Result<Vec<Councillor>, SourceError> {
    let document = parse_xml(text, "councillorsbyward")?;
    let mut councillors = Vec::new();
    let wards = child(document.root_element(), "wards").into_iter().flat_map(|w| children(w, "ward"));
    for ward in wards {
        let Some(ward_title) = text_of(ward, "wardtitle") else { continue };
        let listed = child(ward, "councillors").into_iter().flat_map(|c| children(c, "councillor"));
        for node in listed {
            let (Some(source_id), Some(name)) = (id_of(node, "councillorid"), text_of(node, "fullusername")) else {
                continue;
            };
            let work = child(node, "workaddress");
            let home = child(node, "homeaddress");
            let contact =
                |field: &str| work.and_then(|w| text_of(w, field)).or_else(|| home.and_then(|h| text_of(h, field)));
            councillors.push(Councillor {
                source_id,
                name,
                ward: ward_title.clone(),
                party: text_of(node, "politicalpartytitle"),
                photo_url: text_of(node, "photobigurl")
                    .or_else(|| text_of(node, "photosmallurl"))
                    .and_then(|url| absolute_url(base_url, &url))
                    .filter(|url| url.starts_with("https://") || url.starts_with("http://")),
                email: contact("email").filter(|e| e.contains('@') && !e.contains(char::is_whitespace)),
                phone: contact("phone").or_else(|| contact("mobile")),
            });
        }
    }
    if councillors.is_empty() {
        return Err(SourceError::UnexpectedDocument { expected: "councillor", found: "no councillors".into() });
    }
    Ok(councillors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/moderngov/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    const BASE: &str = "https://democracy.manchester.gov.uk";

    #[test]
    fn councillors_are_read_from_every_fixture() {
        for (name, expected, wards) in [
            ("coventry_GetCouncillorsByWard.xml", 53, 18),
            ("kirklees_GetCouncillorsByWard.xml", 69, 23),
            ("sefton_GetCouncillorsByWard.xml", 66, 22),
        ] {
            let councillors = parse_councillors(&fixture(name), "https://x.gov.uk").unwrap();
            assert_eq!(councillors.len(), expected, "{name}");
            let mut seen: Vec<&str> = councillors.iter().map(|c| c.ward.as_str()).collect();
            seen.dedup();
            assert_eq!(seen.len(), wards, "{name}");
            assert!(councillors.iter().all(|c| !c.name.is_empty() && c.source_id.chars().all(|d| d.is_ascii_digit())));
        }
        let coventry = parse_councillors(&fixture("coventry_GetCouncillorsByWard.xml"), "https://x.gov.uk").unwrap();
        let birdi = coventry.iter().find(|c| c.source_id == "1726").unwrap();
        assert_eq!(birdi.name, "Councillor Jaswant Singh Birdi");
        assert_eq!(birdi.ward, "Bablake");
        assert_eq!(birdi.party.as_deref(), Some("Conservative"));
        assert_eq!(birdi.email.as_deref(), Some("jaswant.birdi@coventry.gov.uk"));
        assert_eq!(birdi.phone.as_deref(), Some("024 7683 1101"));
        assert!(birdi.photo_url.as_deref().unwrap().ends_with("Info00001726/bigpic.jpg"));
    }

    #[test]
    fn councillor_answers_that_are_not_data_are_errors() {
        let empty = parse_councillors(&fixture("east-herts_GetCouncillorsByWard_empty-wards.xml"), BASE);
        assert!(matches!(empty, Err(SourceError::UnexpectedDocument { .. })), "{empty:?}");
        let stub = parse_councillors(&fixture("denbighshire_GetCouncillorsByWard_http-js-redirect-stub.html"), BASE);
        assert_eq!(stub.unwrap_err(), SourceError::JavaScriptRedirectStub);
        let wrong_host =
            parse_councillors(&fixture("leeds_GetCouncillorsByWard_wrong-host-sharepoint-error-page.html"), BASE);
        assert!(matches!(wrong_host, Err(SourceError::HtmlInsteadOfXml { .. })), "{wrong_host:?}");
    }

    #[test]
    fn parses_committees_with_flags() {
        let committees = parse_committees(&fixture("manchester_GetCommittees_excerpt.xml")).unwrap();
        assert_eq!(committees.len(), 3);
        assert_eq!(committees[0].source_id, "312");
        assert!(committees[0].is_expired && !committees[0].is_deleted);
        assert_eq!(committees[2].title, "Audit Committee");
        assert_eq!(committees[2].category.as_deref(), Some("Governance and Decision Making Committees"));
        assert!(!committees[2].is_expired);
    }

    #[test]
    fn parses_meeting_lists_with_status() {
        let meetings = parse_meetings(&fixture("manchester_GetMeetings_audit-committee-144.xml")).unwrap();
        assert_eq!(meetings.len(), 2);
        assert_eq!(meetings[0].source_id, "4966");
        assert_eq!(meetings[0].committee_source_id, "144");
        assert_eq!(meetings[0].status, MeetingStatus::Cancelled);
        assert_eq!(meetings[1].date, NaiveDate::from_ymd_opt(2026, 2, 10).unwrap());
        assert_eq!(meetings[1].time_text.as_deref(), Some("10.00 am"));
        assert_eq!(meetings[1].status, MeetingStatus::Confirmed);
    }

    #[test]
    fn parses_a_meeting_with_minutes() {
        let meeting = parse_meeting(&fixture("manchester_GetMeeting_4967_with-minutes.xml"), BASE).unwrap();
        assert_eq!(meeting.source_id, "4967");
        assert_eq!(meeting.status, Some(MeetingStatus::Confirmed));
        assert!(meeting.agenda_published && meeting.minutes_published && !meeting.decisions_published);
        assert_eq!(meeting.location.as_deref(), Some("Council Antechamber, Level 2, Town Hall Extension"));
        assert_eq!(meeting.items.len(), 2);
        let first = &meeting.items[0];
        assert_eq!(first.source_id, "18831");
        assert_eq!(first.number.as_deref(), Some("1"));
        assert_eq!(first.title, "Minutes");
        assert_eq!(
            first.agenda_text.as_deref(),
            Some("To approve as a correct record the minutes of the meeting held on 25 November 2025.")
        );
        assert_eq!(
            first.minutes_text.as_deref(),
            Some("To approve the minutes of the meeting held on 25 November 2025 as a correct record.")
        );
        assert_eq!(first.documents.len(), 1);
        assert_eq!(first.documents[0].url, "https://democracy.manchester.gov.uk/mgConvert2PDF.aspx?ID=60860");
        assert_eq!(first.documents[0].source_id.as_deref(), Some("60860"));
        assert_eq!(first.documents[0].published_on, NaiveDate::from_ymd_opt(2026, 2, 2));
        assert_eq!(meeting.items[1].number.as_deref(), Some("9"));
        assert_eq!(meeting.attendees.len(), 1);
        let member = &meeting.attendees[0];
        assert_eq!(member.name, "Councillor Basil Curley");
        assert_eq!(member.party.as_deref(), Some("LAB"));
        assert_eq!(member.attendance.as_deref(), Some("Expected"));
        assert_eq!(member.role.as_deref(), Some("Committee Member"));
    }

    #[test]
    fn ids_that_are_not_numbers_are_refused() {
        let xml = fixture("manchester_GetMeetings_audit-committee-144.xml");
        let first = xml.split("<meetingid>").nth(1).unwrap().split('<').next().unwrap().to_string();
        let listings = parse_meetings(&xml.replacen(&format!("<meetingid>{first}<"), "<meetingid>4-966<", 1)).unwrap();
        assert_eq!(listings.len(), 1, "the meeting with a forged id is skipped, the other kept");
        assert!(listings.iter().all(|l| l.source_id.bytes().all(|b| b.is_ascii_digit())));
    }

    #[test]
    fn decodes_double_encoded_apostrophes_once() {
        let meeting = parse_meeting(&fixture("derived_GetMeeting_double-encoded-apostrophe.xml"), BASE).unwrap();
        assert_eq!(meeting.items[1].title, "Leader and Cabinet Members' Question Time");
        assert_eq!(meeting.items[1].documents[0].title, "Members' questions and answers");
        assert_eq!(meeting.attendees[0].name, "Councillor Aoife O'Brien");
        // Escaped HTML bodies still become clean text.
        assert!(meeting.items[0].agenda_text.as_deref().unwrap().starts_with("To approve as a correct record"));
    }

    #[test]
    fn parses_a_cancelled_meeting_without_agenda() {
        let meeting = parse_meeting(&fixture("manchester_GetMeeting_4966_cancelled-no-agenda.xml"), BASE).unwrap();
        assert_eq!(meeting.status, Some(MeetingStatus::Cancelled));
        assert!(meeting.items.is_empty());
        assert!(!meeting.agenda_published);
        assert_eq!(meeting.attendees.len(), 1);
    }

    #[test]
    fn reads_raw_unescaped_html_fields() {
        let xml = "<meeting><meetingid>1</meetingid><agendaitems><agendaitem><agendaitemid>7</agendaitemid>\
                   <agendaitemtitle>Budget</agendaitemtitle><agendatext><p>Raw <b>markup</b></p></agendatext>\
                   <isrestricted>True</isrestricted></agendaitem></agendaitems></meeting>";
        let meeting = parse_meeting(xml, BASE).unwrap();
        assert_eq!(meeting.items[0].agenda_text.as_deref(), Some("Raw markup"));
        assert!(meeting.items[0].is_restricted);
    }

    #[test]
    fn rejects_non_data_for_every_operation() {
        let stub = fixture("denbighshire_GetCouncillorsByWard_http-js-redirect-stub.html");
        assert_eq!(parse_committees(&stub).unwrap_err(), SourceError::JavaScriptRedirectStub);
        let page = fixture("leeds_GetCouncillorsByWard_wrong-host-sharepoint-error-page.html");
        assert!(matches!(parse_meetings(&page).unwrap_err(), SourceError::HtmlInsteadOfXml { .. }));
        let wrong = fixture("manchester_GetCommittees_excerpt.xml");
        assert!(matches!(parse_meeting(&wrong, BASE).unwrap_err(), SourceError::UnexpectedDocument { .. }));
        let empty_wards = fixture("east-herts_GetCouncillorsByWard_empty-wards.xml");
        assert!(parse_committees(&empty_wards).is_err());
    }
}

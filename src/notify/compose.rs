//! What each alert email says, composed from what is stored (a meeting with
//! its latest summary, a week's digest, a subscription's choices). Pure: the
//! caller reads the rows and makes the signed links.

use chrono::NaiveDate;
use serde_json::Value;

use super::alerts::{Frequency, Preferences};
use super::email::{safe_link, shorten, subject_line, EmailBody, EmailSection};

/// The links every email to a subscriber carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// Our site, e.g. `https://council-digest.org`.
    pub origin: String,
    pub manage: String,
    pub unsubscribe: String,
}

/// A composed email: its subject and its body.
pub type Composed = (String, EmailBody);

/// Sections shown in a meeting alert; the page has the rest.
const MAX_SECTIONS: usize = 8;
const SECTION_CHARS: usize = 600;
const MAX_DECISIONS: usize = 5;

fn text(value: &Value, field: &str) -> String {
    value[field].as_str().unwrap_or_default().trim().to_string()
}

/// What a subscription follows, in words: "every Cabinet meeting mentioning parking".
pub fn describe(preferences: &Preferences, committee_titles: &[String]) -> String {
    let committees = match committee_titles {
        [] => "every committee".to_string(),
        [one] => one.clone(),
        many => format!("{} and {}", many[..many.len() - 1].join(", "), many[many.len() - 1]),
    };
    let how = match preferences.frequency {
        Frequency::Immediate => "as it happens",
        Frequency::Weekly => "once a week",
    };
    match preferences.keywords.as_slice() {
        [] => format!("{committees}, {how}"),
        keywords => format!("{committees}, where the papers mention {}, {how}", keywords.join(" or ")),
    }
}

fn footer(council: &str, what: &str) -> String {
    format!("You get this because you follow {council} on council-digest: {what}.")
}

fn footer_links(links: &Links) -> Vec<(String, String)> {
    vec![("Change what you get".into(), links.manage.clone()), ("Unsubscribe".into(), links.unsubscribe.clone())]
}

/// The confirmation email: nothing else is sent until its link is followed.
pub fn confirmation(council: &str, what: &str, confirm_url: &str, unsubscribe_url: &str) -> Composed {
    let subject = subject_line(&format!("Confirm your email alerts for {council}"));
    let body = EmailBody {
        preheader: "One click to start your alerts.".into(),
        heading: format!("Confirm your alerts for {council}"),
        paragraphs: vec![
            format!("Someone, we hope you, asked council-digest to email this address about {council}: {what}."),
            "Nothing more will be sent unless you confirm. The link works for 48 hours.".into(),
        ],
        action: Some(("Confirm my alerts".into(), confirm_url.to_string())),
        notes: vec!["If you did not ask for this, ignore this email; the request is deleted after 48 hours.".into()],
        footer: "council-digest summarises what UK councils decided, from their own documents.".into(),
        footer_links: vec![("Cancel this request".into(), unsubscribe_url.to_string())],
        ..EmailBody::default()
    };
    (subject, body)
}

/// The email sent when someone asks to follow a council this address already follows.
pub fn manage_link(council: &str, what: &str, links: &Links) -> Composed {
    let subject = subject_line(&format!("Your email alerts for {council}"));
    let body = EmailBody {
        preheader: "You already follow this council.".into(),
        heading: format!("You already follow {council}"),
        paragraphs: vec![
            format!("Someone asked council-digest to email this address about {council}. It already does: {what}."),
            "To change what you get, or to stop, use the link below.".into(),
        ],
        action: Some(("Change my alerts".into(), links.manage.clone())),
        footer: footer(council, what),
        footer_links: footer_links(links),
        ..EmailBody::default()
    };
    (subject, body)
}

/// What an alert says of a meeting, as storage reads it (`rows::Meeting`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertMeeting {
    pub id: String,
    pub council_name: String,
    pub committee_title: String,
    pub local_date: String,
    pub status: String,
    /// The council's page for the meeting.
    pub web_url: String,
    pub item_titles: Vec<String>,
}

/// The texts a meeting is matched against: its agenda item titles, the
/// summary's headline, its sections and their decisions.
pub fn meeting_texts(meeting: &AlertMeeting, summary: &Value) -> Vec<String> {
    let mut texts: Vec<String> = meeting.item_titles.clone();
    let body = &summary["body"];
    texts.push(text(body, "headline"));
    for section in body["sections"].as_array().into_iter().flatten() {
        texts.push(text(section, "title"));
        texts.push(text(section, "summary"));
        for decision in section["decisions"].as_array().into_iter().flatten() {
            texts.push(text(decision, "text"));
        }
    }
    texts.retain(|t| !t.is_empty());
    texts
}

/// A meeting's summary, published or remade. The first summary of a meeting
/// still to come announces its agenda.
pub fn meeting_alert(
    meeting: &AlertMeeting,
    summary: &Value,
    (today, matched): (NaiveDate, &[String]),
    what: &str,
    links: &Links,
) -> Composed {
    let (council, committee, date) = (&meeting.council_name, &meeting.committee_title, &meeting.local_date);
    let upcoming = NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok_and(|d| d >= today);
    let version = summary["version"].as_i64().unwrap_or(1);
    let (news, line) = if version > 1 {
        let reason = text(summary, "updated_reason");
        let line = if reason.is_empty() {
            "The summary of this meeting has been updated.".to_string()
        } else {
            format!("The summary of this meeting has been updated: {reason}")
        };
        ("summary updated", line)
    } else if upcoming {
        ("agenda published", "The agenda for this meeting is published. What is on it:".to_string())
    } else {
        ("summary", "A summary of this meeting is published.".to_string())
    };
    let cancelled = meeting.status == "cancelled";
    let subject = subject_line(&format!(
        "{council}: {committee}, {}{} ({news})",
        crate::time::prose_date(date),
        if cancelled { ", cancelled" } else { "" }
    ));
    let body = &summary["body"];
    let mut paragraphs = vec![line, text(body, "headline")];
    if !matched.is_empty() {
        paragraphs.push(format!("It mentions {}.", matched.join(", ")));
    }
    let sections: Vec<Value> = body["sections"].as_array().cloned().unwrap_or_default();
    let mut email_sections: Vec<EmailSection> = sections
        .iter()
        .take(MAX_SECTIONS)
        .map(|section| {
            let number = text(section, "number");
            let title = text(section, "title");
            EmailSection {
                title: if number.is_empty() { title } else { format!("{number}. {title}") },
                text: shorten(&text(section, "summary"), SECTION_CHARS),
                items: section["decisions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .take(MAX_DECISIONS)
                    .map(|d| format!("Decided: {}", text(d, "text")))
                    .collect(),
                link: None,
            }
        })
        .collect();
    if sections.len() > MAX_SECTIONS {
        email_sections.push(EmailSection {
            title: format!("And {} more items", sections.len() - MAX_SECTIONS),
            text: "The whole summary is on the meeting's page.".into(),
            ..EmailSection::default()
        });
    }
    if let Some(council_page) = safe_link(&meeting.web_url) {
        email_sections.push(EmailSection {
            title: "The council's papers".into(),
            text: "The agenda, reports and minutes are the record.".into(),
            items: Vec::new(),
            link: Some((format!("{council}'s page for this meeting"), council_page)),
        });
    }
    let method = text(summary, "method");
    let note = match method.as_str() {
        "extractive" => "This summary is the council's own words, picked out by a program; no model wrote it.",
        _ => "This summary was written by a machine from the council's own documents, and every quote, figure and date in it was checked against them.",
    };
    let id = &meeting.id;
    let composed = EmailBody {
        preheader: text(body, "headline"),
        heading: format!("{committee}, {}", crate::time::prose_date(date)),
        paragraphs,
        sections: email_sections,
        action: Some(("Read the summary".into(), format!("{}/meetings/{id}", links.origin))),
        notes: vec![note.into()],
        footer: footer(council, what),
        footer_links: footer_links(links),
    };
    (subject, composed)
}

/// A digest's meetings a subscription follows (by committee title and
/// keywords), with the keywords each matched.
pub fn digest_points<'a>(
    digest: &'a Value,
    preferences: &Preferences,
    committee_titles: &[String],
) -> Vec<(&'a Value, Vec<String>)> {
    digest["points"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|point| committee_titles.is_empty() || committee_titles.contains(&text(point, "committee")))
        .filter_map(|point| {
            if preferences.keywords.is_empty() {
                return Some((point, Vec::new()));
            }
            let mut texts = vec![text(point, "title"), text(point, "committee"), text(point, "text")];
            texts.extend(
                point["decisions"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string),
            );
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let matched = super::alerts::matching_keywords(&preferences.keywords, &texts);
            (!matched.is_empty()).then_some((point, matched))
        })
        .collect()
}

/// The weekly email: the digest's meetings this subscription follows.
pub fn digest_email(
    council: &str,
    digest: &Value,
    points: &[(&Value, Vec<String>)],
    what: &str,
    links: &Links,
) -> Composed {
    let week = text(digest, "week");
    let subject = subject_line(&format!("{council}: the week of {week}"));
    let sections = points
        .iter()
        .map(|(point, matched)| {
            let mut body = text(point, "text");
            if !matched.is_empty() {
                body = format!("{body} (Mentions {}.)", matched.join(", "));
            }
            EmailSection {
                title: format!("{}, {}", text(point, "committee"), crate::time::prose_date(&text(point, "local_date"))),
                text: shorten(&body, SECTION_CHARS),
                items: point["decisions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .take(MAX_DECISIONS)
                    .map(|d| format!("Decided: {d}"))
                    .collect(),
                link: Some((
                    "Read the summary".into(),
                    format!("{}/meetings/{}", links.origin, text(point, "meeting_id")),
                )),
            }
        })
        .collect();
    let council_id = text(digest, "council_id");
    let body = EmailBody {
        preheader: text(digest, "headline"),
        heading: format!("{council}: the week of {week}"),
        paragraphs: vec![text(digest, "headline")],
        sections,
        action: Some(("The whole week".into(), format!("{}/councils/{council_id}/weeks/{week}", links.origin))),
        notes: vec!["Each summary was made from the council's own documents and checked against them.".into()],
        footer: footer(council, what),
        footer_links: footer_links(links),
    };
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn links() -> Links {
        Links {
            origin: "https://council-digest.org".into(),
            manage: "https://council-digest.org/alerts/manage?token=m".into(),
            unsubscribe: "https://council-digest.org/alerts/unsubscribe?token=u".into(),
        }
    }

    fn meeting() -> AlertMeeting {
        AlertMeeting {
            id: "coventry-100".into(),
            council_name: "Coventry City Council".into(),
            committee_title: "Cabinet".into(),
            local_date: "2026-03-03".into(),
            status: "confirmed".into(),
            web_url: "https://edemocracy.coventry.gov.uk/ieListDocuments.aspx?MId=100".into(),
            item_titles: vec!["Car-park charges".into(), "Minutes".into()],
        }
    }

    fn summary(version: i64) -> Value {
        json!({
            "version": version, "method": "model", "updated_reason": "the minutes were published",
            "body": {"headline": "Cabinet <b>agreed</b> new parking charges.", "sections": [
                {"number": "5", "title": "Car-park charges", "summary": "Charges rise by 10p.", "decisions": [{"text": "Approved the charges."}]}
            ]}
        })
    }

    #[test]
    fn a_first_summary_of_a_coming_meeting_announces_its_agenda() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let matched = vec!["car park".to_string()];
        let (subject, body) =
            meeting_alert(&meeting(), &summary(1), (today, &matched), "Cabinet, as it happens", &links());
        assert_eq!(subject, "Coventry City Council: Cabinet, Tuesday 3 March 2026 (agenda published)");
        assert_eq!(body.heading, "Cabinet, Tuesday 3 March 2026");
        assert!(body.paragraphs.contains(&"It mentions car park.".to_string()));
        assert_eq!(body.sections[0].title, "5. Car-park charges");
        assert_eq!(body.sections[0].items, vec!["Decided: Approved the charges."]);
        assert_eq!(body.action.as_ref().unwrap().1, "https://council-digest.org/meetings/coventry-100");
        assert!(body.sections[1].link.as_ref().unwrap().1.starts_with("https://edemocracy.coventry.gov.uk/"));
        let html = body.html().unwrap();
        assert!(html.contains("Cabinet &#60;b&#62;agreed&#60;/b&#62;") && !html.contains("<b>agreed"));
        assert!(body.text().contains("Unsubscribe: https://council-digest.org/alerts/unsubscribe?token=u"));
    }

    #[test]
    fn a_remade_summary_says_why_and_a_bad_council_link_is_left_out() {
        let today = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let mut meeting = meeting();
        meeting.web_url = "javascript:alert(1)".into();
        let (subject, body) = meeting_alert(&meeting, &summary(2), (today, &[]), "everything", &links());
        assert!(subject.ends_with("(summary updated)"), "{subject}");
        assert_eq!(body.paragraphs[0], "The summary of this meeting has been updated: the minutes were published");
        assert!(!body.text().contains("javascript:"));
        assert!(!body.paragraphs.iter().any(|p| p.starts_with("It mentions")));
    }

    #[test]
    fn texts_cover_items_and_summary_and_choices_are_described() {
        let texts = meeting_texts(&meeting(), &summary(1));
        assert!(
            texts.contains(&"Car-park charges".to_string()) && texts.contains(&"Approved the charges.".to_string())
        );
        let weekly = Preferences {
            committees: vec![],
            keywords: vec!["parking".into(), "hs2".into()],
            frequency: Frequency::Weekly,
        };
        assert_eq!(describe(&weekly, &[]), "every committee, where the papers mention parking or hs2, once a week");
        let immediate =
            Preferences { committees: vec!["a".into(), "b".into()], keywords: vec![], frequency: Frequency::Immediate };
        assert_eq!(describe(&immediate, &["Cabinet".into(), "Planning".into()]), "Cabinet and Planning, as it happens");
        let (subject, body) =
            confirmation("Coventry City Council", "every committee, as it happens", "https://x/c", "https://x/u");
        assert_eq!(subject, "Confirm your email alerts for Coventry City Council");
        assert_eq!(body.action.unwrap().1, "https://x/c");
    }

    #[test]
    fn a_digest_is_narrowed_to_what_is_followed() {
        let digest = json!({"council_id": "coventry", "week": "2026-W10", "headline": "3 meetings.", "points": [
            {"meeting_id": "coventry-1", "committee": "Cabinet", "title": "Cabinet", "local_date": "2026-03-03", "text": "Parking charges agreed.", "decisions": ["Approved"]},
            {"meeting_id": "coventry-2", "committee": "Planning", "title": "Planning", "local_date": "2026-03-04", "text": "Two applications.", "decisions": []},
        ]});
        let everything = Preferences { committees: vec![], keywords: vec![], frequency: Frequency::Weekly };
        assert_eq!(digest_points(&digest, &everything, &[]).len(), 2);
        assert_eq!(digest_points(&digest, &everything, &["Planning".into()]).len(), 1);
        let parking = Preferences { keywords: vec!["parking".into()], ..everything };
        let points = digest_points(&digest, &parking, &[]);
        assert_eq!(points.len(), 1);
        let (subject, body) = digest_email("Coventry City Council", &digest, &points, "everything", &links());
        assert_eq!(subject, "Coventry City Council: the week of 2026-W10");
        assert_eq!(body.sections[0].title, "Cabinet, Tuesday 3 March 2026");
        assert!(body.sections[0].text.contains("(Mentions parking.)"));
        assert_eq!(body.action.unwrap().1, "https://council-digest.org/councils/coventry/weeks/2026-W10");
    }
}

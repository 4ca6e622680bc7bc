//! ModernGov's HTML pages, the fallback when the web service is switched off:
//! the committee list, a committee's meeting list and a meeting's agenda page
//! (`ieListDocuments.aspx`). Only ModernGov's own `mg*` markup is relied on;
//! the page chrome around it is each council's own.

use scraper::{ElementRef, Html};

use super::urls::{absolute_url, id_param};
use crate::model::{AgendaItem, Committee, Document, DocumentKind, MeetingDetail, MeetingListing, MeetingStatus};
use crate::sources::detect::expect_html;
use crate::sources::html::selector;
use crate::sources::text::{collapse_whitespace, element_text, non_empty};
use crate::sources::SourceError;
use crate::time::find_date_time;

fn href_contains(href: &str, needle: &str) -> bool {
    href.to_ascii_lowercase().contains(&needle.to_ascii_lowercase())
}

pub fn parse_committee_list(page: &str) -> Result<Vec<Committee>, SourceError> {
    expect_html(page)?;
    let html = Html::parse_document(page);
    let mut committees: Vec<Committee> = Vec::new();
    for link in html.select(&selector("a[href]")) {
        let href = link.value().attr("href").unwrap_or_default();
        if !href_contains(href, "mgCommitteeDetails.aspx") {
            continue;
        }
        let (Some(id), Some(title)) = (id_param(href, "ID"), non_empty(&collapse_whitespace(&element_text(link))))
        else {
            continue;
        };
        if !committees.iter().any(|c| c.source_id == id) {
            committees.push(Committee { source_id: id, title, category: None, is_deleted: false, is_expired: false });
        }
    }
    if committees.is_empty() {
        return Err(SourceError::UnexpectedPage("no committee links on the committee list page".into()));
    }
    Ok(committees)
}

pub fn parse_meeting_list(page: &str, committee_id: &str) -> Result<Vec<MeetingListing>, SourceError> {
    expect_html(page)?;
    let html = Html::parse_document(page);
    let mut meetings: Vec<MeetingListing> = Vec::new();
    let mut saw_meeting_markup = false;
    for link in html.select(&selector("a[href]")) {
        let href = link.value().attr("href").unwrap_or_default();
        if !href_contains(href, "ieListDocuments.aspx") {
            continue;
        }
        saw_meeting_markup = true;
        let Some(meeting_id) = id_param(href, "MId") else {
            continue;
        };
        let link_text = collapse_whitespace(&element_text(link));
        let Some((date, time)) = find_date_time(&link_text) else {
            continue;
        };
        // ModernGov prints "CANCELLED" or "Postponed" next to the link, inside the same list item.
        let context = link
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|e| matches!(e.value().name(), "li" | "tr" | "p"))
            .map_or_else(|| link_text.clone(), element_text);
        if meetings.iter().any(|m| m.source_id == meeting_id) {
            continue;
        }
        meetings.push(MeetingListing {
            source_id: meeting_id,
            committee_source_id: committee_id.to_string(),
            date,
            time_text: time.map(|t| t.format("%-I.%M %P").to_string()),
            status: MeetingStatus::parse(&context),
            page_url: None,
        });
    }
    if !saw_meeting_markup && !page.contains("mgBulletList") && !page.contains("modgov") {
        return Err(SourceError::UnexpectedPage("not a ModernGov meeting list".into()));
    }
    Ok(meetings)
}

/// A document link's title: the quoted name in ModernGov's `title="Link to document '…' pdf file"`,
/// else the link text without the "PDF 345 KB" size note.
fn document_title(link: ElementRef<'_>) -> String {
    if let Some(attr) = link.value().attr("title") {
        if let (Some(start), Some(end)) = (attr.find('\''), attr.rfind('\'')) {
            if end > start + 1 {
                return collapse_whitespace(&attr[start + 1..end]);
            }
        }
    }
    text_without_file_size(link)
}

fn text_without_file_size(element: ElementRef<'_>) -> String {
    let mut text = collapse_whitespace(&element_text(element));
    for size in element.select(&selector("span.mgFileSize")) {
        let size_text = collapse_whitespace(&element_text(size));
        if !size_text.is_empty() {
            text = text.replace(&size_text, "");
        }
    }
    collapse_whitespace(&text)
}

fn is_document_link(href: &str) -> bool {
    href_contains(href, "documents/") || href_contains(href, "mgConvert2PDF") || href_contains(href, ".pdf")
}

fn attachment_id(href: &str) -> Option<String> {
    href_contains(href, "mgConvert2PDF").then(|| id_param(href, "ID")).flatten()
}

pub fn parse_meeting_page(page: &str, page_url: &str, meeting_id: &str) -> Result<MeetingDetail, SourceError> {
    expect_html(page)?;
    let html = Html::parse_document(page);
    let heading = html
        .select(&selector("h2.mgSubTitleTxt"))
        .next()
        .map(|h| element_text(h).lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" - "));
    let item_table = html.select(&selector("table#mgItemTable, table.mgItemTable")).next();
    let (date, time) = heading.as_deref().and_then(find_date_time).map_or((None, None), |(d, t)| (Some(d), t));
    // A meeting page has a dated heading or an agenda table; decision pages have neither.
    if date.is_none() && item_table.is_none() {
        return Err(SourceError::UnexpectedPage(
            "no ModernGov meeting markup (dated mgSubTitleTxt or mgItemTable)".into(),
        ));
    }

    let mut documents = Vec::new();
    for link in html.select(&selector("div.mgLinks a[href]")) {
        let href = link.value().attr("href").unwrap_or_default();
        if !is_document_link(href) {
            continue;
        }
        let Some(url) = absolute_url(page_url, href) else {
            continue;
        };
        let title = text_without_file_size(link);
        documents.push(Document {
            source_id: attachment_id(href),
            kind: DocumentKind::classify_meeting_document(&url, &title),
            url,
            title,
            published_on: None,
            is_restricted: false,
        });
    }

    let mut location = None;
    for paragraph in html.select(&selector("div.mgContent p")) {
        if let Some(label) = paragraph.select(&selector("span.mgLabel")).next() {
            let label_text = collapse_whitespace(&element_text(label));
            if label_text.eq_ignore_ascii_case("Venue:") {
                let full = collapse_whitespace(&element_text(paragraph));
                location = non_empty(full.trim_start_matches(label_text.as_str()));
            }
        }
    }

    let mut items = Vec::new();
    if let Some(table) = item_table {
        for row in table.select(&selector("tr")) {
            let Some(number_cell) = row.select(&selector("td.mgItemNumberCell")).next() else {
                continue;
            };
            let Some(body_cell) =
                row.children().filter_map(ElementRef::wrap).filter(|c| c.value().name() == "td").nth(1)
            else {
                continue;
            };
            items.push(parse_item_row(number_cell, body_cell, page_url, items.len()));
        }
    }

    let page_text =
        html.select(&selector("div#modgov, body")).next().map(element_text).unwrap_or_default().to_ascii_lowercase();
    let cancelled = heading.as_deref().is_some_and(|h| h.to_ascii_lowercase().contains("cancelled"))
        || page_text.contains("this meeting has been cancelled")
        || page_text.contains("meeting cancelled");
    let minutes_published = documents.iter().any(|d| d.kind == DocumentKind::PrintedMinutes)
        || items.iter().any(|i: &AgendaItem| i.minutes_text.is_some());
    Ok(MeetingDetail {
        source_id: meeting_id.to_string(),
        agenda_published: !items.is_empty() || documents.iter().any(|d| d.kind != DocumentKind::PrintedMinutes),
        minutes_published,
        decisions_published: documents.iter().any(|d| d.kind == DocumentKind::Decisions),
        heading,
        date,
        time_text: time.map(|t| t.format("%-I.%M %P").to_string()),
        status: Some(if cancelled { MeetingStatus::Cancelled } else { MeetingStatus::Confirmed }),
        location,
        items,
        documents,
        attendees: Vec::new(),
        gaps: Vec::new(),
        vote_pages: super::votes::vote_page_links(&html, page_url),
        recorded_votes: Vec::new(),
        webcasts: crate::sources::publici::linked_webcasts(page, page_url),
    })
}

fn parse_item_row(number_cell: ElementRef<'_>, body_cell: ElementRef<'_>, page_url: &str, index: usize) -> AgendaItem {
    let number = non_empty(collapse_whitespace(&element_text(number_cell)).trim_end_matches('.'));
    let source_id = number_cell
        .select(&selector("a[name]"))
        .chain(body_cell.select(&selector("a[name]")))
        .filter_map(|a| a.value().attr("name"))
        .find_map(|name| name.strip_prefix("AI").map(str::to_string))
        .unwrap_or_else(|| format!("n{}", number.clone().unwrap_or_else(|| index.to_string())));
    let title = body_cell
        .select(&selector("p.mgAiTitleTxt"))
        .next()
        .map(text_without_file_size)
        .and_then(|t| non_empty(&t))
        .unwrap_or_else(|| "Untitled item".to_string());

    let mut agenda_parts = Vec::new();
    let mut minutes_parts = Vec::new();
    let mut in_minutes = false;
    for child in body_cell.children().filter_map(ElementRef::wrap) {
        let classes: Vec<&str> = child.value().classes().collect();
        if classes.contains(&"mgSubItemTitleTxt") {
            let label = collapse_whitespace(&element_text(child)).to_ascii_lowercase();
            in_minutes = label.starts_with("minutes") || label.starts_with("decision");
            continue;
        }
        if classes.contains(&"mgWordPara") {
            let text = element_text(child);
            if !text.trim().is_empty() {
                if in_minutes {
                    minutes_parts.push(text)
                } else {
                    agenda_parts.push(text)
                }
            }
        }
    }

    let mut documents = Vec::new();
    for link in body_cell.select(&selector("a.mgAiTitleLnk[href], ul.mgBulletList a[href]")) {
        let href = link.value().attr("href").unwrap_or_default();
        if !is_document_link(href) {
            continue;
        }
        let Some(url) = absolute_url(page_url, href) else {
            continue;
        };
        documents.push(Document {
            source_id: attachment_id(href),
            url,
            title: document_title(link),
            kind: DocumentKind::ItemDocument,
            published_on: None,
            is_restricted: false,
        });
    }
    let lower_title = title.to_ascii_lowercase();
    AgendaItem {
        source_id,
        number,
        is_restricted: lower_title.contains("(exempt") || lower_title.contains("not for publication"),
        title,
        agenda_text: non_empty(&agenda_parts.join("\n")),
        minutes_text: non_empty(&minutes_parts.join("\n")),
        documents,
        decision_url: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/moderngov/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    const PAGE: &str = "https://moderngov.redbridge.gov.uk/ieListDocuments.aspx?CId=516&MId=6937&Ver=4";

    #[test]
    fn parses_the_redbridge_meeting_page() {
        let page = fixture("redbridge_ieListDocuments_CId516_MId6937_bs4-prettified.html");
        let meeting = parse_meeting_page(&page, PAGE, "6937").unwrap();
        assert_eq!(meeting.heading.as_deref(), Some("Audit Committee - Wednesday, 27th January, 2016 7.00 p.m."));
        assert_eq!(meeting.date, NaiveDate::from_ymd_opt(2016, 1, 27));
        assert_eq!(meeting.time_text.as_deref(), Some("7.00 pm"));
        assert_eq!(meeting.location.as_deref(), Some("Committee Room 1, Town Hall, Ilford, Essex, IG1 1DD"));
        let kinds: Vec<_> = meeting.documents.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            vec![DocumentKind::AgendaFrontsheet, DocumentKind::ReportsPack, DocumentKind::PrintedMinutes]
        );
        assert_eq!(meeting.documents[0].title, "Agenda frontsheet");
        assert!(meeting.documents[2]
            .url
            .ends_with("Printed%20minutes%2027th-Jan-2016%2019.00%20Audit%20Committee.pdf?T=1"));
        assert!(meeting.minutes_published && meeting.agenda_published);
        assert_eq!(meeting.status, Some(MeetingStatus::Confirmed));

        assert!(meeting.items.len() >= 10, "{} items", meeting.items.len());
        let first = &meeting.items[0];
        assert_eq!(first.source_id, "68451");
        assert_eq!(first.number.as_deref(), Some("1"));
        assert_eq!(first.title, "Apologies for Absence (AC/01/270116)");
        assert_eq!(first.minutes_text.as_deref(), Some("There were no apologies for absence."));
        assert_eq!(first.agenda_text, None);
        let second = &meeting.items[1];
        assert!(second.agenda_text.as_deref().unwrap().starts_with("The public and press are permitted to report"));
        assert!(second.minutes_text.as_deref().unwrap().starts_with("All present were reminded"));
        let treasury = meeting.items.iter().find(|i| i.title.starts_with("Treasury Management Strategy")).unwrap();
        assert_eq!(treasury.documents.len(), 2);
        assert_eq!(treasury.documents[0].title, "Treasury Management Strategy 2016-17 (AC/06/270116)");
        assert_eq!(treasury.documents[1].title, "2016-17 TM Strategy to AC App A");
        assert!(treasury.documents[0].url.starts_with("https://moderngov.redbridge.gov.uk/documents/s102911/"));
    }

    #[test]
    fn rejects_pages_that_are_not_meeting_pages() {
        let page = fixture("leeds_GetCouncillorsByWard_wrong-host-sharepoint-error-page.html");
        assert!(matches!(parse_meeting_page(&page, PAGE, "1").unwrap_err(), SourceError::UnexpectedPage(_)));
        let stub = fixture("denbighshire_GetCouncillorsByWard_http-js-redirect-stub.html");
        assert_eq!(parse_meeting_page(&stub, PAGE, "1").unwrap_err(), SourceError::JavaScriptRedirectStub);
        assert!(parse_committee_list(&page).is_err());
        assert!(parse_meeting_list(&page, "1").is_err());
    }

    #[test]
    fn parses_committee_and_meeting_lists() {
        let list = "<html><body><div id=\"modgov\"><ul class=\"mgBulletList\">\
            <li><a href=\"mgCommitteeDetails.aspx?ID=516\">Audit Committee</a></li>\
            <li><a href=\"mgCommitteeDetails.aspx?ID=101\">Cabinet</a></li></ul></div></body></html>";
        let committees = parse_committee_list(list).unwrap();
        assert_eq!(committees.len(), 2);
        assert_eq!((committees[1].source_id.as_str(), committees[1].title.as_str()), ("101", "Cabinet"));

        let meetings = "<html><body><div id=\"modgov\"><ul class=\"mgBulletList\">\
            <li><a href=\"ieListDocuments.aspx?CId=516&amp;MId=6937&amp;Ver=4\">27 Jan 2016 7.00 pm</a></li>\
            <li><a href=\"ieListDocuments.aspx?CId=516&amp;MId=6938&amp;Ver=4\">3 Mar 2016 10.00 am</a> CANCELLED</li>\
            </ul></div></body></html>";
        let listings = parse_meeting_list(meetings, "516").unwrap();
        assert_eq!(listings.len(), 2);
        assert_eq!(listings[0].source_id, "6937");
        assert_eq!(listings[0].time_text.as_deref(), Some("7.00 pm"));
        assert_eq!(listings[0].status, MeetingStatus::Confirmed);
        assert_eq!(listings[1].status, MeetingStatus::Cancelled);
        assert_eq!(listings[1].date, NaiveDate::from_ymd_opt(2016, 3, 3).unwrap());
    }

    #[test]
    fn survives_broken_markup() {
        let broken = "<html><body><div id=modgov><h2 class=mgSubTitleTxt>Cabinet<br>Monday, 2nd March, 2026 <table id=mgItemTable><tr><td class=mgItemNumberCell><p class=mgAiTitleTxt><a name=AI9></a>1.<td><p class=mgAiTitleTxt>Budget";
        let meeting = parse_meeting_page(broken, PAGE, "5").unwrap();
        assert_eq!(meeting.date, NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(meeting.items.len(), 1);
        assert_eq!(meeting.items[0].source_id, "9");
    }
}

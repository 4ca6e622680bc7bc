//! CMIS pages, read as HTML: the calendar page (where the calendar module
//! lives), a month of the no-JavaScript calendar, the list view, a meeting's
//! page (summary, agenda items with their reports, documents, attendance) and
//! a committee category page. CMIS is a DotNetNuke application: only CMIS's
//! own classes and link shapes are relied on, never a site's chrome.

use chrono::{Datelike, NaiveDate};
use scraper::{ElementRef, Html};

use crate::model::{AgendaItem, Attendee, Committee, Document, DocumentKind, MeetingDetail};
use crate::sources::detect::expect_html;
use crate::sources::html::{absolute_url, add_documents, selector, status_from_words, text};
use crate::sources::text::{collapse_whitespace, html_to_text, non_empty};
use crate::sources::SourceError;

/// The value after `/{name}/` in a DNN path (`…/Meeting/15028/Committee/6/…`).
pub fn path_value(href: &str, name: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    let marker = format!("/{}/", name.to_ascii_lowercase());
    let at = lower.find(&marker)? + marker.len();
    let value: String = href[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    (!value.is_empty()).then_some(value)
}

/// Where the meetings calendar lives on a site: its DNN module id, and the
/// page (tab) id when the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CalendarSite {
    pub module_id: String,
    pub tab_id: Option<String>,
}

/// Reads the calendar module from the council's calendar page: its controls
/// are named `dnn$ctr<module>$MeetingCalendarPublic…`, its links
/// `…/tabid/<tab>/ctl/ViewMeetingPublic/mid/<module>/…`.
pub fn parse_calendar_site(page: &str) -> Result<CalendarSite, SourceError> {
    check_page(page)?;
    let module_id = ["dnn$ctr", "dnn_ctr"].iter().find_map(|prefix| {
        page.match_indices(prefix).find_map(|(at, _)| {
            let rest = &page[at + prefix.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let after = &rest[digits.len()..];
            // One separator (`$` or `_`) between the module id and the control's name.
            let control = after.get(1..).unwrap_or_default();
            (!digits.is_empty() && control.starts_with("MeetingCalendar")).then_some(digits)
        })
    });
    let link_module = page.match_indices("/ctl/ViewMeetingPublic/mid/").find_map(|(at, _)| {
        let digits: String = page[at + 27..].chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty()).then_some(digits)
    });
    let Some(module_id) = module_id.or(link_module) else {
        return Err(SourceError::UnexpectedPage("no CMIS meetings calendar on the page".into()));
    };
    let tab_id = page.match_indices("/tabid/").find_map(|(at, _)| {
        let rest = &page[at + 7..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let tail = &rest[digits.len()..];
        let calendar_link = tail.starts_with("/ctl/ViewMeetingPublic/") || tail.starts_with("/ctl/MeetingCalendar");
        (!digits.is_empty() && calendar_link && tail.contains(&format!("/mid/{module_id}"))).then_some(digits)
    });
    Ok(CalendarSite { module_id, tab_id })
}

/// A meeting as the calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarMeeting {
    pub meeting_id: String,
    pub committee_id: String,
    pub committee_title: String,
    pub date: NaiveDate,
    pub time: Option<String>,
    /// The meeting's page, as the calendar links it.
    pub page_url: String,
}

fn meeting_link(href: &str, page_url: &str) -> Option<(String, String, String)> {
    if !href.to_ascii_lowercase().contains("viewmeetingpublic") {
        return None;
    }
    let meeting = path_value(href, "Meeting")?;
    let committee = path_value(href, "Committee")?;
    Some((meeting, committee, absolute_url(page_url, href)?))
}

/// "10:00 Licensing Sub-Committee A": the time, and the committee.
fn time_and_title(link_text: &str) -> (Option<String>, String) {
    let mut words = link_text.splitn(2, ' ');
    let first = words.next().unwrap_or_default();
    let is_time =
        first.len() == 5 && first.as_bytes()[2] == b':' && first.chars().filter(char::is_ascii_digit).count() == 4;
    if is_time {
        (Some(first.to_string()), words.next().unwrap_or_default().trim().to_string())
    } else {
        (None, link_text.trim().to_string())
    }
}

/// "Monday, 8 June" in the month being shown (the day headings have no year).
fn calendar_day(heading: &str, month: NaiveDate) -> Option<NaiveDate> {
    let words: Vec<&str> = heading.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let day: u32 = words.iter().find_map(|w| w.parse().ok())?;
    let month_number = words.iter().find_map(|w| month_number(w))?;
    // December's page can show early January days of the next year, and the reverse.
    let year = match (month.month(), month_number) {
        (12, 1) => month.year() + 1,
        (1, 12) => month.year() - 1,
        _ => month.year(),
    };
    NaiveDate::from_ymd_opt(year, month_number, day)
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = word.to_ascii_lowercase();
    (lower.len() >= 3).then(|| MONTHS.iter().position(|m| lower.starts_with(m)).map(|i| i as u32 + 1)).flatten()
}

/// One month of the no-JavaScript calendar (`ctl/MeetingCalendarPublicNoJava`):
/// day rows (`td.SimpleCalendarDate`), each with its meetings' links.
pub fn parse_month(page: &str, page_url: &str, month: NaiveDate) -> Result<Vec<CalendarMeeting>, SourceError> {
    check_page(page)?;
    let html = Html::parse_document(page);
    let rows: Vec<ElementRef<'_>> = html
        .select(&selector("tr"))
        .filter(|row| row.select(&selector("td.SimpleCalendarDate")).next().is_some())
        .collect();
    if rows.is_empty() && html.select(&selector("table.rgMasterTable, .ModCMISMeetingsC")).next().is_none() {
        return Err(SourceError::UnexpectedPage("not a CMIS calendar month: no day rows".into()));
    }
    let mut meetings = Vec::new();
    for row in rows {
        let Some(heading) = row.select(&selector("td.SimpleCalendarDate")).next().map(text) else { continue };
        let Some(date) = calendar_day(&heading, month) else { continue };
        for link in row.select(&selector("a[href]")) {
            let Some((meeting_id, committee_id, url)) =
                meeting_link(link.value().attr("href").unwrap_or_default(), page_url)
            else {
                continue;
            };
            let (time, committee_title) = time_and_title(&text(link));
            push_unique(
                &mut meetings,
                CalendarMeeting { meeting_id, committee_id, committee_title, date, time, page_url: url },
            );
        }
    }
    Ok(meetings)
}

/// The list view (`?ctl=MeetingCalendarListView`): "9 Jul 2026 11:00 - Planning Committee".
pub fn parse_list_view(page: &str, page_url: &str) -> Result<Vec<CalendarMeeting>, SourceError> {
    check_page(page)?;
    let html = Html::parse_document(page);
    let mut meetings = Vec::new();
    for link in html.select(&selector("td a[href]")) {
        let Some((meeting_id, committee_id, url)) =
            meeting_link(link.value().attr("href").unwrap_or_default(), page_url)
        else {
            continue;
        };
        let link_text = text(link);
        let (when, committee_title) = link_text.split_once(" - ").unwrap_or((link_text.as_str(), ""));
        let Some((date, time)) = date_and_time(when) else { continue };
        push_unique(
            &mut meetings,
            CalendarMeeting {
                meeting_id,
                committee_id,
                committee_title: committee_title.trim().to_string(),
                date,
                time,
                page_url: url,
            },
        );
    }
    if meetings.is_empty() && html.select(&selector("table")).next().is_none() {
        return Err(SourceError::UnexpectedPage("not a CMIS meeting list".into()));
    }
    Ok(meetings)
}

fn push_unique(meetings: &mut Vec<CalendarMeeting>, meeting: CalendarMeeting) {
    if !meetings.iter().any(|m| m.meeting_id == meeting.meeting_id) {
        meetings.push(meeting);
    }
}

/// "4 Nov 2025 - 14:00 to 19:16", "9 Jul 2026 11:00": the day and the start time.
fn date_and_time(text: &str) -> Option<(NaiveDate, Option<String>)> {
    let words: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty() && *w != "-").collect();
    let month_at = words.iter().position(|w| month_number(w).is_some() && w.chars().all(char::is_alphabetic))?;
    let day: u32 = words.get(month_at.checked_sub(1)?)?.trim_end_matches(|c: char| c.is_alphabetic()).parse().ok()?;
    let year: i32 = words.get(month_at + 1)?.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month_number(words[month_at])?, day)?;
    let time = words
        .get(month_at + 2)
        .filter(|w| w.len() == 5 && w.as_bytes()[2] == b':' && w.chars().filter(char::is_ascii_digit).count() == 4)
        .map(|w| w.to_string());
    Some((date, time))
}

/// A meeting's page: its detail, and how each of its people grids pages.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingPage {
    pub detail: MeetingDetail,
    pub committee_title: Option<String>,
    pub grids: Vec<GridPaging>,
}

/// The grids of people on a meeting's page: the grid's id, the attendance its
/// rows record, and what the list is called where it could not be read in full.
pub const GRIDS: [(&str, &str, &str); 4] = [
    ("gridAttended", "Present", "attendance"),
    ("gridOthersAttended", "Present (not a member)", "others attending"),
    ("gridApology", "Apologies", "apologies"),
    ("gridAbsent", "Absent", "absent"),
];

/// How one grid pages: how many rows it holds in all, as its pager says, and
/// the links to its other pages; a pager whose links are all form postbacks
/// (`javascript:__doPostBack(…)`) gives none.
#[derive(Debug, Clone, PartialEq)]
pub struct GridPaging {
    pub grid: &'static str,
    pub attendance: &'static str,
    pub part: &'static str,
    pub total: Option<usize>,
    pub pages: Vec<String>,
}

/// The summary's label/value pairs (`div.holder`: "Committee:", "Date/Time:", "Status:", "Venue:").
fn summary_values(html: &Html) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for holder in html.select(&selector("div.holder")) {
        let label = holder.select(&selector(".dnnLabel span, .dnnLabel label")).next().map(text).unwrap_or_default();
        // The first value directly in this holder (holders nest in CMIS's markup).
        let value = holder
            .children()
            .filter_map(ElementRef::wrap)
            .find(|child| child.value().classes().any(|c| c == "Value"))
            .map(text)
            .unwrap_or_default();
        if !label.is_empty() {
            pairs.push((label.trim_end_matches(':').trim().to_ascii_lowercase(), value));
        }
    }
    pairs
}

fn documents_in(list: ElementRef<'_>, page_url: &str, kind: impl Fn(&str) -> DocumentKind) -> Vec<Document> {
    let mut documents = Vec::new();
    for link in list.select(&selector("a.TitleLink[href], a[href*='Document.ashx'], a[href*='document.ashx']")) {
        let Some(url) = absolute_url(page_url, link.value().attr("href").unwrap_or_default()) else { continue };
        let Some(title) = non_empty(&text(link)) else { continue };
        if documents.iter().any(|d: &Document| d.url == url) {
            continue;
        }
        let kind = kind(&title);
        documents.push(Document { source_id: None, url, title, kind, published_on: None, is_restricted: false });
    }
    documents
}

/// `Document.ashx` links are opaque and may change while the file does not:
/// a document is known by its meeting, its item and its title instead (its
/// bytes' hash then tells whether it changed), so a new link to the same file
/// is neither read nor summarised again.
fn give_documents_stable_keys(detail: &mut MeetingDetail, meeting_id: &str) {
    use sha2::{Digest, Sha256};
    let mut used: Vec<String> = Vec::new();
    let mut key = |item: &str, title: &str| {
        let digest = Sha256::digest(format!("{meeting_id}|{item}|{title}").as_bytes());
        let base: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        let mut candidate = format!("c{meeting_id}-{base}");
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("c{meeting_id}-{base}-{n}");
            n += 1;
        }
        used.push(candidate.clone());
        candidate
    };
    for document in &mut detail.documents {
        document.source_id = Some(key("", &document.title));
    }
    for item in &mut detail.items {
        let item_key = item.source_id.clone();
        for document in &mut item.documents {
            document.source_id = Some(key(&item_key, &document.title));
        }
    }
}

/// People in one attendance grid: the member id from their profile link
/// (`ViewCMIS_Person/…/id/<n>`), their name with the title CMIS adds.
fn grid_people(html: &Html, grid: &str, attendance: &str) -> Vec<Attendee> {
    let mut people = Vec::new();
    let rows = selector(&format!("[id$='{grid}'] tr.rgRow, [id$='{grid}'] tr.rgAltRow"));
    for row in html.select(&rows) {
        let Some(cell) = row.select(&selector("td")).next() else { continue };
        let link = cell.select(&selector("a[href]")).next();
        let name = text(cell);
        let name = name.trim_start_matches("Councillor ").trim().to_string();
        if name.is_empty() {
            continue;
        }
        let source_id = link
            .and_then(|a| a.value().attr("href"))
            .and_then(|href| path_value(href, "id"))
            .unwrap_or_else(|| format!("name:{}", name.to_lowercase()));
        people.push(Attendee {
            source_id,
            name,
            role: None,
            attendance: Some(attendance.to_string()),
            party: None,
            ward: None,
        });
    }
    people
}

/// The people of one grid, from one of its further pages.
pub fn parse_grid_page(page: &str, grid: &str, attendance: &str) -> Result<Vec<Attendee>, SourceError> {
    check_page(page)?;
    let html = Html::parse_document(page);
    Ok(grid_people(&html, &format!("{grid}_ctl00"), attendance))
}

fn grid_paging(
    html: &Html,
    page_url: &str,
    (grid, attendance, part): (&'static str, &'static str, &'static str),
) -> GridPaging {
    let mut pages = Vec::new();
    let change_page = format!("{grid}ChangePage=");
    for link in
        html.select(&selector(&format!("[id$='{grid}'] .rgPager a[href], [id$='{grid}_ctl00'] .rgPager a[href]")))
    {
        let href = link.value().attr("href").unwrap_or_default();
        if href.contains(&change_page) {
            if let Some(url) = absolute_url(page_url, href) {
                if !pages.contains(&url) {
                    pages.push(url);
                }
            }
        }
    }
    // "Page 1 of 4, items 1 to 25 of 87.": the last number is the grid's whole length.
    let total = html
        .select(&selector(&format!("[id$='{grid}'] .rgInfoPart, [id$='{grid}_ctl00'] .rgInfoPart")))
        .next()
        .and_then(|info| {
            text(info).split_whitespace().filter_map(|w| w.trim_end_matches('.').parse::<usize>().ok()).next_back()
        });
    GridPaging { grid, attendance, part, total, pages }
}

/// A meeting's page (`ctl/ViewMeetingPublic/…/Meeting/<id>/…`).
pub fn parse_meeting(page: &str, page_url: &str, meeting_id: &str) -> Result<MeetingPage, SourceError> {
    check_page(page)?;
    let html = Html::parse_document(page);
    if html.select(&selector("div.SummaryPanel, div.holder")).next().is_none() {
        return Err(SourceError::UnexpectedPage("not a CMIS meeting page: no meeting summary".into()));
    }
    let summary = summary_values(&html);
    let value =
        |label: &str| summary.iter().find(|(l, _)| l == label).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let when = value("date/time");
    let (date, time_text) = when.as_deref().and_then(date_and_time).map_or((None, None), |(d, t)| (Some(d), t));
    let mut detail = MeetingDetail {
        source_id: meeting_id.to_string(),
        date,
        time_text,
        status: value("status").as_deref().and_then(status_from_words),
        location: value("venue"),
        webcasts: crate::sources::publici::linked_webcasts(page, page_url),
        ..MeetingDetail::default()
    };
    let committee_title = value("committee");
    detail.heading = committee_title.as_ref().zip(when.as_ref()).map(|(c, w)| format!("{c} - {w}"));

    // Meeting-level documents: the list before the agenda's sections, and the
    // "additional meeting documents" after them (with their appendices).
    let meeting_lists: Vec<ElementRef<'_>> = html.select(&selector("div.Documents, div.AdditionalDocuments")).collect();
    if meeting_lists.is_empty() {
        // A page without those panels: every document list outside the agenda items.
        for list in html.select(&selector("ol.DocumentList, ul.DocumentList")) {
            let in_item =
                list.ancestors().filter_map(ElementRef::wrap).any(|a| a.value().classes().any(|c| c == "Item"));
            if !in_item {
                add_documents(&mut detail.documents, documents_in(list, page_url, DocumentKind::from_title));
            }
        }
    }
    for list in meeting_lists {
        add_documents(&mut detail.documents, documents_in(list, page_url, DocumentKind::from_title));
    }
    for (position, section) in html.select(&selector("div.Section")).enumerate() {
        let section_name = section.select(&selector("div.Name")).next().map(text).unwrap_or_default();
        let private = section_name.to_ascii_lowercase().contains("private");
        for item in section.select(&selector("div.Item")) {
            detail.items.push(parse_item(item, page_url, meeting_id, position, detail.items.len(), private));
        }
    }
    give_documents_stable_keys(&mut detail, meeting_id);
    detail.agenda_published = !detail.items.is_empty() || !detail.documents.is_empty();
    detail.minutes_published = detail.documents.iter().any(|d| d.kind == DocumentKind::PrintedMinutes)
        || detail.items.iter().any(|i| i.minutes_text.is_some());
    detail.decisions_published = html.select(&selector("a[href*='ViewCMIS_DecisionDetails']")).next().is_some();

    for (grid, attendance, _) in GRIDS {
        detail.attendees.extend(grid_people(&html, &format!("{grid}_ctl00"), attendance));
    }
    let grids = GRIDS.into_iter().map(|g| grid_paging(&html, page_url, g)).collect();
    Ok(MeetingPage { detail, committee_title, grids })
}

fn parse_item(
    item: ElementRef<'_>,
    page_url: &str,
    meeting_id: &str,
    section: usize,
    position: usize,
    private: bool,
) -> AgendaItem {
    let title_element = item.select(&selector("div.Title")).next();
    let number =
        title_element.and_then(|t| t.select(&selector("span.Number")).next()).map(text).and_then(|n| non_empty(&n));
    let title = title_element
        .map(|t| {
            let mut whole = text(t);
            for part in t.select(&selector("span.Number, span.FileSize")) {
                let part = text(part);
                if !part.is_empty() {
                    whole = whole.replacen(&part, "", 1);
                }
            }
            collapse_whitespace(&whole)
        })
        .unwrap_or_default();
    let decision_url = title_element
        .and_then(|t| t.select(&selector("a[href]")).next())
        .and_then(|a| a.value().attr("href"))
        .filter(|href| href.to_ascii_lowercase().contains("viewcmis_decisiondetails"))
        .and_then(|href| absolute_url(page_url, href));
    let details = item.select(&selector("div.Details")).next().map(|d| html_to_text(&d.inner_html()));
    let minutes = item.select(&selector("div.MinuteDetails")).next().map(|d| html_to_text(&d.inner_html()));
    let documents = item
        .select(&selector("div.Reports, div.Appendicies"))
        .flat_map(|list| documents_in(list, page_url, |_| DocumentKind::ItemDocument))
        .collect::<Vec<_>>();
    let mut unique: Vec<Document> = Vec::new();
    for document in documents {
        if !unique.iter().any(|d| d.url == document.url) {
            unique.push(document);
        }
    }
    // Items have no id of their own: the number (or the place) within the meeting is stable.
    let source_id = match &number {
        Some(number) => format!("{meeting_id}n{}", number.trim_end_matches('.').to_ascii_lowercase()),
        None => format!("{meeting_id}s{section}p{position}"),
    };
    AgendaItem {
        source_id,
        number,
        title: if title.is_empty() { "Untitled item".into() } else { title },
        agenda_text: details.and_then(|d| non_empty(&d)),
        minutes_text: minutes.and_then(|m| non_empty(&m)),
        is_restricted: private,
        documents: unique,
        decision_url,
    }
}

/// A committee category page: `a.Committee_Level1` links to
/// `ctl/ViewCMIS_CommitteeDetails/mid/<m>/id/<committee>`.
pub fn parse_committee_category(page: &str) -> Result<Vec<Committee>, SourceError> {
    check_page(page)?;
    let html = Html::parse_document(page);
    let mut committees: Vec<Committee> = Vec::new();
    for link in html.select(&selector("a[href]")) {
        let href = link.value().attr("href").unwrap_or_default();
        if !href.to_ascii_lowercase().contains("viewcmis_committeedetails") {
            continue;
        }
        let (Some(id), Some(title)) = (path_value(href, "id"), non_empty(&text(link))) else { continue };
        if !committees.iter().any(|c| c.source_id == id) {
            committees.push(Committee { source_id: id, title, category: None, is_deleted: false, is_expired: false });
        }
    }
    Ok(committees)
}

/// What a CMIS site answers instead of the page asked for: DotNetNuke's error
/// page, a login page, a page cut short.
pub fn check_page(page: &str) -> Result<(), SourceError> {
    expect_html(page)?;
    let lower_start: String = page.chars().take(20_000).collect::<String>().to_ascii_lowercase();
    if lower_start.contains("an error has occurred")
        || lower_start.contains("dnn error")
        || lower_start.contains("is currently unavailable.")
    {
        return Err(SourceError::UnexpectedPage("the site answered with its error page".into()));
    }
    if lower_start.contains("ctl/login")
        || lower_start.contains("dnn_ctr_login")
        || lower_start.contains("/login.aspx") && lower_start.contains("password")
    {
        return Err(SourceError::UnexpectedPage("the site asked for a login".into()));
    }
    let end = page.trim_end().to_ascii_lowercase();
    if !end.ends_with("</html>") {
        return Err(SourceError::UnexpectedPage("the page was cut short (no closing </html>)".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MeetingStatus;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/cmis/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    const SITE: &str = "https://birmingham.cmis.uk.com/birmingham/Meetings.aspx";

    #[test]
    fn finds_the_calendar_module_and_tab() {
        let site = parse_calendar_site(&fixture("birmingham_MeetingCalendarPublic_view-actions_excerpt.html")).unwrap();
        assert_eq!(site, CalendarSite { module_id: "397".into(), tab_id: None });
        let with_links =
            parse_calendar_site(&fixture("birmingham_MeetingCalendarPublicNoJava_month_excerpt.html")).unwrap();
        assert_eq!(with_links, CalendarSite { module_id: "397".into(), tab_id: Some("70".into()) });
        let committees = fixture("birmingham_Committees_index.html");
        assert!(parse_calendar_site(&committees).is_err(), "a page without the calendar");
    }

    #[test]
    fn reads_a_month_of_the_calendar() {
        let june = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let meetings =
            parse_month(&fixture("birmingham_MeetingCalendarPublicNoJava_month_excerpt.html"), SITE, june).unwrap();
        assert_eq!(meetings.len(), 4);
        assert_eq!(meetings[0].meeting_id, "15028");
        assert_eq!(meetings[0].committee_id, "6");
        assert_eq!(meetings[0].committee_title, "Licensing Sub-Committee A");
        assert_eq!(meetings[0].date, NaiveDate::from_ymd_opt(2026, 6, 8).unwrap());
        assert_eq!(meetings[0].time.as_deref(), Some("10:00"));
        assert_eq!(
            (meetings[1].date, meetings[2].time.as_deref()),
            (NaiveDate::from_ymd_opt(2026, 6, 9).unwrap(), Some("12:00"))
        );
        assert_eq!(meetings[3].committee_title, "Planning Committee");
        assert!(meetings[3].page_url.ends_with("/Meeting/15099/Committee/4/SelectedTab/Documents/Default.aspx"));
    }

    #[test]
    fn a_december_page_can_show_januarys_days() {
        let december = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(calendar_day("Friday, 1 January", december), NaiveDate::from_ymd_opt(2027, 1, 1));
        assert_eq!(
            calendar_day("Monday, 30 November", NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            NaiveDate::from_ymd_opt(2026, 11, 30)
        );
    }

    #[test]
    fn reads_the_list_view() {
        let meetings = parse_list_view(&fixture("birmingham_MeetingCalendarListView_excerpt.html"), SITE).unwrap();
        assert_eq!(meetings.len(), 2);
        assert_eq!(meetings[0].date, NaiveDate::from_ymd_opt(2026, 7, 9).unwrap());
        assert_eq!(
            (meetings[0].time.as_deref(), meetings[0].committee_title.as_str()),
            (Some("11:00"), "Planning Committee")
        );
        assert_eq!((meetings[1].meeting_id.as_str(), meetings[1].committee_id.as_str()), ("15115", "38"));
    }

    #[test]
    fn reads_a_full_meeting_page() {
        let url = "https://birmingham.cmis.uk.com/birmingham/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/14834/Committee/39/Default.aspx";
        let page = parse_meeting(
            &fixture("birmingham_ViewMeetingPublic_city-council-2025-11-04_full_rendered.html"),
            url,
            "14834",
        )
        .unwrap();
        let detail = &page.detail;
        assert_eq!(page.committee_title.as_deref(), Some("Meeting of the City Council"));
        assert_eq!(detail.date, NaiveDate::from_ymd_opt(2025, 11, 4));
        assert_eq!(detail.time_text.as_deref(), Some("14:00"));
        assert_eq!(detail.status, Some(MeetingStatus::Confirmed), "\"Occurred\"");
        assert_eq!(detail.location.as_deref(), Some("Council Chamber"));
        let numbers: Vec<&str> = detail.items.iter().filter_map(|i| i.number.as_deref()).collect();
        assert_eq!(numbers, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]);
        // The page links the council's webcast portal (with CMIS's meeting id, not a webcast's).
        assert_eq!(detail.webcasts, [("https://birmingham.public-i.tv".to_string(), None)]);
        assert_eq!(detail.items[0].title, "Notice of Recording");
        assert_eq!(detail.items[2].title, "Minutes");
        let decided: Vec<&str> = detail.items.iter().filter_map(|i| i.decision_url.as_deref()).collect();
        assert_eq!(decided.len(), 5, "{decided:?}");
        assert!(decided[0]
            .ends_with("/ViewCMIS_DecisionDetails/mid/391/Id/ac91323b-caac-4892-a483-deba019a9eac/Default.aspx"));
        assert_eq!(detail.items[0].decision_url, None);
        assert!(detail.items[1].agenda_text.as_deref().unwrap().contains("Members are reminded they must declare"));
        let all_documents = detail.documents.len() + detail.items.iter().map(|i| i.documents.len()).sum::<usize>();
        assert_eq!(all_documents, 13);
        assert_eq!(detail.documents[0].title, "Agenda Contents");
        assert_eq!(detail.documents[1].kind, DocumentKind::ReportsPack);
        assert!(detail.documents[1].url.starts_with("https://birmingham.cmis.uk.com/Birmingham/Document.ashx?"));
        assert!(!detail.documents[1].url.contains("&amp;"));
        // Known by meeting, item and title, not by the opaque link.
        let key = detail.documents[1].source_id.clone().unwrap();
        assert!(key.starts_with("c14834-"), "{key}");
        let relinked = fixture("birmingham_ViewMeetingPublic_city-council-2025-11-04_full_rendered.html")
            .replace("ZkHeYHXv", "QQQQQQQQ");
        let again = parse_meeting(&relinked, url, "14834").unwrap().detail;
        assert_ne!(again.documents[1].url, detail.documents[1].url);
        assert_eq!(again.documents[1].source_id.as_deref(), Some(key.as_str()));
        assert!(detail.decisions_published);
        let present = detail.attendees.iter().filter(|a| a.attendance.as_deref() == Some("Present")).count();
        let apologies = detail.attendees.iter().filter(|a| a.attendance.as_deref() == Some("Apologies")).count();
        assert_eq!((present, apologies), (25, 13));
        assert_eq!(detail.attendees[0].name, "Akhlaq Ahmed");
        assert_eq!(detail.attendees[0].source_id, "1005");
        let attended = &page.grids[0];
        assert_eq!(attended.pages.len(), 3, "pages 2 to 4 of the grid");
        assert!(attended.pages[0].ends_with("gridAttendedChangePage=2_25"));
        assert_eq!(attended.total, Some(87));
        let apologies = &page.grids[2];
        assert_eq!(
            (apologies.part, apologies.total, apologies.pages.len()),
            ("apologies", None, 0),
            "one page, no pager"
        );
    }

    #[test]
    fn reads_alphanumeric_items_and_an_exempt_appendix() {
        let url = "https://birmingham.cmis.uk.com/birmingham/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/14080/Committee/39/Default.aspx";
        let page = parse_meeting(
            &fixture("birmingham_ViewMeetingPublic_city-council-2025-04-08_items-with-documents_rendered.html"),
            url,
            "14080",
        )
        .unwrap();
        let detail = &page.detail;
        let numbers: Vec<&str> = detail.items.iter().filter_map(|i| i.number.as_deref()).collect();
        assert!(numbers.contains(&"7a") && numbers.contains(&"7b"), "{numbers:?}");
        assert_eq!(numbers.len(), 15, "1 to 14 with 7a and 7b: {numbers:?}");
        let seven_b = detail.items.iter().find(|i| i.number.as_deref() == Some("7b")).unwrap();
        assert_eq!(seven_b.title, "Appointment of Director, Law & Governance (Monitoring Officer)");
        assert_eq!(seven_b.source_id, "14080n7b");
        assert_eq!(detail.items.iter().filter(|i| i.decision_url.is_some()).count(), 9);
        assert_eq!(seven_b.documents.len(), 1, "the exempt appendix has no link and is not a document");
        let all_documents = detail.documents.len() + detail.items.iter().map(|i| i.documents.len()).sum::<usize>();
        assert_eq!(all_documents, 16);
        let present = detail.attendees.iter().filter(|a| a.attendance.as_deref() == Some("Present")).count();
        assert_eq!(present, 25, "page 2 of the grid, as captured");
    }

    #[test]
    fn reads_the_summary_and_document_excerpts() {
        let page = parse_meeting(&fixture("birmingham_ViewMeetingPublic_summary_excerpt.html"), SITE, "1").unwrap();
        assert_eq!(page.committee_title.as_deref(), Some("Licensing Sub-Committee A"));
        assert_eq!(page.detail.date, NaiveDate::from_ymd_opt(2026, 8, 3));
        assert_eq!(page.detail.location.as_deref(), Some("On-line meeting"));
        assert_eq!(page.detail.status, Some(MeetingStatus::Confirmed));
        let page = parse_meeting(
            &format!(
                "<html><body><div class=\"holder\"></div>{}</body></html>",
                fixture("birmingham_ViewMeetingPublic_documents-with-minutes_excerpt.html")
            ),
            SITE,
            "2",
        );
        let documents = page.unwrap().detail.documents;
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0].kind, DocumentKind::PrintedMinutes);
        assert_eq!(documents[0].url, "https://birmingham.cmis.uk.com/Birmingham/Document.ashx?id=abc123");
    }

    #[test]
    fn reads_committee_categories() {
        let executive = parse_committee_category(&fixture("birmingham_Committees_category-executive.html")).unwrap();
        let ids: Vec<&str> = executive.iter().map(|c| c.source_id.as_str()).collect();
        assert_eq!(ids, ["2", "331", "431", "10", "417", "416"]);
        assert_eq!(executive[0].title, "Cabinet");
        let council = parse_committee_category(&fixture("birmingham_Committees_category-city-council.html")).unwrap();
        assert_eq!(council.iter().find(|c| c.source_id == "39").unwrap().title, "Meeting of the City Council");
        assert!(
            parse_committee_category(&fixture("birmingham_Committees_index.html")).unwrap().is_empty(),
            "the index has no ids"
        );
    }

    #[test]
    fn error_login_and_cut_pages_are_refused() {
        let error = "<html><head><title>Error</title></head><body><div class=\"dnnFormMessage\">An error has occurred.</div></body></html>";
        assert!(
            matches!(parse_month(error, SITE, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()), Err(SourceError::UnexpectedPage(m)) if m.contains("error page"))
        );
        let login = "<html><body><form action=\"/birmingham/Home/tabid/36/ctl/Login/Default.aspx\"><input type=\"password\"></form></body></html>";
        assert!(matches!(parse_meeting(login, SITE, "1"), Err(SourceError::UnexpectedPage(m)) if m.contains("login")));
        let full = fixture("birmingham_ViewMeetingPublic_city-council-2025-11-04_full_rendered.html");
        let cut = &full[..full.len() / 2];
        assert!(
            matches!(parse_meeting(cut, SITE, "1"), Err(SourceError::UnexpectedPage(m)) if m.contains("cut short"))
        );
        let wrong = fixture("birmingham_Committees_index.html");
        assert!(
            matches!(parse_meeting(&wrong, SITE, "1"), Err(SourceError::UnexpectedPage(m)) if m.contains("not a CMIS meeting page"))
        );
    }
}

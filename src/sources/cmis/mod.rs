//! Civica CMIS: a DotNetNuke site read as HTML. The calendar page the council
//! is registered with names the calendar module; each month of its
//! no-JavaScript view lists the meetings; each meeting's page holds its
//! summary, agenda, documents and attendance.

pub mod parse;
mod platform;

use chrono::{Datelike, Months, NaiveDate};

use crate::model::{Attendee, MeetingDetail, MeetingListing, MeetingStatus};
use crate::net::Fetcher;
use crate::sources::{get_text, SourceError};
pub use parse::{CalendarMeeting, CalendarSite};
pub use platform::{CalendarMonth, Cmis};

/// The attendance grid shows 25 a page; a council of more than 250 members is not expected.
const MAX_ATTENDANCE_PAGES: usize = 10;

/// The site's root (where `Document.ashx` and the DNN pages live) and the
/// registered page's name: `https://x/birmingham/Meetings.aspx` gives
/// (`https://x/birmingham/`, `Meetings`).
fn root_and_page(base_url: &str) -> (String, String) {
    let without_query = base_url.split(['?', '#']).next().unwrap_or(base_url);
    match without_query.rsplit_once('/') {
        Some((root, last)) if last.to_ascii_lowercase().ends_with(".aspx") => {
            (format!("{root}/"), last[..last.len() - 5].to_string())
        }
        _ => (format!("{}/", without_query.trim_end_matches('/')), "Meetings".to_string()),
    }
}

/// The month view of the calendar for the month holding `month`.
pub fn month_url(base_url: &str, site: &CalendarSite, month: NaiveDate) -> String {
    let first = month.with_day(1).unwrap_or(month).format("%Y-%m-%d");
    let (root, page) = root_and_page(base_url);
    match &site.tab_id {
        Some(tab) => format!(
            "{root}{page}/tabid/{tab}/ctl/MeetingCalendarPublicNoJava/mid/{}/Date/{first}/Default.aspx",
            site.module_id
        ),
        // DNN reads the same control from the query string of the page's own address.
        None => format!(
            "{}?ctl=MeetingCalendarPublicNoJava&mid={}&Date={first}",
            base_url.split(['?', '#']).next().unwrap_or(base_url),
            site.module_id
        ),
    }
}

/// The first day of every month from `from`'s to `to`'s.
pub fn months(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut month = from.with_day(1).unwrap_or(from);
    let mut out = Vec::new();
    while month <= to {
        out.push(month);
        month = month + Months::new(1);
    }
    out
}

/// Reads the calendar page the council is registered with to find the module.
pub async fn discover<F: Fetcher>(fetcher: &F, base_url: &str) -> Result<CalendarSite, SourceError> {
    parse::parse_calendar_site(&get_text(fetcher, base_url).await?)
}

/// The meetings one month of the calendar shows.
pub async fn list_month<F: Fetcher>(
    fetcher: &F,
    base_url: &str,
    site: &CalendarSite,
    month: NaiveDate,
) -> Result<Vec<CalendarMeeting>, SourceError> {
    let url = month_url(base_url, site, month);
    parse::parse_month(&get_text(fetcher, &url).await?, &url, month)
}

/// A calendar entry as the jobs carry it: the meeting's page goes with it.
pub fn listing(meeting: &CalendarMeeting) -> MeetingListing {
    MeetingListing {
        source_id: meeting.meeting_id.clone(),
        committee_source_id: meeting.committee_id.clone(),
        date: meeting.date,
        time_text: meeting.time.clone(),
        status: MeetingStatus::Confirmed,
        page_url: Some(meeting.page_url.clone()),
    }
}

/// A meeting's page, with every page of its attendance grid. A grid page
/// that cannot be read leaves the attendance as far as it was read.
pub async fn fetch_meeting<F: Fetcher>(
    fetcher: &F,
    page_url: &str,
    meeting_id: &str,
) -> Result<MeetingRead, SourceError> {
    let text = get_text(fetcher, page_url).await?;
    let page = parse::parse_meeting(&text, page_url, meeting_id)?;
    let mut detail = page.detail;
    let mut note = None;
    for url in page.attendance_pages.iter().take(MAX_ATTENDANCE_PAGES) {
        let more = match get_text(fetcher, url).await.and_then(|text| parse::parse_attendance_page(&text)) {
            Ok(more) => more,
            Err(error) if error.is_transient() => return Err(error),
            Err(error) => {
                note = Some(format!("attendance read in part: {error}"));
                break;
            }
        };
        add_attendees(&mut detail.attendees, more);
    }
    if let Some(total) = page.attended_total {
        let present = detail.attendees.iter().filter(|a| a.attendance.as_deref() == Some("Present")).count();
        if present < total && note.is_none() {
            note = Some(format!("attendance read in part: {present} of {total} who attended"));
        }
    }
    Ok(MeetingRead { detail, committee_title: page.committee_title, note })
}

/// A meeting read from its page.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRead {
    pub detail: MeetingDetail,
    pub committee_title: Option<String>,
    /// What could not be read in full (the attendance grid's later pages).
    pub note: Option<String>,
}

fn add_attendees(attendees: &mut Vec<Attendee>, more: Vec<Attendee>) {
    for attendee in more {
        if !attendees.iter().any(|a| a.source_id == attendee.source_id) {
            attendees.push(attendee);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_month_urls_from_the_registered_page() {
        let site = CalendarSite { module_id: "397".into(), tab_id: Some("70".into()) };
        let june = NaiveDate::from_ymd_opt(2026, 6, 17).unwrap();
        assert_eq!(
            month_url("https://birmingham.cmis.uk.com/birmingham/Meetings.aspx", &site, june),
            "https://birmingham.cmis.uk.com/birmingham/Meetings/tabid/70/ctl/MeetingCalendarPublicNoJava/mid/397/Date/2026-06-01/Default.aspx"
        );
        let no_tab = CalendarSite { module_id: "397".into(), tab_id: None };
        assert_eq!(
            month_url("https://democracy.derby.gov.uk/MeetingsCalendar.aspx", &no_tab, june),
            "https://democracy.derby.gov.uk/MeetingsCalendar.aspx?ctl=MeetingCalendarPublicNoJava&mid=397&Date=2026-06-01"
        );
    }

    #[test]
    fn a_window_is_read_a_month_at_a_time() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(months(day(10, 31), day(12, 26)), [day(10, 1), day(11, 1), day(12, 1)]);
        assert_eq!(months(day(3, 5), day(3, 20)), [day(3, 1)]);
    }
}

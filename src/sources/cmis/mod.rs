//! Civica CMIS: a DotNetNuke site read as HTML. The calendar page the council
//! is registered with names the calendar module; each month of its
//! no-JavaScript view lists the meetings; each meeting's page holds its
//! summary, agenda, documents and attendance.

pub mod parse;
mod platform;

use chrono::{Datelike, Months, NaiveDate};

use crate::model::{Attendee, MeetingDetail, MeetingListing, MeetingStatus, ReadGap};
use crate::net::Fetcher;
use crate::sources::{get_text, SourceError};
pub use parse::{CalendarMeeting, CalendarSite};
pub use platform::{CalendarMonth, Cmis};

/// Further pages of people grids read for one meeting: 25 a page, so 250
/// more; a council of more than 250 members is not expected.
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

/// A meeting's page, with the further pages of its people grids (attendance,
/// apologies and the rest). A grid page that cannot be read leaves the grid as
/// far as it was read (a failed part); a grid that lists more than could be
/// read (its other pages reached only by a form postback, or more pages than
/// are read) is recorded on the meeting as a gap, never passed off as whole.
pub async fn fetch_meeting<F: Fetcher>(
    fetcher: &F,
    page_url: &str,
    meeting_id: &str,
) -> Result<MeetingRead, SourceError> {
    let text = get_text(fetcher, page_url).await?;
    let page = parse::parse_meeting(&text, page_url, meeting_id)?;
    let mut detail = page.detail;
    let mut note = None;
    let mut budget = MAX_ATTENDANCE_PAGES;
    for grid in &page.grids {
        let mut unread = false;
        for url in &grid.pages {
            if budget == 0 {
                unread = true;
                break;
            }
            budget -= 1;
            let read =
                get_text(fetcher, url).await.and_then(|text| parse::parse_grid_page(&text, grid.grid, grid.attendance));
            match read {
                Ok(more) => add_attendees(&mut detail.attendees, more),
                Err(error) if error.is_transient() => return Err(error),
                Err(error) => {
                    note = Some(format!("{} read in part: {error}", grid.part));
                    break;
                }
            }
        }
        let read = detail.attendees.iter().filter(|a| a.attendance.as_deref() == Some(grid.attendance)).count();
        if let Some(total) = grid.total.filter(|total| read < *total) {
            let why = if unread {
                format!("more than {MAX_ATTENDANCE_PAGES} further pages of lists are not read")
            } else if grid.pages.is_empty() {
                "its other pages are reached only by a form postback, which is not followed".to_string()
            } else {
                "a page of the list could not be read".to_string()
            };
            detail.gaps.push(ReadGap { part: grid.part.to_string(), read: read as u32, total: total as u32, why });
        }
    }
    Ok(MeetingRead { detail, committee_title: page.committee_title, note })
}

/// A meeting read from its page.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRead {
    pub detail: MeetingDetail,
    pub committee_title: Option<String>,
    /// Why a grid page that was linked could not be read.
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

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/cmis/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
        futures_util::FutureExt::now_or_never(future).expect("canned fetches never wait")
    }

    const MEETING: &str = "https://birmingham.cmis.uk.com/birmingham/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/14080/Committee/39/Default.aspx";

    #[test]
    fn lists_paged_only_by_postback_are_recorded_as_read_in_part() {
        let fetcher = crate::net::testing::CannedFetcher::default()
            .ok(MEETING, fixture("derived_ViewMeetingPublic_apologies-paged-by-postback.html"));
        let read = block_on(fetch_meeting(&fetcher, MEETING, "14080")).unwrap();
        let described: Vec<String> = read.detail.gaps.iter().map(ReadGap::describe).collect();
        assert_eq!(
            described,
            [
                "attendance: 25 of 88 listed could be read (its other pages are reached only by a form postback, which is not followed)",
                "apologies: 25 of 104 listed could be read (its other pages are reached only by a form postback, which is not followed)",
            ]
        );
        assert_eq!(read.note, None, "nothing failed: the lists cannot be paged");
        assert_eq!(fetcher.requested.borrow().len(), 1);
    }

    #[test]
    fn a_list_of_more_pages_than_are_read_is_recorded_as_read_in_part() {
        // The 4 November page with its Attended grid's pager saying 14 pages (items 1 to 25 of 340):
        // thirteen further pages, of which ten are read.
        let base = "https://birmingham.cmis.uk.com/birmingham/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/14834/Committee/39/Default.aspx";
        let page_link = |n: usize| {
            format!("/birmingham/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/14834/Committee/39/Default.aspx?dnn_ctr397_ViewMeetingPublic_gridAttendedChangePage={n}_25")
        };
        let mut page = fixture("birmingham_ViewMeetingPublic_city-council-2025-11-04_full_rendered.html").replace(
            "of <strong>4</strong>, items <strong>1</strong> to <strong>25</strong> of <strong>87</strong>",
            "of <strong>14</strong>, items <strong>1</strong> to <strong>25</strong> of <strong>340</strong>",
        );
        let more: String =
            (5..=14).map(|n| format!("<a title=\"Go to Page {n}\" href=\"{}\">{n}</a>", page_link(n))).collect();
        page = page.replacen(&format!("{}\">4</a>", page_link(4)), &format!("{}\">4</a>{more}", page_link(4)), 1);
        let later = fixture("birmingham_ViewMeetingPublic_city-council-2025-04-08_items-with-documents_rendered.html");
        let mut fetcher = crate::net::testing::CannedFetcher::default().ok(base, page);
        for n in 2..=14 {
            fetcher = fetcher.ok(&format!("https://birmingham.cmis.uk.com{}", page_link(n)), later.clone());
        }
        let read = block_on(fetch_meeting(&fetcher, base, "14834")).unwrap();
        assert_eq!(fetcher.requested.borrow().len(), 1 + MAX_ATTENDANCE_PAGES, "ten further pages are read");
        let gap = &read.detail.gaps[0];
        assert_eq!((gap.part.as_str(), gap.total), ("attendance", 340));
        assert!(gap.read < 340 && gap.why.contains("more than 10 further pages"), "{gap:?}");
    }
}

//! CMIS as a platform adapter: a refresh finds the calendar's module, and
//! each part lists one month of the calendar; a meeting is read from the
//! page the calendar links, with every page of its attendance grid.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{discover, fetch_meeting, list_month, listing, months, CalendarSite};
use crate::model::{Committee, MeetingListing};
use crate::net::{Fetcher, Validators};
use crate::sources::partial::FailedPart;
use crate::sources::platform::{
    CouncilSite, Listed, ListedMeeting, MeetingFetch, Offers, Plan, PlanFailure, PlatformAdapter, Window,
};
use crate::sources::SourceError;

/// Civica CMIS.
#[derive(Debug, Clone, Copy)]
pub struct Cmis;

/// One listing part: a month of the calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarMonth {
    pub site: CalendarSite,
    pub month: NaiveDate,
}

impl PlatformAdapter for Cmis {
    type Part = CalendarMonth;

    fn offers(&self) -> Offers {
        Offers { councillors: false, decisions: false }
    }

    async fn plan<F: Fetcher>(
        &self,
        fetcher: &F,
        council: CouncilSite<'_>,
        (from, to): Window,
        _committees_per_part: usize,
    ) -> Result<Plan<CalendarMonth>, PlanFailure> {
        let site = discover(fetcher, council.base_url)
            .await
            .map_err(|error| PlanFailure { message: format!("calendar page: {error}"), ..PlanFailure::from(error) })?;
        Ok(Plan {
            // The calendar names committees month by month, as each part is listed.
            committees: Vec::new(),
            parts: months(from, to).into_iter().map(|month| CalendarMonth { site: site.clone(), month }).collect(),
            read_as: "cmis",
            note: None,
        })
    }

    fn part_label(&self, part: &CalendarMonth) -> String {
        format!("calendar for {}", part.month.format("%B %Y"))
    }

    async fn list<F: Fetcher>(
        &self,
        fetcher: &F,
        council: CouncilSite<'_>,
        part: &CalendarMonth,
        (from, to): Window,
    ) -> Result<Listed, SourceError> {
        let meetings = list_month(fetcher, council.base_url, &part.site, part.month).await?;
        let mut listed = Listed::default();
        for meeting in meetings.iter().filter(|m| m.date >= from && m.date <= to) {
            if !listed.committees.iter().any(|c| c.source_id == meeting.committee_id) {
                listed.committees.push(Committee {
                    source_id: meeting.committee_id.clone(),
                    title: meeting.committee_title.clone(),
                    category: None,
                    is_deleted: false,
                    is_expired: false,
                });
            }
            if listed.meetings.iter().any(|m| m.listing.source_id == meeting.meeting_id) {
                continue;
            }
            listed.meetings.push(ListedMeeting {
                listing: listing(meeting),
                committee_title: meeting.committee_title.clone(),
                web_url: meeting.page_url.clone(),
            });
        }
        // A month shows only its own days: no committee's list is complete,
        // so no meeting is marked missing from it.
        Ok(listed)
    }

    fn meeting_urls(&self, _council: CouncilSite<'_>, _read_as: &str, _listing: &MeetingListing) -> Vec<String> {
        // CMIS pages carry no validators worth sending.
        Vec::new()
    }

    fn meeting_page(&self, council: CouncilSite<'_>, listing: &MeetingListing) -> String {
        listing.page_url.clone().unwrap_or_else(|| council.base_url.to_string())
    }

    async fn read_meeting<F: Fetcher>(
        &self,
        fetcher: &F,
        _council: CouncilSite<'_>,
        _read_as: &str,
        listing: &MeetingListing,
        _known: &HashMap<String, Validators>,
    ) -> Result<MeetingFetch, SourceError> {
        let Some(page_url) = &listing.page_url else {
            return Err(SourceError::UnexpectedPage("no page address for this CMIS meeting".into()));
        };
        let read = fetch_meeting(fetcher, page_url, &listing.source_id).await?;
        Ok(MeetingFetch::Fetched {
            detail: read.detail,
            validators: Vec::new(),
            failed_part: read.note.map(|note| (FailedPart::AttendancePages, note)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::testing::CannedFetcher;

    const SITE: &str = "https://birmingham.cmis.uk.com/birmingham/Meetings.aspx";

    fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
        futures_util::FutureExt::now_or_never(future).expect("canned fetches never wait")
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/cmis/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn plans_a_month_a_part_and_lists_a_month_with_its_committees() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let month = fixture("birmingham_MeetingCalendarPublicNoJava_month_excerpt.html");
        let site = CalendarSite { module_id: "397".into(), tab_id: Some("70".into()) };
        let fetcher = CannedFetcher::default()
            .ok(SITE, month.clone())
            .ok(&super::super::month_url(SITE, &site, day(6, 1)), month);
        let council = CouncilSite { base_url: SITE, web_service: "auto" };
        let plan = block_on(Cmis.plan(&fetcher, council, (day(5, 20), day(7, 3)), 5)).unwrap();
        assert_eq!(plan.read_as, "cmis");
        assert_eq!(plan.parts.iter().map(|p| p.month).collect::<Vec<_>>(), [day(5, 1), day(6, 1), day(7, 1)]);
        assert_eq!(Cmis.part_label(&plan.parts[1]), "calendar for June 2026");
        // The window ends on 9 June: the month's later meetings are not listed.
        let listed = block_on(Cmis.list(&fetcher, council, &plan.parts[1], (day(6, 1), day(6, 9)))).unwrap();
        assert_eq!(listed.meetings.len(), 3);
        assert_eq!(listed.meetings[0].committee_title, "Licensing Sub-Committee A");
        assert_eq!(listed.meetings[0].web_url, listed.meetings[0].listing.page_url.clone().unwrap());
        assert!(listed.committees.iter().any(|c| c.source_id == "6" && c.title == "Licensing Sub-Committee A"));
        assert!(listed.complete_for.is_empty(), "a month never marks a meeting missing");
        // A meeting the calendar did not link cannot be read.
        let unlinked = MeetingListing { page_url: None, ..listed.meetings[0].listing.clone() };
        let error = block_on(Cmis.read_meeting(&fetcher, council, "cmis", &unlinked, &HashMap::new())).unwrap_err();
        assert!(matches!(error, SourceError::UnexpectedPage(_)), "{error}");
    }
}

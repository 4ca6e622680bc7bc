//! ModernGov as a platform adapter: a refresh lists the committees (web
//! service, else pages), and each part lists a group of committees' meetings.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{fetch_meeting, list_committees, list_meetings, meeting_urls, urls, Mode, WebServiceSetting};
use crate::model::MeetingListing;
use crate::net::{Fetcher, Validators};
use crate::sources::platform::{
    CouncilSite, Listed, ListedMeeting, MeetingFetch, Offers, Plan, PlanFailure, PlatformAdapter, Window,
};
use crate::sources::SourceError;

/// Civica ModernGov.
#[derive(Debug, Clone, Copy)]
pub struct ModernGov;

/// One listing part: some committees (ids and titles), read in one mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitteeGroup {
    pub mode: Mode,
    pub committees: Vec<(String, String)>,
}

impl PlatformAdapter for ModernGov {
    type Part = CommitteeGroup;

    fn offers(&self) -> Offers {
        Offers { councillors: true, decisions: true }
    }

    async fn plan<F: Fetcher>(
        &self,
        fetcher: &F,
        council: CouncilSite<'_>,
        _window: Window,
        committees_per_part: usize,
    ) -> Result<Plan<CommitteeGroup>, PlanFailure> {
        let setting = WebServiceSetting::parse(council.web_service);
        let list = list_committees(fetcher, council.base_url, setting).await.map_err(|error| PlanFailure {
            message: error.to_string(),
            transient: error.is_transient(),
            network: matches!(error.html.as_ref().or(error.web_service.as_ref()), Some(SourceError::Network(_))),
        })?;
        let to_read: Vec<(String, String)> = list.to_read().into_iter().map(|c| (c.source_id, c.title)).collect();
        let parts = to_read
            .chunks(committees_per_part.max(1))
            .map(|committees| CommitteeGroup { mode: list.mode, committees: committees.to_vec() })
            .collect();
        Ok(Plan {
            committees: list.committees,
            parts,
            read_as: list.mode.as_str(),
            note: list.web_service_error.map(|e| format!("web service unavailable, used HTML pages ({e})")),
        })
    }

    fn part_label(&self, part: &CommitteeGroup) -> String {
        let ids: Vec<&str> = part.committees.iter().map(|(id, _)| id.as_str()).collect();
        format!("committees {}", ids.join(", "))
    }

    async fn list<F: Fetcher>(
        &self,
        fetcher: &F,
        council: CouncilSite<'_>,
        part: &CommitteeGroup,
        window: Window,
    ) -> Result<Listed, SourceError> {
        let ids: Vec<String> = part.committees.iter().map(|(id, _)| id.clone()).collect();
        let lists = match list_meetings(fetcher, council.base_url, part.mode, &ids, window).await {
            Ok(lists) => lists,
            Err(error) if error.is_transient() => return Err(error),
            // Every committee failed the same way: each is recorded, none is complete.
            Err(error) => super::MeetingLists {
                meetings: Vec::new(),
                committee_errors: ids.iter().map(|id| (id.clone(), error.clone())).collect(),
            },
        };
        let title_of = |committee: &str| {
            part.committees
                .iter()
                .find(|(id, _)| id == committee)
                .map_or_else(|| "Meeting".to_string(), |(_, title)| title.clone())
        };
        let mut meetings: Vec<ListedMeeting> = Vec::new();
        for listing in lists.meetings {
            if meetings.iter().any(|m| m.listing.source_id == listing.source_id) {
                continue;
            }
            meetings.push(ListedMeeting {
                committee_title: title_of(&listing.committee_source_id),
                web_url: urls::meeting_page(council.base_url, &listing.committee_source_id, &listing.source_id),
                listing,
            });
        }
        let failed: Vec<&str> = lists.committee_errors.iter().map(|(id, _)| id.as_str()).collect();
        Ok(Listed {
            committees: Vec::new(),
            meetings,
            complete_for: ids.iter().filter(|id| !failed.contains(&id.as_str())).cloned().collect(),
            errors: lists.committee_errors.iter().map(|(id, error)| format!("committee {id}: {error}")).collect(),
        })
    }

    fn meeting_urls(&self, council: CouncilSite<'_>, read_as: &str, listing: &MeetingListing) -> Vec<String> {
        meeting_urls(council.base_url, Mode::parse(read_as), &listing.committee_source_id, &listing.source_id)
    }

    fn meeting_page(&self, council: CouncilSite<'_>, listing: &MeetingListing) -> String {
        urls::meeting_page(council.base_url, &listing.committee_source_id, &listing.source_id)
    }

    async fn read_meeting<F: Fetcher>(
        &self,
        fetcher: &F,
        council: CouncilSite<'_>,
        read_as: &str,
        listing: &MeetingListing,
        known: &HashMap<String, Validators>,
    ) -> Result<MeetingFetch, SourceError> {
        let mode = Mode::parse(read_as);
        fetch_meeting(fetcher, council.base_url, mode, &listing.committee_source_id, &listing.source_id, known).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::testing::CannedFetcher;

    const BASE: &str = "http://127.0.0.1:9/moderngov";

    fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
        futures_util::FutureExt::now_or_never(future).expect("canned fetches never wait")
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/moderngov/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn plans_parts_of_current_committees_and_lists_each_with_its_titles() {
        let day = |m: u32| chrono::NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        let window = (day(1), day(3));
        let fetcher = CannedFetcher::default()
            .ok(&urls::get_committees(BASE), fixture("manchester_GetCommittees_excerpt.xml"))
            .ok(
                &urls::get_meetings(BASE, "144", window.0, window.1),
                fixture("manchester_GetMeetings_audit-committee-144.xml"),
            )
            .fail(&urls::get_meetings(BASE, "163", window.0, window.1), SourceError::Http { status: 404 });
        let site = CouncilSite { base_url: BASE, web_service: "auto" };
        let plan = block_on(ModernGov.plan(&fetcher, site, window, 1)).unwrap();
        assert_eq!(plan.read_as, "web_service");
        assert_eq!(plan.committees.len(), 3, "every committee is stored, expired ones too");
        assert_eq!(plan.parts.len(), 2, "one part per current committee");
        let both = CommitteeGroup {
            mode: Mode::WebService,
            committees: plan.parts.iter().flat_map(|p| p.committees.clone()).collect(),
        };
        assert_eq!(ModernGov.part_label(&both), "committees 163, 144");
        let listed = block_on(ModernGov.list(&fetcher, site, &both, window)).unwrap();
        assert_eq!(listed.meetings.len(), 2);
        let audit = &both.committees.iter().find(|(id, _)| id == "144").unwrap().1;
        assert!(listed.meetings.iter().all(|m| &m.committee_title == audit), "{audit}");
        assert_eq!(listed.meetings[0].web_url, ModernGov.meeting_page(site, &listed.meetings[0].listing));
        // The committee whose list failed is recorded, and its meetings are not marked missing.
        assert_eq!(listed.complete_for, ["144"]);
        assert_eq!(listed.errors, ["committee 163: HTTP status 404"]);
    }
}

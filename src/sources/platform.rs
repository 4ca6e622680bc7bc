//! What every council platform provides to the refresh pipeline (`jobs::refresh`),
//! which knows platforms only through this trait. A platform plans a refresh
//! (its listing parts, each one queued message), lists one part, reads one
//! meeting, and says what else it offers. Adding a platform is a folder under
//! `sources/` implementing `PlatformAdapter`, and one arm in `with_adapter!`
//! (`sources/mod.rs`).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::{Committee, MeetingDetail, MeetingListing};
use crate::net::{Fetcher, Validators};
use crate::sources::partial::FailedPart;
use crate::sources::SourceError;

/// The registered facts about a council a platform reads it by.
#[derive(Debug, Clone, Copy)]
pub struct CouncilSite<'a> {
    /// The address it was registered with (a ModernGov root, a CMIS calendar page).
    pub base_url: &'a str,
    /// The registry's `web_service` setting (`auto`, `on`, `off`), for platforms that have one.
    pub web_service: &'a str,
}

/// The dates a refresh lists, inclusive.
pub type Window = (NaiveDate, NaiveDate);

/// A refresh's plan: the committees found, and the listing parts to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan<Part> {
    pub committees: Vec<Committee>,
    pub parts: Vec<Part>,
    /// How the council is read this time (`web_service`, `html`, `cmis`):
    /// recorded on the run and carried by each meeting's message.
    pub read_as: &'static str,
    /// A note for the log (the web service was unavailable, pages were used).
    pub note: Option<String>,
}

/// Why a refresh could not be planned.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFailure {
    pub message: String,
    /// Worth retrying with backoff (the site was down or slow).
    pub transient: bool,
    /// No answer at all (a connection or TLS failure).
    pub network: bool,
}

impl From<SourceError> for PlanFailure {
    fn from(error: SourceError) -> Self {
        PlanFailure {
            message: error.to_string(),
            transient: error.is_transient(),
            network: matches!(error, SourceError::Network(_)),
        }
    }
}

/// A meeting one listing part found.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedMeeting {
    pub listing: MeetingListing,
    pub committee_title: String,
    /// The meeting's page on the council's site.
    pub web_url: String,
}

/// What one listing part found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listed {
    /// Committees this part names that the plan did not (a calendar's).
    pub committees: Vec<Committee>,
    /// Meetings in the window, each once.
    pub meetings: Vec<ListedMeeting>,
    /// Committees whose meetings were listed in full: a stored meeting of
    /// theirs in the window that is not listed any more is marked missing.
    pub complete_for: Vec<String>,
    /// What could not be listed, recorded on the run.
    pub errors: Vec<String>,
}

/// The outcome of reading one meeting.
#[allow(clippy::large_enum_variant)] // short-lived, one per meeting
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingFetch {
    /// Every source answered 304 Not Modified.
    NotModified,
    Fetched {
        detail: MeetingDetail,
        validators: Vec<(String, Validators)>,
        /// A part that did not answer, and why; the detail holds what the
        /// other parts said (`sources::partial` keeps the rest from before).
        failed_part: Option<(FailedPart, String)>,
    },
}

/// What a platform offers besides meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offers {
    /// Councillors by ward (`jobs::councillors`).
    pub councillors: bool,
    /// Decisions registers (`jobs::decisions`).
    pub decisions: bool,
}

/// A council meeting platform. Methods are generic over the fetcher so that
/// the same code runs in the worker and against canned answers in tests.
#[allow(async_fn_in_trait)] // one thread in a worker: no Send bound is wanted
pub trait PlatformAdapter {
    /// One listing part, as it travels in a queued message.
    type Part: Serialize + DeserializeOwned + Clone;

    fn offers(&self) -> Offers;

    /// Reads what a refresh needs to plan and splits the listing into parts.
    async fn plan<F: Fetcher>(
        &self,
        fetcher: &F,
        council: CouncilSite<'_>,
        window: Window,
        committees_per_part: usize,
    ) -> Result<Plan<Self::Part>, PlanFailure>;

    /// How a part is named in the run's record ("committees 1, 2", "calendar for June 2026").
    fn part_label(&self, part: &Self::Part) -> String;

    /// Lists one part's meetings in the window. `Err` is a failure of the
    /// whole part (retried when transient); what failed in part is in `Listed::errors`.
    async fn list<F: Fetcher>(
        &self,
        fetcher: &F,
        council: CouncilSite<'_>,
        part: &Self::Part,
        window: Window,
    ) -> Result<Listed, SourceError>;

    /// The addresses a meeting is read from, whose validators are sent with
    /// conditional requests.
    fn meeting_urls(&self, council: CouncilSite<'_>, read_as: &str, listing: &MeetingListing) -> Vec<String>;

    /// The meeting's page on the council's site: linked from ours, and
    /// fetched in full next time after it failed.
    fn meeting_page(&self, council: CouncilSite<'_>, listing: &MeetingListing) -> String;

    /// Reads one meeting.
    async fn read_meeting<F: Fetcher>(
        &self,
        fetcher: &F,
        council: CouncilSite<'_>,
        read_as: &str,
        listing: &MeetingListing,
        known: &HashMap<String, Validators>,
    ) -> Result<MeetingFetch, SourceError>;
}

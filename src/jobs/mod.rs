//! Scheduled and queued work: the cron enqueues one refresh per enabled
//! council; a refresh plans the window and enqueues one message per meeting;
//! a meeting message fetches and stores that meeting.

pub mod alerts;
pub mod context;
pub mod councillors;
pub mod decisions;
pub mod dispatch;
pub mod documents;
pub mod export;
pub mod fault;
pub mod health;
pub mod refresh;
pub mod schedule;
pub mod speech;
pub mod summaries;
pub mod upkeep;
pub mod visits;
pub mod votes;
pub mod webcasts;
pub mod webhooks;

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::model::MeetingListing;
use crate::sources::moderngov::Mode;

/// The ingest worker's settings, from its `[vars]`.
pub fn settings(env: &worker::Env) -> Settings {
    Settings::from_env(env)
}

/// One unit of queued work.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    RefreshCouncil {
        council_id: String,
        run_id: String,
    },
    /// List one part of a refresh (a platform's `PlatformAdapter::Part`:
    /// some committees, a month of a calendar) and read the meetings due.
    ListPart {
        council_id: String,
        run_id: String,
        /// How the council is read this run (`Plan::read_as`).
        read_as: String,
        /// 1-based; part 0 is the refresh itself.
        part: u32,
        /// The platform's part as JSON, decoded by its adapter. Text, not a
        /// JSON value: a queue's message is a JavaScript value, where an
        /// object nested in it would become a `Map`.
        plan_part: String,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        full: bool,
    },
    FetchMeeting {
        council_id: String,
        run_id: String,
        /// How the council is read this run (`Plan::read_as`).
        #[serde(alias = "mode")]
        read_as: String,
        committee_title: String,
        listing: MeetingListing,
    },
    /// A ModernGov listing part as queued before `ListPart`: accepted for
    /// one deploy, so that a run planned before it is not stranded.
    ListMeetings {
        council_id: String,
        run_id: String,
        mode: Mode,
        part: u32,
        committees: Vec<(String, String)>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        full: bool,
    },
    /// A CMIS listing part as queued before `ListPart`: accepted for one deploy.
    ListCalendarMonth {
        council_id: String,
        run_id: String,
        site: crate::sources::cmis::CalendarSite,
        part: u32,
        month: chrono::NaiveDate,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        full: bool,
    },
    /// Download one document and start reading its text.
    FetchDocument {
        council_id: String,
        document_id: String,
    },
    /// Read the next pages of a document whose bytes are held in the document store.
    ExtractDocument {
        council_id: String,
        document_id: String,
        content_hash: String,
        first_page: u32,
    },
    /// Summarise a meeting if its inputs changed since the last summary.
    SummariseMeeting {
        council_id: String,
        meeting_id: String,
    },
    /// Compose a council's weekly digest (ISO week, e.g. 2026-W05).
    MakeDigest {
        council_id: String,
        week: String,
    },
    /// Read the council's councillors by ward (weekly, and on registration).
    RefreshCouncillors {
        council_id: String,
    },
    /// Read the council's decisions registers for a date range.
    ListDecisions {
        council_id: String,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    /// Read one decision's page.
    FetchDecision {
        council_id: String,
        decision_id: String,
    },
    /// Send one webhook delivery (on the webhooks queue).
    DeliverWebhook {
        council_id: String,
        delivery_id: String,
    },
    /// Record and queue the emails of those following what was published, a
    /// page of subscribers (after id `after`) a message.
    AlertSubscribers {
        council_id: String,
        published: alerts::Published,
        after: String,
    },
    /// Send one email (on a worker's emails queue).
    SendEmail {
        council_id: String,
        delivery_id: String,
    },
    /// Write one open-data set of the council (`latest`, or a month `YYYY-MM`).
    ExportSet {
        council_id: String,
        set: String,
    },
    /// List the council's webcasts on its webcast platform and match them to meetings.
    ListWebcasts {
        council_id: String,
        /// Read every matched webcast's captions again, however recently read.
        #[serde(default)]
        recheck: bool,
    },
    /// Read one webcast's captions into a transcript.
    ReadCaptions {
        council_id: String,
        webcast_id: String,
    },
    /// Plan the speech-to-text of a webcast without captions (`SPEECH_MODEL`).
    TranscribeWebcast {
        council_id: String,
        webcast_id: String,
    },
    /// Copy one chunk of a webcast's sound out and have it heard.
    TranscribeChunk {
        council_id: String,
        webcast_id: String,
        number: u32,
    },
}

impl Job {
    /// A listing part queued in an earlier kind, as the `ListPart` it now is.
    pub fn as_list_part(&self) -> Option<Job> {
        let (council_id, run_id, read_as, part, plan_part, from, to, full) = match self {
            Self::ListMeetings { council_id, run_id, mode, part, committees, from, to, full } => {
                let group = crate::sources::moderngov::CommitteeGroup { mode: *mode, committees: committees.clone() };
                (council_id, run_id, mode.as_str(), part, serde_json::to_string(&group).ok()?, from, to, full)
            }
            Self::ListCalendarMonth { council_id, run_id, site, part, month, from, to, full } => {
                let month = crate::sources::cmis::CalendarMonth { site: site.clone(), month: *month };
                (council_id, run_id, "cmis", part, serde_json::to_string(&month).ok()?, from, to, full)
            }
            _ => return None,
        };
        Some(Self::ListPart {
            council_id: council_id.clone(),
            run_id: run_id.clone(),
            read_as: read_as.to_string(),
            part: *part,
            plan_part,
            from: *from,
            to: *to,
            full: *full,
        })
    }

    pub fn council_id(&self) -> &str {
        match self {
            Self::RefreshCouncil { council_id, .. }
            | Self::ListPart { council_id, .. }
            | Self::ListMeetings { council_id, .. }
            | Self::FetchMeeting { council_id, .. }
            | Self::ListCalendarMonth { council_id, .. }
            | Self::FetchDocument { council_id, .. }
            | Self::ExtractDocument { council_id, .. }
            | Self::SummariseMeeting { council_id, .. }
            | Self::MakeDigest { council_id, .. }
            | Self::RefreshCouncillors { council_id }
            | Self::ListDecisions { council_id, .. }
            | Self::FetchDecision { council_id, .. }
            | Self::DeliverWebhook { council_id, .. }
            | Self::AlertSubscribers { council_id, .. }
            | Self::SendEmail { council_id, .. }
            | Self::ExportSet { council_id, .. }
            | Self::ListWebcasts { council_id, .. }
            | Self::ReadCaptions { council_id, .. }
            | Self::TranscribeWebcast { council_id, .. }
            | Self::TranscribeChunk { council_id, .. } => council_id,
        }
    }
}

/// How a job ended, which decides what happens to its message.
pub use crate::outcome::Outcome as JobOutcome;

/// The refresh cron (frequent), the digest cron (weekly) and the open-data
/// export (daily), as in wrangler.toml.
pub const REFRESH_CRON: &str = "0 */2 * * *";
pub const EXPORT_CRON: &str = "30 3 * * *";
pub const WEEKLY_CRON: &str = "30 6 * * MON";

/// Splits work into queue batches (at most 100 messages per send).
pub fn batches<T: Clone>(items: &[T], size: usize) -> Vec<Vec<T>> {
    items.chunks(size.max(1)).map(<[T]>::to_vec).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MeetingStatus;

    #[test]
    fn jobs_round_trip_as_json() {
        let job = Job::FetchMeeting {
            council_id: "coventry".into(),
            run_id: "r1".into(),
            read_as: "html".into(),
            committee_title: "Cabinet".into(),
            listing: MeetingListing {
                source_id: "1".into(),
                committee_source_id: "2".into(),
                date: chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
                time_text: None,
                status: MeetingStatus::Cancelled,
                page_url: None,
            },
        };
        let json = serde_json::to_string(&job).unwrap();
        assert!(json.contains("\"kind\":\"fetch_meeting\""));
        assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
        assert_eq!(job.council_id(), "coventry");
    }

    /// Messages queued by the code before one listing-part kind are read as it.
    #[test]
    fn listing_parts_queued_in_earlier_kinds_are_still_accepted() {
        let old_moderngov = r#"{"kind":"list_meetings","council_id":"kent","run_id":"r1","mode":"html","part":2,
            "committees":[["144","Cabinet"]],"from":"2026-01-01","to":"2026-03-01","full":false}"#;
        let job: Job = serde_json::from_str(old_moderngov).unwrap();
        let Some(Job::ListPart { read_as, part, plan_part, .. }) = job.as_list_part() else { panic!("{job:?}") };
        assert_eq!((read_as.as_str(), part), ("html", 2));
        let group: crate::sources::moderngov::CommitteeGroup = serde_json::from_str(&plan_part).unwrap();
        assert_eq!((group.mode, group.committees), (Mode::Html, vec![("144".to_string(), "Cabinet".to_string())]));
        let old_cmis = r#"{"kind":"list_calendar_month","council_id":"bham","run_id":"r2","site":{"module_id":"397",
            "tab_id":"70"},"part":1,"month":"2026-06-01","from":"2026-05-20","to":"2026-07-03","full":true}"#;
        let job: Job = serde_json::from_str(old_cmis).unwrap();
        let Some(Job::ListPart { read_as, plan_part, full, .. }) = job.as_list_part() else { panic!("{job:?}") };
        assert_eq!((read_as.as_str(), full), ("cmis", true));
        let month: crate::sources::cmis::CalendarMonth = serde_json::from_str(&plan_part).unwrap();
        assert_eq!(month.site.module_id, "397");
        // A meeting's message written with `mode` is read with it.
        let old_meeting = r#"{"kind":"fetch_meeting","council_id":"bham","run_id":"r2","mode":"cmis",
            "committee_title":"Cabinet","listing":{"source_id":"1","committee_source_id":"2","date":"2026-06-08",
            "time_text":null,"status":"confirmed"}}"#;
        let Job::FetchMeeting { read_as, .. } = serde_json::from_str(old_meeting).unwrap() else { panic!() };
        assert_eq!(read_as, "cmis");
    }

    #[test]
    fn the_site_workers_email_message_is_a_send_email_job() {
        let message = crate::mail::EmailMessage::new("kent", "em_1", None);
        let json = serde_json::to_value(&message).unwrap();
        let job = Job::SendEmail { council_id: "kent".into(), delivery_id: "em_1".into() };
        assert_eq!(json, serde_json::to_value(&job).unwrap());
        assert_eq!(serde_json::from_value::<Job>(json).unwrap(), job);
        // With the origin the request saw, for links where PUBLIC_ORIGIN is not set.
        let local = crate::mail::EmailMessage::new("kent", "em_1", Some("http://127.0.0.1:8787"));
        let json = serde_json::to_string(&local).unwrap();
        assert_eq!(serde_json::from_str::<crate::mail::EmailMessage>(&json).unwrap(), local);
        assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
    }

    #[test]
    fn splits_into_queue_sized_batches() {
        let items: Vec<u32> = (0..250).collect();
        let split = batches(&items, 100);
        assert_eq!(split.iter().map(Vec::len).collect::<Vec<_>>(), vec![100, 100, 50]);
        assert!(batches::<u32>(&[], 100).is_empty());
    }
}

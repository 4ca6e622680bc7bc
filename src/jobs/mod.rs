//! Scheduled and queued work: the cron enqueues one refresh per enabled
//! council; a refresh plans the window and enqueues one message per meeting;
//! a meeting message fetches and stores that meeting.

pub mod alerts;
pub mod cmis;
pub mod context;
pub mod councillors;
pub mod decisions;
pub mod dispatch;
pub mod documents;
pub mod fault;
pub mod refresh;
pub mod schedule;
pub mod summaries;
pub mod upkeep;
pub mod visits;
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
    /// List some committees' meetings (one part of a refresh) and read those due.
    ListMeetings {
        council_id: String,
        run_id: String,
        mode: Mode,
        /// 1-based; part 0 is the refresh itself.
        part: u32,
        /// Committee ids and titles.
        committees: Vec<(String, String)>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        full: bool,
    },
    FetchMeeting {
        council_id: String,
        run_id: String,
        mode: Mode,
        committee_title: String,
        listing: MeetingListing,
    },
    /// List one month of a CMIS council's calendar (one part of a refresh) and read those due.
    ListCalendarMonth {
        council_id: String,
        run_id: String,
        site: crate::sources::cmis::CalendarSite,
        /// 1-based; part 0 is the refresh itself.
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
}

impl Job {
    pub fn council_id(&self) -> &str {
        match self {
            Self::RefreshCouncil { council_id, .. }
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
            | Self::SendEmail { council_id, .. } => council_id,
        }
    }
}

/// How a job ended, which decides what happens to its message.
pub use crate::outcome::Outcome as JobOutcome;

/// The refresh cron (frequent) and the digest cron (weekly), as in wrangler.toml.
pub const REFRESH_CRON: &str = "0 */2 * * *";
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
            mode: Mode::Html,
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

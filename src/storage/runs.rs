//! Runs: one per refresh of a council, its listing parts, its meetings'
//! outcomes, and the log of every fetch it made.

use serde::Deserialize;
use serde_json::Value;
use worker::Result;

use super::queries as q;
use super::{ListingCounts, MeetingOutcome, Param::*, Store};
use crate::net::FetchRecord;

impl Store {
    /// Opens a run for the council, or answers the id of the run still open.
    pub async fn create_run(
        &self,
        run_id: &str,
        council_id: &str,
        trigger: &str,
        full: bool,
        now: &str,
    ) -> Result<std::result::Result<(), String>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
        }
        let created: Option<Row> =
            self.row(q::CREATE_RUN, &[Text(run_id), Text(council_id), Text(trigger), Text(now), Bool(full)]).await?;
        if created.is_some() {
            return Ok(Ok(()));
        }
        let open: Option<Row> = self.row(q::OPEN_RUN, &[Text(council_id)]).await?;
        Ok(Err(open.map_or_else(|| "unknown".to_string(), |r| r.id)))
    }

    /// Whether any meeting of the council is stored (its first refresh reaches further back).
    pub async fn council_has_meetings(&self, council_id: &str) -> Result<bool> {
        #[derive(Deserialize)]
        struct Row {
            known: i64,
        }
        Ok(self.row::<Row>(q::COUNCIL_HAS_MEETINGS, &[Text(council_id)]).await?.is_some_and(|r| r.known != 0))
    }

    pub async fn run_record(&self, run_id: &str) -> Result<Option<Value>> {
        self.row(q::GET_RUN, &[Text(run_id)]).await
    }

    /// Each failed meeting and listing part of a run, with its error.
    pub async fn run_errors(&self, run_id: &str) -> Result<Vec<Value>> {
        self.rows(q::RUN_ERRORS, &[Text(run_id)]).await
    }

    /// Records how the council's committees were read and how many listing parts follow.
    pub async fn run_listing(
        &self,
        run_id: &str,
        mode: &str,
        window: (&str, &str),
        committees_seen: usize,
        listing_parts: usize,
        now: &str,
    ) -> Result<()> {
        self.run(
            q::RUN_LISTING,
            &[
                Text(run_id),
                Text(mode),
                Text(window.0),
                Text(window.1),
                Int(committees_seen as i64),
                Int(listing_parts as i64),
                Text(now),
            ],
        )
        .await
    }

    /// Counts one listing part (once, however often its message arrives) and
    /// closes the run if nothing else is left.
    pub async fn listing_part_done(
        &self,
        run_id: &str,
        part: u32,
        counts: ListingCounts,
        error: Option<&str>,
        now: &str,
    ) -> Result<()> {
        self.batch(vec![
            self.statement(
                q::RUN_LISTING_PART,
                &[
                    Text(run_id),
                    Int(i64::from(part)),
                    Int(counts.planned as i64),
                    Int(counts.skipped as i64),
                    Int(counts.missing as i64),
                    OptText(error),
                ],
            )?,
            self.statement(q::RUN_RECOUNT, &[Text(run_id), OptText(error), Text(now)])?,
        ])
        .await
    }

    pub async fn run_error(&self, run_id: &str, error: &str) -> Result<()> {
        self.run(q::RUN_ERROR, &[Text(run_id), Text(error)]).await
    }

    pub async fn run_failed(&self, run_id: &str, error: &str, now: &str) -> Result<()> {
        self.run(q::RUN_FAILED, &[Text(run_id), Text(error), Text(now)]).await
    }

    /// Counts one meeting of a run (once, however often its message arrives)
    /// and closes the run after the last planned one.
    pub async fn meeting_done(
        &self,
        run_id: &str,
        meeting_source_id: &str,
        outcome: MeetingOutcome,
        error: Option<&str>,
        now: &str,
    ) -> Result<()> {
        self.batch(vec![
            self.statement(
                q::RUN_MEETING_OUTCOME,
                &[Text(run_id), Text(meeting_source_id), Text(outcome.as_str()), OptText(error)],
            )?,
            self.statement(q::RUN_RECOUNT, &[Text(run_id), OptText(error), Text(now)])?,
        ])
        .await
    }

    pub async fn log_fetches(&self, run_id: Option<&str>, council_id: &str, records: &[FetchRecord]) -> Result<()> {
        let statements = records
            .iter()
            .map(|r| {
                self.statement(
                    q::INSERT_FETCH_LOG,
                    &[
                        OptText(run_id),
                        Text(council_id),
                        Text(&r.url),
                        r.status.map_or(OptText(None), |s| Int(i64::from(s))),
                        Int(r.duration_ms as i64),
                        Int(r.bytes as i64),
                        Text(r.outcome),
                        OptText(r.error.as_deref()),
                        Text(&r.fetched_at),
                    ],
                )
            })
            .collect::<Result<Vec<_>>>()?;
        self.batch(statements).await
    }
}

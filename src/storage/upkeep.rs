//! D1 access for the scheduled upkeep: closing stuck runs, finding stuck or
//! retryable documents, and pruning what is only kept for a while.

use serde::Deserialize;
use worker::Result;

use super::queries as q;
use super::Param::{Int, Text};
use super::Store;

/// A document the reaper takes up again.
#[derive(Debug, Clone, Deserialize)]
pub struct StuckDocument {
    pub id: String,
    pub council_id: String,
    pub extraction_attempts: i64,
}

impl Store {
    /// Closes runs with no progress since `cutoff`; answers their ids.
    pub async fn reap_runs(&self, cutoff: &str, reason: &str, now: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
        }
        let rows: Vec<Row> = self.rows(q::REAP_RUNS, &[Text(cutoff), Text(now), Text(reason)]).await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// Documents left `partial` with no progress since `cutoff`.
    pub async fn stale_documents(&self, cutoff: &str, limit: usize) -> Result<Vec<StuckDocument>> {
        self.rows(q::STALE_DOCUMENTS, &[Text(cutoff), Int(limit as i64)]).await
    }

    /// Documents that failed for a transient cause and may be read again now.
    pub async fn documents_to_retry(&self, now: &str, limit: usize) -> Result<Vec<StuckDocument>> {
        self.rows(q::DOCUMENTS_TO_RETRY, &[Text(now), Int(limit as i64)]).await
    }

    /// Marks a document as taken up again, with the reason.
    pub async fn document_resumed(&self, id: &str, reason: &str, now: &str) -> Result<()> {
        self.run(q::DOCUMENT_RESUMED, &[Text(id), Text(now), Text(reason)]).await
    }

    /// Deletes up to `limit` fetch-log rows older than `cutoff`; answers how many went.
    pub async fn prune_fetch_log(&self, cutoff: &str, limit: usize) -> Result<usize> {
        let result = self.statement(q::PRUNE_FETCH_LOG, &[Text(cutoff), Int(limit as i64)])?.run().await?;
        Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }

    /// Deletes up to `limit` finished runs older than `cutoff` (keeping each
    /// council's latest run and latest success) with their meeting outcomes.
    pub async fn prune_runs(&self, cutoff: &str, limit: usize) -> Result<usize> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
        }
        let old: Vec<Row> = self.rows(q::OLD_RUNS, &[Text(cutoff), Int(limit as i64)]).await?;
        if old.is_empty() {
            return Ok(0);
        }
        let ids: Vec<&str> = old.iter().map(|r| r.id.as_str()).collect();
        let json = serde_json::to_string(&ids).unwrap_or_default();
        self.batch(vec![
            self.statement(q::DELETE_RUN_MEETINGS, &[Text(&json)])?,
            self.statement(q::DELETE_RUN_LISTINGS, &[Text(&json)])?,
            self.statement(q::DELETE_RUNS, &[Text(&json)])?,
        ])
        .await?;
        Ok(ids.len())
    }
}

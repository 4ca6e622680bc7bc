//! The scheduled upkeep that lets the service run unattended: runs and
//! documents that stopped making progress are closed or taken up again, and
//! documents that failed for a transient cause are read again; fetch-log rows
//! and finished runs past their retention are pruned in bounded batches.

use chrono::Duration;
use worker::{Queue, Result};

use super::context::now;
use super::Job;
use crate::config::Settings;
use crate::storage::Store;
use crate::time::{now_utc, stamp};

/// Rows deleted per statement, and statements per upkeep: bounded work per cron.
const PRUNE_BATCH: usize = 2_000;
const PRUNE_BATCHES: usize = 10;
/// Documents taken up again per upkeep.
const DOCUMENTS_PER_UPKEEP: usize = 50;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UpkeepReport {
    pub runs_closed: usize,
    pub documents_resumed: usize,
    pub documents_retried: usize,
    pub fetch_log_pruned: usize,
    pub runs_pruned: usize,
    pub unconfirmed_subscriptions_expired: usize,
    pub email_records_pruned: usize,
    pub webhook_deliveries_pruned: usize,
    pub revoked_key_endpoints_pruned: usize,
}

pub async fn upkeep(store: &Store, documents: &Queue, settings: &Settings) -> Result<UpkeepReport> {
    let mut report = UpkeepReport::default();
    let started = now_utc();
    let stale_cutoff = stamp(started - Duration::minutes(settings.stale_after_minutes));
    let reason = format!("closed by the reaper: no progress for {} minutes", settings.stale_after_minutes);
    report.runs_closed = store.reap_runs(&stale_cutoff, &reason, &now()).await?.len();

    let stale = store.stale_documents(&stale_cutoff, DOCUMENTS_PER_UPKEEP).await?;
    let retry = store.documents_to_retry(&now(), DOCUMENTS_PER_UPKEEP).await?;
    report.documents_resumed = stale.len();
    report.documents_retried = retry.len();
    let mut jobs = Vec::new();
    for document in &stale {
        let reason = format!(
            "taken up again by the reaper: no progress for {} minutes (attempt {})",
            settings.stale_after_minutes,
            document.extraction_attempts + 1
        );
        store.document_resumed(&document.id, &reason, &now()).await?;
        jobs.push(Job::FetchDocument { council_id: document.council_id.clone(), document_id: document.id.clone() });
    }
    for document in &retry {
        store.document_resumed(&document.id, "read again after a transient failure", &now()).await?;
        jobs.push(Job::FetchDocument { council_id: document.council_id.clone(), document_id: document.id.clone() });
    }
    for batch in super::batches(&jobs, 100) {
        documents.send_batch(batch).await?;
    }

    let retention_cutoff = stamp(started - Duration::days(settings.retention_days));
    for _ in 0..PRUNE_BATCHES {
        let deleted = store.prune_fetch_log(&retention_cutoff, PRUNE_BATCH).await?;
        report.fetch_log_pruned += deleted;
        if deleted < PRUNE_BATCH {
            break;
        }
    }
    for _ in 0..PRUNE_BATCHES {
        let deleted = store.prune_runs(&retention_cutoff, PRUNE_BATCH / 4).await?;
        report.runs_pruned += deleted;
        if deleted < PRUNE_BATCH / 4 {
            break;
        }
    }
    for _ in 0..PRUNE_BATCHES {
        let deleted = store.prune_webhook_deliveries(&retention_cutoff, PRUNE_BATCH).await?;
        report.webhook_deliveries_pruned += deleted;
        if deleted < PRUNE_BATCH {
            break;
        }
    }
    report.revoked_key_endpoints_pruned = store.prune_revoked_key_endpoints(&retention_cutoff).await?;
    // Unconfirmed subscriptions go when their confirmation link has expired;
    // email records when no cap or repeat check needs them.
    let unconfirmed_cutoff = stamp(started - Duration::hours(crate::notify::alerts::CONFIRM_HOURS));
    let records_cutoff = stamp(started - Duration::days(crate::notify::alerts::EMAIL_RECORD_DAYS));
    report.unconfirmed_subscriptions_expired = store.expire_unconfirmed(&unconfirmed_cutoff).await?;
    for _ in 0..PRUNE_BATCHES {
        let deleted = store.prune_email_records(&records_cutoff, PRUNE_BATCH).await?;
        report.email_records_pruned += deleted;
        if deleted < PRUNE_BATCH {
            break;
        }
    }
    Ok(report)
}

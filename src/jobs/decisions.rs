//! Reading a council's decisions registers: the lists for a date range, then
//! each decision's page, politely (through the host gate) like meetings.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use worker::Result;

use super::context::{fetcher_with_cap, now, JobContext};
use super::{Job, JobOutcome};
use crate::sources::moderngov::{self, urls};
use crate::storage::{decision_id, DecisionToRead};
use crate::time::{now_utc, stamp};

/// How often the registers are listed (every refresh is every two hours).
pub const REGISTERS_EVERY_HOURS: i64 = 6;
/// A decision's page read longer ago than this is read again while it is in the window.
const REREAD_AFTER_DAYS: i64 = 7;

/// Whether the registers are due a listing.
pub fn registers_due(read_at: Option<&str>, now: DateTime<Utc>) -> bool {
    let read = read_at.and_then(|r| DateTime::parse_from_rfc3339(r).ok()).map(|r| r.with_timezone(&Utc));
    read.is_none_or(|read| now - read >= Duration::hours(REGISTERS_EVERY_HOURS))
}

pub async fn list_decisions(
    ctx: &JobContext<'_>,
    council_id: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(council) = store.council(council_id).await? else { return Ok(JobOutcome::Done) };
    // Only ModernGov offers them (`PlatformAdapter::offers`), read by its module.
    if !crate::sources::offers(council.platform).decisions {
        return Ok(JobOutcome::Done);
    }
    let fetcher = fetcher_with_cap(ctx, &council, ctx.settings.max_page_bytes);
    let listed = moderngov::list_decisions(&fetcher, &council.base_url, (from, to)).await;
    store.log_fetches(None, council_id, &fetcher.take_log()).await?;
    let (delegated, officer) = match listed {
        Ok(lists) => lists,
        Err(error) if error.is_transient() => {
            return Ok(JobOutcome::Retry(format!("decisions of {council_id}: {error}")))
        }
        Err(error) => {
            // The decisions read before stay as they were.
            store.decisions_failed(council_id, &format!("decisions register not read: {error}")).await?;
            return Ok(JobOutcome::Done);
        }
    };
    let page_url = |id: &str| urls::decision_page(&council.base_url, id);
    let now_text = now();
    store.save_decision_listings(council_id, "delegated", &delegated, page_url, &now_text).await?;
    store.save_decision_listings(council_id, "officer", &officer, page_url, &now_text).await?;
    store.decisions_read(council_id, &now_text).await?;
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let reread_before = stamp(now_utc() - Duration::days(REREAD_AFTER_DAYS));
    let to_read: Vec<DecisionToRead> =
        store.decisions_to_read(council_id, (&day(from), &day(to)), &reread_before).await?;
    let jobs: Vec<Job> = to_read
        .into_iter()
        .map(|d| Job::FetchDecision { council_id: council_id.to_string(), decision_id: d.id })
        .collect();
    for batch in jobs.chunks(100) {
        ctx.queue.send_batch(batch.to_vec()).await?;
    }
    crate::storage::version::bump(ctx.env, council_id).await;
    Ok(JobOutcome::Done)
}

pub async fn fetch_decision(ctx: &JobContext<'_>, id: &str) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(record) = store.decision_record(id).await? else { return Ok(JobOutcome::Done) };
    let Some(council) = store.council(&record.council_id).await? else { return Ok(JobOutcome::Done) };
    debug_assert_eq!(decision_id(&record.council_id, &record.source_id), record.id);
    let fetcher = fetcher_with_cap(ctx, &council, ctx.settings.max_page_bytes);
    let result = moderngov::fetch_decision(&fetcher, &council.base_url, &record.source_id).await;
    store.log_fetches(None, &record.council_id, &fetcher.take_log()).await?;
    match result {
        Ok(detail) => {
            let removed_text = store.save_decision(id, &detail, &now()).await?;
            let texts = crate::storage::text::TextStore::new(ctx.bucket);
            for key in removed_text {
                texts.delete(&key).await;
            }
            // Every document again (a conditional GET when unchanged): the
            // page is read again only weekly, and a report may be replaced.
            super::documents::enqueue_decision_documents(ctx, &record.council_id, id, true).await?;
            if record.detail_fetched_at.is_none() {
                let data = serde_json::json!({
                    "council_id": record.council_id, "decision_id": id, "title": detail.title,
                    "decision_maker": detail.decision_maker, "decided_on": detail.decided_on.map(|d| d.to_string()),
                    "url": super::webhooks::public_link(ctx, &format!("/decisions/{id}")), "source_url": record.web_url,
                });
                super::webhooks::emit(ctx, &record.council_id, ("decision.published", id), data).await?;
            }
        }
        Err(error) if error.is_transient() => return Ok(JobOutcome::Retry(format!("decision {id}: {error}"))),
        // What was read before stays; the error is shown with it.
        Err(error) => store.decision_read_error(id, &format!("decision page not read: {error}")).await?,
    }
    crate::storage::version::bump(ctx.env, &record.council_id).await;
    Ok(JobOutcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_are_listed_every_few_hours() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z").unwrap().with_timezone(&Utc);
        assert!(registers_due(None, now));
        assert!(!registers_due(Some("2026-11-28T07:00:00Z"), now));
        assert!(registers_due(Some("2026-11-28T06:00:00Z"), now));
        assert!(registers_due(Some("garbage"), now));
    }
}

//! Reading a council's councillors: on registration and weekly. An answer
//! that is not a list of councillors is recorded on the council and the list
//! read before stays as it was.

use worker::Result;

use super::context::{fetcher_with_cap, now, JobContext};
use super::JobOutcome;
use crate::sources::moderngov;

pub async fn refresh_councillors(ctx: &JobContext<'_>, council_id: &str) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(council) = store.council(council_id).await? else {
        return Ok(JobOutcome::Done);
    };
    // Only ModernGov offers them (`PlatformAdapter::offers`), read by its module.
    if !crate::sources::offers(council.platform).councillors {
        return Ok(JobOutcome::Done);
    }
    let fetcher = fetcher_with_cap(ctx, &council, ctx.settings.max_page_bytes);
    let result = moderngov::list_councillors(&fetcher, &council.base_url).await;
    store.log_fetches(None, council_id, &fetcher.take_log()).await?;
    match result {
        Ok(councillors) => {
            store.save_councillors(council_id, &councillors, &now()).await?;
            crate::storage::version::bump(ctx.env, council_id).await;
            Ok(JobOutcome::Done)
        }
        Err(error) if error.is_transient() => Ok(JobOutcome::Retry(format!("councillors of {council_id}: {error}"))),
        Err(error) => {
            store.councillors_failed(council_id, &format!("councillors not read: {error}")).await?;
            crate::storage::version::bump(ctx.env, council_id).await;
            Ok(JobOutcome::Done)
        }
    }
}

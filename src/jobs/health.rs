//! Operators are told once when a council has failed for three days: the
//! council is flagged in `/admin/status` and `council.failing` is sent to the
//! webhooks that follow it. Checked by every refresh cron.

use serde_json::json;
use worker::Result;

use super::context::JobContext;
use crate::health;
use crate::time::{now_utc, parse_instant, stamp};

/// Tells of each council newly failing for `health::FLAG_AFTER_DAYS`; answers how many.
pub async fn tell_failing(ctx: &JobContext<'_>) -> Result<usize> {
    let now = now_utc();
    let mut told = 0;
    for runs in ctx.store.councils_health().await? {
        let facts = runs.facts();
        let flagged_at = runs.failing_flagged_at.as_deref().and_then(parse_instant);
        let (true, Some(since)) = (health::needs_flag(&facts, flagged_at, now), runs.failing_since.as_deref()) else {
            continue;
        };
        let data = json!({
            "council_id": runs.id,
            "name": runs.name,
            "failing_since": since,
            "failing_days": health::failing_days(&facts, now),
            "last_error": runs.last_error,
            "url": super::webhooks::public_link(ctx, &format!("/councils/{}/status", runs.id)),
        });
        // The event's key is the run of failures: a retry after a failure
        // between sending and flagging sends the same delivery, not another.
        super::webhooks::emit(ctx, &runs.id, ("council.failing", &format!("{}:{since}", runs.id)), data).await?;
        if ctx.store.flag_failing(&runs.id, since, &stamp(now)).await? {
            worker::console_error!("{} has been failing since {since}: operators told", runs.id);
            told += 1;
        }
    }
    Ok(told)
}

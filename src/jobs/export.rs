//! The open-data export: one set of a council a message. `latest` (every
//! record stored) asks for the month sets that are new or may still change,
//! a few a day, each its own message; the files are written before their
//! manifest, and the manifest's record in D1 last, so a set is listed only
//! once its files are there. A set that fails leaves the one before served.

use worker::Result;

use super::context::{now, JobContext};
use super::{Job, JobOutcome};
use crate::opendata::{self, LATEST, MANIFEST, MAX_ROWS};
use crate::time::{local_date, now_utc, parse_time_zone};

/// Month sets asked for by one `latest` export: bounded work a day.
const MONTHS_PER_EXPORT: usize = 12;

pub async fn export_set(ctx: &JobContext<'_>, council_id: &str, set: &str) -> Result<JobOutcome> {
    let (Some(council), Some((from, to))) = (ctx.store.council(council_id).await?, opendata::set_days(set)) else {
        return Ok(JobOutcome::Done);
    };
    let started = now_utc();
    let today = local_date(started, parse_time_zone(&council.time_zone));
    let records = ctx.store.export_records(council_id, (&from, &to), set == LATEST, MAX_ROWS + 1).await?;
    let generated_at = now();
    let (files, manifest) = opendata::build_set(
        &records,
        (&council.id, &council.name, &council.base_url),
        set,
        &today.format("%Y-%m-%d").to_string(),
        &generated_at,
    )
    .map_err(|e| worker::Error::RustError(format!("open-data set {set}: {e}")))?;
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    for file in files {
        put(ctx, &opendata::object_key(council_id, set, file.name), file.bytes, "application/gzip").await?;
    }
    let manifest_json = serde_json::to_string_pretty(&manifest)?;
    put(ctx, &opendata::object_key(council_id, set, MANIFEST), manifest_json.clone().into_bytes(), "application/json")
        .await?;
    ctx.store.save_export(council_id, set, &generated_at, &manifest_json).await?;
    let took = (now_utc() - started).num_milliseconds();
    worker::console_log!("open data {council_id}/{set}: {bytes} bytes gzipped in {took} ms");
    if set == LATEST {
        let (with_meetings, exported) = ctx.store.export_months(council_id).await?;
        let this_month = today.format("%Y-%m").to_string();
        let months = opendata::months_to_export(&with_meetings, &exported, &this_month, MONTHS_PER_EXPORT);
        let jobs: Vec<Job> =
            months.into_iter().map(|set| Job::ExportSet { council_id: council_id.to_string(), set }).collect();
        for batch in super::batches(&jobs, 100) {
            ctx.queue.send_batch(batch).await?;
        }
    }
    Ok(JobOutcome::Done)
}

async fn put(ctx: &JobContext<'_>, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<()> {
    let metadata = worker::HttpMetadata { content_type: Some(content_type.to_string()), ..Default::default() };
    ctx.bucket.put(key, bytes).http_metadata(metadata).execute().await?;
    Ok(())
}

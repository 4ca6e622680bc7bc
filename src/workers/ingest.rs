//! The ingest worker: the crons, the job and document queues, the host gates
//! (Durable Objects, `net::gate`) and the admin routes.

use worker::{
    event, Context, Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder, Request, Response, Result,
    ScheduleContext, ScheduledEvent,
};

use crate::jobs::context::JobContext;
use crate::jobs::dispatch::{enqueue_all, enqueue_digests, enqueue_exports, give_up, run_job};
use crate::jobs::{Job, JobOutcome};
use crate::storage::Store;

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    crate::web::admin::handle(req, env).await
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let cron = event.cron();
    let result = async {
        let store = Store::new(env.d1("DB")?);
        let queue = env.queue("JOBS")?;
        if cron == crate::jobs::WEEKLY_CRON {
            return enqueue_digests(&store, &queue).await;
        }
        if cron == crate::jobs::EXPORT_CRON {
            return enqueue_exports(&store, &queue).await;
        }
        // Upkeep first, so that a council whose run died can start a new one now.
        match crate::jobs::upkeep::upkeep(&store, &env.queue("DOCUMENTS")?, &crate::config::Settings::from_env(&env))
            .await
        {
            Ok(report) => worker::console_log!("upkeep: {report:?}"),
            Err(error) => worker::console_error!("upkeep failed: {error}"),
        }
        let context = JobContext {
            store: &store,
            settings: &crate::config::Settings::from_env(&env),
            queue: &queue,
            documents: &env.queue("DOCUMENTS")?,
            bucket: &env.bucket("DOCUMENT_STORE")?,
            env: &env,
        };
        match crate::jobs::health::tell_failing(&context).await {
            Ok(told) => worker::console_log!("councils newly failing for days: {told}"),
            Err(error) => worker::console_error!("telling failing councils failed: {error}"),
        }
        enqueue_all(&store, &queue, "cron").await
    }
    .await;
    match result {
        Ok(count) => worker::console_log!("cron {cron}: enqueued {count} jobs"),
        // Logged, not panicked: a panic would abort the wasm instance for every later request.
        Err(error) => worker::console_error!("cron {cron} failed: {error}"),
    }
}

#[event(queue)]
async fn queue(batch: MessageBatch<Job>, env: Env, _ctx: Context) -> Result<()> {
    let store = Store::new(env.d1("DB")?);
    let settings = crate::config::Settings::from_env(&env);
    let queue = env.queue("JOBS")?;
    let documents = env.queue("DOCUMENTS")?;
    let bucket = env.bucket("DOCUMENT_STORE")?;
    let messages = batch.messages()?;
    let dead_letters = batch.queue().ends_with("-dlq");
    let context = JobContext {
        store: &store,
        settings: &settings,
        queue: &queue,
        documents: &documents,
        bucket: &bucket,
        env: &env,
    };

    // One council's messages run in order (politeness to its host); councils
    // run side by side, so a slow council does not hold up the others.
    let mut councils: Vec<&str> = messages.iter().map(|m| m.body().council_id()).collect();
    councils.sort_unstable();
    councils.dedup();
    let groups = councils.into_iter().map(|council| {
        let context = &context;
        let messages = &messages;
        async move {
            for message in messages.iter().filter(|m| m.body().council_id() == council) {
                if dead_letters {
                    if let Err(error) = give_up(context, message.body()).await {
                        worker::console_error!("dead letter for {council}: {error}");
                    }
                    message.ack();
                    continue;
                }
                // Transient causes (the site, D1, R2, KV or a queue send failing)
                // are retried with backoff, never at once.
                let reason = match run_job(context, message.body()).await {
                    Ok(JobOutcome::Done) => {
                        message.ack();
                        continue;
                    }
                    Ok(JobOutcome::Retry(reason)) => reason,
                    Err(error) => format!("job failed: {error}"),
                };
                let age_seconds =
                    worker::Date::now().as_millis().saturating_sub(message.timestamp().as_millis()) / 1000;
                let delay = context.settings.retry_delay_seconds(age_seconds);
                worker::console_log!("retrying {council} in {delay}s: {reason}");
                message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(delay).build());
            }
        }
    });
    futures_util::future::join_all(groups).await;
    Ok(())
}

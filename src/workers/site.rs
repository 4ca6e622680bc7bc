//! The site worker: pages, JSON API, feeds, search and the MCP endpoint, all
//! read-only; the email alert pages, which record subscriptions; and the
//! consumer of its emails queue, which sends confirmation emails.

use worker::{event, Context, Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder, Request, Response, Result};

use crate::mail::EmailMessage;
use crate::outcome::Outcome as JobOutcome;
use crate::storage::Store;

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    crate::web::handle(req, env).await
}

#[event(queue)]
async fn queue(batch: MessageBatch<EmailMessage>, env: Env, _ctx: Context) -> Result<()> {
    let store = Store::new(env.d1("DB")?);
    let settings = crate::config::Settings::from_env(&env);
    for message in batch.messages()? {
        let email = message.body();
        let delivery_id = &email.delivery_id;
        let reason = match crate::mail::send_to_subscriber(&store, &env, email).await {
            Ok(JobOutcome::Done) => {
                message.ack();
                continue;
            }
            Ok(JobOutcome::Retry(reason)) => reason,
            Err(error) => format!("email {delivery_id}: {error}"),
        };
        let age_seconds = worker::Date::now().as_millis().saturating_sub(message.timestamp().as_millis()) / 1000;
        let delay = settings.retry_delay_seconds(age_seconds);
        worker::console_log!("retrying in {delay}s: {reason}");
        message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(delay).build());
    }
    Ok(())
}

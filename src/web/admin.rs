//! The admin routes, served only by the ingest worker: registering councils,
//! starting scrapes and digests, run status and the parse benchmarks.

use serde_json::{json, Value};
use worker::{Env, Request, Response, Result};

use super::routes::{ingest_route, query_value, Route};
use super::{method_not_allowed, problem, with_headers};
use crate::jobs::refresh::start_refresh;
use crate::storage::{CouncilInput, Store};
use crate::time::{local_date, now_utc, stamp};

/// Compares the bearer token with ADMIN_TOKEN in constant time. Without a
/// configured token every admin request is refused.
fn authorised(req: &Request, env: &Env) -> bool {
    let Ok(expected) =
        env.secret("ADMIN_TOKEN").map(|s| s.to_string()).or_else(|_| env.var("ADMIN_TOKEN").map(|v| v.to_string()))
    else {
        return false;
    };
    let header = req.headers().get("Authorization").ok().flatten().unwrap_or_default();
    let Some(token) = header.strip_prefix("Bearer ") else {
        return false;
    };
    !expected.is_empty() && constant_time_eq::constant_time_eq(token.trim().as_bytes(), expected.as_bytes())
}

/// The instance's WebAssembly linear memory, which only grows: its peak so far.
fn linear_memory_bytes() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0) * 65536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

fn json_response(value: &Value, status: u16) -> Result<Response> {
    let response =
        with_headers(Response::ok(value.to_string())?.with_status(status), "application/json; charset=utf-8")?;
    response.headers().set("Access-Control-Allow-Origin", "*")?;
    Ok(response)
}

pub async fn handle(req: Request, env: Env) -> Result<Response> {
    let origin = req.url().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    match serve(req, env).await {
        Ok(response) => Ok(response),
        Err(error) => super::failed(&error, true, &origin),
    }
}

async fn serve(mut req: Request, env: Env) -> Result<Response> {
    let url = req.url()?;
    // The raw method: the typed one maps methods it does not know to GET.
    let method = req.inner().method();
    let current = ingest_route(&method, url.path());
    match current {
        Route::Health => return with_headers(Response::ok("ok")?, "text/plain; charset=utf-8"),
        Route::NotFound => return problem(404, "Not Found", "no such resource"),
        Route::MethodNotAllowed => return method_not_allowed(super::routes::Worker::Ingest, url.path()),
        _ if !authorised(&req, &env) => {
            let response = problem(401, "Unauthorized", "admin routes need Authorization: Bearer <ADMIN_TOKEN>")?;
            response.headers().set("WWW-Authenticate", "Bearer")?;
            return Ok(response);
        }
        _ => {}
    }
    let store = Store::new(env.d1("DB")?);
    match current {
        Route::AdminDigest(id) => {
            let week = query_value(url.query(), "week")
                .unwrap_or_else(|| crate::time::iso_week_label(local_date(now_utc(), crate::time::DEFAULT_TIME_ZONE)));
            if crate::time::parse_iso_week(&week).is_none() {
                return problem(400, "Bad Request", "week must be an ISO week such as 2026-W05");
            }
            let (made, _) = crate::jobs::summaries::make_digest(&store, &id, &week).await?;
            crate::storage::version::bump(&env, &id).await;
            match made {
                None => problem(404, "Not Found", "no council has that id"),
                Some(digest) => json_response(&digest, 200),
            }
        }
        Route::AdminRegisterCouncil => {
            let input: CouncilInput = match req.json().await {
                Ok(input) => input,
                Err(error) => return problem(400, "Bad Request", &format!("body must be a council as JSON: {error}")),
            };
            if let Err(message) = input.validate() {
                return problem(422, "Unprocessable Content", &message);
            }
            store.upsert_council(&input, &stamp(now_utc())).await?;
            crate::storage::version::bump(&env, &input.id).await;
            // A newly registered (or changed) council's councillors are read now, not only weekly.
            let offers = crate::model::Platform::parse(&input.platform).map(crate::sources::offers);
            if input.enabled && offers.is_some_and(|o| o.councillors) {
                let job = crate::jobs::Job::RefreshCouncillors { council_id: input.id.clone() };
                env.queue("JOBS")?.send(job).await?;
            }
            let council = store.council(&input.id).await?;
            json_response(&serde_json::to_value(council)?, 200)
        }
        Route::AdminScrape(id) => {
            if store.council(&id).await?.is_none() {
                return problem(404, "Not Found", "no council has that id");
            }
            let full = query_value(url.query(), "full").is_some_and(|v| v == "1" || v == "true");
            match start_refresh(&store, &env.queue("JOBS")?, &id, "admin", full).await? {
                Ok(run_id) => {
                    json_response(&json!({"run_id": run_id, "council_id": id, "status": "queued", "full": full}), 202)
                }
                Err(open) => problem(409, "Conflict", &format!("run {open} of this council is still in progress")),
            }
        }
        Route::AdminWebcasts(id) => match store.council(&id).await? {
            None => problem(404, "Not Found", "no council has that id"),
            Some(council) if council.webcast_site.is_none() => {
                problem(409, "Conflict", "this council has no webcast_site registered")
            }
            Some(_) => {
                let recheck = query_value(url.query(), "recheck").is_some_and(|v| v == "1" || v == "true");
                env.queue("JOBS")?.send(crate::jobs::Job::ListWebcasts { council_id: id.clone(), recheck }).await?;
                json_response(&json!({"council_id": id, "status": "queued", "recheck": recheck}), 202)
            }
        },
        Route::AdminStatus => {
            let councils = store.council_status().await?;
            // Each council's health as `/status` shows it; `flagged` when it
            // has failed for three days and operators were told.
            let now = crate::time::now_utc();
            let health: Vec<super::status::CouncilState> =
                store.councils_health().await?.iter().map(|runs| super::status::CouncilState::of(runs, now)).collect();
            let flagged: Vec<&str> = health.iter().filter(|c| c.flagged).map(|c| c.id.as_str()).collect();
            json_response(
                &json!({"councils": councils, "health": health, "flagged": flagged, "email": email_status(&store, &env).await?}),
                200,
            )
        }
        Route::AdminWebhooks if req.method() == worker::Method::Get => {
            json_response(&json!({"endpoints": store.webhook_endpoints(None).await?}), 200)
        }
        Route::AdminWebhooks => {
            let body = match super::body::read_capped(&mut req, super::integrators::MAX_BODY_BYTES).await {
                Ok(body) => body,
                Err(error) => return super::body_refused(error),
            };
            super::integrators::register_endpoint(&store, &body, None, crate::config::local_development(&env)).await
        }
        Route::AdminApiKeys if req.method() == worker::Method::Get => {
            json_response(&json!({"keys": store.api_keys().await?}), 200)
        }
        Route::AdminApiKeys => {
            #[derive(serde::Deserialize)]
            struct KeyInput {
                name: String,
                #[serde(default)]
                max_endpoints: Option<i64>,
            }
            let input: KeyInput = match req.json().await {
                Ok(input) => input,
                Err(error) => return problem(400, "Bad Request", &format!("body must be {{\"name\": …}}: {error}")),
            };
            let name = input.name.trim();
            if name.is_empty() || name.len() > 200 {
                return problem(422, "Unprocessable Content", "name the key's holder (at most 200 characters)");
            }
            let max_endpoints = input.max_endpoints.unwrap_or(10).clamp(1, 100);
            let random = match crate::random::random_secret() {
                Ok(random) => random,
                Err(message) => return problem(500, "Internal Server Error", &message),
            };
            let (id, key) = super::integrators::new_api_key(&random);
            let hash = super::integrators::api_key_hash(&key);
            store.add_api_key((&id, name, &hash), max_endpoints, &stamp(now_utc())).await?;
            // The key is shown this once; only its hash is kept.
            super::integrators::json_no_store(
                &json!({"id": id, "name": name, "max_endpoints": max_endpoints, "key": key}),
                201,
            )
        }
        Route::AdminApiKeyRevoke(id) => match store.revoke_api_key(&id, &stamp(now_utc())).await? {
            true => json_response(&json!({"id": id, "revoked": true}), 200),
            false => problem(404, "Not Found", "no live key has that id"),
        },
        Route::AdminWebhookDeliveries(id) => {
            json_response(&json!({"endpoint_id": id, "deliveries": store.endpoint_deliveries(&id).await?}), 200)
        }
        Route::AdminWebhookReplay(id) => {
            match store.replay_webhook_delivery(&id, &stamp(now_utc())).await? {
                crate::storage::Replay::Queued => {}
                crate::storage::Replay::NoSuchDelivery => return problem(404, "Not Found", "no delivery has that id"),
                crate::storage::Replay::KeyRevoked => {
                    return problem(409, "Conflict", "the endpoint's API key was revoked; it stays off")
                }
            }
            let council_id = String::new();
            env.queue("WEBHOOKS")?
                .send(crate::jobs::Job::DeliverWebhook { council_id, delivery_id: id.clone() })
                .await?;
            json_response(&json!({"delivery_id": id, "status": "queued"}), 202)
        }
        Route::AdminFaults => json_response(&json!({"fired": crate::jobs::fault::fired(&env).await?}), 200),
        Route::AdminRun(id) => match store.run_record(&id).await? {
            None => problem(404, "Not Found", "no run has that id"),
            Some(mut run) => {
                run["fetches"] = Value::Array(store.run_fetches(&id).await?);
                run["errors"] = Value::Array(store.run_errors(&id).await?);
                json_response(&run, 200)
            }
        },
        Route::AdminBenchParse => {
            let format = query_value(url.query(), "format").unwrap_or_default();
            let iterations: u32 =
                query_value(url.query(), "iterations").and_then(|n| n.parse().ok()).unwrap_or(1).min(10_000);
            let body = req.bytes().await?;
            match crate::sources::bench_parse(&format, &body, iterations) {
                Ok(items) => json_response(&json!({"format": format, "iterations": iterations, "items": items}), 200),
                Err(error) => problem(422, "Unprocessable Content", &error),
            }
        }
        Route::AdminBenchPdf => {
            let iterations: u32 =
                query_value(url.query(), "iterations").and_then(|n| n.parse().ok()).unwrap_or(1).clamp(1, 1000);
            let body = req.bytes().await?;
            let mut pages = Vec::new();
            for _ in 0..iterations {
                pages = match crate::documents::extract_all(&body) {
                    Ok(pages) => pages,
                    Err(error) => return problem(422, "Unprocessable Content", &error.to_string()),
                };
            }
            let chars: usize = pages.iter().map(|p| crate::documents::pdf::text_chars(&p.text)).sum();
            json_response(
                &json!({"pages": pages.len(), "chars": chars, "wasm_memory_bytes": linear_memory_bytes()}),
                200,
            )
        }
        _ => problem(404, "Not Found", "no such resource"),
    }
}

/// Confirmation emails asked for in the last hour against their ceiling: when
/// it is reached, subscribing answers 503 until the hour passes.
async fn email_status(store: &Store, env: &Env) -> Result<Value> {
    let ceiling = crate::mail::confirmations_per_hour(env);
    let hour_ago = crate::time::stamp(crate::time::now_utc() - chrono::Duration::hours(1));
    let sent = store.confirmations_to_anyone_since(&hour_ago).await?;
    Ok(json!({
        "confirmations_last_hour": sent,
        "confirmations_per_hour": ceiling,
        "subscribing_paused": sent >= ceiling,
    }))
}

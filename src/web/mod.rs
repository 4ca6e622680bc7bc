//! The public site, the JSON API and the feeds (the site worker); the admin
//! routes of the ingest worker are in `admin`. Every route is declared once
//! in `routes::ROUTES`; this module serves public reads from the edge cache,
//! applies the declared rate limits, and hands each route to its handler.

// Compiled natively for lints; in wasm only into the ingest worker.
#[cfg(any(feature = "ingest", not(target_arch = "wasm32")))]
pub mod admin;
pub mod alerts;
pub mod body;
pub mod checks;
pub mod councillors;
pub mod councils;
pub mod data;
pub mod decisions;
pub mod feeds;
pub mod home;
pub mod html;
pub mod integrators;
pub mod limits;
pub mod mcp;
pub mod meetings;
pub mod pages;
pub mod people;
pub mod postcodes;
pub mod reply;
pub mod routes;
pub mod search;
pub mod status;
pub mod votes;

use worker::{Env, Request, Response, Result};

use crate::storage::Store;
use crate::time::now_utc;
pub(crate) use reply::{problem, with_headers};
use reply::{Missing, Refusal, Reply};
use routes::{Found, Route, Worker};

/// The origin absolute links are built from: `PUBLIC_ORIGIN` when set (so a
/// forged Host header cannot put another site into canonical links, feeds or
/// calendars), else the request's own origin (local development).
fn public_origin(env: &Env, url: &worker::Url) -> String {
    env.var("PUBLIC_ORIGIN")
        .ok()
        .map(|v| v.to_string().trim_end_matches('/').to_string())
        .filter(|v| worker::Url::parse(v).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
        .unwrap_or_else(|| url.origin().ascii_serialization())
}

/// Public reads are served from the edge cache when the data has not changed
/// since they were rendered: each cached copy carries the data version from
/// KV it was made from, which every write bumps. A request holding the
/// current ETag gets 304.
pub async fn handle(req: Request, env: Env) -> Result<Response> {
    let url = req.url()?;
    let origin = public_origin(&env, &url);
    let found = routes::find(Worker::Site, &req.inner().method(), url.path());
    match serve(req, env, &found).await {
        Ok(response) => Ok(response),
        Err(error) => failed(&error, found.for_programs(), &origin),
    }
}

/// How a request that failed is answered: a database busy or briefly
/// unreachable (what a retry outlives) is 503 with `Retry-After`, never a bare
/// 500; anything else is 500. Problem details for programs, a page for people.
pub fn failed(error: &worker::Error, for_programs: bool, origin: &str) -> Result<Response> {
    let message = error.to_string();
    let status = failure_status(&message);
    worker::console_error!("request failed ({status}): {message}");
    let response = match (status, for_programs) {
        (503, true) => problem(503, "Service Unavailable", "the database is busy; try again in a few seconds")?,
        (503, false) => reply::error_page(
            origin,
            503,
            "Please try again",
            "We are busy for a moment and nothing was changed. Please try again in a few seconds.",
        )?,
        (_, true) => problem(500, "Internal Server Error", "something went wrong on our side")?,
        (_, false) => reply::error_page(origin, 500, "Something went wrong", "Something went wrong on our side.")?,
    };
    if status == 503 {
        response.headers().set("Retry-After", "5")?;
    }
    response.headers().set("Cache-Control", "no-store")?;
    Ok(response)
}

/// 503 for a failure a retry outlives (the database busy, overloaded or
/// briefly unreachable), 500 for the rest.
pub fn failure_status(message: &str) -> u16 {
    if crate::storage::is_transient_d1_error(message) {
        503
    } else {
        500
    }
}

async fn serve(req: Request, env: Env, found: &Found) -> Result<Response> {
    let url = req.url()?;
    let method = req.inner().method();
    // EDGE_CACHE = "off" serves every read fresh (benchmarks of rendering; incidents).
    let edge_cache = env.var("EDGE_CACHE").map(|v| v.to_string()).unwrap_or_default() != "off";
    let cacheable = method == "GET" && found.is_public_read() && edge_cache;
    let scope = found.cache_scope();
    // Only reads that reach D1 count against the rate limits: a cached page
    // costs the version and the cache, never the limiter. Searches (and
    // postcode look-ups) are counted always: each query is its own, and the
    // strictest limit must not be worked around by asking one query often.
    let limit_class = found.limit();
    let always_counted = limit_class == Some(limits::LimitClass::Search);
    if !cacheable || always_counted {
        if let Some(class) = refused(&req, &env, limit_class).await {
            return Refusal::TooMany(class).answer(found.for_programs(), &public_origin(&env, &url));
        }
    }
    if !cacheable {
        return respond(req, env, found, true).await;
    }
    let if_none_match = req.headers().get("If-None-Match").ok().flatten();
    // One key a page, holding the data version it was made from: the version
    // and the cached copy are asked for side by side, and a copy of another
    // version is no hit (it is overwritten by the fresh one).
    let key = format!(
        "https://edge-cache.council-digest.invalid/{}{}{}",
        scope.name(),
        url.path(),
        routes::cache_key_query(url.query())
    );
    let cache = worker::Cache::default();
    let (version, cached) = futures_util::future::join(
        async { crate::storage::version::current(&env, &scope).await.unwrap_or(0) },
        cache.get(key.as_str(), false),
    )
    .await;
    let made_from = |response: &Response| response.headers().get(DATA_VERSION).ok().flatten();
    let response = match cached?.filter(|copy| made_from(copy) == Some(version.to_string())) {
        Some(hit) => {
            // Responses from the cache have immutable headers: copy them.
            let headers = worker::Headers::from_iter(hit.headers().entries());
            let hit = hit.with_headers(headers);
            hit.headers().set("Cache-Control", found.browser_cache())?;
            hit.headers().set("X-Cache", "hit")?;
            hit.headers().delete(DATA_VERSION)?;
            hit
        }
        None => {
            if let Some(class) = refused(&req, &env, limit_class.filter(|_| !always_counted)).await {
                return Refusal::TooMany(class).answer(found.for_programs(), &public_origin(&env, &url));
            }
            let mut fresh = respond(req, env, found, false).await?;
            let age = (now_utc().timestamp_millis() as u64).saturating_sub(version);
            if let (200, Some(keep)) = (fresh.status_code(), crate::storage::version::cacheable_for(age)) {
                let stored = fresh.cloned()?;
                stored.headers().set("Cache-Control", &format!("public, max-age={keep}"))?;
                stored.headers().set(DATA_VERSION, &version.to_string())?;
                cache.put(key.as_str(), stored).await?;
            }
            if fresh.status_code() == 200 {
                fresh.headers().set("Cache-Control", found.browser_cache())?;
            }
            fresh.headers().set("X-Cache", "miss")?;
            fresh
        }
    };
    let etag = response.headers().get("ETag").ok().flatten();
    let matches = match (&if_none_match, &etag) {
        (Some(header), Some(etag)) => header.split(',').any(|t| t.trim().trim_start_matches("W/") == etag),
        _ => false,
    };
    if matches && response.status_code() == 200 {
        let not_modified = Response::empty()?.with_status(304);
        let headers = not_modified.headers();
        for name in ["ETag", "Cache-Control", "Content-Type", "Access-Control-Allow-Origin"] {
            if let Ok(Some(value)) = response.headers().get(name) {
                headers.set(name, &value)?;
            }
        }
        return Ok(not_modified);
    }
    Ok(response)
}

/// The limit a request is over, if any.
async fn refused(req: &Request, env: &Env, class: Option<limits::LimitClass>) -> Option<limits::LimitClass> {
    match class {
        Some(class) if !limits::within_limit(req, env, class).await => Some(class),
        _ => None,
    }
}

/// Each route to its handler.
async fn respond(req: Request, env: Env, found: &Found, honour_if_none_match: bool) -> Result<Response> {
    let url = req.url()?;
    let origin = public_origin(&env, &url);
    let reply = Reply {
        env: &env,
        store: Store::reading(env.d1("DB")?)?,
        canonical: format!("{origin}{}", url.path()),
        for_programs: found.for_programs(),
        if_none_match: req.headers().get("If-None-Match").ok().flatten().filter(|_| honour_if_none_match),
        origin,
        url,
    };
    let response = route_to_handler(req, &env, found, &reply).await?;
    if crate::config::local_development(&env) {
        response.headers().set(ROUND_TRIPS, &reply.store.round_trips().to_string())?;
        response.headers().set(RETRIES, &reply.store.retries().to_string())?;
    }
    Ok(response)
}

/// The data version a cached copy was made from (kept with the copy only).
const DATA_VERSION: &str = "X-Data-Version";

/// The header that tells, in local development, how many round trips to D1
/// an answer took to make (a cached copy keeps it); the tests hold every
/// public read to one.
pub const ROUND_TRIPS: &str = "X-D1-Round-Trips";

/// Beside it, how many of its tries were made again after a transient
/// failure (the database busy with a writer): not the page's own reads.
pub const RETRIES: &str = "X-D1-Retries";

async fn route_to_handler(req: Request, env: &Env, found: &Found, reply: &Reply<'_>) -> Result<Response> {
    let env = env.clone();
    match found.route.clone() {
        Route::Health => with_headers(Response::ok("ok")?, "text/plain; charset=utf-8"),
        Route::Home => home::home(reply).await,
        Route::About => home::about(reply).await,
        Route::ApiChecks => home::checks(reply).await,
        Route::ApiOpenApi => home::openapi(reply),
        Route::Search | Route::ApiSearch => search::search(reply).await,
        Route::PostcodePage => postcodes::page(reply).await,
        Route::ApiPostcode(typed) => postcodes::api(reply, typed).await,
        Route::CouncilPage(id) => councils::page(reply, id).await,
        Route::CommitteePage(council, committee) => councils::committee(reply, council, committee).await,
        Route::WeekPage(council, week) | Route::ApiWeek(council, week) => councils::week(reply, council, week).await,
        Route::CouncilFeed(council, committee) => councils::feed(reply, council, committee).await,
        Route::CouncilCalendar(council, committee) => councils::calendar(reply, council, committee).await,
        Route::ApiCouncils => councils::all(reply).await,
        Route::StatusPage | Route::ApiStatus => status::all(reply).await,
        Route::DataIndex => data::index(reply).await,
        Route::DataFile(council, set, file) => data::file(&req, reply, &council, &set, &file).await,
        Route::CouncilStatus(id) | Route::ApiCouncilStatus(id) => status::council(reply, id).await,
        Route::ApiCouncil(id) => councils::one(reply, id).await,
        Route::ApiCommittees(id) => councils::committees(reply, id).await,
        Route::ApiCouncilMeetings(id) => councils::meetings(reply, id).await,
        Route::MeetingPage(id) | Route::ApiMeeting(id) => meetings::one(reply, id).await,
        Route::ApiDocument(id) => meetings::document(reply, id).await,
        Route::ApiMeetings => meetings::find(reply).await,
        Route::DecisionsPage(id) | Route::ApiDecisions(id) => decisions::list(reply, id).await,
        Route::DecisionPage(id) | Route::ApiDecision(id) => decisions::one(reply, id).await,
        Route::CouncillorsPage(id) | Route::ApiCouncillors(id) => councillors::list(reply, id).await,
        Route::CouncillorPage(id) | Route::ApiCouncillor(id) => councillors::one(reply, id).await,
        Route::ApiMeetingVotes(id) => votes::of_meeting(reply, id).await,
        Route::ApiMeetingTranscript(id) => meetings::transcript(reply, id).await,
        Route::ApiCouncillorVotes(id) => votes::of_councillor(reply, id).await,
        route @ (Route::AlertsForm(_)
        | Route::Subscribe(_)
        | Route::AlertsConfirm
        | Route::AlertsManage
        | Route::AlertsUnsubscribe
        | Route::AlertsDelete) => alerts::handle(req, &env, route, &reply.origin).await,
        route @ (Route::ApiWebhooks | Route::ApiWebhook(_) | Route::ApiWebhookDeliveries(_)) => {
            // Writes and a key's own data: the primary, not a replica.
            integrators::handle(req, &Store::new(env.d1("DB")?), route, crate::config::local_development(&env)).await
        }
        Route::Mcp => mcp::respond(req, reply).await,
        Route::MethodNotAllowed => method_not_allowed(Worker::Site, reply.url.path()),
        // Admin routes are the ingest worker's and never found here (`routes::ROUTES`).
        _ => reply.not_found(Missing::Page),
    }
}

/// 405 with the methods the path takes on this worker.
pub(crate) fn method_not_allowed(worker: Worker, path: &str) -> Result<Response> {
    let allow = routes::allowed_methods(worker, path).join(", ");
    let response = problem(405, "Method Not Allowed", &format!("this path takes {allow}"))?;
    response.headers().set("Allow", &allow)?;
    Ok(response)
}

/// A body not read: 413 past its cap (saying the cap), 400 when unreadable, as problem details.
pub fn body_refused(error: body::BodyError) -> Result<Response> {
    match error {
        body::BodyError::TooLarge { limit_bytes } => {
            problem(413, "Content Too Large", &format!("this route accepts at most {limit_bytes} bytes"))
        }
        body::BodyError::Unreadable => problem(400, "Bad Request", "the body could not be read as text"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_database_is_a_503_not_a_500() {
        assert_eq!(failure_status("D1_ERROR: database is locked: SQLITE_BUSY"), 503);
        assert_eq!(failure_status("D1 DB is overloaded. Requests queued for too long."), 503);
        assert_eq!(failure_status("Network connection lost."), 503);
        assert_eq!(failure_status("no such column: nope"), 500);
    }

    #[test]
    fn allow_names_every_method_a_path_takes() {
        let allow = |path: &str| routes::allowed_methods(Worker::Site, path).join(", ");
        assert_eq!(allow("/api/v1/councils"), "GET, HEAD");
        assert_eq!(allow("/mcp"), "POST");
        assert_eq!(allow("/api/v1/webhooks"), "GET, HEAD, POST");
        assert_eq!(allow("/api/v1/webhooks/ep_1"), "DELETE");
        assert_eq!(allow("/alerts/delete"), "POST");
        assert_eq!(allow("/alerts/confirm"), "GET, HEAD, POST");
        assert_eq!(routes::allowed_methods(Worker::Ingest, "/admin/webhooks").join(", "), "GET, HEAD, POST");
    }
}

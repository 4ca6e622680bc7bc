//! The public site, the JSON API and the admin routes.

pub mod feeds;
pub mod html;
pub mod pages;
pub mod routes;

use serde_json::{json, Value};
use worker::{Env, Request, Response, Result};

use crate::config::Settings;
use crate::jobs::refresh::start_refresh;
use crate::storage::{CouncilInput, Store};
use crate::time::{local_date, now_utc, parse_time_zone, stamp};
use routes::{query_value, route, Route};

const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
];

fn with_headers(mut response: Response, content_type: &str) -> Result<Response> {
    let headers = response.headers_mut();
    headers.set("Content-Type", content_type)?;
    for (name, value) in SECURITY_HEADERS {
        headers.set(name, value)?;
    }
    Ok(response)
}

fn html_page(body: String, status: u16) -> Result<Response> {
    with_headers(Response::ok(body)?.with_status(status), "text/html; charset=utf-8")
}

fn json_response(value: &Value, status: u16) -> Result<Response> {
    let response =
        with_headers(Response::ok(value.to_string())?.with_status(status), "application/json; charset=utf-8")?;
    response.headers().set("Access-Control-Allow-Origin", "*")?;
    Ok(response)
}

/// A public read: cacheable for a minute, with an ETag over the body; a
/// request that already holds this version gets 304 Not Modified.
fn cached(body: String, content_type: &str, if_none_match: Option<&str>) -> Result<Response> {
    let etag = format!("\"{}\"", &crate::storage::records::sha256_hex(body.as_bytes())[..20]);
    let matches =
        if_none_match.is_some_and(|header| header.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    let response = if matches { Response::empty()?.with_status(304) } else { Response::ok(body)? };
    let response = with_headers(response, content_type)?;
    let headers = response.headers();
    headers.set("ETag", &etag)?;
    headers.set("Cache-Control", BROWSER_CACHE)?;
    if content_type.starts_with("application/json") {
        headers.set("Access-Control-Allow-Origin", "*")?;
    }
    Ok(response)
}

fn render<T: askama::Template>(page: &T) -> Result<String> {
    page.render().map_err(|e| worker::Error::RustError(format!("template: {e}")))
}

fn error_page(origin: &str, status: u16, heading: &str, message: &str) -> Result<Response> {
    let page = pages::ErrorPage {
        canonical: format!("{origin}/"),
        search_query: String::new(),
        heading: heading.to_string(),
        message: message.to_string(),
    };
    html_page(render(&page)?, status)
}

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

fn contact(env: &Env) -> String {
    env.var("CONTACT_EMAIL").map(|v| v.to_string()).unwrap_or_else(|_| "support@council-digest.org".to_string())
}

/// RFC 9457 problem details.
fn problem(status: u16, title: &str, detail: &str) -> Result<Response> {
    let body = json!({"type": "about:blank", "title": title, "status": status, "detail": detail});
    with_headers(Response::ok(body.to_string())?.with_status(status), "application/problem+json")
}

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

pub fn settings(env: &Env) -> Settings {
    Settings::from_lookup(|name| env.var(name).ok().map(|v| v.to_string()))
}

fn valid_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// Public reads are served from the edge cache when the data has not changed
/// since they were rendered: the key carries the data version from KV, which
/// every write bumps. A request holding the current ETag gets 304.
pub async fn handle(req: Request, env: Env) -> Result<Response> {
    let url = req.url()?;
    // The raw method: the typed one maps methods it does not know to GET.
    let method = req.inner().method();
    let current = route(&method, url.path());
    if method != "GET" || !is_public_read(&current) {
        return respond(req, env, true).await;
    }
    let if_none_match = req.headers().get("If-None-Match").ok().flatten();
    let scope = routes::cache_scope(&current);
    let version = crate::storage::version::current(&env, &scope).await.unwrap_or(0);
    let scope_name = match &scope {
        crate::storage::version::Scope::Council(id) => id.as_str(),
        crate::storage::version::Scope::AllCouncils => "*",
    };
    let key = format!(
        "https://edge-cache.council-digest.invalid/{scope_name}/{version}{}{}",
        url.path(),
        routes::cache_key_query(url.query())
    );
    let cache = worker::Cache::default();
    let response = match cache.get(key.as_str(), false).await? {
        Some(hit) => {
            // Responses from the cache have immutable headers: copy them.
            let headers = worker::Headers::from_iter(hit.headers().entries());
            let hit = hit.with_headers(headers);
            hit.headers().set("Cache-Control", BROWSER_CACHE)?;
            hit.headers().set("X-Cache", "hit")?;
            hit
        }
        None => {
            let mut fresh = respond(req, env, false).await?;
            let age = (now_utc().timestamp_millis() as u64).saturating_sub(version);
            if let (200, Some(keep)) = (fresh.status_code(), crate::storage::version::cacheable_for(age)) {
                let stored = fresh.cloned()?;
                stored.headers().set("Cache-Control", &format!("public, max-age={keep}"))?;
                cache.put(key.as_str(), stored).await?;
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

const BROWSER_CACHE: &str = "public, max-age=60, stale-while-revalidate=300";

fn is_public_read(route: &Route) -> bool {
    matches!(
        route,
        Route::Home
            | Route::About
            | Route::Search
            | Route::CouncilPage(_)
            | Route::CommitteePage(..)
            | Route::WeekPage(..)
            | Route::CouncilFeed(..)
            | Route::CouncilCalendar(..)
            | Route::MeetingPage(_)
            | Route::ApiCouncils
            | Route::ApiCouncil(_)
            | Route::ApiCouncilMeetings(_)
            | Route::ApiMeeting(_)
            | Route::ApiDocument(_)
            | Route::ApiWeek(..)
            | Route::ApiSearch
            | Route::ApiMeetings
            | Route::ApiCommittees(_)
            | Route::ApiOpenApi
    )
}

async fn respond(mut req: Request, env: Env, honour_if_none_match: bool) -> Result<Response> {
    let url = req.url()?;
    let method = req.inner().method();
    let current = route(&method, url.path());
    let is_api = url.path().starts_with("/api/") || url.path().starts_with("/admin");
    let origin = public_origin(&env, &url);
    let canonical = format!("{origin}{}", url.path());
    let if_none_match = req.headers().get("If-None-Match").ok().flatten().filter(|_| honour_if_none_match);
    let inm = if_none_match.as_deref();
    match &current {
        Route::AdminRegisterCouncil
        | Route::AdminScrape(_)
        | Route::AdminStatus
        | Route::AdminRun(_)
        | Route::AdminBenchParse
        | Route::AdminBenchPdf
        | Route::AdminDigest(_)
            if !authorised(&req, &env) =>
        {
            let response = problem(401, "Unauthorized", "admin routes need Authorization: Bearer <ADMIN_TOKEN>")?;
            response.headers().set("WWW-Authenticate", "Bearer")?;
            return Ok(response);
        }
        _ => {}
    }
    let store = Store::new(env.d1("DB")?);
    const HTML: &str = "text/html; charset=utf-8";
    const JSON: &str = "application/json; charset=utf-8";
    match current {
        Route::Health => with_headers(Response::ok("ok")?, "text/plain; charset=utf-8"),
        Route::Home => {
            let councils = store.councils().await?;
            let latest = store.latest_summaries().await?;
            let page = pages::HomePage {
                canonical,
                search_query: String::new(),
                latest: latest
                    .iter()
                    .map(|r| pages::LinkRow {
                        id: r["id"].as_str().unwrap_or_default().into(),
                        title: r["title"].as_str().unwrap_or_default().into(),
                        council: r["council"].as_str().unwrap_or_default().into(),
                    })
                    .collect(),
                councils: councils
                    .iter()
                    .filter(|c| c.enabled == 1)
                    .map(|c| pages::CouncilLink {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        supported: c.coverage == "supported",
                    })
                    .collect(),
            };
            cached(render(&page)?, HTML, inm)
        }
        Route::About => cached(
            render(&pages::AboutPage { canonical, search_query: String::new(), contact: contact(&env) })?,
            HTML,
            inm,
        ),
        Route::Search | Route::ApiSearch => {
            let query = query_value(url.query(), "q").unwrap_or_default();
            let council = query_value(url.query(), "council").filter(|c| !c.is_empty());
            let rows =
                if query.trim().is_empty() { Vec::new() } else { store.search(&query, council.as_deref(), 30).await? };
            if matches!(current, Route::ApiSearch) {
                if query_value(url.query(), "q").is_none_or(|q| q.is_empty()) {
                    return problem(400, "Bad Request", "q is required");
                }
                return cached(json!({"query": query, "council": council, "results": rows}).to_string(), JSON, inm);
            }
            let results = rows
                .iter()
                .map(|r| pages::SearchResult {
                    url: pages::safe_href(r["url"].as_str().unwrap_or_default()),
                    title: r["title"].as_str().unwrap_or_default().into(),
                    kind: r["kind"].as_str().unwrap_or_default().replace('_', " "),
                    snippet: r["snippet"].as_str().unwrap_or_default().into(),
                })
                .collect();
            cached(render(&pages::SearchPage { canonical, search_query: query, results })?, HTML, inm)
        }
        Route::CouncilPage(id) => match store.council(&id).await? {
            None => error_page(&origin, 404, "Not found", "No council has that id."),
            Some(council) => {
                let today = local_date(now_utc(), parse_time_zone(&council.time_zone));
                let from = (today - chrono::Duration::days(28)).format("%Y-%m-%d").to_string();
                let to = (today + chrono::Duration::days(28)).format("%Y-%m-%d").to_string();
                let meetings = store.council_meetings(&id, &from, &to).await?;
                let week = crate::time::iso_week_label(today);
                let digest = store.latest_digest(&id, &week).await?;
                let page = pages::CouncilPage {
                    canonical,
                    search_query: String::new(),
                    council: pages::CouncilView::from_row(&serde_json::to_value(&council)?),
                    contact: contact(&env),
                    digest: digest.as_ref().map(pages::DigestView::from_row),
                    committees: pages::group_by_committee(&meetings),
                };
                cached(render(&page)?, HTML, inm)
            }
        },
        Route::CommitteePage(council_id, committee_id) => {
            let council = store.council(&council_id).await?;
            let committee = store.committee(&committee_id).await?.filter(|c| c["council_id"] == council_id.as_str());
            match (council, committee) {
                (Some(council), Some(committee)) => {
                    let meetings = store.committee_meetings(&committee_id).await?;
                    let page =
                        pages::CommitteePage::new(canonical, &serde_json::to_value(&council)?, &committee, &meetings);
                    cached(render(&page)?, HTML, inm)
                }
                _ => error_page(&origin, 404, "Not found", "No committee has that id."),
            }
        }
        Route::WeekPage(council_id, week) => {
            let council = store.council(&council_id).await?;
            let digest = store.latest_digest(&council_id, &week).await?;
            match (council, digest) {
                (Some(council), Some(digest)) => {
                    let view = pages::DigestView::from_row(&digest);
                    let page = pages::DigestPage {
                        canonical,
                        search_query: String::new(),
                        council_id,
                        council_name: council.name,
                        week,
                        headline: view.headline,
                        points: view.points,
                    };
                    cached(render(&page)?, HTML, inm)
                }
                _ => error_page(&origin, 404, "Not found", "There is no digest for that council and week yet."),
            }
        }
        Route::CouncilFeed(council_id, committee) => match store.council(&council_id).await? {
            None => error_page(&origin, 404, "Not found", "No council has that id."),
            Some(council) => {
                let items = store.feed_summaries(&council_id, committee.as_deref()).await?;
                let path = match &committee {
                    Some(c) => format!("/councils/{council_id}/committees/{c}"),
                    None => format!("/councils/{council_id}"),
                };
                cached(feeds::rss(&origin, &council.name, &path, &items), "application/rss+xml; charset=utf-8", inm)
            }
        },
        Route::CouncilCalendar(council_id, committee) => match store.council(&council_id).await? {
            None => error_page(&origin, 404, "Not found", "No council has that id."),
            Some(council) => {
                let from = (local_date(now_utc(), parse_time_zone(&council.time_zone)) - chrono::Duration::days(90))
                    .format("%Y-%m-%d")
                    .to_string();
                let meetings = store.calendar_meetings(&council_id, committee.as_deref(), &from).await?;
                cached(feeds::ical(&origin, &council.name, &meetings), "text/calendar; charset=utf-8", inm)
            }
        },
        Route::MeetingPage(id) => match store.meeting_full(&id).await? {
            None => error_page(&origin, 404, "Not found", "No meeting has that id."),
            Some(mut meeting) => {
                meeting["summary"] = store.latest_summary(&id).await?.unwrap_or(Value::Null);
                cached(render(&pages::MeetingPage::new(canonical, &meeting))?, HTML, inm)
            }
        },
        Route::ApiCouncils => {
            let councils = store.councils().await?;
            cached(json!({"councils": councils}).to_string(), JSON, inm)
        }
        Route::ApiCouncil(id) => match store.council(&id).await? {
            None => problem(404, "Not Found", "no council has that id"),
            Some(council) => cached(serde_json::to_value(council)?.to_string(), JSON, inm),
        },
        Route::ApiCouncilMeetings(id) => {
            let Some(council) = store.council(&id).await? else {
                return problem(404, "Not Found", "no council has that id");
            };
            let today = local_date(now_utc(), parse_time_zone(&council.time_zone));
            let from = query_value(url.query(), "from")
                .unwrap_or_else(|| (today - chrono::Duration::days(28)).format("%Y-%m-%d").to_string());
            let to = query_value(url.query(), "to")
                .unwrap_or_else(|| (today + chrono::Duration::days(28)).format("%Y-%m-%d").to_string());
            if !valid_date(&from) || !valid_date(&to) {
                return problem(400, "Bad Request", "from and to must be dates as YYYY-MM-DD");
            }
            let meetings = store.council_meetings(&id, &from, &to).await?;
            cached(json!({"council_id": id, "from": from, "to": to, "meetings": meetings}).to_string(), JSON, inm)
        }
        Route::ApiMeeting(id) => match store.meeting_full(&id).await? {
            None => problem(404, "Not Found", "no meeting has that id"),
            Some(mut meeting) => {
                meeting["summary"] = store.latest_summary(&id).await?.unwrap_or(Value::Null);
                cached(meeting.to_string(), JSON, inm)
            }
        },
        Route::ApiWeek(id, week) => match store.latest_digest(&id, &week).await? {
            None => problem(404, "Not Found", "no digest for that council and week yet"),
            Some(digest) => cached(digest.to_string(), JSON, inm),
        },
        Route::AdminDigest(id) => {
            let week = query_value(url.query(), "week")
                .unwrap_or_else(|| crate::time::iso_week_label(local_date(now_utc(), crate::time::DEFAULT_TIME_ZONE)));
            if crate::time::parse_iso_week(&week).is_none() {
                return problem(400, "Bad Request", "week must be an ISO week such as 2026-W05");
            }
            let made = crate::jobs::summaries::make_digest(&store, &id, &week).await?;
            crate::storage::version::bump(&env, &id).await;
            match made {
                None => problem(404, "Not Found", "no council has that id"),
                Some(digest) => json_response(&digest, 200),
            }
        }
        Route::ApiDocument(id) => match store
            .document_with_pages(&id, &crate::storage::text::TextStore::new(&env.bucket("DOCUMENT_STORE")?))
            .await?
        {
            None => problem(404, "Not Found", "no document has that id"),
            Some(document) => cached(document.to_string(), JSON, inm),
        },
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
        Route::AdminStatus => json_response(&json!({"councils": store.council_status().await?}), 200),
        Route::AdminFaults => json_response(&json!({"fired": crate::jobs::fault::fired(&env).await?}), 200),
        Route::AdminRun(id) => match store.run_record(&id).await? {
            None => problem(404, "Not Found", "no run has that id"),
            Some(mut run) => {
                run["fetches"] = Value::Array(store.run_fetches(&id).await?);
                json_response(&run, 200)
            }
        },
        Route::AdminBenchParse => {
            let format = query_value(url.query(), "format").unwrap_or_default();
            let iterations: u32 =
                query_value(url.query(), "iterations").and_then(|n| n.parse().ok()).unwrap_or(1).min(10_000);
            let body = req.bytes().await?;
            match crate::sources::moderngov::bench_parse(&format, &body, iterations) {
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
        Route::ApiOpenApi => {
            let mut document: Value = serde_json::from_str(include_str!("openapi.json"))?;
            document["servers"] = json!([{"url": format!("{origin}/api/v1")}]);
            cached(document.to_string(), JSON, inm)
        }
        Route::ApiCommittees(id) => match store.council(&id).await? {
            None => problem(404, "Not Found", "no council has that id"),
            Some(_) => cached(
                json!({"council_id": id, "committees": store.council_committees(&id).await?}).to_string(),
                JSON,
                inm,
            ),
        },
        Route::ApiMeetings => {
            let q = |name: &str| query_value(url.query(), name).filter(|v| !v.is_empty());
            let raw_from = query_value(url.query(), "from");
            let raw_to = query_value(url.query(), "to");
            if raw_from.as_deref().is_some_and(|d| !valid_date(d)) || raw_to.as_deref().is_some_and(|d| !valid_date(d))
            {
                return problem(400, "Bad Request", "from and to must be dates as YYYY-MM-DD");
            }
            let from = raw_from.unwrap_or_else(|| "0000-01-01".to_string());
            let to = raw_to.unwrap_or_else(|| "9999-12-31".to_string());
            // Present-but-empty values are invalid for these parameters, not absent.
            let raw = |name: &str| query_value(url.query(), name);
            let status = raw("status");
            if status.as_deref().is_some_and(|s| !["confirmed", "cancelled", "postponed", "provisional"].contains(&s)) {
                return problem(400, "Bad Request", "status must be confirmed, cancelled, postponed or provisional");
            }
            let limit: usize = match raw("limit").map(|l| l.parse::<usize>()) {
                None => 50,
                Some(Ok(n)) if (1..=200).contains(&n) => n,
                Some(_) => return problem(400, "Bad Request", "limit must be a number from 1 to 200"),
            };
            let cursor = match raw("cursor") {
                None => (String::new(), String::new()),
                Some(c) => match routes::parse_cursor(&c) {
                    Some(cursor) => cursor,
                    None => return problem(400, "Bad Request", "cursor is not one this API gave out"),
                },
            };
            let mut rows = store
                .find_meetings(
                    q("council").as_deref(),
                    q("committee").as_deref(),
                    (&from, &to),
                    status.as_deref(),
                    (&cursor.0, &cursor.1),
                    limit + 1,
                )
                .await?;
            let next = (rows.len() > limit).then(|| {
                rows.truncate(limit);
                let last = rows.last().cloned().unwrap_or_default();
                format!(
                    "{}~{}",
                    last["local_date"].as_str().unwrap_or_default(),
                    last["id"].as_str().unwrap_or_default()
                )
            });
            cached(json!({"meetings": rows, "next_cursor": next}).to_string(), JSON, inm)
        }
        Route::MethodNotAllowed => {
            let allow = if route("GET", url.path()) == Route::MethodNotAllowed { "POST" } else { "GET, HEAD" };
            let response = problem(405, "Method Not Allowed", &format!("this path takes {allow}"))?;
            response.headers().set("Allow", allow)?;
            Ok(response)
        }
        Route::NotFound if is_api => problem(404, "Not Found", "no such resource"),
        Route::NotFound => error_page(&origin, 404, "Not found", "There is no page at this address."),
    }
}

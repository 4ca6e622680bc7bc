//! The public site, the JSON API and the feeds (the site worker); the admin
//! routes of the ingest worker are in `admin`.

// Compiled natively for lints; in wasm only into the ingest worker.
#[cfg(any(feature = "ingest", not(target_arch = "wasm32")))]
pub mod admin;
pub mod alerts;
pub mod body;
pub mod feeds;
pub mod html;
pub mod integrators;
pub mod limits;
pub mod mcp;
pub mod pages;
pub mod people;
pub mod postcodes;
pub mod routes;

use serde_json::{json, Value};
use worker::{Env, Request, Response, Result};

use crate::storage::Store;
use crate::time::{local_date, now_utc, parse_time_zone};
use routes::{query_value, route, site_route, Route};

const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
];

pub(crate) fn with_headers(mut response: Response, content_type: &str) -> Result<Response> {
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

/// A public read: cacheable for a minute, with an ETag over the body; a
/// request that already holds this version gets 304 Not Modified.
fn cached(body: String, content_type: &str, if_none_match: Option<&str>) -> Result<Response> {
    let etag = format!("\"{}\"", &crate::hash::sha256_hex(body.as_bytes())[..20]);
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
pub(crate) fn problem(status: u16, title: &str, detail: &str) -> Result<Response> {
    let body = json!({"type": "about:blank", "title": title, "status": status, "detail": detail});
    with_headers(Response::ok(body.to_string())?.with_status(status), "application/problem+json")
}

/// Public reads are served from the edge cache when the data has not changed
/// since they were rendered: the key carries the data version from KV, which
/// every write bumps. A request holding the current ETag gets 304.
pub async fn handle(req: Request, env: Env) -> Result<Response> {
    let url = req.url()?;
    let origin = public_origin(&env, &url);
    match serve(req, env).await {
        Ok(response) => Ok(response),
        Err(error) => failed(&error, url.path().starts_with("/api/") || url.path() == "/mcp", &origin),
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
        (503, false) => error_page(
            origin,
            503,
            "Please try again",
            "We are busy for a moment and nothing was changed. Please try again in a few seconds.",
        )?,
        (_, true) => problem(500, "Internal Server Error", "something went wrong on our side")?,
        (_, false) => error_page(origin, 500, "Something went wrong", "Something went wrong on our side.")?,
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

async fn serve(req: Request, env: Env) -> Result<Response> {
    let url = req.url()?;
    // The raw method: the typed one maps methods it does not know to GET.
    let method = req.inner().method();
    let current = site_route(&method, url.path());
    // EDGE_CACHE = "off" serves every read fresh (benchmarks of rendering; incidents).
    let edge_cache = env.var("EDGE_CACHE").map(|v| v.to_string()).unwrap_or_default() != "off";
    let cacheable = method == "GET" && is_public_read(&current) && edge_cache;
    let scope = routes::cache_scope(&current);
    // The rate limit and the data version are asked for side by side: both
    // are on the path of every cached read.
    let limit_class = limits::LimitClass::of(&current);
    let allowed = async {
        match limit_class {
            Some(class) => within_limit(&req, &env, class).await,
            None => true,
        }
    };
    let version = async {
        match cacheable {
            true => crate::storage::version::current(&env, &scope).await.unwrap_or(0),
            false => 0,
        }
    };
    let (allowed, version) = futures_util::future::join(allowed, version).await;
    if let (false, Some(class)) = (allowed, limit_class) {
        return too_many_requests(&env, &url, class);
    }
    if !cacheable {
        return respond(req, env, true).await;
    }
    let if_none_match = req.headers().get("If-None-Match").ok().flatten();
    let key = format!(
        "https://edge-cache.council-digest.invalid/{}/{version}{}{}",
        scope.name(),
        url.path(),
        routes::cache_key_query(url.query())
    );
    let cache = worker::Cache::default();
    let response = match cache.get(key.as_str(), false).await? {
        Some(hit) => {
            // Responses from the cache have immutable headers: copy them.
            let headers = worker::Headers::from_iter(hit.headers().entries());
            let hit = hit.with_headers(headers);
            hit.headers().set("Cache-Control", routes::browser_cache(&current))?;
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
            if fresh.status_code() == 200 {
                fresh.headers().set("Cache-Control", routes::browser_cache(&current))?;
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

/// Asks the class's limiter whether this client may have another read. A
/// limiter that is missing or fails lets the read through: availability first.
async fn within_limit(req: &Request, env: &Env, class: limits::LimitClass) -> bool {
    let client = req.headers().get("CF-Connecting-IP").ok().flatten();
    let (Some(key), Ok(limiter)) = (class.key(client.as_deref()), env.rate_limiter(class.binding())) else {
        return true;
    };
    match limiter.limit(key).await {
        Ok(outcome) => outcome.success,
        Err(error) => {
            worker::console_error!("rate limiter {}: {error}", class.binding());
            true
        }
    }
}

/// 429 with Retry-After: problem details for the API, a page for people.
fn too_many_requests(env: &Env, url: &worker::Url, class: limits::LimitClass) -> Result<Response> {
    let wait = limits::RETRY_AFTER_SECONDS;
    let response = if url.path().starts_with("/api/") {
        problem(
            429,
            "Too Many Requests",
            &format!("this client has made too many requests; try again in {wait} seconds"),
        )?
    } else {
        let what = if class == limits::LimitClass::Search { "searches" } else { "requests" };
        error_page(
            &public_origin(env, url),
            429,
            "Too many requests",
            &format!("You have made a lot of {what} in a short time. Please try again in a minute."),
        )?
    };
    response.headers().set("Retry-After", &wait.to_string())?;
    response.headers().set("Cache-Control", "no-store")?;
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
            | Route::PostcodePage
            | Route::ApiPostcode(_)
            | Route::CouncillorsPage(_)
            | Route::ApiCouncillors(_)
            | Route::CouncillorPage(_)
            | Route::ApiCouncillor(_)
            | Route::DecisionsPage(_)
            | Route::ApiDecisions(_)
            | Route::DecisionPage(_)
            | Route::ApiDecision(_)
    )
}

async fn respond(mut req: Request, env: Env, honour_if_none_match: bool) -> Result<Response> {
    let url = req.url()?;
    let method = req.inner().method();
    let current = site_route(&method, url.path());
    let is_api = url.path().starts_with("/api/") || url.path().starts_with("/admin");
    let origin = public_origin(&env, &url);
    let canonical = format!("{origin}{}", url.path());
    let if_none_match = req.headers().get("If-None-Match").ok().flatten().filter(|_| honour_if_none_match);
    let inm = if_none_match.as_deref();
    let store = Store::reading(env.d1("DB")?)?;
    const HTML: &str = "text/html; charset=utf-8";
    const JSON: &str = "application/json; charset=utf-8";
    match current {
        Route::Health => with_headers(Response::ok("ok")?, "text/plain; charset=utf-8"),
        Route::AlertsForm(_)
        | Route::Subscribe(_)
        | Route::AlertsConfirm
        | Route::AlertsManage
        | Route::AlertsUnsubscribe
        | Route::AlertsDelete => alerts::handle(req, &env, current, &origin).await,
        Route::ApiWebhooks | Route::ApiWebhook(_) | Route::ApiWebhookDeliveries(_) => {
            // Writes and a key's own data: the primary, not a replica.
            integrators::handle(req, &Store::new(env.d1("DB")?), current, crate::config::local_development(&env)).await
        }
        Route::Mcp => {
            let reply = match body::read_capped(&mut req, mcp::MAX_REQUEST_BYTES).await.map(|b| mcp::read_message(&b)) {
                // A search through the endpoint counts as one made through the API.
                Ok(Ok(call))
                    if mcp::counts_as_search(&call) && !within_limit(&req, &env, limits::LimitClass::Search).await =>
                {
                    mcp::too_many_searches(&call, limits::RETRY_AFTER_SECONDS)
                }
                Ok(Ok(call)) => mcp::answer(call, &store, &env, &origin).await?,
                Ok(Err(reply)) => reply,
                Err(error) => mcp::body_refused(error),
            };
            match reply {
                mcp::Reply::Accepted => Ok(Response::empty()?.with_status(202)),
                mcp::Reply::Json(status, body) => {
                    let response = Response::ok(body.to_string())?.with_status(status);
                    response.headers().set("Cache-Control", "no-store")?;
                    if status == 429 {
                        response.headers().set("Retry-After", &limits::RETRY_AFTER_SECONDS.to_string())?;
                    }
                    with_headers(response, JSON)
                }
            }
        }
        Route::Home => {
            let councils = store.councils().await?;
            let latest = store.latest_summaries().await?;
            let name_query = query_value(url.query(), "q").unwrap_or_default();
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
                groups: pages::group_councils(&councils, &name_query),
                name_query,
            };
            cached(render(&page)?, HTML, inm)
        }
        Route::DecisionsPage(id) | Route::ApiDecisions(id) => {
            let Some(council) = store.council(&id).await? else {
                return match is_api {
                    true => problem(404, "Not Found", "no council has that id"),
                    false => error_page(&origin, 404, "Not found", "No council has that id."),
                };
            };
            let query = url.query();
            let today = local_date(now_utc(), parse_time_zone(&council.time_zone));
            let default = (today - chrono::Duration::days(90), today);
            let window = routes::date_window(
                query_value(query, "from").as_deref(),
                query_value(query, "to").as_deref(),
                default,
            );
            let (from, to) = match window {
                Ok((from, to)) => (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string()),
                Err(message) if is_api => return problem(400, "Bad Request", &message),
                Err(_) => (default.0.format("%Y-%m-%d").to_string(), default.1.format("%Y-%m-%d").to_string()),
            };
            let maker = query_value(query, "maker").filter(|m| !m.trim().is_empty());
            let key_only = match query_value(query, "key").as_deref() {
                None | Some("" | "0" | "false") => false,
                Some("1" | "true") => true,
                Some(_) if is_api => return problem(400, "Bad Request", "key must be 1 or 0"),
                Some(_) => false,
            };
            let rows = store.council_decisions(&id, (&from, &to), maker.as_deref(), key_only).await?;
            if is_api {
                let body = json!({
                    "council_id": id, "from": from, "to": to, "maker": maker, "key_only": key_only,
                    "read_at": council.decisions_read_at, "read_error": council.decisions_error, "decisions": rows,
                });
                return cached(body.to_string(), JSON, inm);
            }
            let text = |row: &Value, field: &str| row[field].as_str().unwrap_or_default().to_string();
            let mut makers: Vec<String> =
                rows.iter().map(|r| text(r, "decision_maker")).filter(|m| !m.is_empty()).collect();
            makers.sort();
            makers.dedup();
            let page = pages::DecisionsPage {
                canonical,
                search_query: String::new(),
                council_id: id,
                council_name: council.name,
                from,
                to,
                maker: maker.unwrap_or_default(),
                key_only,
                makers,
                decisions: rows
                    .iter()
                    .map(|r| pages::DecisionRow {
                        id: text(r, "id"),
                        title: text(r, "title"),
                        date: r["decided_on"].as_str().or(r["listed_on"].as_str()).unwrap_or_default().to_string(),
                        maker: text(r, "decision_maker"),
                        is_key: r["is_key"] == 1,
                    })
                    .collect(),
                read_error: council.decisions_error,
            };
            cached(render(&page)?, HTML, inm)
        }
        Route::DecisionPage(id) | Route::ApiDecision(id) => {
            let Some(decision) = store.decision(&id).await? else {
                return match is_api {
                    true => problem(404, "Not Found", "no decision has that id"),
                    false => error_page(&origin, 404, "Not found", "No decision has that id."),
                };
            };
            if is_api {
                return cached(decision.to_string(), JSON, inm);
            }
            let text = |field: &str| decision[field].as_str().unwrap_or_default().to_string();
            let paragraphs = |field: &str| -> Vec<String> {
                text(field).split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
            };
            let yes_no = |field: &str| match decision[field].as_i64() {
                Some(1) => "Yes".to_string(),
                Some(0) => "No".to_string(),
                _ => String::new(),
            };
            let call_in = match (text("call_in_deadline"), text("call_in")) {
                (deadline, _) if !deadline.is_empty() => format!("deadline {deadline}"),
                (_, words) => words,
            };
            let page = pages::DecisionPage {
                canonical,
                search_query: String::new(),
                council_id: text("council_id"),
                council_name: text("council_name"),
                title: text("title"),
                maker: text("decision_maker"),
                status: text("status"),
                is_key: yes_no("is_key"),
                call_in,
                decided_on: text("decided_on"),
                published_on: text("published_on"),
                purpose: paragraphs("purpose"),
                decision: paragraphs("decision"),
                meeting_id: text("meeting_id"),
                web_url: pages::safe_href(&text("web_url")),
                documents: decision["documents"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| {
                        let field = |name: &str| d[name].as_str().unwrap_or_default().to_string();
                        pages::DecisionDocument {
                            title: field("title"),
                            url: pages::safe_href(&field("url")),
                            id: field("id"),
                            reading: pages::reading_note(
                                d["text_status"].as_str(),
                                d["page_count"].as_u64(),
                                d["text_error"].as_str(),
                            ),
                        }
                    })
                    .collect(),
                read_error: text("read_error"),
            };
            cached(render(&page)?, HTML, inm)
        }
        Route::CouncillorsPage(id) | Route::ApiCouncillors(id) => {
            let Some(council) = store.council(&id).await? else {
                return match is_api {
                    true => problem(404, "Not Found", "no council has that id"),
                    false => error_page(&origin, 404, "Not found", "No council has that id."),
                };
            };
            let rows = store.council_councillors(&id).await?;
            if is_api {
                let body = json!({
                    "council_id": id,
                    "read_at": council.councillors_read_at,
                    "read_error": council.councillors_error,
                    "councillors": rows,
                });
                return cached(body.to_string(), JSON, inm);
            }
            let (wards, former) = pages::CouncillorsPage::group(&rows);
            let page = pages::CouncillorsPage {
                canonical,
                search_query: String::new(),
                council_id: id,
                council_name: council.name,
                wards,
                former,
                read_error: council.councillors_error,
            };
            cached(render(&page)?, HTML, inm)
        }
        Route::CouncillorPage(id) | Route::ApiCouncillor(id) => {
            let Some(person) = store.person(&id).await? else {
                return match is_api {
                    true => problem(404, "Not Found", "no councillor has that id"),
                    false => error_page(&origin, 404, "Not found", "No councillor has that id."),
                };
            };
            // Twelve months of meetings, in the council's own calendar.
            let since = (local_date(now_utc(), crate::time::DEFAULT_TIME_ZONE) - chrono::Duration::days(365))
                .format("%Y-%m-%d")
                .to_string();
            let rows = store.person_attendance(&id, &since).await?;
            let record = people::attendance_record(&rows, &since);
            let text = |field: &str| person[field].as_str().unwrap_or_default().to_string();
            if is_api {
                let mut body = person.clone();
                body["current"] = json!(person["former_since"].is_null() && person["listed_since"].is_string());
                body["attendance"] = json!(record);
                body["meetings"] = json!(rows);
                return cached(body.to_string(), JSON, inm);
            }
            let page = pages::CouncillorPage {
                canonical,
                search_query: String::new(),
                council_id: text("council_id"),
                council_name: text("council_name"),
                name: text("name"),
                ward: text("ward"),
                party: text("party"),
                email: text("email"),
                phone: text("phone"),
                former_since: text("former_since"),
                rate: record.rate.map(|r| format!("{:.0}", r * 100.0)).unwrap_or_default(),
                meetings: rows
                    .iter()
                    .map(|r| pages::AttendedMeeting {
                        id: r["meeting_id"].as_str().unwrap_or_default().into(),
                        title: r["title"].as_str().unwrap_or_default().into(),
                        date: r["local_date"].as_str().unwrap_or_default().into(),
                        attendance: r["attendance"].as_str().unwrap_or_default().into(),
                    })
                    .collect(),
                record,
            };
            cached(render(&page)?, HTML, inm)
        }
        Route::PostcodePage => {
            let query = query_value(url.query(), "q").unwrap_or_default();
            let mut page = pages::PostcodePage {
                canonical,
                search_query: String::new(),
                query: query.clone(),
                postcode: String::new(),
                councils: Vec::new(),
                wards: Vec::new(),
                councillors: Vec::new(),
                message: None,
            };
            if query.trim().is_empty() {
                return cached(render(&page)?, HTML, inm);
            }
            let Some(postcode) = crate::lookup::postcode::parse(&query) else {
                page.message =
                    Some("That is not a UK postcode. Try one like CV1 5RR, or the first half, like CV1.".into());
                return html_page(render(&page)?, 400);
            };
            page.postcode = postcode.as_str().to_string();
            match postcodes::look_up(&env, &postcode).await {
                Ok(areas) => {
                    let answer = postcodes::answer(&origin, &postcode, &areas, &store.councils().await?);
                    page.councillors = your_councillors(&store, &origin, &areas, &answer)
                        .await?
                        .iter()
                        .map(|c| pages::CouncillorLink {
                            id: c["id"].as_str().unwrap_or_default().into(),
                            name: c["name"].as_str().unwrap_or_default().into(),
                            party: c["party"].as_str().unwrap_or_default().into(),
                        })
                        .collect();
                    page.councils = answer["councils"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|c| pages::PostcodeCouncil {
                            id: c["id"].as_str().unwrap_or_default().into(),
                            name: c["name"].as_str().unwrap_or_default().into(),
                            kind: crate::lookup::councils::CouncilKind::of(c["gss_code"].as_str()).singular(),
                        })
                        .collect();
                    page.wards = areas.wards.iter().map(|w| w.name.clone()).collect();
                    if page.councils.is_empty() {
                        page.message = Some("We do not know the councils for that postcode yet.".into());
                    }
                    cached(render(&page)?, HTML, inm)
                }
                Err(crate::lookup::postcodes_io::LookupError::NotFound) => {
                    page.message = Some(format!("{} is not a postcode we can find.", page.postcode));
                    html_page(render(&page)?, 404)
                }
                Err(error) => {
                    worker::console_error!("postcode look-up: {error}");
                    page.message =
                        Some("The postcode service is not answering just now. Please try again later.".into());
                    let response = html_page(render(&page)?, 503)?;
                    response.headers().set("Retry-After", "60")?;
                    Ok(response)
                }
            }
        }
        Route::ApiPostcode(typed) => {
            let Some(postcode) = crate::lookup::postcode::parse(&typed) else {
                return problem(400, "Bad Request", "not a UK postcode or outcode (such as CV1 5RR or CV1)");
            };
            match postcodes::look_up(&env, &postcode).await {
                Ok(areas) => {
                    let mut answer = postcodes::answer(&origin, &postcode, &areas, &store.councils().await?);
                    answer["councillors"] = json!(your_councillors(&store, &origin, &areas, &answer).await?);
                    cached(answer.to_string(), JSON, inm)
                }
                Err(crate::lookup::postcodes_io::LookupError::NotFound) => {
                    problem(404, "Not Found", &format!("no postcode {} is known", postcode.as_str()))
                }
                Err(error) => {
                    worker::console_error!("postcode look-up: {error}");
                    let response = problem(
                        503,
                        "Service Unavailable",
                        "the postcode service is not answering; try again later, or choose from /api/v1/councils",
                    )?;
                    response.headers().set("Retry-After", "60")?;
                    Ok(response)
                }
            }
        }
        Route::About => cached(
            render(&pages::AboutPage { canonical, search_query: String::new(), contact: contact(&env) })?,
            HTML,
            inm,
        ),
        Route::Search | Route::ApiSearch => {
            let query = query_value(url.query(), "q").unwrap_or_default();
            let council = query_value(url.query(), "council").filter(|c| !c.is_empty());
            let too_short = !query.trim().is_empty() && crate::storage::search_words(&query).is_empty();
            if matches!(current, Route::ApiSearch) && query.is_empty() {
                return problem(400, "Bad Request", "q is required");
            }
            let rows = if query.trim().is_empty() || too_short {
                Vec::new()
            } else {
                store.search(&query, council.as_deref(), crate::storage::SEARCH_RESULT_CAP).await?
            };
            if matches!(current, Route::ApiSearch) {
                let mut body = json!({"query": query, "council": council, "results": rows});
                if too_short {
                    // Nothing to search for: no results, and why.
                    let min = crate::storage::MIN_SEARCH_WORD;
                    body["notice"] = json!(format!("q needs a word of at least {min} letters or digits"));
                }
                return cached(body.to_string(), JSON, inm);
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
            let page = pages::SearchPage { canonical, search_query: query, results, too_short };
            cached(render(&page)?, HTML, inm)
        }
        Route::CouncilPage(id) => match store.council(&id).await? {
            None => error_page(&origin, 404, "Not found", "No council has that id."),
            Some(council) => {
                let today = local_date(now_utc(), parse_time_zone(&council.time_zone));
                let from = (today - chrono::Duration::days(28)).format("%Y-%m-%d").to_string();
                let to = (today + chrono::Duration::days(28)).format("%Y-%m-%d").to_string();
                let meetings = store.council_meetings(&id, (&from, &to), ("", ""), 1000).await?;
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
                        decided: view.decided,
                    };
                    cached(render(&page)?, HTML, inm)
                }
                _ => error_page(&origin, 404, "Not found", "There is no digest for that council and week yet."),
            }
        }
        Route::CouncilFeed(council_id, committee) => match store.council(&council_id).await? {
            None => error_page(&origin, 404, "Not found", "No council has that id."),
            Some(council) => {
                // A year of meetings bounds the read; a feed shows the newest 30 summaries.
                let since = (local_date(now_utc(), parse_time_zone(&council.time_zone))
                    - chrono::Duration::days(routes::MAX_RANGE_DAYS))
                .format("%Y-%m-%d")
                .to_string();
                let mut items = store.feed_summaries(&council_id, committee.as_deref(), &since).await?;
                // A council's feed also carries its decisions register; a committee's does not.
                if committee.is_none() {
                    items.extend(store.feed_decisions(&council_id, &since).await?);
                    items.sort_by(|a, b| b["created_at"].as_str().cmp(&a["created_at"].as_str()));
                    items.truncate(30);
                }
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
            let mut councils = store.councils().await?;
            // `?q=` keeps the councils whose name contains it.
            if let Some(q) = query_value(url.query(), "q").filter(|q| !q.trim().is_empty()) {
                councils.retain(|c| crate::lookup::councils::name_matches(&q, &c.name));
            }
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
            let default = (today - chrono::Duration::days(28), today + chrono::Duration::days(28));
            let query = url.query();
            let window = routes::date_window(
                query_value(query, "from").as_deref(),
                query_value(query, "to").as_deref(),
                default,
            );
            let ((from, to), (limit, cursor)) = match (window, routes::page_params(query, 500, 1000)) {
                (Ok(window), Ok(page)) => (window, page),
                (Err(message), _) | (_, Err(message)) => return problem(400, "Bad Request", &message),
            };
            let (from, to) = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
            let mut meetings = store.council_meetings(&id, (&from, &to), (&cursor.0, &cursor.1), limit + 1).await?;
            let next = routes::next_page(&mut meetings, limit);
            let body = json!({"council_id": id, "from": from, "to": to, "meetings": meetings, "next_cursor": next});
            cached(body.to_string(), JSON, inm)
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
        Route::ApiDocument(id) => match store
            .document_with_pages(&id, &crate::storage::text::TextStore::new(&env.bucket("DOCUMENT_STORE")?))
            .await?
        {
            None => problem(404, "Not Found", "no document has that id"),
            Some(document) => cached(document.to_string(), JSON, inm),
        },
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
            let query = url.query();
            let q = |name: &str| query_value(query, name).filter(|v| !v.is_empty());
            // One window of at most a year, ending four weeks ahead unless given.
            let today = local_date(now_utc(), crate::time::DEFAULT_TIME_ZONE);
            let ahead = today + chrono::Duration::days(28);
            let default = (ahead - chrono::Duration::days(routes::MAX_RANGE_DAYS), ahead);
            let window = routes::date_window(
                query_value(query, "from").as_deref(),
                query_value(query, "to").as_deref(),
                default,
            );
            let ((from, to), (limit, cursor)) = match (window, routes::page_params(query, 50, 200)) {
                (Ok(window), Ok(page)) => (window, page),
                (Err(message), _) | (_, Err(message)) => return problem(400, "Bad Request", &message),
            };
            let (from, to) = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
            // Present-but-empty values are invalid for this parameter, not absent.
            let status = query_value(query, "status");
            if status.as_deref().is_some_and(|s| !["confirmed", "cancelled", "postponed", "provisional"].contains(&s)) {
                return problem(400, "Bad Request", "status must be confirmed, cancelled, postponed or provisional");
            }
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
            let next = routes::next_page(&mut rows, limit);
            cached(json!({"from": from, "to": to, "meetings": rows, "next_cursor": next}).to_string(), JSON, inm)
        }
        Route::MethodNotAllowed => method_not_allowed(url.path()),
        Route::NotFound if is_api => problem(404, "Not Found", "no such resource"),
        Route::NotFound => error_page(&origin, 404, "Not found", "There is no page at this address."),
        // The site worker has no admin routes (`routes::site_route`).
        _ => problem(404, "Not Found", "no such resource"),
    }
}

/// The councillors of a postcode's ward, from the lists of the councils that
/// govern it (wards are the district's or unitary council's; a county's
/// divisions are not in the postcode answer).
async fn your_councillors(
    store: &Store,
    origin: &str,
    areas: &crate::lookup::postcodes_io::Areas,
    answer: &Value,
) -> Result<Vec<Value>> {
    let mut lists = Vec::new();
    for council in answer["councils"].as_array().into_iter().flatten() {
        if council["kind"] == "county" {
            continue;
        }
        let id = council["id"].as_str().unwrap_or_default().to_string();
        let rows = store.council_councillors(&id).await?;
        lists.push((id, rows));
    }
    Ok(postcodes::ward_councillors(origin, areas, &lists))
}

/// 405 with the methods the path takes.
/// The methods a path answers, for `Allow`.
fn allowed_methods(path: &str) -> String {
    let mut allowed = Vec::new();
    for method in ["GET", "POST", "DELETE"] {
        if !matches!(route(method, path), Route::MethodNotAllowed | Route::NotFound) {
            allowed.push(method);
            if method == "GET" {
                allowed.push("HEAD");
            }
        }
    }
    allowed.join(", ")
}

pub(crate) fn method_not_allowed(path: &str) -> Result<Response> {
    let allow = allowed_methods(path);
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
        assert_eq!(allowed_methods("/api/v1/councils"), "GET, HEAD");
        assert_eq!(allowed_methods("/mcp"), "POST");
        assert_eq!(allowed_methods("/api/v1/webhooks"), "GET, HEAD, POST");
        assert_eq!(allowed_methods("/api/v1/webhooks/ep_1"), "DELETE");
        assert_eq!(allowed_methods("/alerts/delete"), "POST");
        assert_eq!(allowed_methods("/alerts/confirm"), "GET, HEAD, POST");
    }
}

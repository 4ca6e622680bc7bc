//! One meeting (page and API), one document, and the meetings of every council.

use serde::Serialize;
use serde_json::{json, Value};
use worker::{Response, Result};

use super::pages;
use super::reply::{Missing, Reply};
use super::routes;
use crate::time::{local_date, now_utc};

/// A meeting as the API answers it: the meeting whole and its latest summary.
#[derive(Serialize)]
struct MeetingAnswer<'a> {
    #[serde(flatten)]
    meeting: &'a crate::storage::rows::Meeting,
    summary: &'a Value,
}

/// `/meetings/{id}` and `/api/v1/meetings/{id}`.
pub async fn one(reply: &Reply<'_>, id: String) -> Result<Response> {
    // One round trip: the meeting, its summary and its votes.
    let Some((meeting, summary, votes)) = reply.store.meeting_page(&id).await? else {
        return reply.not_found(Missing::Meeting);
    };
    if reply.for_programs {
        return reply.json(&MeetingAnswer { meeting: &meeting, summary: &summary });
    }
    reply.page(&pages::MeetingPage::new(reply.canonical.clone(), &meeting, &summary).with_votes(&votes))
}

/// `/api/v1/documents/{id}`: a document with its pages' text.
pub async fn document(reply: &Reply<'_>, id: String) -> Result<Response> {
    let bucket = reply.env.bucket("DOCUMENT_STORE")?;
    let texts = crate::storage::text::TextStore::new(&bucket);
    match reply.store.document_with_pages(&id, &texts).await? {
        None => reply.not_found(Missing::Document),
        Some(document) => reply.json(&document),
    }
}

/// `/api/v1/meetings`: meetings of every council, by date, filtered.
pub async fn find(reply: &Reply<'_>) -> Result<Response> {
    let q = |name: &str| reply.query(name).filter(|v| !v.is_empty());
    // One window of at most a year, ending four weeks ahead unless given.
    let today = local_date(now_utc(), crate::time::DEFAULT_TIME_ZONE);
    let ahead = today + chrono::Duration::days(28);
    let default = (ahead - chrono::Duration::days(routes::MAX_RANGE_DAYS), ahead);
    let window = routes::date_window(reply.query("from").as_deref(), reply.query("to").as_deref(), default);
    let ((from, to), (limit, cursor)) = match (window, routes::page_params(reply.url.query(), 50, 200)) {
        (Ok(window), Ok(page)) => (window, page),
        (Err(message), _) | (_, Err(message)) => return reply.bad_request(message),
    };
    let (from, to) = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
    // Present-but-empty values are invalid for this parameter, not absent.
    let status = reply.query("status");
    if status.as_deref().is_some_and(|s| !["confirmed", "cancelled", "postponed", "provisional"].contains(&s)) {
        return reply.bad_request("status must be confirmed, cancelled, postponed or provisional");
    }
    let mut rows = reply
        .store
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
    reply.json(&json!({"from": from, "to": to, "meetings": rows, "next_cursor": next}))
}

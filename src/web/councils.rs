//! A council: its page, committees, weekly digests, feed and calendar, and
//! the API's councils, committees, meetings and weeks.

use serde_json::json;
use worker::{Response, Result};

use super::feeds;
use super::pages;
use super::reply::{Missing, Reply};
use super::routes;
use crate::time::{iso_week_label, local_date, now_utc, parse_time_zone};

fn day(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// `/councils/{id}`: four weeks either side of today, and this week's digest.
pub async fn page(reply: &Reply<'_>, id: String) -> Result<Response> {
    let store = &reply.store;
    let Some(council) = store.council(&id).await? else { return reply.not_found(Missing::Council) };
    let today = local_date(now_utc(), parse_time_zone(&council.time_zone));
    let (from, to) = (day(today - chrono::Duration::days(28)), day(today + chrono::Duration::days(28)));
    let meetings = store.council_meetings(&id, (&from, &to), ("", ""), 1000).await?;
    let digest = store.latest_digest(&id, &iso_week_label(today)).await?;
    reply.page(&pages::CouncilPage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        council: pages::CouncilView::of(&council),
        contact: reply.contact(),
        digest: digest.as_ref().map(pages::DigestView::from_row),
        sections: pages::coming_and_held(&meetings, &day(today)),
    })
}

/// `/councils/{id}/committees/{committee}`.
pub async fn committee(reply: &Reply<'_>, council_id: String, committee_id: String) -> Result<Response> {
    let store = &reply.store;
    let council = store.council(&council_id).await?;
    let committee = store.committee(&committee_id).await?.filter(|c| c.council_id == council_id);
    let (Some(council), Some(committee)) = (council, committee) else {
        return reply.not_found(Missing::Committee);
    };
    let meetings = store.committee_meetings(&committee_id).await?;
    reply.page(&pages::CommitteePage::new(reply.canonical.clone(), &council, committee, &meetings))
}

/// `/councils/{id}/weeks/{week}` and `/api/v1/councils/{id}/weeks/{week}`: the week's digest.
pub async fn week(reply: &Reply<'_>, council_id: String, week: String) -> Result<Response> {
    let store = &reply.store;
    let digest = store.latest_digest(&council_id, &week).await?;
    if reply.for_programs {
        return match digest {
            None => reply.not_found(Missing::Digest),
            Some(digest) => reply.json(&digest),
        };
    }
    let council = store.council(&council_id).await?;
    let (Some(council), Some(digest)) = (council, digest) else { return reply.not_found(Missing::Digest) };
    let view = pages::DigestView::from_row(&digest);
    reply.page(&pages::DigestPage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        council_id,
        council_name: council.name,
        week,
        headline: view.headline,
        points: view.points,
        decided: view.decided,
    })
}

/// `/councils/{id}[/committees/{committee}]/feed.xml`: newest summaries, and a council's decisions.
pub async fn feed(reply: &Reply<'_>, council_id: String, committee: Option<String>) -> Result<Response> {
    let store = &reply.store;
    let Some(council) = store.council(&council_id).await? else { return reply.not_found(Missing::Council) };
    // A year of meetings bounds the read; a feed shows the newest 30 summaries.
    let since = day(
        local_date(now_utc(), parse_time_zone(&council.time_zone)) - chrono::Duration::days(routes::MAX_RANGE_DAYS)
    );
    let mut items = store.feed_summaries(&council_id, committee.as_deref(), &since).await?;
    // A council's feed also carries its decisions register; a committee's does not.
    if committee.is_none() {
        items.extend(store.feed_decisions(&council_id, &since).await?);
        items.sort_by(|a, b| b.created_at().cmp(a.created_at()));
        items.truncate(30);
    }
    let path = match &committee {
        Some(c) => format!("/councils/{council_id}/committees/{c}"),
        None => format!("/councils/{council_id}"),
    };
    reply.cached(feeds::rss(&reply.origin, &council.name, &path, &items), "application/rss+xml; charset=utf-8")
}

/// `/councils/{id}[/committees/{committee}]/meetings.ics`.
pub async fn calendar(reply: &Reply<'_>, council_id: String, committee: Option<String>) -> Result<Response> {
    let store = &reply.store;
    let Some(council) = store.council(&council_id).await? else { return reply.not_found(Missing::Council) };
    let from = day(local_date(now_utc(), parse_time_zone(&council.time_zone)) - chrono::Duration::days(90));
    let meetings = store.calendar_meetings(&council_id, committee.as_deref(), &from).await?;
    reply.cached(feeds::ical(&reply.origin, &council.name, &meetings), "text/calendar; charset=utf-8")
}

/// `/api/v1/councils`, `?q=` keeping the councils whose name contains it.
pub async fn all(reply: &Reply<'_>) -> Result<Response> {
    let mut councils = reply.store.councils().await?;
    if let Some(q) = reply.query("q").filter(|q| !q.trim().is_empty()) {
        councils.retain(|c| crate::lookup::councils::name_matches(&q, &c.name));
    }
    reply.json(&json!({"councils": councils}))
}

/// `/api/v1/councils/{id}`.
pub async fn one(reply: &Reply<'_>, id: String) -> Result<Response> {
    match reply.store.council(&id).await? {
        None => reply.not_found(Missing::Council),
        Some(council) => reply.json(&council),
    }
}

/// `/api/v1/councils/{id}/committees`.
pub async fn committees(reply: &Reply<'_>, id: String) -> Result<Response> {
    if reply.store.council(&id).await?.is_none() {
        return reply.not_found(Missing::Council);
    }
    reply.json(&json!({"council_id": id, "committees": reply.store.council_committees(&id).await?}))
}

/// `/api/v1/councils/{id}/meetings`: by date, a page at a time.
pub async fn meetings(reply: &Reply<'_>, id: String) -> Result<Response> {
    let Some(council) = reply.store.council(&id).await? else { return reply.not_found(Missing::Council) };
    let today = local_date(now_utc(), parse_time_zone(&council.time_zone));
    let default = (today - chrono::Duration::days(28), today + chrono::Duration::days(28));
    let window = routes::date_window(reply.query("from").as_deref(), reply.query("to").as_deref(), default);
    let ((from, to), (limit, cursor)) = match (window, routes::page_params(reply.url.query(), 500, 1000)) {
        (Ok(window), Ok(page)) => (window, page),
        (Err(message), _) | (_, Err(message)) => return reply.bad_request(message),
    };
    let (from, to) = (day(from), day(to));
    let mut meetings = reply.store.council_meetings(&id, (&from, &to), (&cursor.0, &cursor.1), limit + 1).await?;
    let next = routes::next_page(&mut meetings, limit);
    reply.json(&json!({"council_id": id, "from": from, "to": to, "meetings": meetings, "next_cursor": next}))
}

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

/// Today where councils mostly are, for reads that need a date before the
/// council's record is read; `own_today` tells when the council's zone differs.
fn usual_today() -> chrono::NaiveDate {
    local_date(now_utc(), crate::time::DEFAULT_TIME_ZONE)
}

/// Today in the council's own zone.
fn own_today(council: &crate::storage::CouncilRow) -> chrono::NaiveDate {
    local_date(now_utc(), parse_time_zone(&council.time_zone))
}

/// Four weeks either side of a day.
fn around(today: chrono::NaiveDate) -> (String, String) {
    (day(today - chrono::Duration::days(28)), day(today + chrono::Duration::days(28)))
}

/// `/councils/{id}`: four weeks either side of today, and this week's digest;
/// one round trip (two for a council whose date is not yet or no longer the usual one).
pub async fn page(reply: &Reply<'_>, id: String) -> Result<Response> {
    let store = &reply.store;
    let mut today = usual_today();
    let (from, to) = around(today);
    let Some((council, mut meetings, mut digest)) =
        store.council_page(&id, (&from, &to), &iso_week_label(today)).await?
    else {
        return reply.not_found(Missing::Council);
    };
    if own_today(&council) != today {
        today = own_today(&council);
        let (from, to) = around(today);
        (_, meetings, digest) = store.council_page(&id, (&from, &to), &iso_week_label(today)).await?.unwrap_or((
            council.clone(),
            vec![],
            None,
        ));
    }
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
    let Some((council, Some(committee), meetings)) = reply.store.committee_page(&council_id, &committee_id).await?
    else {
        return reply.not_found(Missing::Committee);
    };
    if committee.council_id != council_id {
        return reply.not_found(Missing::Committee);
    }
    reply.page(&pages::CommitteePage::new(reply.canonical.clone(), &council, committee, &meetings))
}

/// `/councils/{id}/weeks/{week}` and `/api/v1/councils/{id}/weeks/{week}`: the week's digest.
pub async fn week(reply: &Reply<'_>, council_id: String, week: String) -> Result<Response> {
    let Some((council, Some(digest))) = reply.store.week_page(&council_id, &week).await? else {
        return reply.not_found(Missing::Digest);
    };
    if reply.for_programs {
        return reply.json(&digest);
    }
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
    // A year of meetings bounds the read (a day either way is no matter, so
    // the usual zone's date serves); a feed shows the newest 30 summaries.
    // A council's feed also carries its decisions register; a committee's does not.
    let since = day(usual_today() - chrono::Duration::days(routes::MAX_RANGE_DAYS));
    let Some((council, mut items)) = reply.store.council_feed(&council_id, committee.as_deref(), &since).await? else {
        return reply.not_found(Missing::Council);
    };
    if committee.is_none() {
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
    // Ninety days back: a day either way is no matter, so the usual zone's date serves.
    let from = day(usual_today() - chrono::Duration::days(90));
    let read = reply.store.council_calendar(&council_id, committee.as_deref(), &from);
    let Some((council, meetings)) = read.await? else { return reply.not_found(Missing::Council) };
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
    let Some((_, committees)) = reply.store.council_committees_page(&id).await? else {
        return reply.not_found(Missing::Council);
    };
    reply.json(&json!({"council_id": id, "committees": committees}))
}

/// `/api/v1/councils/{id}/meetings`: by date, a page at a time.
pub async fn meetings(reply: &Reply<'_>, id: String) -> Result<Response> {
    let (from_given, to_given) = (reply.query("from"), reply.query("to"));
    let window = |today: chrono::NaiveDate| {
        let default = (today - chrono::Duration::days(28), today + chrono::Duration::days(28));
        routes::date_window(from_given.as_deref(), to_given.as_deref(), default).map(|(f, t)| (day(f), day(t)))
    };
    let today = usual_today();
    let ((mut from, mut to), (limit, cursor)) = match (window(today), routes::page_params(reply.url.query(), 500, 1000))
    {
        (Ok(window), Ok(page)) => (window, page),
        (Err(message), _) | (_, Err(message)) => return reply.bad_request(message),
    };
    let read = reply.store.council_meetings_page(&id, (&from, &to), (&cursor.0, &cursor.1), limit + 1);
    let Some((council, mut meetings)) = read.await? else { return reply.not_found(Missing::Council) };
    // The default window is the council's own four weeks either side.
    if own_today(&council) != today && (from_given.is_none() || to_given.is_none()) {
        (from, to) = window(own_today(&council)).unwrap_or((from, to));
        meetings = reply.store.council_meetings(&id, (&from, &to), (&cursor.0, &cursor.1), limit + 1).await?;
    }
    let next = routes::next_page(&mut meetings, limit);
    reply.json(&json!({"council_id": id, "from": from, "to": to, "meetings": meetings, "next_cursor": next}))
}

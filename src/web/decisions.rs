//! A council's decisions register (page and API) and one decision.

use worker::{Response, Result};

use super::pages;
use super::reply::{Missing, Reply};
use super::routes;
use crate::time::{local_date, now_utc, parse_time_zone};

/// `/councils/{id}/decisions` and `/api/v1/councils/{id}/decisions`.
pub async fn list(reply: &Reply<'_>, id: String) -> Result<Response> {
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let (from_given, to_given) = (reply.query("from"), reply.query("to"));
    let default = |today: chrono::NaiveDate| (today - chrono::Duration::days(90), today);
    let window =
        |today: chrono::NaiveDate| routes::date_window(from_given.as_deref(), to_given.as_deref(), default(today));
    // Programs are told their mistake; people see the default window.
    let chosen = |today: chrono::NaiveDate| match window(today) {
        Ok((from, to)) => Ok((day(from), day(to))),
        Err(message) if reply.for_programs => Err(message),
        Err(_) => Ok((day(default(today).0), day(default(today).1))),
    };
    let maker = reply.query("maker").filter(|m| !m.trim().is_empty());
    // Present but empty is no value the API lists (programs are told); people get all decisions.
    let key_only = match reply.query("key").as_deref() {
        None | Some("0" | "false") => false,
        Some("1" | "true") => true,
        Some(_) if reply.for_programs => return reply.bad_request("key must be 1, 0, true or false"),
        Some(_) => false,
    };
    // One round trip, dated in the usual zone; read again in the council's
    // own when its date differs and the window is the default's.
    let today = local_date(now_utc(), crate::time::DEFAULT_TIME_ZONE);
    let (mut from, mut to) = match chosen(today) {
        Ok(window) => window,
        Err(message) => return reply.bad_request(message),
    };
    let read = reply.store.council_decisions_page(&id, (&from, &to), maker.as_deref(), key_only);
    let Some((council, mut rows)) = read.await? else { return reply.not_found(Missing::Council) };
    let own_today = local_date(now_utc(), parse_time_zone(&council.time_zone));
    if own_today != today && (from_given.is_none() || to_given.is_none()) {
        (from, to) = chosen(own_today).unwrap_or((from, to));
        rows = reply.store.council_decisions(&id, (&from, &to), maker.as_deref(), key_only).await?;
    }
    if reply.for_programs {
        return reply.json(&serde_json::json!({
            "council_id": id, "from": from, "to": to, "maker": maker, "key_only": key_only,
            "read_at": council.decisions_read_at, "read_error": council.decisions_error, "decisions": rows,
        }));
    }
    let mut makers: Vec<String> =
        rows.iter().filter_map(|r| r.decision_maker.clone()).filter(|m| !m.is_empty()).collect();
    makers.sort();
    makers.dedup();
    reply.page(&pages::DecisionsPage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        council_id: id,
        council_name: council.name,
        from,
        to,
        maker: maker.unwrap_or_default(),
        key_only,
        makers,
        decisions: rows
            .into_iter()
            .map(|r| pages::DecisionRow {
                date: crate::time::prose_date(&r.decided_on.or(r.listed_on).unwrap_or_default()),
                maker: r.decision_maker.unwrap_or_default(),
                is_key: r.is_key == Some(1),
                id: r.id,
                title: r.title,
            })
            .collect(),
        read_error: council.decisions_error,
    })
}

/// `/decisions/{id}` and `/api/v1/decisions/{id}`.
pub async fn one(reply: &Reply<'_>, id: String) -> Result<Response> {
    let Some(decision) = reply.store.decision(&id).await? else { return reply.not_found(Missing::Decision) };
    if reply.for_programs {
        return reply.json(&decision);
    }
    let record = decision.record;
    let paragraphs = |text: Option<String>| -> Vec<String> {
        text.unwrap_or_default().split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
    };
    let yes_no = |flag: Option<i64>| match flag {
        Some(1) => "Yes".to_string(),
        Some(0) => "No".to_string(),
        _ => String::new(),
    };
    let call_in = match (record.call_in_deadline.filter(|d| !d.is_empty()), record.call_in) {
        (Some(deadline), _) => format!("deadline {deadline}"),
        (None, words) => words.unwrap_or_default(),
    };
    reply.page(&pages::DecisionPage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        council_id: record.council_id,
        council_name: record.council_name,
        title: record.title,
        maker: record.decision_maker.unwrap_or_default(),
        status: record.status.unwrap_or_default(),
        is_key: yes_no(record.is_key),
        call_in,
        decided_on: record.decided_on.unwrap_or_default(),
        published_on: record.published_on.unwrap_or_default(),
        purpose: paragraphs(record.purpose),
        decision: paragraphs(record.decision),
        meeting_id: record.meeting_id.unwrap_or_default(),
        web_url: pages::safe_href(&record.web_url),
        documents: decision
            .documents
            .into_iter()
            .map(|d| pages::DecisionDocument {
                reading: pages::reading_note(
                    d.text_status.as_deref(),
                    d.page_count.and_then(|n| u64::try_from(n).ok()),
                    d.text_error.as_deref(),
                ),
                title: d.title,
                url: pages::safe_href(&d.url),
                id: d.id.unwrap_or_default(),
            })
            .collect(),
        read_error: record.read_error.unwrap_or_default(),
    })
}

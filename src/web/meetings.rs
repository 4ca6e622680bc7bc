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

/// The cues a transcript page answers at most.
const TRANSCRIPT_PAGE_MAX: usize = 500;

/// How many cues a page asked for `asked` answers: at least one, at most the cap.
fn cue_page_size(asked: usize) -> usize {
    asked.clamp(1, TRANSCRIPT_PAGE_MAX)
}

/// `/api/v1/meetings/{id}/transcript`: what was said, from the meeting's
/// webcast: its stretches by agenda item (each with its moment in the
/// player), and one page of cues, of one item (`?item=`) or of the whole
/// webcast, from `?offset=` (up to `?limit=`).
pub async fn transcript(reply: &Reply<'_>, id: String) -> Result<Response> {
    let Some(meeting) = reply.store.meeting_full(&id).await? else {
        return reply.not_found(Missing::Meeting);
    };
    let Some((webcast, key)) = meeting.webcasts.iter().find_map(|w| Some((w, w.transcript_key.as_deref()?))) else {
        return reply.not_found(Missing::Transcript);
    };
    let number = |name: &str, default: usize| reply.query(name).map_or(Ok(default), |v| v.parse::<usize>());
    let (Ok(offset), Ok(limit)) = (number("offset", 0), number("limit", 200)) else {
        return reply.bad_request("offset and limit must be whole numbers");
    };
    let bucket = reply.env.bucket("DOCUMENT_STORE")?;
    let Some(stored) = crate::storage::webcasts::transcript(&bucket, key).await? else {
        return reply.not_found(Missing::Transcript);
    };
    match transcript_view(&meeting, webcast, &stored, reply.query("item").as_deref(), (offset, limit)) {
        Some(view) => reply.json(&view),
        None => reply.not_found(Missing::Transcript),
    }
}

/// The transcript answer (pure): `None` for an item with no stretch of the webcast.
pub fn transcript_view(
    meeting: &crate::storage::rows::Meeting,
    webcast: &crate::storage::rows::MeetingWebcast,
    transcript: &crate::webcasts::Transcript,
    item: Option<&str>,
    (offset, limit): (usize, usize),
) -> Option<Value> {
    use crate::webcasts::{clock, cut, page, ItemRef};
    let items: Vec<ItemRef<'_>> = meeting
        .agenda_items
        .iter()
        .map(|i| ItemRef { id: &i.record.id, number: i.record.number.as_deref(), title: &i.record.title })
        .collect();
    let segments = cut(&transcript.cues, &webcast.agenda_points(), &items);
    let at = |ms: u64| crate::sources::publici::player_at(&webcast.player_url, ms);
    let stretches: Vec<Value> = segments
        .iter()
        .map(|s| {
            let title = s.item_id.as_ref().and_then(|id| meeting.agenda_items.iter().find(|i| &i.record.id == id));
            json!({
                "item_id": s.item_id, "item_number": title.and_then(|i| i.record.number.clone()),
                "item_title": title.map(|i| i.record.title.clone()), "point": s.point,
                "start_ms": s.start_ms, "end_ms": s.end_ms, "starts": clock(s.start_ms), "link": at(s.start_ms),
                "cues": s.cues.len(),
            })
        })
        .collect();
    let chosen: Vec<&crate::webcasts::Cue> = match item {
        Some(item) => {
            let own: Vec<&crate::webcasts::Cue> =
                segments.iter().filter(|s| s.item_id.as_deref() == Some(item)).flat_map(|s| s.cues.iter()).collect();
            if own.is_empty() {
                return None;
            }
            own
        }
        None => transcript.cues.iter().collect(),
    };
    let (cues, next) = page(&chosen, offset, cue_page_size(limit));
    let cues: Vec<Value> = cues
        .iter()
        .map(|c| json!({"start_ms": c.start_ms, "end_ms": c.end_ms, "at": clock(c.start_ms), "link": at(c.start_ms), "text": c.text, "speaker": c.speaker}))
        .collect();
    Some(json!({
        "meeting_id": meeting.record.id,
        "webcast": {
            "id": webcast.id, "platform": webcast.platform, "title": webcast.title, "live_at": webcast.live_at,
            "player_url": webcast.player_url, "captions_status": webcast.captions_status, "captions_error": webcast.captions_error,
            "made_from": transcript.made_from,
            "label": crate::webcasts::provenance_label(&transcript.made_from),
        },
        "stretches": stretches,
        "item": item,
        "offset": offset,
        "cues": cues,
        "next_offset": next,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transcript_page_is_at_least_one_cue_and_at_most_the_cap() {
        assert_eq!(cue_page_size(0), 1);
        assert_eq!(cue_page_size(200), 200);
        assert_eq!(cue_page_size(1_000_000), TRANSCRIPT_PAGE_MAX);
    }
}

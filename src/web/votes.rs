//! Recorded votes for integrators: a meeting's votes and a councillor's, in
//! the shape of Open Civic Data's `VoteEvent` where it fits (`motion_text`,
//! `result`, `counts` as option and value, `votes` as option and voter).

use serde_json::{json, Value};
use worker::{Response, Result};

use super::reply::{Missing, Reply};
use super::routes;
use crate::storage::rows::{MeetingVote, PersonVote};

/// A vote event as the API answers it.
pub fn vote_event(vote: &MeetingVote) -> Value {
    let counts = crate::votes::ocd_counts(&vote.counts);
    let votes: Vec<Value> = vote
        .choices
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| json!({"option": c["choice"], "voter_name": c["name"], "voter_id": c["person_id"], "party": c["party"]}))
        .collect();
    json!({
        "id": vote.id,
        "agenda_item_id": vote.agenda_item_id,
        "motion_text": vote.motion,
        "result": vote.result,
        "counts": counts,
        "votes": votes,
        "note": vote.note,
        "source": {
            "kind": vote.source,
            "document_url": vote.document_url,
            "document_title": vote.document_title,
            "page": vote.page,
        },
    })
}

/// `/api/v1/meetings/{id}/votes`.
pub async fn of_meeting(reply: &Reply<'_>, id: String) -> Result<Response> {
    let Some(votes) = reply.store.votes_of_meeting(&id).await? else { return reply.not_found(Missing::Meeting) };
    reply.json(&json!({"meeting_id": id, "votes": votes.iter().map(vote_event).collect::<Vec<_>>()}))
}

/// A person's choice as the API answers it.
pub fn person_vote(vote: &PersonVote) -> Value {
    json!({
        "vote_id": vote.vote_id,
        "meeting_id": vote.meeting_id,
        "meeting_title": vote.meeting_title,
        "date": vote.local_date,
        "agenda_item_id": vote.agenda_item_id,
        "motion_text": vote.motion,
        "result": vote.result,
        "option": vote.choice,
        "name_as_written": vote.name_as_written,
        "party_majority": crate::votes::party_majority(&vote.party_choices),
    })
}

/// The most votes the party line is reckoned over.
pub const PARTY_LINE_VOTES: usize = 2_000;

/// `/api/v1/councillors/{id}/votes`: newest first, paged.
pub async fn of_councillor(reply: &Reply<'_>, id: String) -> Result<Response> {
    let (limit, cursor) = match routes::page_params(reply.url.query(), 50, 200) {
        Ok(page) => page,
        Err(message) => return reply.bad_request(message),
    };
    let read = reply.store.person_votes_page(&id, (&cursor.0, &cursor.1), limit + 1, PARTY_LINE_VOTES);
    let Some((person, mut rows, all)) = read.await? else { return reply.not_found(Missing::Councillor) };
    let next = routes::next_page(&mut rows, limit);
    let line = crate::votes::party_line(all.iter().map(|v| (v.choice.as_str(), &v.party_choices)));
    reply.json(&json!({
        "person_id": id,
        "party": person.party,
        "party_line": line,
        "votes": rows.iter().map(person_vote).collect::<Vec<_>>(),
        "next_cursor": next,
    }))
}

//! Recorded votes stored as they are read: from printed minutes once their
//! text is read, and from the platform's own voting record pages with the meeting.

use worker::Result;

use super::context::{now, JobContext};
use crate::model::MeetingDetail;
use crate::storage::DocumentRecord;

/// The recorded votes printed minutes hold, each name matched to one of the
/// council's people where exactly one fits; stored in place of what these
/// minutes said before.
pub async fn from_minutes(
    ctx: &JobContext<'_>,
    document: &DocumentRecord,
    meeting_id: &str,
    pages: &[crate::documents::stored::StoredPage],
) -> Result<()> {
    let store = ctx.store;
    let texts: Vec<(u32, &str)> = pages.iter().map(|p| (p.number, p.text.as_str())).collect();
    // Most minutes record no vote: the council's people are read only for those that do.
    let joined: Vec<&str> = texts.iter().map(|(_, text)| *text).collect();
    let printed = !crate::votes::minutes::read_votes(&joined.join("\n")).is_empty();
    if !printed && !store.has_votes(meeting_id, "minutes").await? {
        return Ok(());
    }
    let (members, attended) = store.vote_members(&document.council_id, meeting_id).await?;
    let attended: Vec<&str> = attended.iter().map(String::as_str).collect();
    let votes = crate::votes::from_pages(&texts, &members, &attended);
    store.save_votes((&document.council_id, meeting_id), ("minutes", Some(&document.id)), &votes, &now()).await
}

/// The votes the platform's voting record pages hold, stored in place of
/// what they said before; a name is the member the page links where we know
/// them. Kept as they were when a page could not be read (the gap is recorded).
pub async fn from_platform(
    ctx: &JobContext<'_>,
    council_id: &str,
    meeting_id: &str,
    detail: &MeetingDetail,
) -> Result<()> {
    if detail.gaps.iter().any(|g| g.part == "recorded votes") {
        return Ok(());
    }
    let store = ctx.store;
    if detail.recorded_votes.is_empty() && !store.has_votes(meeting_id, "recorded_votes_page").await? {
        return Ok(());
    }
    let (members, attended) = store.vote_members(council_id, meeting_id).await?;
    let attended: Vec<&str> = attended.iter().map(String::as_str).collect();
    let person_of = |member: &str| {
        let id = crate::storage::records::person_id(council_id, member);
        members.iter().any(|m| m.id == id).then_some(id)
    };
    let votes = crate::votes::from_platform(&detail.recorded_votes, person_of, &members, &attended);
    store.save_votes((council_id, meeting_id), ("recorded_votes_page", None), &votes, &now()).await
}

/// The votes the items' minutes (as the platform gives their text) record,
/// stored in place of what they said before.
pub async fn from_item_minutes(
    ctx: &JobContext<'_>,
    council_id: &str,
    meeting_id: &str,
    detail: &MeetingDetail,
) -> Result<()> {
    let store = ctx.store;
    let texts: Vec<(&str, &str)> =
        detail.items.iter().filter_map(|i| Some((i.source_id.as_str(), i.minutes_text.as_deref()?))).collect();
    let recorded = texts.iter().any(|(_, text)| !crate::votes::minutes::read_votes(text).is_empty());
    if !recorded && !store.has_votes(meeting_id, "minutes_text").await? {
        return Ok(());
    }
    let (members, attended) = store.vote_members(council_id, meeting_id).await?;
    let attended: Vec<&str> = attended.iter().map(String::as_str).collect();
    let votes = crate::votes::from_item_minutes(&texts, &members, &attended);
    store.save_votes((council_id, meeting_id), ("minutes_text", None), &votes, &now()).await
}

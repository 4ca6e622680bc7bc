//! Recorded votes stored as they are read: from printed minutes once their
//! text is read, and with the meeting from the minutes text of its items and
//! the platform's own voting record pages. Each source's votes replace what
//! that source said before; the council's people are read for matching names
//! only when there are votes to store or to replace.

use worker::Result;

use super::context::{now, JobContext};
use crate::model::MeetingDetail;
use crate::storage::DocumentRecord;
use crate::votes::{FROM_ITEM_MINUTES, FROM_PRINTED_MINUTES, FROM_VOTING_RECORDS};

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
    let joined: Vec<&str> = texts.iter().map(|(_, text)| *text).collect();
    let printed = !crate::votes::minutes::read_votes(&joined.join("\n")).is_empty();
    if !printed && !store.vote_sources(meeting_id).await?.iter().any(|s| s == FROM_PRINTED_MINUTES) {
        return Ok(());
    }
    let (members, attended) = store.vote_members(&document.council_id, meeting_id).await?;
    let attended: Vec<&str> = attended.iter().map(String::as_str).collect();
    let votes = crate::votes::from_pages(&texts, &members, &attended);
    let source = (FROM_PRINTED_MINUTES, Some(document.id.as_str()));
    store.save_votes((&document.council_id, meeting_id), source, &votes, &now()).await
}

/// The votes a meeting's read holds: its items' minutes text, and the
/// platform's voting record pages. Those are linked from the meeting page, so
/// they are replaced only when it (`page_read`) and every voting record page
/// were read; otherwise what they said before stays (the gap is recorded).
pub async fn from_meeting(
    ctx: &JobContext<'_>,
    council_id: &str,
    meeting_id: &str,
    detail: &MeetingDetail,
    page_read: bool,
) -> Result<()> {
    let store = ctx.store;
    let texts: Vec<(&str, &str)> =
        detail.items.iter().filter_map(|i| Some((i.source_id.as_str(), i.minutes_text.as_deref()?))).collect();
    let records_read = page_read && !detail.gaps.iter().any(|g| g.part == "recorded votes");
    let found_records = records_read && !detail.recorded_votes.is_empty();
    let found_in_items = texts.iter().any(|(_, text)| !crate::votes::minutes::read_votes(text).is_empty());
    let stored = if found_records && found_in_items { Vec::new() } else { store.vote_sources(meeting_id).await? };
    let stored_from = |source: &str| stored.iter().any(|s| s == source);
    let records_due = records_read && (found_records || stored_from(FROM_VOTING_RECORDS));
    let items_due = found_in_items || stored_from(FROM_ITEM_MINUTES);
    if !records_due && !items_due {
        return Ok(());
    }
    let (members, attended) = store.vote_members(council_id, meeting_id).await?;
    let attended: Vec<&str> = attended.iter().map(String::as_str).collect();
    if records_due {
        // A name is the member the page links, where we know them.
        let person_of = |member: &str| {
            let id = crate::storage::records::person_id(council_id, member);
            members.iter().any(|m| m.id == id).then_some(id)
        };
        let votes = crate::votes::from_platform(&detail.recorded_votes, person_of, &members, &attended);
        store.save_votes((council_id, meeting_id), (FROM_VOTING_RECORDS, None), &votes, &now()).await?;
    }
    if items_due {
        let votes = crate::votes::from_item_minutes(&texts, &members, &attended);
        store.save_votes((council_id, meeting_id), (FROM_ITEM_MINUTES, None), &votes, &now()).await?;
    }
    Ok(())
}

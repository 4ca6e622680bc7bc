//! A council's councillors by ward, and one councillor with their attendance.

use worker::{Response, Result};

use super::pages;
use super::people;
use super::reply::{Missing, Reply};
use crate::time::{local_date, now_utc};

/// `/councils/{id}/councillors` and `/api/v1/councils/{id}/councillors`.
pub async fn list(reply: &Reply<'_>, id: String) -> Result<Response> {
    let Some((council, rows)) = reply.store.council_councillors_page(&id).await? else {
        return reply.not_found(Missing::Council);
    };
    if reply.for_programs {
        return reply.json(&serde_json::json!({
            "council_id": id,
            "read_at": council.councillors_read_at,
            "read_error": council.councillors_error,
            "councillors": rows,
        }));
    }
    let (wards, former) = pages::CouncillorsPage::group(&rows);
    reply.page(&pages::CouncillorsPage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        council_id: id,
        council_name: council.name,
        wards,
        former,
        read_error: council.councillors_error,
    })
}

/// A councillor as the API answers it: the record, whether on the council's
/// current list, the attendance record and the meetings it counts.
#[derive(serde::Serialize)]
struct CouncillorAnswer<'a> {
    #[serde(flatten)]
    person: &'a crate::storage::rows::Person,
    current: bool,
    attendance: &'a people::AttendanceRecord,
    meetings: &'a [crate::storage::rows::Attended],
}

/// `/councillors/{id}` and `/api/v1/councillors/{id}`.
pub async fn one(reply: &Reply<'_>, id: String) -> Result<Response> {
    // Twelve months of meetings, in the council's own calendar.
    let since = (local_date(now_utc(), crate::time::DEFAULT_TIME_ZONE) - chrono::Duration::days(365))
        .format("%Y-%m-%d")
        .to_string();
    // One round trip: the person, their attendance and their recorded votes.
    // The API's answer has no votes (they have their own route): none are read for it.
    let votes_wanted = if reply.for_programs { 0 } else { super::votes::PARTY_LINE_VOTES };
    let Some((person, rows, votes)) = reply.store.councillor_page(&id, &since, votes_wanted).await? else {
        return reply.not_found(Missing::Councillor);
    };
    let record = people::attendance_record(&rows, &since);
    if reply.for_programs {
        return reply.json(&CouncillorAnswer {
            person: &person,
            current: person.is_current(),
            attendance: &record,
            meetings: &rows,
        });
    }
    let line = crate::votes::party_line(votes.iter().map(|v| (v.choice.as_str(), &v.party_choices)));
    let party_line = pages::party_line_sentence(person.party.as_deref().unwrap_or_default(), line);
    reply.page(&pages::CouncillorPage {
        votes: votes.iter().take(pages::COUNCILLOR_PAGE_VOTES).map(pages::CouncillorVote::new).collect(),
        more_votes: votes.len() > pages::COUNCILLOR_PAGE_VOTES,
        party_line,
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        council_id: person.council_id,
        council_name: person.council_name,
        name: person.name,
        ward: person.ward.unwrap_or_default(),
        party: person.party.unwrap_or_default(),
        email: person.email.unwrap_or_default(),
        phone: person.phone.unwrap_or_default(),
        former_since: person.former_since.unwrap_or_default(),
        rate: record.rate.map(|r| format!("{:.0}", r * 100.0)).unwrap_or_default(),
        meetings: rows
            .into_iter()
            .map(|r| pages::AttendedMeeting {
                id: r.meeting_id,
                title: r.title,
                date: crate::time::prose_date(&r.local_date),
                attendance: r.attendance.unwrap_or_default(),
            })
            .collect(),
        record,
    })
}

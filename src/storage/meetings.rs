//! Meetings: their visit state, saving a read (items, documents, attendance,
//! what changed), validators for conditional requests, and reading a meeting
//! back whole (for pages and the API) or as the previous read (for a read
//! that failed in part).

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;
use worker::{D1PreparedStatement, Result};

use super::queries as q;
use super::records::{self, document_id, item_id, person_id, Fingerprint, MeetingRow};
use super::rows;
use super::{MeetingOutcome, MeetingState, Param::*, Store, TrackedMeeting, VisitRow};
use crate::model::MeetingDetail;
use crate::net::Validators;
use crate::sources::partial::StoredRead;

impl Store {
    pub async fn meeting_state(&self, meeting_id: &str) -> Result<Option<MeetingState>> {
        self.row(q::MEETING_STATE, &[Text(meeting_id)]).await
    }

    /// The visit-schedule state of the listed meetings that are stored, by meeting id.
    pub async fn visit_states(&self, council_id: &str, meeting_ids: &[&str]) -> Result<HashMap<String, VisitRow>> {
        let json = serde_json::to_string(meeting_ids).unwrap_or_default();
        let rows: Vec<VisitRow> = self.rows(q::VISIT_STATES, &[Text(council_id), Text(&json)]).await?;
        Ok(rows.into_iter().map(|r| (r.id.clone(), r)).collect())
    }

    /// Past meetings between `from` and `to` still waiting for minutes.
    pub async fn tracked_meetings(&self, council_id: &str, from: &str, to: &str) -> Result<Vec<TrackedMeeting>> {
        self.rows(q::TRACKED_MEETINGS, &[Text(council_id), Text(from), Text(to)]).await
    }

    pub async fn validators(&self, urls: &[String]) -> Result<HashMap<String, Validators>> {
        #[derive(Deserialize)]
        struct Row {
            url: String,
            etag: Option<String>,
            last_modified: Option<String>,
        }
        let json = serde_json::to_string(urls).unwrap_or_default();
        let rows: Vec<Row> = self.rows(q::VALIDATORS_FOR, &[Text(&json)]).await?;
        Ok(rows.into_iter().map(|r| (r.url, Validators { etag: r.etag, last_modified: r.last_modified })).collect())
    }

    /// Writes a fetched meeting in one transaction: the meeting, its items,
    /// documents and attendance, the change log and the HTTP validators.
    /// Answers the R2 keys of text whose documents the meeting no longer lists.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_meeting(
        &self,
        council_id: &str,
        run_id: Option<&str>,
        row: &MeetingRow,
        detail: &MeetingDetail,
        fingerprint: &Fingerprint,
        changes: &[String],
        validators: &[(String, Validators)],
        mode: &str,
        outcome: MeetingOutcome,
        now: &str,
    ) -> Result<Vec<String>> {
        let meeting = row.id.as_str();
        let fingerprint_json = serde_json::to_string(fingerprint).unwrap_or_default();
        let digest = fingerprint.digest();
        let change_note = (!changes.is_empty()).then(|| changes.join("; "));
        let mut statements = vec![self.statement(
            q::SAVE_MEETING,
            &[
                Text(meeting),
                Text(&row.title),
                Text(&row.local_date),
                OptText(row.local_time.as_deref()),
                OptText(row.starts_at_utc.as_deref()),
                Text(row.status.as_str()),
                Bool(row.is_special),
                OptText(detail.location.as_deref()),
                Bool(detail.agenda_published),
                Bool(detail.minutes_published),
                Bool(detail.decisions_published),
                Text(mode),
                Text(&digest),
                Text(&fingerprint_json),
                Text(now),
                OptText(change_note.as_deref()),
                OptText(run_id),
                Text(outcome.as_str()),
            ],
        )?];
        for change in changes {
            statements
                .push(self.statement(q::INSERT_CHANGE, &[Text(meeting), OptText(run_id), Text(now), Text(change)])?);
        }

        let mut item_ids = Vec::new();
        let mut document_ids = Vec::new();
        let mut position = 0i64;
        let mut add_document = |statements: &mut Vec<D1PreparedStatement>,
                                doc: &crate::model::Document,
                                item: Option<&str>|
         -> Result<()> {
            let id = document_id(council_id, doc);
            if document_ids.contains(&id) {
                return Ok(());
            }
            let published = doc.published_on.map(|d| d.format("%Y-%m-%d").to_string());
            statements.push(self.statement(
                q::UPSERT_DOCUMENT,
                &[
                    Text(&id),
                    Text(meeting),
                    OptText(item),
                    Int(position),
                    Text(&doc.url),
                    Text(&doc.title),
                    Text(doc.kind.as_str()),
                    OptText(published.as_deref()),
                    Bool(doc.is_restricted),
                    Text(council_id),
                ],
            )?);
            position += 1;
            document_ids.push(id);
            Ok(())
        };
        for doc in &detail.documents {
            add_document(&mut statements, doc, None)?;
        }
        for (index, item) in detail.items.iter().enumerate() {
            let id = item_id(council_id, &item.source_id);
            statements.push(self.statement(
                q::UPSERT_ITEM,
                &[
                    Text(&id),
                    Text(meeting),
                    Text(&item.source_id),
                    Int(index as i64),
                    OptText(item.number.as_deref()),
                    Text(&item.title),
                    OptText(item.agenda_text.as_deref()),
                    OptText(item.minutes_text.as_deref()),
                    Bool(item.is_restricted),
                    OptText(item.decision_url.as_deref()),
                ],
            )?);
            for doc in &item.documents {
                add_document(&mut statements, doc, Some(&id))?;
            }
            item_ids.push(id);
        }
        let item_json = serde_json::to_string(&item_ids).unwrap_or_default();
        let document_json = serde_json::to_string(&document_ids).unwrap_or_default();
        statements.push(self.statement(q::DELETE_PAGES_OF_REMOVED_ITEMS, &[Text(meeting), Text(&item_json)])?);
        statements.push(self.statement(q::DELETE_OTHER_ITEMS, &[Text(meeting), Text(&item_json)])?);
        #[derive(Deserialize)]
        struct TextKey {
            text_key: String,
        }
        let removed_text: Vec<TextKey> =
            self.rows(q::REMOVED_DOCUMENT_TEXT, &[Text(meeting), Text(&document_json)]).await?;
        statements.push(self.statement(q::DELETE_OTHER_DOCUMENTS, &[Text(meeting), Text(&document_json)])?);
        statements.push(self.statement(q::DELETE_MEETING_SEARCH_TEXT, &[Text(meeting)])?);
        statements.push(self.statement(q::DELETE_MEETING_SEARCH_ROWS, &[Text(meeting)])?);
        for item in &detail.items {
            let body = [item.agenda_text.as_deref(), item.minutes_text.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
            statements.extend(self.search_statements(meeting, council_id, "agenda_item", &item.title, &body)?);
        }
        for doc in detail.documents.iter().chain(detail.items.iter().flat_map(|i| i.documents.iter())) {
            statements.extend(self.search_statements(meeting, council_id, "document", &doc.title, &row.title)?);
        }
        statements.push(self.statement(q::DELETE_ATTENDANCE, &[Text(meeting)])?);
        for attendee in &detail.attendees {
            let person = person_id(council_id, &attendee.source_id);
            statements.push(self.statement(
                q::UPSERT_PERSON,
                &[
                    Text(&person),
                    Text(council_id),
                    Text(&attendee.name),
                    OptText(attendee.party.as_deref()),
                    OptText(attendee.ward.as_deref()),
                ],
            )?);
            statements.push(self.statement(
                q::INSERT_ATTENDANCE,
                &[
                    Text(meeting),
                    Text(&person),
                    OptText(attendee.role.as_deref()),
                    OptText(attendee.attendance.as_deref()),
                ],
            )?);
        }
        // Webcasts the meeting page links: one it names by id is this meeting's;
        // the portal is kept on the council for an operator to register.
        for (site, activity) in &detail.webcasts {
            let Some(activity) = activity else { continue };
            let player = crate::sources::publici::player_url(site, activity);
            let captions = crate::sources::publici::captions_url(None, site, activity);
            statements.push(self.statement(
                q::UPSERT_LINKED_WEBCAST,
                &[
                    Text(&format!("{council_id}-w{activity}")),
                    Text(council_id),
                    Text(activity),
                    Text(meeting),
                    Text(&row.title),
                    OptText(row.starts_at_utc.as_deref()),
                    Text(&player),
                    OptText(captions.as_deref()),
                    Text(now),
                ],
            )?);
        }
        if let Some((site, _)) = detail.webcasts.first() {
            statements.push(self.statement(q::WEBCAST_SITE_LINKED, &[Text(council_id), Text(site)])?);
        }
        for (url, v) in validators {
            statements.push(self.statement(
                q::UPSERT_VALIDATORS,
                &[Text(url), OptText(v.etag.as_deref()), OptText(v.last_modified.as_deref()), Text(now)],
            )?);
        }
        self.batch(statements).await?;
        Ok(removed_text.into_iter().map(|r| r.text_key).collect())
    }

    /// A search row: its key in `search_rows`, then its text under the same rowid.
    pub fn search_statements(
        &self,
        meeting_id: &str,
        council_id: &str,
        kind: &str,
        title: &str,
        body: &str,
    ) -> Result<[D1PreparedStatement; 2]> {
        self.search_statements_at(meeting_id, council_id, kind, &format!("/meetings/{meeting_id}"), title, body)
    }

    /// A search row for any subject (a meeting, or a decision) and the page it leads to.
    pub fn search_statements_at(
        &self,
        subject_id: &str,
        council_id: &str,
        kind: &str,
        url: &str,
        title: &str,
        body: &str,
    ) -> Result<[D1PreparedStatement; 2]> {
        Ok([
            self.statement(q::INSERT_SEARCH_ROW, &[Text(subject_id), Text(council_id), Text(kind), Text(url)])?,
            self.statement(q::INSERT_SEARCH_TEXT, &[Text(title), Text(body), Text(council_id)])?,
        ])
    }

    /// Records why a read of the meeting was incomplete; it is read again at the next refresh.
    pub async fn meeting_read_error(&self, meeting_id: &str, error: &str) -> Result<()> {
        self.run(q::MEETING_READ_ERROR, &[Text(meeting_id), Text(error)]).await
    }

    /// What this read could not read in full (`None` when it read everything).
    pub async fn meeting_read_gaps(&self, meeting_id: &str, gaps: &[crate::model::ReadGap]) -> Result<()> {
        let json = (!gaps.is_empty())
            .then(|| serde_json::to_string(gaps))
            .transpose()
            .map_err(|e| worker::Error::RustError(e.to_string()))?;
        self.run(q::MEETING_READ_GAPS, &[Text(meeting_id), super::Param::OptText(json.as_deref())]).await
    }

    /// Records that the meeting's details were read, whether or not they changed.
    pub async fn meeting_visited(&self, meeting_id: &str, now: &str) -> Result<()> {
        self.run(q::MEETING_VISITED, &[Text(meeting_id), Text(now)]).await
    }

    pub async fn forget_validators(&self, url: &str) -> Result<()> {
        self.run(q::DELETE_VALIDATORS, &[Text(url)]).await
    }

    pub async fn save_validators(&self, url: &str, validators: &Validators, now: &str) -> Result<()> {
        if validators.is_empty() {
            return Ok(());
        }
        self.run(
            q::UPSERT_VALIDATORS,
            &[Text(url), OptText(validators.etag.as_deref()), OptText(validators.last_modified.as_deref()), Text(now)],
        )
        .await
    }

    /// What the meeting's previous read stored: its title and date, location,
    /// meeting-level documents and attendance (see `sources::partial`).
    pub async fn stored_read(&self, council_id: &str, meeting_id: &str) -> Result<Option<StoredRead>> {
        #[derive(Deserialize)]
        struct Meeting {
            title: String,
            local_date: String,
            location: Option<String>,
        }
        #[derive(Deserialize)]
        struct StoredDocument {
            id: String,
            agenda_item_id: Option<String>,
            url: String,
            title: String,
            kind: String,
            published_on: Option<String>,
            is_restricted: i64,
        }
        #[derive(Deserialize)]
        struct StoredAttendee {
            person_id: String,
            name: String,
            party: Option<String>,
            ward: Option<String>,
            role: Option<String>,
            attendance: Option<String>,
        }
        let Some(meeting) = self.row::<Meeting>(q::STORED_READ, &[Text(meeting_id)]).await? else {
            return Ok(None);
        };
        let documents: Vec<StoredDocument> = self.rows(q::MEETING_DOCUMENTS, &[Text(meeting_id)]).await?;
        let attendees: Vec<StoredAttendee> = self.rows(q::MEETING_ATTENDANCE, &[Text(meeting_id)]).await?;
        let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        Ok(Some(StoredRead {
            title: meeting.title,
            date: day(&meeting.local_date),
            location: meeting.location,
            documents: documents
                .into_iter()
                .filter(|d| d.agenda_item_id.is_none())
                .map(|d| crate::model::Document {
                    source_id: records::document_source_id(council_id, &d.id),
                    kind: crate::model::DocumentKind::parse(&d.kind),
                    published_on: d.published_on.as_deref().and_then(day),
                    url: d.url,
                    title: d.title,
                    is_restricted: d.is_restricted != 0,
                })
                .collect(),
            attendees: attendees
                .into_iter()
                .filter_map(|a| {
                    Some(crate::model::Attendee {
                        source_id: records::person_source_id(council_id, &a.person_id)?,
                        name: a.name,
                        role: a.role,
                        attendance: a.attendance,
                        party: a.party,
                        ward: a.ward,
                    })
                })
                .collect(),
        }))
    }

    /// A meeting with its agenda items (each with its documents), meeting-level documents and attendance.
    pub async fn meeting_full(&self, meeting_id: &str) -> Result<Option<rows::Meeting>> {
        let results = self.reads(self.meeting_statements(meeting_id)?).await?;
        meeting_from(&results)
    }

    /// What a meeting's page shows, in one round trip: the meeting whole, its
    /// latest summary and its recorded votes.
    pub async fn meeting_page(
        &self,
        meeting_id: &str,
    ) -> Result<Option<(rows::Meeting, Value, Vec<rows::MeetingVote>)>> {
        let mut statements = self.meeting_statements(meeting_id)?;
        statements.push(self.statement(q::LATEST_SUMMARY, &[Text(meeting_id)])?);
        statements.push(self.statement(q::MEETING_VOTES, &[Text(meeting_id)])?);
        let results = self.reads(statements).await?;
        let Some(meeting) = meeting_from(&results)? else { return Ok(None) };
        let summary =
            results[5].results::<Value>()?.into_iter().next().map_or(Value::Null, super::summaries::published);
        Ok(Some((meeting, summary, results[6].results()?)))
    }

    fn meeting_statements(&self, meeting_id: &str) -> Result<Vec<worker::D1PreparedStatement>> {
        [q::GET_MEETING, q::MEETING_ITEMS, q::MEETING_DOCUMENTS, q::MEETING_ATTENDANCE, q::MEETING_WEBCASTS]
            .iter()
            .map(|sql| self.statement(sql, &[Text(meeting_id)]))
            .collect()
    }
}

/// A meeting whole from the results of `meeting_statements`, in their order.
fn meeting_from(results: &[worker::D1Result]) -> Result<Option<rows::Meeting>> {
    let Some(record) = results[0].results::<rows::MeetingRecord>()?.into_iter().next() else {
        return Ok(None);
    };
    let items: Vec<rows::AgendaItemRecord> = results[1].results()?;
    let documents: Vec<rows::MeetingDocument> = results[2].results()?;
    let attendance: Vec<rows::MeetingAttendee> = results[3].results()?;
    let webcasts: Vec<rows::MeetingWebcast> = results[4].results()?;
    let (item_documents, documents): (Vec<_>, Vec<_>) = documents.into_iter().partition(|d| d.agenda_item_id.is_some());
    let agenda_items = items
        .into_iter()
        .map(|record| rows::AgendaItem {
            documents: item_documents
                .iter()
                .filter(|d| d.agenda_item_id.as_deref() == Some(record.id.as_str()))
                .cloned()
                .collect(),
            record,
        })
        .collect();
    Ok(Some(rows::Meeting { record, agenda_items, documents, attendance, webcasts }))
}

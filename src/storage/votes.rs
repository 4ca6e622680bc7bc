//! D1 access for recorded votes: what a minutes document's votes replace, and
//! the people their names may be.

use serde::Deserialize;
use worker::Result;

use super::queries as q;
use super::rows::{MeetingVote, PersonVote};
use super::Param::{Int, OptText, Text};
use super::Store;
use crate::votes::names::Member;
use crate::votes::StoredVote;

impl Store {
    /// Where the meeting's stored votes were read from (`crate::votes::SOURCES`).
    pub async fn vote_sources(&self, meeting_id: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            source: String,
        }
        Ok(self.rows::<Row>(q::VOTE_SOURCES, &[Text(meeting_id)]).await?.into_iter().map(|r| r.source).collect())
    }

    /// A meeting's recorded votes with their choices.
    pub async fn meeting_votes(&self, meeting_id: &str) -> Result<Vec<MeetingVote>> {
        self.rows(q::MEETING_VOTES, &[Text(meeting_id)]).await
    }

    /// A meeting's recorded votes, or `None` when there is no such meeting: one round trip.
    pub async fn votes_of_meeting(&self, meeting_id: &str) -> Result<Option<Vec<MeetingVote>>> {
        let statements = vec![
            self.statement(q::GET_MEETING, &[Text(meeting_id)])?,
            self.statement(q::MEETING_VOTES, &[Text(meeting_id)])?,
        ];
        let results = self.reads(statements).await?;
        if results[0].results::<serde_json::Value>()?.is_empty() {
            return Ok(None);
        }
        Ok(Some(results[1].results()?))
    }

    /// A person's recorded votes, newest first, from `after` (date, vote id; empty: the start).
    pub async fn person_votes(&self, person_id: &str, after: (&str, &str), limit: usize) -> Result<Vec<PersonVote>> {
        self.rows(q::PERSON_VOTES, &[Text(person_id), Text(after.0), Text(after.1), Int(limit as i64)]).await
    }

    /// The council's people and who attended the meeting, for matching printed names.
    pub async fn vote_members(&self, council_id: &str, meeting_id: &str) -> Result<(Vec<Member>, Vec<String>)> {
        #[derive(Deserialize)]
        struct Person {
            id: String,
            name: String,
        }
        #[derive(Deserialize)]
        struct Attended {
            person_id: String,
        }
        let people: Vec<Person> = self.rows(q::VOTE_MEMBERS, &[Text(council_id)]).await?;
        let attended: Vec<Attended> = self.rows(q::VOTE_ATTENDED, &[Text(meeting_id)]).await?;
        Ok((
            people.into_iter().map(|p| Member { id: p.id, name: p.name }).collect(),
            attended.into_iter().map(|a| a.person_id).collect(),
        ))
    }

    /// Replaces the votes a meeting's minutes record (`source`: where they were read) in one batch.
    pub async fn save_votes(
        &self,
        (council_id, meeting_id): (&str, &str),
        (source, document_id): (&str, Option<&str>),
        votes: &[StoredVote],
        now: &str,
    ) -> Result<()> {
        #[derive(Deserialize)]
        struct Item {
            id: String,
            number: Option<String>,
        }
        let items: Vec<Item> = self.rows(q::MEETING_ITEM_NUMBERS, &[Text(meeting_id)]).await?;
        let item_id = |number: &str| {
            items
                .iter()
                .find(|i| i.number.as_deref().map(|n| n.trim_end_matches('.')) == Some(number))
                .map(|i| i.id.as_str())
        };
        let mut statements = vec![
            self.statement(q::DELETE_VOTE_CHOICES, &[Text(meeting_id), Text(source)])?,
            self.statement(q::DELETE_VOTE_EVENTS, &[Text(meeting_id), Text(source)])?,
        ];
        for vote in votes {
            let id = format!("{meeting_id}-{source}-v{}", vote.position + 1);
            let counts = serde_json::to_string(&vote.counts).map_err(|e| worker::Error::RustError(e.to_string()))?;
            statements.push(
                self.statement(
                    q::INSERT_VOTE_EVENT,
                    &[
                        Text(&id),
                        Text(council_id),
                        Text(meeting_id),
                        OptText(
                            match &vote.item_source_id {
                                Some(source_id) => Some(super::records::item_id(council_id, source_id)),
                                None => vote.item_number.as_deref().and_then(item_id).map(str::to_string),
                            }
                            .filter(|id| items.iter().any(|i| &i.id == id))
                            .as_deref(),
                        ),
                        Int(vote.position as i64),
                        Text(&vote.motion),
                        OptText(vote.result.as_deref()),
                        Text(&counts),
                        Text(source),
                        OptText(document_id),
                        vote.page.map_or(OptText(None), |p| Int(i64::from(p))),
                        OptText(vote.note.as_deref()),
                        Text(now),
                    ],
                )?,
            );
            for choice in &vote.choices {
                let name = serde_json::to_value(choice.choice).ok();
                statements.push(self.statement(
                    q::INSERT_VOTE_CHOICE,
                    &[
                        Text(&id),
                        Int(choice.position as i64),
                        Text(name.as_ref().and_then(|v| v.as_str()).unwrap_or("for")),
                        Text(&choice.name_as_written),
                        OptText(choice.person_id.as_deref()),
                    ],
                )?);
            }
        }
        self.batch(statements).await
    }
}

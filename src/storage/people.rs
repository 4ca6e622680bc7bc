//! Councillors and their attendance.

use worker::Result;

use super::queries as q;
use super::records::person_id;
use super::{Param::*, Store};
use crate::model::Councillor;

impl Store {
    /// Stores the council's list as read: everyone on it current, everyone
    /// listed before and missing now former (never deleted).
    pub async fn save_councillors(&self, council_id: &str, councillors: &[Councillor], now: &str) -> Result<usize> {
        let ids: Vec<String> = councillors.iter().map(|c| person_id(council_id, &c.source_id)).collect();
        let mut statements = Vec::with_capacity(councillors.len() + 2);
        for (councillor, id) in councillors.iter().zip(&ids) {
            statements.push(self.statement(
                q::UPSERT_COUNCILLOR,
                &[
                    Text(id),
                    Text(council_id),
                    Text(&councillor.name),
                    OptText(councillor.party.as_deref()),
                    Text(&councillor.ward),
                    OptText(councillor.photo_url.as_deref()),
                    OptText(councillor.email.as_deref()),
                    OptText(councillor.phone.as_deref()),
                    Text(now),
                ],
            )?);
        }
        let listed = serde_json::to_string(&ids)?;
        statements.push(self.statement(q::MARK_FORMER_COUNCILLORS, &[Text(council_id), Text(now), Text(&listed)])?);
        statements.push(self.statement(q::COUNCILLORS_READ, &[Text(council_id), Text(now)])?);
        self.batch(statements).await?;
        Ok(councillors.len())
    }

    /// Why the last read of the council's councillors failed; the list stays as it was.
    pub async fn councillors_failed(&self, council_id: &str, error: &str) -> Result<()> {
        self.run(q::COUNCILLORS_FAILED, &[Text(council_id), Text(error)]).await
    }

    pub async fn council_councillors(&self, council_id: &str) -> Result<Vec<super::rows::Councillor>> {
        self.rows(q::COUNCIL_COUNCILLORS, &[Text(council_id)]).await
    }

    pub async fn person(&self, person_id: &str) -> Result<Option<super::rows::Person>> {
        self.row(q::GET_PERSON, &[Text(person_id)]).await
    }

    pub async fn person_attendance(&self, person_id: &str, since: &str) -> Result<Vec<super::rows::Attended>> {
        self.rows(q::PERSON_ATTENDANCE, &[Text(person_id), Text(since)]).await
    }

    /// What a councillor's page shows, in one round trip: the person, their
    /// attendance since `since`, and up to `votes` of their recorded votes, newest first.
    #[allow(clippy::type_complexity)]
    pub async fn councillor_page(
        &self,
        person_id: &str,
        since: &str,
        votes: usize,
    ) -> Result<Option<(super::rows::Person, Vec<super::rows::Attended>, Vec<super::rows::PersonVote>)>> {
        let statements = vec![
            self.statement(q::GET_PERSON, &[Text(person_id)])?,
            self.statement(q::PERSON_ATTENDANCE, &[Text(person_id), Text(since)])?,
            self.statement(q::PERSON_VOTES, &[Text(person_id), Text(""), Text(""), Int(votes as i64)])?,
        ];
        let results = self.reads(statements).await?;
        let Some(person) = results[0].results::<super::rows::Person>()?.into_iter().next() else { return Ok(None) };
        Ok(Some((person, results[1].results()?, results[2].results()?)))
    }
}

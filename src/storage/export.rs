//! What an open-data export reads (a council's records for a set of days, in
//! one round trip) and the record of the sets written.

use serde::Deserialize;
use worker::Result;

use super::queries as q;
use super::rows::export::{Attendee, Decision, Document, Item, Meeting, Person, Summary, Vote};
use super::{Param::*, Store};

/// A council's records for one set, each kind read up to `limit` rows.
pub struct SetRecords {
    pub meetings: Vec<Meeting>,
    pub items: Vec<Item>,
    pub documents: Vec<Document>,
    pub attendees: Vec<Attendee>,
    pub votes: Vec<Vote>,
    pub decisions: Vec<Decision>,
    pub summaries: Vec<Summary>,
    /// Only for `latest`: people are not of a month.
    pub people: Vec<Person>,
}

/// An index row of `/data`: a council's `latest` manifest and its months.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportIndexRow {
    pub council_id: String,
    pub name: String,
    pub generated_at: String,
    pub manifest: String,
    /// JSON text: the months exported, newest first.
    pub months: String,
}

impl Store {
    /// The council's records on days `from` to `to`, and its people when asked.
    pub async fn export_records(
        &self,
        council_id: &str,
        (from, to): (&str, &str),
        with_people: bool,
        limit: usize,
    ) -> Result<SetRecords> {
        let params = [Text(council_id), Text(from), Text(to), Int(limit as i64)];
        let mut statements = [
            q::EXPORT_MEETINGS,
            q::EXPORT_ITEMS,
            q::EXPORT_DOCUMENTS,
            q::EXPORT_ATTENDANCE,
            q::EXPORT_VOTES,
            q::EXPORT_DECISIONS,
            q::EXPORT_SUMMARIES,
        ]
        .iter()
        .map(|sql| self.statement(sql, &params))
        .collect::<Result<Vec<_>>>()?;
        if with_people {
            statements.push(self.statement(q::EXPORT_PEOPLE, &[Text(council_id), Int(limit as i64)])?);
        }
        let results = self.reads(statements).await?;
        Ok(SetRecords {
            meetings: results[0].results()?,
            items: results[1].results()?,
            documents: results[2].results()?,
            attendees: results[3].results()?,
            votes: results[4].results()?,
            decisions: results[5].results()?,
            summaries: results[6].results()?,
            people: match results.get(7) {
                Some(people) => people.results()?,
                None => Vec::new(),
            },
        })
    }

    /// The months the council has meetings in, and the sets exported so far.
    pub async fn export_months(&self, council_id: &str) -> Result<(Vec<String>, Vec<String>)> {
        #[derive(Deserialize)]
        struct Month {
            month: String,
        }
        #[derive(Deserialize)]
        struct Set {
            set_name: String,
        }
        let results = self
            .reads(vec![
                self.statement(q::EXPORT_MONTHS, &[Text(council_id)])?,
                self.statement(q::EXPORTED_SETS, &[Text(council_id)])?,
            ])
            .await?;
        Ok((
            results[0].results::<Month>()?.into_iter().map(|m| m.month).collect(),
            results[1].results::<Set>()?.into_iter().map(|s| s.set_name).collect(),
        ))
    }

    pub async fn save_export(&self, council_id: &str, set: &str, generated_at: &str, manifest: &str) -> Result<()> {
        self.run(q::SAVE_EXPORT, &[Text(council_id), Text(set), Text(generated_at), Text(manifest)]).await
    }

    /// Every council's `latest` set and months, for `/data`.
    pub async fn open_data_index(&self) -> Result<Vec<ExportIndexRow>> {
        self.rows(q::OPEN_DATA_INDEX, &[]).await
    }
}

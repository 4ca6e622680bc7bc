//! The decisions register: listings, each decision's page, and the reads.

use serde::Deserialize;
use serde_json::{json, Value};
use worker::Result;

use super::queries as q;
use super::{Param::*, Store};
use crate::model::{DecisionDetail, DecisionListing};

/// A decision's id: its council and the council's decision id.
pub fn decision_id(council_id: &str, source_id: &str) -> String {
    format!("{council_id}-d{source_id}")
}

/// A decision's document: ModernGov's decision pages link documents by URL
/// alone, and the same report may also be a meeting's, read there separately.
pub fn decision_document_id(decision_id: &str, url: &str) -> String {
    format!("{decision_id}-u{}", &crate::hash::short_hash(url)[..12])
}

#[derive(Debug, Clone, Deserialize)]
pub struct DecisionToRead {
    pub id: String,
    pub source_id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DecisionRecord {
    pub id: String,
    pub council_id: String,
    pub source_id: String,
    pub web_url: String,
    pub title: String,
    /// When its page was last read; none until the first time.
    pub detail_fetched_at: Option<String>,
}

fn date(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

impl Store {
    /// Stores what a register lists; answers how many.
    pub async fn save_decision_listings(
        &self,
        council_id: &str,
        register: &str,
        listings: &[DecisionListing],
        page_url: impl Fn(&str) -> String,
        now: &str,
    ) -> Result<usize> {
        let mut statements = Vec::with_capacity(listings.len());
        for listing in listings {
            let listed_on = date(listing.date);
            statements.push(self.statement(
                q::UPSERT_DECISION_LISTING,
                &[
                    Text(&decision_id(council_id, &listing.source_id)),
                    Text(council_id),
                    Text(&listing.source_id),
                    Text(register),
                    Text(&listing.title),
                    OptText(listed_on.as_deref()),
                    OptText(listing.call_in.as_deref()),
                    Text(&page_url(&listing.source_id)),
                    Text(now),
                ],
            )?);
        }
        self.batch(statements).await?;
        Ok(listings.len())
    }

    pub async fn decisions_to_read(
        &self,
        council_id: &str,
        (from, to): (&str, &str),
        read_before: &str,
    ) -> Result<Vec<DecisionToRead>> {
        self.rows(q::DECISIONS_TO_READ, &[Text(council_id), Text(from), Text(to), Text(read_before)]).await
    }

    pub async fn decision_record(&self, id: &str) -> Result<Option<DecisionRecord>> {
        self.row(q::GET_DECISION_RECORD, &[Text(id)]).await
    }

    /// Saves what the decision's page says; answers the text objects of
    /// documents it no longer lists, for the caller to remove.
    pub async fn save_decision(&self, id: &str, detail: &DecisionDetail, now: &str) -> Result<Vec<String>> {
        let documents: Vec<Value> = detail.documents.iter().map(|d| json!({"title": d.title, "url": d.url})).collect();
        let documents = serde_json::to_string(&documents)?;
        let flag = |value: Option<bool>| value.map_or(OptText(None), |v| Int(i64::from(v)));
        let (deadline, published, decided) =
            (date(detail.call_in_deadline), date(detail.published_on), date(detail.decided_on));
        let saved = self.statement(
            q::SAVE_DECISION_DETAIL,
            &[
                Text(id),
                Text(&detail.title),
                OptText(detail.decision_maker.as_deref()),
                OptText(detail.status.as_deref()),
                flag(detail.is_key),
                flag(detail.subject_to_call_in),
                OptText(deadline.as_deref()),
                OptText(detail.purpose.as_deref()),
                OptText(detail.decision.as_deref()),
                OptText(published.as_deref()),
                OptText(decided.as_deref()),
                OptText(detail.meeting.as_ref().map(|(_, meeting)| meeting.as_str())),
                Text(&documents),
                Text(now),
            ],
        )?;
        // The decision in search, its text replaced with what was read now.
        let council_id = id.rsplit_once("-d").map_or(id, |(council, _)| council);
        let body = [detail.decision_maker.as_deref(), detail.purpose.as_deref(), detail.decision.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n\n");
        let [row, text] =
            self.search_statements_at(id, council_id, "decision", &format!("/decisions/{id}"), &detail.title, &body)?;
        let mut statements = vec![
            saved,
            self.statement(q::DELETE_DECISION_SEARCH_TEXT, &[Text(id)])?,
            self.statement(q::DELETE_DECISION_SEARCH_ROWS, &[Text(id)])?,
            row,
            text,
        ];
        // Its documents, for the document reader; those it no longer lists go.
        let mut document_ids: Vec<String> = Vec::new();
        for document in &detail.documents {
            let document_id = decision_document_id(id, &document.url);
            if document_ids.contains(&document_id) {
                continue;
            }
            statements.push(self.statement(
                q::UPSERT_DECISION_DOCUMENT,
                &[
                    Text(&document_id),
                    Text(council_id),
                    Text(id),
                    Int(document_ids.len() as i64),
                    Text(&document.url),
                    Text(&document.title),
                    Text(document.kind.as_str()),
                ],
            )?);
            document_ids.push(document_id);
        }
        let kept = serde_json::to_string(&document_ids)?;
        #[derive(Deserialize)]
        struct TextKey {
            text_key: String,
        }
        let removed: Vec<TextKey> = self.rows(q::REMOVED_DECISION_DOCUMENT_TEXT, &[Text(id), Text(&kept)]).await?;
        statements.push(self.statement(q::DELETE_OTHER_DECISION_DOCUMENTS, &[Text(id), Text(&kept)])?);
        self.batch(statements).await?;
        Ok(removed.into_iter().map(|r| r.text_key).collect())
    }

    /// Documents of a decision to fetch: all, or only those never fetched and
    /// those whose transient failure may be tried again by `now`.
    pub async fn decision_documents_to_fetch(&self, id: &str, only_unfetched: bool, now: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
        }
        let rows: Vec<Row> =
            self.rows(q::DECISION_DOCUMENTS_TO_FETCH, &[Text(id), Int(i64::from(only_unfetched)), Text(now)]).await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    pub async fn decision_read_error(&self, id: &str, error: &str) -> Result<()> {
        self.run(q::DECISION_READ_ERROR, &[Text(id), Text(error)]).await
    }

    pub async fn decisions_read(&self, council_id: &str, now: &str) -> Result<()> {
        self.run(q::DECISIONS_READ, &[Text(council_id), Text(now)]).await
    }

    pub async fn decisions_failed(&self, council_id: &str, error: &str) -> Result<()> {
        self.run(q::DECISIONS_FAILED, &[Text(council_id), Text(error)]).await
    }

    pub async fn council_decisions(
        &self,
        council_id: &str,
        (from, to): (&str, &str),
        maker: Option<&str>,
        key_only: bool,
    ) -> Result<Vec<super::rows::DecisionListed>> {
        self.rows(q::COUNCIL_DECISIONS, &[Text(council_id), Text(from), Text(to), OptText(maker), Bool(key_only)]).await
    }

    pub async fn week_decisions(
        &self,
        council_id: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<crate::summarise::digest::WeekDecision>> {
        self.rows(q::WEEK_DECISIONS, &[Text(council_id), Text(from), Text(to)]).await
    }

    pub async fn decision(&self, id: &str) -> Result<Option<super::rows::Decision>> {
        use super::rows::{Decision, DecisionDocument, DecisionRecord};
        // The record and what the document reader made of its documents, in one round trip.
        let results = self
            .reads(vec![
                self.statement(q::GET_DECISION, &[Text(id)])?,
                self.statement(q::DECISION_DOCUMENTS, &[Text(id)])?,
            ])
            .await?;
        let Some(record) = results[0].results::<DecisionRecord>()?.into_iter().next() else {
            return Ok(None);
        };
        #[derive(Deserialize)]
        struct Listed {
            #[serde(default)]
            title: String,
            #[serde(default)]
            url: String,
        }
        // The council's list (stored as JSON text), each with what the document
        // reader made of it: its id for the text, and how far reading got.
        let listed: Vec<Listed> = serde_json::from_str(&record.documents).unwrap_or_default();
        let read: Vec<super::rows::DecisionDocumentRead> = results[1].results()?;
        let documents = listed
            .into_iter()
            .map(|listed| {
                let found = read.iter().find(|r| r.url == listed.url);
                DecisionDocument {
                    id: found.map(|r| r.id.clone()),
                    text_status: found.and_then(|r| r.text_status.clone()),
                    text_error: found.and_then(|r| r.text_error.clone()),
                    page_count: found.and_then(|r| r.page_count),
                    title: listed.title,
                    url: listed.url,
                }
            })
            .collect();
        Ok(Some(Decision { record, documents }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decisions_documents_are_its_own() {
        let url = "https://democracy.kirklees.gov.uk/documents/s7942/polc2.pdf";
        let id = decision_document_id("kirklees-d13567", url);
        assert!(id.starts_with("kirklees-d13567-u") && id.len() == "kirklees-d13567-u".len() + 12, "{id}");
        assert_eq!(id, decision_document_id("kirklees-d13567", url), "stable");
        assert_ne!(
            id,
            decision_document_id("kirklees-d13568", url),
            "the same report under two decisions is two documents"
        );
    }
}

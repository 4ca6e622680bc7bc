//! D1 access for documents' text: fetch state, pages, duplicates and item page ranges.

use serde::Deserialize;
use serde_json::Value;
use worker::Result;

use super::queries as q;
use super::text::TextStore;
use super::Param::{Int, OptText, Text};
use super::Store;
use crate::documents::structure::FrontsheetItem;

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentRecord {
    pub id: String,
    /// The meeting or the decision (exactly one) the document belongs to.
    pub meeting_id: Option<String>,
    pub decision_id: Option<String>,
    pub council_id: String,
    pub url: String,
    pub title: String,
    pub kind: String,
    pub is_restricted: i64,
    pub text_status: Option<String>,
    pub content_hash: Option<String>,
    pub extraction_attempts: i64,
    pub pages_done: i64,
    pub text_key: Option<String>,
    /// Set when the last failure was transient: the same bytes may be read again.
    pub retry_after: Option<String>,
}

impl Store {
    /// Public documents of a meeting to fetch: all of them, or only those never
    /// fetched and those whose transient failure may be tried again by `now`.
    pub async fn documents_to_fetch(&self, meeting_id: &str, only_unfetched: bool, now: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
        }
        let rows: Vec<Row> = self
            .rows(q::MEETING_DOCUMENTS_TO_FETCH, &[Text(meeting_id), Int(i64::from(only_unfetched)), Text(now)])
            .await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    pub async fn document_record(&self, id: &str) -> Result<Option<DocumentRecord>> {
        self.row(q::DOCUMENT_FOR_FETCH, &[Text(id)]).await
    }

    /// New bytes arrived: start reading them afresh (the old version's text stays until replaced).
    pub async fn document_fetched(&self, id: &str, content_hash: &str, byte_size: usize, now: &str) -> Result<()> {
        self.run(q::DOCUMENT_FETCHED, &[Text(id), Text(content_hash), Int(byte_size as i64), Text(now)]).await
    }

    /// Records why a document could not be read; `retry_after` is set when the
    /// cause was transient, so that a later visit reads it again.
    /// A document read before could not be downloaded again: its text and status stay.
    pub async fn document_reread_failed(&self, id: &str, reason: &str, now: &str) -> Result<()> {
        self.run(q::DOCUMENT_REREAD_FAILED, &[Text(id), Text(reason), Text(now)]).await
    }

    /// Downloaded again unchanged: a note that an earlier download failed is cleared.
    pub async fn document_read_again(&self, id: &str) -> Result<()> {
        self.run(q::DOCUMENT_READ_AGAIN, &[Text(id)]).await
    }

    pub async fn document_failed(&self, id: &str, reason: &str, now: &str, retry_after: Option<&str>) -> Result<()> {
        self.run(q::DOCUMENT_FAILED, &[Text(id), Text(reason), Text(now), OptText(retry_after)]).await
    }

    /// Counts an extraction attempt before it starts, so a crash is remembered.
    pub async fn document_attempt(&self, id: &str) -> Result<i64> {
        #[derive(Deserialize)]
        struct Row {
            extraction_attempts: i64,
        }
        let row: Option<Row> = self.row(q::DOCUMENT_ATTEMPT, &[Text(id)]).await?;
        Ok(row.map_or(0, |r| r.extraction_attempts))
    }

    /// The R2 keys of the text of the other documents of the same meeting or decision.
    pub async fn sibling_text_keys(&self, document: &DocumentRecord) -> Result<Vec<(String, String)>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            text_key: String,
        }
        let (query, owner) = match (&document.meeting_id, &document.decision_id) {
            (Some(meeting), _) => (q::MEETING_TEXT_KEYS, meeting),
            (None, Some(decision)) => (q::DECISION_TEXT_KEYS, decision),
            (None, None) => return Ok(Vec::new()),
        };
        let rows: Vec<Row> = self.rows(query, &[Text(owner), Text(&document.id)]).await?;
        Ok(rows.into_iter().map(|r| (r.id, r.text_key)).collect())
    }

    pub async fn document_step_done(
        &self,
        id: &str,
        content_hash: &str,
        pages_done: u32,
        page_count: u32,
        now: &str,
    ) -> Result<()> {
        self.run(
            q::DOCUMENT_STEP_DONE,
            &[Text(id), Int(i64::from(pages_done)), Int(i64::from(page_count)), Text(now), Text(content_hash)],
        )
        .await
    }

    pub async fn document_extracted(
        &self,
        id: &str,
        content_hash: &str,
        page_count: u32,
        text_chars: u32,
        text_key: &str,
        now: &str,
    ) -> Result<()> {
        self.run(
            q::DOCUMENT_EXTRACTED,
            &[
                Text(id),
                Int(i64::from(page_count)),
                Text(now),
                Int(i64::from(text_chars)),
                Text(text_key),
                Text(content_hash),
            ],
        )
        .await
    }

    /// Records each agenda item's printed page range from the frontsheet, matched by item number.
    pub async fn save_item_pages(
        &self,
        meeting_id: &str,
        frontsheet_id: &str,
        items: &[FrontsheetItem],
    ) -> Result<usize> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            number: Option<String>,
        }
        let known: Vec<Row> = self.rows(q::MEETING_ITEM_NUMBERS, &[Text(meeting_id)]).await?;
        let mut statements = vec![self.statement(q::DELETE_ITEM_PAGES, &[Text(meeting_id)])?];
        for item in items {
            let Some((first, last)) = item.pages else { continue };
            let Some(row) =
                known.iter().find(|r| r.number.as_deref().map(|n| n.trim_end_matches('.')) == Some(&item.number))
            else {
                continue;
            };
            statements.push(self.statement(
                q::INSERT_ITEM_PAGES,
                &[Text(&row.id), Text(meeting_id), Text(frontsheet_id), Int(i64::from(first)), Int(i64::from(last))],
            )?);
        }
        let saved = statements.len() - 1;
        self.batch(statements).await?;
        Ok(saved)
    }

    /// A document with its pages (read from the text store); pages of a
    /// reports pack name the agenda item they belong to.
    pub async fn document_with_pages(&self, id: &str, texts: &TextStore<'_>) -> Result<Option<Value>> {
        let Some(mut document) = self.row::<Value>(q::GET_DOCUMENT, &[Text(id)]).await? else {
            return Ok(None);
        };
        let stored = match document["text_key"].as_str() {
            Some(key) => texts.pages(key).await?.unwrap_or_default(),
            None => Vec::new(),
        };
        if let Some(object) = document.as_object_mut() {
            object.remove("text_key");
        }
        let mut pages: Vec<Value> = stored
            .iter()
            .map(|p| {
                serde_json::json!({
                    "page_number": p.number,
                    "printed_page": p.printed,
                    "text": p.text,
                    "text_chars": p.chars,
                    "duplicate_of_document": p.duplicate_of.as_ref().map(|d| d.document.clone()),
                    "duplicate_of_page": p.duplicate_of.as_ref().map(|d| d.page),
                    "error": p.error,
                })
            })
            .collect();
        if document["kind"] == "reports_pack" {
            let meeting = document["meeting_id"].as_str().unwrap_or_default().to_string();
            let ranges: Vec<Value> = self.rows(q::MEETING_ITEM_PAGES, &[Text(&meeting)]).await?;
            let known: Vec<(u32, u32)> = stored.iter().filter_map(|p| Some((p.number, p.printed?))).collect();
            for range in &ranges {
                let (Some(first), Some(last)) =
                    (range["first_printed_page"].as_u64(), range["last_printed_page"].as_u64())
                else {
                    continue;
                };
                let to_pdf = |printed: u64| crate::documents::structure::pdf_page_for_printed(&known, printed as u32);
                let (Some(first_pdf), Some(last_pdf)) = (to_pdf(first), to_pdf(last)) else { continue };
                for page in pages.iter_mut() {
                    let number = page["page_number"].as_u64().unwrap_or(0) as u32;
                    if number >= first_pdf && number <= last_pdf {
                        page["agenda_item_id"] = range["agenda_item_id"].clone();
                    }
                }
            }
            document["agenda_item_pages"] = Value::Array(ranges);
        }
        document["pages"] = Value::Array(pages);
        Ok(Some(document))
    }
}

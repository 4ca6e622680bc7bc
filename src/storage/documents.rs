//! D1 access for documents' text: fetch state, pages, duplicates and item page ranges.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;
use worker::Result;

use super::queries as q;
use super::Param::{Int, OptText, Text};
use super::Store;
use crate::documents::page_fingerprint;
use crate::documents::pdf::{text_chars, PageText};
use crate::documents::structure::FrontsheetItem;

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentRecord {
    pub id: String,
    pub meeting_id: String,
    pub council_id: String,
    pub url: String,
    pub title: String,
    pub kind: String,
    pub is_restricted: i64,
    pub text_status: Option<String>,
    pub content_hash: Option<String>,
    pub extraction_attempts: i64,
    pub pages_done: i64,
}

impl Store {
    /// Public documents of a meeting to fetch: all of them, or only those never fetched.
    pub async fn documents_to_fetch(&self, meeting_id: &str, only_unfetched: bool) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
        }
        let rows: Vec<Row> =
            self.rows(q::MEETING_DOCUMENTS_TO_FETCH, &[Text(meeting_id), Int(i64::from(only_unfetched))]).await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    pub async fn document_record(&self, id: &str) -> Result<Option<DocumentRecord>> {
        self.row(q::DOCUMENT_FOR_FETCH, &[Text(id)]).await
    }

    /// New bytes arrived: forget the old text and start extraction afresh.
    pub async fn document_fetched(&self, id: &str, content_hash: &str, byte_size: usize, now: &str) -> Result<()> {
        self.batch(vec![
            self.statement(q::DOCUMENT_FETCHED, &[Text(id), Text(content_hash), Int(byte_size as i64), Text(now)])?,
            self.statement(q::DELETE_DOCUMENT_PAGES, &[Text(id)])?,
        ])
        .await
    }

    pub async fn document_failed(&self, id: &str, reason: &str, now: &str) -> Result<()> {
        self.run(q::DOCUMENT_FAILED, &[Text(id), Text(reason), Text(now)]).await
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

    /// Stores extracted pages; a page whose text another document of the same
    /// meeting already holds is stored as a pointer to it, so it is read once.
    pub async fn store_pages(&self, document: &DocumentRecord, pages: &[PageText]) -> Result<usize> {
        let fingerprints: Vec<Option<String>> = pages.iter().map(|p| page_fingerprint(&p.text)).collect();
        let wanted: Vec<&String> = fingerprints.iter().flatten().collect();
        let mut originals: HashMap<String, (String, i64)> = HashMap::new();
        if !wanted.is_empty() {
            #[derive(Deserialize)]
            struct Row {
                fingerprint: String,
                document_id: String,
                page_number: i64,
            }
            let json = serde_json::to_string(&wanted).unwrap_or_default();
            let rows: Vec<Row> =
                self.rows(q::DUPLICATE_PAGES, &[Text(&document.meeting_id), Text(&document.id), Text(&json)]).await?;
            for row in rows {
                originals.entry(row.fingerprint).or_insert((row.document_id, row.page_number));
            }
        }
        let mut duplicates = 0;
        let mut statements = Vec::with_capacity(pages.len());
        for (page, fingerprint) in pages.iter().zip(&fingerprints) {
            let original = fingerprint.as_ref().and_then(|f| originals.get(f));
            duplicates += usize::from(original.is_some());
            statements.push(self.statement(
                q::INSERT_PAGE,
                &[
                    Text(&document.id),
                    Int(i64::from(page.number)),
                    page.printed_number.map_or(OptText(None), |n| Int(i64::from(n))),
                    Text(&page.text),
                    Int(text_chars(&page.text) as i64),
                    OptText(fingerprint.as_deref()),
                    OptText(original.map(|(doc, _)| doc.as_str())),
                    original.map_or(OptText(None), |(_, page)| Int(*page)),
                    OptText(page.error.as_deref()),
                ],
            )?);
        }
        self.batch(statements).await?;
        Ok(duplicates)
    }

    pub async fn document_step_done(&self, id: &str, pages_done: u32, page_count: u32) -> Result<()> {
        self.run(q::DOCUMENT_STEP_DONE, &[Text(id), Int(i64::from(pages_done)), Int(i64::from(page_count))]).await
    }

    pub async fn document_extracted(&self, id: &str, page_count: u32, now: &str) -> Result<()> {
        self.run(q::DOCUMENT_EXTRACTED, &[Text(id), Int(i64::from(page_count)), Text(now)]).await
    }

    pub async fn document_text(&self, id: &str) -> Result<String> {
        #[derive(Deserialize)]
        struct Row {
            text: String,
        }
        let rows: Vec<Row> = self.rows(q::DOCUMENT_TEXT, &[Text(id)]).await?;
        Ok(rows.into_iter().map(|r| r.text).collect::<Vec<_>>().join("\n"))
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

    /// A document with its pages; pages of a reports pack name the agenda item they belong to.
    pub async fn document_with_pages(&self, id: &str) -> Result<Option<Value>> {
        let Some(mut document) = self.row::<Value>(q::GET_DOCUMENT, &[Text(id)]).await? else {
            return Ok(None);
        };
        let mut pages: Vec<Value> = self.rows(q::DOCUMENT_PAGES, &[Text(id)]).await?;
        if document["kind"] == "reports_pack" {
            let meeting = document["meeting_id"].as_str().unwrap_or_default().to_string();
            let ranges: Vec<Value> = self.rows(q::MEETING_ITEM_PAGES, &[Text(&meeting)]).await?;
            let known: Vec<(u32, u32)> = pages
                .iter()
                .filter_map(|p| Some((p["page_number"].as_u64()? as u32, p["printed_page"].as_u64()? as u32)))
                .collect();
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

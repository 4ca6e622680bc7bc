//! Document work after ingestion: download each public document (conditional
//! GET, size cap), keep its bytes in the document store while its text is read
//! in steps of pages, store the pages, and find the frontsheet's page ranges.

use worker::Result;

use super::refresh::{fetcher_with_cap, now, JobContext};
use super::{Job, JobOutcome};
use crate::documents::structure::frontsheet_items;
use crate::documents::{extract_step, pdf::PdfError};
use crate::net::{Fetcher, HttpRequest};
use crate::sources::SourceError;
use crate::storage::records::sha256_hex;
use crate::storage::{DocumentRecord, Store};

/// Extraction attempts that may end without finishing (a crash or a timeout)
/// before the document is given up on, so a bad file never loops.
const MAX_EXTRACTION_ATTEMPTS: i64 = 3;

/// Keyed by document as well as content: two documents with the same bytes
/// are read independently, and one finishing must not remove the other's copy.
fn store_key(document_id: &str, content_hash: &str) -> String {
    format!("documents/{document_id}/{content_hash}.pdf")
}

/// Enqueues the meeting's public documents: all of them after a change (each
/// is a cheap conditional GET when unchanged), only never-fetched ones otherwise.
pub async fn enqueue_meeting_documents(
    ctx: &JobContext<'_>,
    council_id: &str,
    meeting_id: &str,
    all: bool,
) -> Result<usize> {
    let ids = ctx.store.documents_to_fetch(meeting_id, !all).await?;
    let jobs: Vec<Job> = ids
        .into_iter()
        .map(|document_id| Job::FetchDocument { council_id: council_id.to_string(), document_id })
        .collect();
    for batch in super::batches(&jobs, 100) {
        ctx.documents.send_batch(batch).await?;
    }
    Ok(jobs.len())
}

pub async fn fetch_document(ctx: &JobContext<'_>, document_id: &str) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(document) = store.document_record(document_id).await? else {
        return Ok(JobOutcome::Done);
    };
    if document.is_restricted != 0 {
        return Ok(JobOutcome::Done);
    }
    let known = store.validators(std::slice::from_ref(&document.url)).await?;
    let validators = if document.content_hash.is_some() {
        known.get(&document.url).cloned().unwrap_or_default()
    } else {
        Default::default()
    };
    let fetcher = fetcher_with_cap(ctx.settings, ctx.settings.max_document_bytes);
    let result = fetcher.get(&HttpRequest { url: document.url.clone(), validators }).await;
    store.log_fetches(None, &document.council_id, &fetcher.take_log()).await?;
    let response = match result {
        Ok(response) => response,
        Err(error) if error.is_transient() => return Ok(JobOutcome::Retry(format!("document {document_id}: {error}"))),
        Err(error @ SourceError::TooLarge { .. }) | Err(error) => {
            store.document_failed(document_id, &format!("download failed: {error}"), &now()).await?;
            // The meeting may have been waiting for this document before summarising.
            super::summaries::request_summary(ctx, &document.council_id, &document.meeting_id, 0).await?;
            return Ok(JobOutcome::Done);
        }
    };
    if response.not_modified() {
        return Ok(JobOutcome::Done);
    }
    let content_hash = sha256_hex(&response.body);
    let finished = matches!(document.text_status.as_deref(), Some("extracted" | "no_text_layer" | "failed"));
    if document.content_hash.as_deref() == Some(content_hash.as_str()) && finished {
        store.save_validators(&document.url, &response.validators, &now()).await?;
        return Ok(JobOutcome::Done);
    }
    store.document_fetched(document_id, &content_hash, response.body.len(), &now()).await?;
    store.save_validators(&document.url, &response.validators, &now()).await?;
    let document =
        DocumentRecord { content_hash: Some(content_hash.clone()), text_status: Some("partial".into()), ..document };
    extract_pages(ctx, &document, &content_hash, &response.body, 1).await
}

pub async fn continue_extraction(
    ctx: &JobContext<'_>,
    document_id: &str,
    content_hash: &str,
    first_page: u32,
) -> Result<JobOutcome> {
    let Some(document) = ctx.store.document_record(document_id).await? else {
        return Ok(JobOutcome::Done);
    };
    if document.content_hash.as_deref() != Some(content_hash) || document.text_status.as_deref() != Some("partial") {
        // Newer bytes arrived since this step was queued; their own job reads them.
        return Ok(JobOutcome::Done);
    }
    let Some(object) = ctx.bucket.get(store_key(document_id, content_hash)).execute().await? else {
        ctx.store.document_failed(document_id, "document bytes no longer in the document store", &now()).await?;
        return Ok(JobOutcome::Done);
    };
    let Some(body) = object.body() else {
        ctx.store.document_failed(document_id, "document store returned no body", &now()).await?;
        return Ok(JobOutcome::Done);
    };
    let bytes = body.bytes().await?;
    extract_pages(ctx, &document, content_hash, &bytes, first_page).await
}

async fn extract_pages(
    ctx: &JobContext<'_>,
    document: &DocumentRecord,
    content_hash: &str,
    bytes: &[u8],
    first_page: u32,
) -> Result<JobOutcome> {
    let store: &Store = ctx.store;
    let attempts = store.document_attempt(&document.id).await?;
    if attempts > MAX_EXTRACTION_ATTEMPTS {
        store.document_failed(&document.id, "text extraction did not finish after repeated attempts", &now()).await?;
        let _ = ctx.bucket.delete(store_key(&document.id, content_hash)).await;
        return Ok(JobOutcome::Done);
    }
    let step = match extract_step(bytes, first_page, ctx.settings.pdf_pages_per_step) {
        Ok(step) => step,
        Err(error) => {
            let reason = match &error {
                PdfError::Encrypted => error.to_string(),
                _ => format!("unreadable: {error}"),
            };
            store.document_failed(&document.id, &reason, &now()).await?;
            let _ = ctx.bucket.delete(store_key(&document.id, content_hash)).await;
            super::summaries::request_summary(ctx, &document.council_id, &document.meeting_id, 0).await?;
            return Ok(JobOutcome::Done);
        }
    };
    store.store_pages(document, &step.pages).await?;
    match step.next_page {
        Some(next) => {
            if first_page == 1 {
                ctx.bucket.put(store_key(&document.id, content_hash), bytes.to_vec()).execute().await?;
            }
            store.document_step_done(&document.id, next - 1, step.page_count).await?;
            ctx.documents
                .send(Job::ExtractDocument {
                    council_id: document.council_id.clone(),
                    document_id: document.id.clone(),
                    content_hash: content_hash.to_string(),
                    first_page: next,
                })
                .await?;
        }
        None => {
            store.document_extracted(&document.id, step.page_count, &now()).await?;
            crate::storage::version::bump(ctx.env).await;
            if first_page > 1 {
                let _ = ctx.bucket.delete(store_key(&document.id, content_hash)).await;
            }
            if document.kind == "agenda_frontsheet" {
                let text = store.document_text(&document.id).await?;
                store.save_item_pages(&document.meeting_id, &document.id, &frontsheet_items(&text)).await?;
            }
            super::summaries::request_summary(ctx, &document.council_id, &document.meeting_id, 0).await?;
        }
    }
    Ok(JobOutcome::Done)
}

//! Document work after ingestion: download each public document (conditional
//! GET, size cap), keep its bytes in the document store while its text is read
//! in steps of pages, store the pages, and find the frontsheet's page ranges.

use std::collections::HashMap;

use worker::Result;

use super::context::{fetcher_with_cap, now, JobContext};
use super::fault;
use super::{Job, JobOutcome};
use crate::documents::stored::{
    first_reads, join_parts, joined_text, point_to_originals, stored_pages, text_key, total_chars, PagePointer,
};
use crate::documents::structure::frontsheet_items;
use crate::documents::{extract_step, pdf::PdfError};
use crate::hash::sha256_hex;
use crate::net::{Fetcher, HttpRequest};
use crate::sources::SourceError;
use crate::storage::text::TextStore;
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
/// is a cheap conditional GET when unchanged), otherwise only those never
/// fetched and those whose transient failure may now be tried again.
pub async fn enqueue_meeting_documents(
    ctx: &JobContext<'_>,
    council_id: &str,
    meeting_id: &str,
    all: bool,
) -> Result<usize> {
    let ids = ctx.store.documents_to_fetch(meeting_id, !all, &now()).await?;
    enqueue_documents(ctx, council_id, ids).await
}

/// Enqueues a decision's documents in the same way.
pub async fn enqueue_decision_documents(
    ctx: &JobContext<'_>,
    council_id: &str,
    decision_id: &str,
    all: bool,
) -> Result<usize> {
    let ids = ctx.store.decision_documents_to_fetch(decision_id, !all, &now()).await?;
    enqueue_documents(ctx, council_id, ids).await
}

async fn enqueue_documents(ctx: &JobContext<'_>, council_id: &str, ids: Vec<String>) -> Result<usize> {
    let jobs: Vec<Job> = ids
        .into_iter()
        .map(|document_id| Job::FetchDocument { council_id: council_id.to_string(), document_id })
        .collect();
    for batch in super::batches(&jobs, 100) {
        ctx.documents.send_batch(batch).await?;
    }
    Ok(jobs.len())
}

fn finished(status: Option<&str>) -> bool {
    matches!(status, Some("extracted" | "no_text_layer" | "failed"))
}

pub async fn fetch_document(ctx: &JobContext<'_>, document_id: &str) -> Result<JobOutcome> {
    let store = ctx.store;
    let Some(document) = store.document_record(document_id).await? else {
        return Ok(JobOutcome::Done);
    };
    if document.is_restricted != 0 {
        return Ok(JobOutcome::Done);
    }
    // Validators only when the text of those bytes is settled: a partial
    // document needs its bytes again to go on reading.
    let known = store.validators(std::slice::from_ref(&document.url)).await?;
    let validators = if document.content_hash.is_some() && finished(document.text_status.as_deref()) {
        known.get(&document.url).cloned().unwrap_or_default()
    } else {
        Default::default()
    };
    // Only from the council's own host or those it declares, redirects included.
    let Some(council) = store.council(&document.council_id).await? else { return Ok(JobOutcome::Done) };
    let fetcher = fetcher_with_cap(ctx, &council, ctx.settings.max_document_bytes);
    let result = fetcher.get(&HttpRequest { url: document.url.clone(), validators, range: None }).await;
    store.log_fetches(None, &document.council_id, &fetcher.take_log()).await?;
    let response = match result {
        Ok(response) => response,
        Err(error) if error.is_transient() => return Ok(JobOutcome::Retry(format!("document {document_id}: {error}"))),
        // Read before: what was read stays, with the failure noted beside it;
        // the next change of its meeting tries again.
        Err(error)
            if document.content_hash.is_some()
                && finished(document.text_status.as_deref())
                && document.text_status.as_deref() != Some("failed") =>
        {
            store
                .document_reread_failed(document_id, &format!("not read again: download failed: {error}"), &now())
                .await?;
            crate::storage::version::bump(ctx.env, &document.council_id).await;
            return Ok(JobOutcome::Done);
        }
        Err(error @ SourceError::TooLarge { .. }) | Err(error) => {
            give_up_reading(ctx, &document, &format!("download failed: {error}"), None).await?;
            return Ok(JobOutcome::Done);
        }
    };
    if response.not_modified() {
        return Ok(JobOutcome::Done);
    }
    let content_hash = sha256_hex(&response.body);
    let same_bytes = document.content_hash.as_deref() == Some(content_hash.as_str());
    let retry_failure = document.text_status.as_deref() == Some("failed") && document.retry_after.is_some();
    if same_bytes && finished(document.text_status.as_deref()) && !retry_failure {
        store.save_validators(&document.url, &response.validators, &now()).await?;
        store.document_read_again(document_id).await?;
        return Ok(JobOutcome::Done);
    }
    // The same bytes, part read: go on from the first page not yet read.
    let first_page = if same_bytes && document.text_status.as_deref() == Some("partial") {
        u32::try_from(document.pages_done).unwrap_or(0) + 1
    } else {
        store.document_fetched(document_id, &content_hash, response.body.len(), &now()).await?;
        1
    };
    store.save_validators(&document.url, &response.validators, &now()).await?;
    fault::point(ctx.env, ctx.settings, &document.council_id, "after_document_fetched").await?;
    let document =
        DocumentRecord { content_hash: Some(content_hash.clone()), text_status: Some("partial".into()), ..document };
    extract_pages(ctx, &document, &content_hash, &response.body, first_page).await
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
        // Newer bytes arrived since this step was queued, or the text is done; nothing to do.
        return Ok(JobOutcome::Done);
    }
    let Some(object) = ctx.bucket.get(store_key(document_id, content_hash)).execute().await? else {
        // The bytes are gone (never stored, or removed): download them again and go on.
        ctx.store
            .document_resumed(document_id, "document bytes were not in the document store; downloading again", &now())
            .await?;
        ctx.documents
            .send(Job::FetchDocument { council_id: document.council_id.clone(), document_id: document_id.to_string() })
            .await?;
        return Ok(JobOutcome::Done);
    };
    let Some(body) = object.body() else {
        return Ok(JobOutcome::Retry(format!("document {document_id}: the document store returned no body")));
    };
    let bytes = body.bytes().await?;
    extract_pages(ctx, &document, content_hash, &bytes, first_page).await
}

/// The first-read pages of the other documents of the same meeting (or
/// decision), to recognise pages they already hold.
async fn other_documents_pages(
    ctx: &JobContext<'_>,
    texts: &TextStore<'_>,
    document: &DocumentRecord,
) -> Result<HashMap<String, PagePointer>> {
    let mut documents = Vec::new();
    for (id, key) in ctx.store.sibling_text_keys(document).await? {
        if let Some(pages) = texts.pages(&key).await? {
            documents.push((id, pages));
        }
    }
    Ok(first_reads(documents.iter().map(|(id, pages)| (id.as_str(), pages.as_slice()))))
}

/// Records why a document could not be read (with when to try again, for a
/// transient cause), shows it on the council's pages, and lets the meeting,
/// which may have been waiting for this document, be summarised.
pub async fn give_up_reading(
    ctx: &JobContext<'_>,
    document: &DocumentRecord,
    reason: &str,
    retry_after: Option<&str>,
) -> Result<()> {
    ctx.store.document_failed(&document.id, reason, &now(), retry_after).await?;
    crate::storage::version::bump(ctx.env, &document.council_id).await;
    summary_may_be_due(ctx, document).await
}

/// A meeting's summary waits for its documents; a decision has no summary.
async fn summary_may_be_due(ctx: &JobContext<'_>, document: &DocumentRecord) -> Result<()> {
    match &document.meeting_id {
        Some(meeting_id) => super::summaries::request_summary(ctx, &document.council_id, meeting_id, 0).await,
        None => Ok(()),
    }
}

/// Queues the step of a document's reading that starts at `first_page`.
async fn queue_step(
    ctx: &JobContext<'_>,
    document: &DocumentRecord,
    content_hash: &str,
    first_page: u32,
) -> Result<()> {
    let step = Job::ExtractDocument {
        council_id: document.council_id.clone(),
        document_id: document.id.clone(),
        content_hash: content_hash.to_string(),
        first_page,
    };
    ctx.documents.send(step).await
}

async fn extract_pages(
    ctx: &JobContext<'_>,
    document: &DocumentRecord,
    content_hash: &str,
    bytes: &[u8],
    first_page: u32,
) -> Result<JobOutcome> {
    let store: &Store = ctx.store;
    let texts = TextStore::new(ctx.bucket);
    let attempts = store.document_attempt(&document.id).await?;
    if attempts > MAX_EXTRACTION_ATTEMPTS {
        give_up_reading(ctx, document, "text extraction did not finish after repeated attempts", None).await?;
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
            give_up_reading(ctx, document, &reason, None).await?;
            let _ = ctx.bucket.delete(store_key(&document.id, content_hash)).await;
            return Ok(JobOutcome::Done);
        }
    };
    let pages = stored_pages(&step.pages);
    fault::point(ctx.env, ctx.settings, &document.council_id, "after_extract").await?;
    if let Some(next) = step.next_page {
        // More steps to come: keep this step's pages and the bytes, then queue the next step.
        texts.put_part(&document.id, content_hash, first_page, &pages).await?;
        if first_page == 1 {
            ctx.bucket.put(store_key(&document.id, content_hash), bytes.to_vec()).execute().await?;
        }
        store.document_step_done(&document.id, content_hash, next - 1, step.page_count, &now()).await?;
        fault::point(ctx.env, ctx.settings, &document.council_id, "after_step_saved").await?;
        queue_step(ctx, document, content_hash, next).await?;
        return Ok(JobOutcome::Done);
    }
    // The last step: join the parts (if the document was read in several steps).
    let all_pages = if first_page == 1 {
        pages
    } else {
        texts.put_part(&document.id, content_hash, first_page, &pages).await?;
        match join_parts(texts.parts(&document.id, content_hash).await?, step.page_count) {
            Ok(pages) => pages,
            Err(missing) => {
                // A part was lost: read again from there.
                store
                    .document_resumed(
                        &document.id,
                        &format!("pages from {missing} were lost; reading them again"),
                        &now(),
                    )
                    .await?;
                queue_step(ctx, document, content_hash, missing).await?;
                return Ok(JobOutcome::Done);
            }
        }
    };
    // The frontsheet's page ranges are read from its whole text, before any page becomes a pointer.
    let frontsheet = (document.kind == "agenda_frontsheet").then(|| frontsheet_items(&joined_text(&all_pages)));
    // Pages the meeting's other documents already hold become pointers to them.
    let originals = other_documents_pages(ctx, &texts, document).await?;
    let all_pages = point_to_originals(all_pages, &originals);
    let key = text_key(&document.id, content_hash);
    texts.put_text(key.clone(), &all_pages).await?;
    fault::point(ctx.env, ctx.settings, &document.council_id, "after_text_saved").await?;
    if let (Some(items), Some(meeting_id)) = (frontsheet, &document.meeting_id) {
        store.save_item_pages(meeting_id, &document.id, &items).await?;
    }
    let previous_key = document.text_key.clone().filter(|previous| *previous != key);
    store
        .document_extracted(&document.id, content_hash, step.page_count, total_chars(&all_pages), &key, &now())
        .await?;
    crate::storage::version::bump(ctx.env, &document.council_id).await;
    if let Some(previous) = previous_key {
        texts.delete(&previous).await;
    }
    if first_page > 1 {
        texts.delete_parts(&document.id, content_hash).await;
        let _ = ctx.bucket.delete(store_key(&document.id, content_hash)).await;
    }
    if document.kind == "printed_minutes" {
        if let Some(meeting_id) = &document.meeting_id {
            super::votes::from_minutes(ctx, document, meeting_id, &all_pages).await?;
        }
    }
    summary_may_be_due(ctx, document).await?;
    Ok(JobOutcome::Done)
}

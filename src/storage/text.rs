//! R2 access for bulk text: each document version's extracted pages as one
//! JSON object (see `documents::stored` for the layout), and the parts written
//! while a long document is read in steps.

use worker::{Bucket, Result};

use crate::documents::stored::{part_key, parts_prefix, StoredPage};

pub struct TextStore<'a> {
    bucket: &'a Bucket,
}

impl<'a> TextStore<'a> {
    pub fn new(bucket: &'a Bucket) -> Self {
        Self { bucket }
    }

    /// The bucket itself (transcripts are kept beside documents' text).
    pub fn bucket(&self) -> &'a Bucket {
        self.bucket
    }

    /// Writes a document version's pages (or one part of them) under `key`.
    pub async fn put_text(&self, key: String, pages: &[StoredPage]) -> Result<()> {
        let body = serde_json::to_vec(pages).map_err(|e| worker::Error::RustError(e.to_string()))?;
        self.bucket.put(key, body).execute().await.map(|_| ())
    }

    /// A document version's pages, or `None` when the object is not there.
    pub async fn pages(&self, key: &str) -> Result<Option<Vec<StoredPage>>> {
        let Some(object) = self.bucket.get(key).execute().await? else { return Ok(None) };
        let Some(body) = object.body() else { return Ok(None) };
        let bytes = body.bytes().await?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| worker::Error::RustError(format!("stored text {key} is not readable: {e}")))
    }

    /// Writes one step's pages; writing the same step twice gives the same object.
    pub async fn put_part(
        &self,
        document_id: &str,
        content_hash: &str,
        first_page: u32,
        pages: &[StoredPage],
    ) -> Result<()> {
        self.put_text(part_key(document_id, content_hash, first_page), pages).await
    }

    /// Every part written for a document version, in page order.
    pub async fn parts(&self, document_id: &str, content_hash: &str) -> Result<Vec<Vec<StoredPage>>> {
        let mut keys = self.part_keys(document_id, content_hash).await?;
        keys.sort();
        let mut parts = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(pages) = self.pages(&key).await? {
                parts.push(pages);
            }
        }
        Ok(parts)
    }

    async fn part_keys(&self, document_id: &str, content_hash: &str) -> Result<Vec<String>> {
        let listing = self.bucket.list().prefix(parts_prefix(document_id, content_hash)).execute().await?;
        Ok(listing.objects().into_iter().map(|o| o.key()).collect())
    }

    /// Removes the parts once they are joined. Failures leave only litter.
    pub async fn delete_parts(&self, document_id: &str, content_hash: &str) {
        if let Ok(keys) = self.part_keys(document_id, content_hash).await {
            for key in keys {
                let _ = self.bucket.delete(key).await;
            }
        }
    }

    /// Removes a replaced version's text. Failures leave only litter.
    pub async fn delete(&self, key: &str) {
        let _ = self.bucket.delete(key).await;
    }
}

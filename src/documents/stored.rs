//! How a document's extracted text is kept in the object store: one object per
//! document version, written in parts while a long document is read in steps
//! and joined into one when the last step is done. A page whose text another
//! document of the meeting already holds is kept as a pointer, without text.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::page_fingerprint;
use super::pdf::{text_chars, PageText};

/// Where a duplicated page's text is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagePointer {
    pub document: String,
    pub page: u32,
}

/// One page as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPage {
    pub number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed: Option<u32>,
    /// Empty when the page is a duplicate (see `duplicate_of`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    pub chars: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<PagePointer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The object holding a whole document version's pages.
pub fn text_key(document_id: &str, content_hash: &str) -> String {
    format!("text/{document_id}/{content_hash}.json")
}

/// The prefix of the parts written while a document version is read in steps.
pub fn parts_prefix(document_id: &str, content_hash: &str) -> String {
    format!("text-parts/{document_id}/{content_hash}/")
}

/// One step's part; the zero-padded first page keeps parts in page order.
pub fn part_key(document_id: &str, content_hash: &str, first_page: u32) -> String {
    format!("{}{first_page:06}.json", parts_prefix(document_id, content_hash))
}

/// The first-read pages of other documents, by fingerprint: where each text is kept.
pub fn first_reads<'a>(
    documents: impl IntoIterator<Item = (&'a str, &'a [StoredPage])>,
) -> HashMap<String, PagePointer> {
    let mut originals = HashMap::new();
    for (document, pages) in documents {
        for page in pages.iter().filter(|p| p.duplicate_of.is_none()) {
            if let Some(fingerprint) = &page.fingerprint {
                originals
                    .entry(fingerprint.clone())
                    .or_insert_with(|| PagePointer { document: document.to_string(), page: page.number });
            }
        }
    }
    originals
}

/// Pages as stored, each with its text and fingerprint.
pub fn stored_pages(pages: &[PageText]) -> Vec<StoredPage> {
    pages
        .iter()
        .map(|page| StoredPage {
            number: page.number,
            printed: page.printed_number,
            text: page.text.clone(),
            chars: text_chars(&page.text) as u32,
            fingerprint: page_fingerprint(&page.text),
            duplicate_of: None,
            error: page.error.clone(),
        })
        .collect()
}

/// A page another document already holds keeps only a pointer to it. Done
/// once, when a document's text is complete, against other documents' complete
/// text: a pointer always leads to a page that keeps its text.
pub fn point_to_originals(mut pages: Vec<StoredPage>, originals: &HashMap<String, PagePointer>) -> Vec<StoredPage> {
    for page in &mut pages {
        if let Some(original) = page.fingerprint.as_ref().and_then(|f| originals.get(f)) {
            page.duplicate_of = Some(original.clone());
            page.text.clear();
        }
    }
    pages
}

/// Joins the parts of a document read in steps. Parts may overlap (a step
/// delivered twice); each page is kept once. Answers the first missing page
/// when a part was lost, so that reading resumes there.
pub fn join_parts(parts: Vec<Vec<StoredPage>>, page_count: u32) -> Result<Vec<StoredPage>, u32> {
    let mut pages: Vec<StoredPage> = parts.into_iter().flatten().collect();
    pages.sort_by_key(|p| p.number);
    pages.dedup_by_key(|p| p.number);
    for (expected, page) in (1..=page_count).zip(pages.iter()) {
        if page.number != expected {
            return Err(expected);
        }
    }
    if (pages.len() as u32) < page_count {
        return Err(pages.len() as u32 + 1);
    }
    pages.truncate(page_count as usize);
    Ok(pages)
}

/// Characters of text a document holds, duplicates included (its own reading).
pub fn total_chars(pages: &[StoredPage]) -> u32 {
    pages.iter().map(|p| p.chars).sum()
}

/// The document's readable text, one page after another (duplicates are empty).
pub fn joined_text(pages: &[StoredPage]) -> String {
    pages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(number: u32, text: &str) -> PageText {
        PageText { number, printed_number: Some(number + 10), text: text.to_string(), error: None }
    }

    fn long(word: &str) -> String {
        format!("{word} ").repeat(60)
    }

    #[test]
    fn a_page_another_document_holds_is_stored_as_a_pointer() {
        let report = stored_pages(&[page(1, &long("budget")), page(2, &long("housing"))]);
        assert!(report.iter().all(|p| p.duplicate_of.is_none() && !p.text.is_empty()));
        let originals = first_reads([("report", report.as_slice())]);
        let pack = point_to_originals(
            stored_pages(&[page(1, "Agenda"), page(2, &long("housing")), page(3, &long("roads"))]),
            &originals,
        );
        assert_eq!(pack[1].duplicate_of, Some(PagePointer { document: "report".into(), page: 2 }));
        assert_eq!(pack[1].text, "", "a duplicate keeps no text");
        assert_eq!(pack[1].chars, report[1].chars, "but counts the characters it read");
        assert!(pack[0].duplicate_of.is_none() && pack[2].duplicate_of.is_none());
        // Short pages are never duplicates of each other.
        let again = point_to_originals(stored_pages(&[page(1, "Agenda")]), &first_reads([("pack", pack.as_slice())]));
        assert!(again[0].duplicate_of.is_none());
        // A pointer is never made to a page that is itself a pointer.
        let originals = first_reads([("pack", pack.as_slice())]);
        assert!(!originals.values().any(|p| p.document == "pack" && p.page == 2));
    }

    #[test]
    fn duplicates_keep_no_text_in_the_stored_json() {
        let originals = first_reads([("a", stored_pages(&[page(1, &long("same"))]).as_slice())]);
        let pages = point_to_originals(stored_pages(&[page(1, &long("same"))]), &originals);
        let json = serde_json::to_string(&pages).unwrap();
        assert!(!json.contains("same same"), "{json}");
        assert_eq!(serde_json::from_str::<Vec<StoredPage>>(&json).unwrap(), pages);
    }

    #[test]
    fn parts_join_in_page_order_once_each_and_report_a_gap() {
        let part = |numbers: std::ops::RangeInclusive<u32>| {
            stored_pages(&numbers.map(|n| page(n, &format!("page {n}"))).collect::<Vec<_>>())
        };
        let joined = join_parts(vec![part(6..=10), part(1..=5), part(6..=10)], 10).unwrap();
        assert_eq!(joined.iter().map(|p| p.number).collect::<Vec<_>>(), (1..=10).collect::<Vec<_>>());
        assert_eq!(join_parts(vec![part(1..=5), part(11..=12)], 12), Err(6));
        assert_eq!(join_parts(vec![part(1..=5)], 8), Err(6));
        assert_eq!(join_parts(vec![part(2..=5)], 5), Err(1));
        assert_eq!(joined_text(&joined[..2]), "page 1\npage 2");
        assert_eq!(total_chars(&joined[..2]), 10);
    }

    #[test]
    fn keys_name_the_document_version() {
        assert_eq!(text_key("cov-a1", "abc"), "text/cov-a1/abc.json");
        assert_eq!(part_key("cov-a1", "abc", 81), "text-parts/cov-a1/abc/000081.json");
        assert!(part_key("cov-a1", "abc", 1).starts_with(&parts_prefix("cov-a1", "abc")));
    }
}

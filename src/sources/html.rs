//! HTML helpers every platform's page parser shares: selectors, an
//! element's text, links resolved against their page, documents kept once
//! by address, and a meeting's status from the words a page uses.

use scraper::{ElementRef, Selector};
use url::Url;

use crate::model::{Document, MeetingStatus};
use crate::sources::text::{collapse_whitespace, element_text};

/// A selector written in the code (so parsing it cannot fail at run time).
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector")
}

/// An element's text on one line, whitespace collapsed.
pub fn text(element: ElementRef<'_>) -> String {
    collapse_whitespace(&element_text(element))
}

/// Resolves a link against the page it came from and percent-encodes what
/// needs it (file names contain spaces). `None` for unusable links.
pub fn absolute_url(page_url: &str, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') || href.to_ascii_lowercase().starts_with("javascript:") {
        return None;
    }
    let base = Url::parse(page_url).ok()?;
    let resolved = base.join(href).ok()?;
    matches!(resolved.scheme(), "http" | "https").then(|| resolved.to_string())
}

/// Adds documents not already listed: a page often links one file twice.
pub fn add_documents(documents: &mut Vec<Document>, more: impl IntoIterator<Item = Document>) {
    for document in more {
        if !documents.iter().any(|d| d.url == document.url) {
            documents.push(document);
        }
    }
}

/// A meeting's status from a page's words for it ("Cancelled", "Moved to …").
pub fn status_from_words(words: &str) -> Option<MeetingStatus> {
    let lower = words.to_ascii_lowercase();
    if lower.contains("cancel") {
        Some(MeetingStatus::Cancelled)
    } else if lower.contains("postpone") || lower.contains("moved") || lower.contains("rearranged") {
        Some(MeetingStatus::Postponed)
    } else if lower.trim().is_empty() {
        None
    } else {
        Some(MeetingStatus::Confirmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_against_their_page() {
        let page = "https://democracy.example.gov.uk/ieListDocuments.aspx?CId=1&MId=2";
        assert_eq!(
            absolute_url(page, "documents/g2/Printed minutes.pdf").as_deref(),
            Some("https://democracy.example.gov.uk/documents/g2/Printed%20minutes.pdf")
        );
        assert_eq!(absolute_url(page, "javascript:void(0)"), None);
        assert_eq!(absolute_url(page, "#top"), None);
        assert_eq!(absolute_url(page, "mailto:clerk@example.gov.uk"), None);
    }

    #[test]
    fn statuses_are_read_from_words() {
        assert_eq!(status_from_words("Meeting cancelled"), Some(MeetingStatus::Cancelled));
        assert_eq!(status_from_words("Moved to 3 June"), Some(MeetingStatus::Postponed));
        assert_eq!(status_from_words("Confirmed"), Some(MeetingStatus::Confirmed));
        assert_eq!(status_from_words(" "), None);
    }
}

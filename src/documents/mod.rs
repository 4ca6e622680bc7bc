//! Reading council documents: PDF text page by page (`pdf`), and the structure
//! that lets later steps cite "item 5, reports pack page 37" (`structure`).

pub mod pdf;
pub mod stored;
pub mod structure;

use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;
use pdf::{finish_pages, text_chars, PageText, Pdf, PdfError};

/// Pages extracted per invocation; a longer document is resumed by another
/// queue message so that no invocation runs past its CPU budget.
pub const DEFAULT_PAGES_PER_STEP: u32 = 80;

/// Where a document's text stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextStatus {
    /// Extracted completely.
    Extracted,
    /// Some pages extracted; more steps to come.
    Partial,
    /// A PDF without a text layer (scanned, or text drawn as outlines).
    NoTextLayer,
    /// Could not be read: the reason is recorded.
    Failed,
}

impl TextStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Extracted => "extracted",
            Self::Partial => "partial",
            Self::NoTextLayer => "no_text_layer",
            Self::Failed => "failed",
        }
    }
}

/// The outcome of one extraction step over pages `first..=last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractionStep {
    pub page_count: u32,
    pub pages: Vec<PageText>,
    /// The next page to extract, when the document is not finished.
    pub next_page: Option<u32>,
}

/// Opens a PDF and extracts up to `max_pages` pages starting at `first_page`.
pub fn extract_step(bytes: &[u8], first_page: u32, max_pages: u32) -> Result<ExtractionStep, PdfError> {
    let pdf = Pdf::open(bytes)?;
    let page_count = pdf.page_count();
    let first = first_page.max(1);
    let last = first.saturating_add(max_pages.max(1) - 1).min(page_count);
    let raw = pdf.extract(first, last);
    let pages = finish_pages(&raw);
    Ok(ExtractionStep { page_count, pages, next_page: (last < page_count).then_some(last + 1) })
}

/// A document with no text on any page has no text layer: scanned pages or
/// text drawn as outlines.
pub fn has_text_layer(pages: &[PageText]) -> bool {
    pages.iter().map(|p| text_chars(&p.text)).sum::<usize>() >= 20
}

/// The hash used to recognise the same page text in two documents: case,
/// white space and punctuation do not matter. Short pages (blank, "This page is
/// intentionally left blank") are never treated as duplicates.
pub fn page_fingerprint(text: &str) -> Option<String> {
    let normalised: String = text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    (normalised.len() >= 200).then(|| sha256_hex(normalised.as_bytes())[..32].to_string())
}

/// Whole extraction for tests and benchmarks.
pub fn extract_all(bytes: &[u8]) -> Result<Vec<PageText>, PdfError> {
    let pdf = Pdf::open(bytes)?;
    Ok(finish_pages(&pdf.extract(1, pdf.page_count())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn page_with(pages: &[PageText], phrase: &str) -> Vec<u32> {
        let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        pages.iter().filter(|p| squash(&p.text).contains(phrase)).map(|p| p.number).collect::<Vec<_>>()
    }

    #[test]
    fn page_counts_match_every_fixture() {
        for (name, pages) in [
            ("bentley-ab_town-council-2024-10-08_signed-minutes_scanned.pdf", 3),
            ("bentley-ab_town-council-2024-11-26_agenda.pdf", 2),
            ("chicago_police-district-council-001-2023-06-01_closed-meeting-notice.pdf", 1),
            ("chicago_police-district-council-001-2023-06-06_notice-and-agenda.pdf", 1),
            ("chicago_ssa21-commission-2018-01-29_minutes.pdf", 2),
            ("kent_cabinet-2025-01-30_agenda-frontsheet.pdf", 2),
            ("kent_cabinet-2025-01-30_item-report-24-00109.pdf", 9),
            ("kent_cabinet-2025-01-30_printed-minutes.pdf", 17),
            ("kent_cabinet-2025-03-13_public-reports-pack.pdf", 2),
            ("kent_county-council-2025-02-13_agenda-frontsheet.pdf", 3),
            ("kent_county-council-2025-02-13_budget-amendments-supplement-pack.pdf", 48),
            ("kent_county-council-2025-02-13_printed-minutes.pdf", 14),
            ("kent_county-council-2025-03-13_questions-answers-supplement-pack.pdf", 20),
            ("palmdale_measure-av-oversight-committee-2022-11-30_agenda_no-text-layer.pdf", 3),
        ] {
            let extracted = extract_all(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(extracted.len(), pages, "{name}");
            assert!(extracted.iter().enumerate().all(|(i, p)| p.number == i as u32 + 1), "{name}");
            assert!(extracted.iter().all(|p| p.error.is_none()), "{name}");
        }
    }

    #[test]
    fn known_phrases_are_on_the_right_pages() {
        let report = extract_all(&fixture("kent_cabinet-2025-01-30_item-report-24-00109.pdf")).unwrap();
        assert_eq!(
            page_with(
                &report,
                "Strengthening Independence Service from the Children, Young People and Education Directorate"
            ),
            vec![2]
        );
        let minutes = extract_all(&fixture("kent_cabinet-2025-01-30_printed-minutes.pdf")).unwrap();
        assert_eq!(page_with(&minutes, "Kent MP Katie Lam was on the inquiry panel"), vec![5]);
        let frontsheet = extract_all(&fixture("kent_cabinet-2025-01-30_agenda-frontsheet.pdf")).unwrap();
        assert_eq!(page_with(&frontsheet, "Minutes of the Meeting held on 9th January 2025 (Pages 1 - 10)"), vec![1]);
        assert_eq!(page_with(&frontsheet, "Benjamin Watts"), vec![2]);
        let budget =
            extract_all(&fixture("kent_county-council-2025-02-13_budget-amendments-supplement-pack.pdf")).unwrap();
        assert_eq!(page_with(&budget, "eligible Oracle Cloud costs"), vec![30]);
        let pack = extract_all(&fixture("kent_cabinet-2025-03-13_public-reports-pack.pdf")).unwrap();
        assert_eq!(page_with(&pack, "This page is intentionally left blank"), vec![2]);
        let chicago = extract_all(&fixture("chicago_ssa21-commission-2018-01-29_minutes.pdf")).unwrap();
        assert_eq!(page_with(&chicago, "Commissioners Present: Anthony Qaiyum"), vec![1]);
    }

    #[test]
    fn scanned_and_outline_pdfs_have_no_text_layer() {
        for name in [
            "bentley-ab_town-council-2024-10-08_signed-minutes_scanned.pdf",
            "palmdale_measure-av-oversight-committee-2022-11-30_agenda_no-text-layer.pdf",
        ] {
            assert!(!has_text_layer(&extract_all(&fixture(name)).unwrap()), "{name}");
        }
        assert!(has_text_layer(&extract_all(&fixture("kent_cabinet-2025-03-13_public-reports-pack.pdf")).unwrap()));
    }

    #[test]
    fn truncated_and_non_pdf_files_are_rejected_with_a_reason() {
        let whole = fixture("kent_cabinet-2025-01-30_printed-minutes.pdf");
        let error = extract_all(&whole[..whole.len() / 3]).unwrap_err();
        assert!(matches!(error, PdfError::Truncated(_)), "{error:?}");
        let html = std::fs::read(format!(
            "{}/tests/fixtures/moderngov/leeds_GetCouncillorsByWard_wrong-host-sharepoint-error-page.html",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert_eq!(extract_all(&html).unwrap_err(), PdfError::NotPdf("an HTML page".into()));
        assert!(error.to_string().starts_with("truncated PDF"));
    }

    #[test]
    fn extraction_resumes_in_steps() {
        let bytes = fixture("kent_cabinet-2025-01-30_printed-minutes.pdf");
        let first = extract_step(&bytes, 1, 8).unwrap();
        assert_eq!((first.page_count, first.pages.len(), first.next_page), (17, 8, Some(9)));
        let second = extract_step(&bytes, 9, 8).unwrap();
        assert_eq!(second.next_page, Some(17));
        let last = extract_step(&bytes, 17, 8).unwrap();
        assert_eq!((last.pages.len(), last.next_page), (1, None));
        assert_eq!(last.pages[0].number, 17);
    }

    #[test]
    fn printed_page_numbers_are_found_in_footers() {
        let minutes = extract_all(&fixture("kent_cabinet-2025-01-30_printed-minutes.pdf")).unwrap();
        let printed: Vec<Option<u32>> = minutes.iter().map(|p| p.printed_number).collect();
        assert_eq!(printed, (1..=17).map(Some).collect::<Vec<_>>());
        assert!(!minutes[1].text.ends_with("\n2"), "the page number is not body text");
    }

    #[test]
    fn page_fingerprints_ignore_layout_but_not_words() {
        let text = "The Cabinet agreed the revenue budget. ".repeat(10);
        let relaid = text.replace(". ", ".\n");
        assert_eq!(page_fingerprint(&text), page_fingerprint(&relaid));
        assert_ne!(page_fingerprint(&text), page_fingerprint(&text.replace("agreed", "rejected")));
        assert_eq!(page_fingerprint("This page is intentionally left blank"), None);
    }
}

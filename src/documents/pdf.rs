//! PDF text, page by page, in an order a person would read it.
//!
//! `pdf-extract` (on `lopdf`) decodes fonts and positions every glyph; the
//! layout here groups glyphs into lines by baseline, puts spaces where the gaps
//! are, joins words hyphenated across lines, and drops running headers and
//! footers while keeping the printed page number ("Page 37") of each page.

use std::collections::HashMap;
use std::fmt;

use lopdf::{Document, Object};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The bytes are not a PDF at all (often an HTML error page).
    NotPdf(String),
    /// Encrypted with a password we do not have.
    Encrypted,
    /// Cut short: no end-of-file marker and the structure cannot be read.
    Truncated(String),
    Malformed(String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotPdf(what) => write!(f, "not a PDF ({what})"),
            Self::Encrypted => write!(f, "encrypted PDF: text cannot be read without the password"),
            Self::Truncated(detail) => write!(f, "truncated PDF: {detail}"),
            Self::Malformed(detail) => write!(f, "malformed PDF: {detail}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// What the first bytes say a non-PDF body is.
fn describe_non_pdf(bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    if head.trim().is_empty() {
        "empty body".into()
    } else if head.contains("<html") || head.contains("<!doctype") || head.contains("<script") {
        "an HTML page".into()
    } else if head.trim_start().starts_with("<?xml") {
        "an XML document".into()
    } else if bytes.starts_with(b"PK") {
        "a ZIP or Office file".into()
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "a legacy Office file".into()
    } else {
        "unrecognised content".into()
    }
}

/// An opened PDF whose pages can be extracted in any order and in chunks.
pub struct Pdf {
    document: Document,
    page_ids: Vec<(u32, lopdf::ObjectId)>,
}

impl Pdf {
    pub fn open(bytes: &[u8]) -> Result<Self, PdfError> {
        let start = bytes.windows(5).take(1024).position(|w| w == b"%PDF-");
        if start.is_none() {
            return Err(PdfError::NotPdf(describe_non_pdf(bytes)));
        }
        let tail = &bytes[bytes.len().saturating_sub(2048)..];
        let has_eof = tail.windows(5).any(|w| w == b"%%EOF");
        let mut document = Document::load_mem(bytes).map_err(|error| {
            if has_eof {
                PdfError::Malformed(error.to_string())
            } else {
                PdfError::Truncated(error.to_string())
            }
        })?;
        if document.is_encrypted() && document.decrypt("").is_err() {
            return Err(PdfError::Encrypted);
        }
        if document.is_encrypted() {
            return Err(PdfError::Encrypted);
        }
        let page_ids: Vec<(u32, lopdf::ObjectId)> = document.get_pages().into_iter().collect();
        if page_ids.is_empty() {
            return Err(if has_eof {
                PdfError::Malformed("no pages".into())
            } else {
                PdfError::Truncated("no pages before the end of the file".into())
            });
        }
        Ok(Self { document, page_ids })
    }

    pub fn page_count(&self) -> u32 {
        self.page_ids.len() as u32
    }

    /// Checks what `pdf-extract` would otherwise unwrap: a page dictionary, a
    /// media box of four numbers (possibly inherited) and readable content.
    fn page_is_readable(&self, id: lopdf::ObjectId) -> Result<(), String> {
        let page = self.document.get_dictionary(id).map_err(|e| format!("page object: {e}"))?;
        let mut dict = page;
        let mut media_box = None;
        for _ in 0..32 {
            if let Ok(Object::Array(values)) = dict.get(b"MediaBox").and_then(|o| self.resolve(o)) {
                media_box = Some(values.clone());
                break;
            }
            match dict.get(b"Parent").and_then(Object::as_reference).and_then(|p| self.document.get_dictionary(p)) {
                Ok(parent) => dict = parent,
                Err(_) => break,
            }
        }
        let numbers = media_box
            .map(|values| values.iter().filter(|v| matches!(v, Object::Integer(_) | Object::Real(_))).count())
            .unwrap_or(0);
        if numbers != 4 {
            return Err("page has no usable MediaBox".into());
        }
        self.document.get_page_content(id).map(|_| ()).map_err(|e| format!("page content: {e}"))
    }

    fn resolve<'a>(&'a self, object: &'a Object) -> lopdf::Result<&'a Object> {
        match object {
            Object::Reference(id) => self.document.get_object(*id),
            other => Ok(other),
        }
    }

    /// Lays out pages `first..=last` (1-based). A page that cannot be read
    /// becomes an empty page with its reason, so one bad page never loses the rest.
    pub fn extract(&self, first: u32, last: u32) -> Vec<RawPage> {
        let mut pages = Vec::new();
        for (number, id) in self.page_ids.iter().filter(|(n, _)| *n >= first && *n <= last) {
            let mut collector = GlyphCollector::default();
            let result = self.page_is_readable(*id).and_then(|()| {
                pdf_extract::output_doc_page(&self.document, &mut collector, *number).map_err(|e| format!("{e:?}"))
            });
            pages.push(RawPage {
                number: *number,
                height: collector.height,
                lines: layout_lines(collector.glyphs),
                error: result.err(),
            });
        }
        pages
    }
}

#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    /// Baseline, measured down from the top of the page.
    y: f64,
    size: f64,
    end_x: f64,
    text: String,
}

#[derive(Default)]
struct GlyphCollector {
    height: f64,
    bottom: f64,
    glyphs: Vec<Glyph>,
}

impl OutputDev for GlyphCollector {
    fn begin_page(
        &mut self,
        _page: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.height = (media_box.ury - media_box.lly).abs();
        self.bottom = media_box.lly.min(media_box.ury);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let scale_x = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let scale_y = (trm.m21 * trm.m21 + trm.m22 * trm.m22).sqrt();
        let size = (font_size * scale_y).abs().max(0.1);
        let x = trm.m31;
        let y = self.height - (trm.m32 - self.bottom);
        let advance = (width * font_size + spacing) * scale_x;
        if x.is_finite() && y.is_finite() && !text.is_empty() {
            self.glyphs.push(Glyph { x, y, size, end_x: x + advance.max(0.0), text: text.to_string() });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// One line of a page: its text and where it sits.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Baseline from the top of the page.
    pub y: f64,
    pub size: f64,
}

/// A page as laid out, before headers and footers are recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct RawPage {
    pub number: u32,
    pub height: f64,
    pub lines: Vec<Line>,
    /// Why the page could not be read, when it could not.
    pub error: Option<String>,
}

fn clean_glyph_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{a0}' | '\t' => out.push(' '),
            '\u{ad}' | '\u{0}' | '\u{feff}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Groups glyphs into lines by baseline and orders lines top to bottom.
fn layout_lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    if glyphs.is_empty() {
        return Vec::new();
    }
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut clusters: Vec<Vec<Glyph>> = Vec::new();
    for glyph in glyphs {
        match clusters.last_mut() {
            Some(cluster)
                if {
                    let base = cluster[0].y;
                    let size = cluster.iter().map(|g| g.size).fold(glyph.size, f64::max);
                    (glyph.y - base).abs() <= size * 0.4
                } =>
            {
                cluster.push(glyph)
            }
            _ => clusters.push(vec![glyph]),
        }
    }
    clusters
        .into_iter()
        .filter_map(|mut cluster| {
            cluster.sort_by(|a, b| a.x.total_cmp(&b.x));
            let size = cluster.iter().map(|g| g.size).fold(0.0, f64::max);
            let y = cluster.iter().map(|g| g.y).sum::<f64>() / cluster.len() as f64;
            let mut text = String::new();
            let mut last_end: Option<f64> = None;
            for glyph in &cluster {
                let piece = clean_glyph_text(&glyph.text);
                if let Some(end) = last_end {
                    let gap = glyph.x - end;
                    let needs_space = gap > glyph.size * 0.18 && !text.ends_with(' ') && !piece.starts_with(' ');
                    // Overprinted glyphs (fake bold) repeat the same character at the same place.
                    if gap < -glyph.size * 0.5
                        && text.ends_with(piece.as_str())
                        && (glyph.x - (end - glyph.size)).abs() < glyph.size
                    {
                        last_end = Some(end.max(glyph.end_x));
                        continue;
                    }
                    if needs_space {
                        text.push(' ');
                    }
                }
                text.push_str(&piece);
                last_end = Some(last_end.map_or(glyph.end_x, |e| e.max(glyph.end_x)));
            }
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            (!text.is_empty()).then_some(Line { text, y, size })
        })
        .collect()
}

/// A page ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageText {
    pub number: u32,
    /// The page number printed on the page ("Page 37"), when there is one.
    pub printed_number: Option<u32>,
    pub text: String,
    pub error: Option<String>,
}

/// The printed number in a margin line such as `Page 37`, `- 37 -` or `37`.
fn printed_page_number(line: &str) -> Option<u32> {
    let trimmed = line.trim().trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let lower = trimmed.to_ascii_lowercase();
    let digits = lower.strip_prefix("page").map(str::trim).unwrap_or(&lower);
    let digits = digits.split(" of ").next().unwrap_or(digits).trim();
    (!digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Margin lines with their numbers masked, to find what repeats page after page.
fn margin_key(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_digit() { '#' } else { c.to_ascii_lowercase() }).collect()
}

fn in_margin(line: &Line, height: f64) -> bool {
    height > 0.0 && (line.y < height * 0.09 || line.y > height * 0.91)
}

/// Turns laid-out pages into stored text: running headers and footers (margin
/// lines repeated on at least half of three or more pages) and page numbers are
/// taken out, words hyphenated across lines are joined, and paragraphs are
/// separated by a blank line.
pub fn finish_pages(pages: &[RawPage]) -> Vec<PageText> {
    let mut repeats: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let mut seen: Vec<String> =
            page.lines.iter().filter(|l| in_margin(l, page.height)).map(|l| margin_key(&l.text)).collect();
        seen.sort();
        seen.dedup();
        for key in seen {
            *repeats.entry(key).or_default() += 1;
        }
    }
    let threshold = (pages.len() / 2).max(2);
    let repeated =
        |line: &Line| pages.len() >= 3 && repeats.get(&margin_key(&line.text)).is_some_and(|n| *n >= threshold);

    pages
        .iter()
        .map(|page| {
            let mut printed_number = None;
            let mut body: Vec<&Line> = Vec::new();
            for line in &page.lines {
                if in_margin(line, page.height) {
                    if let Some(number) = printed_page_number(&line.text) {
                        printed_number.get_or_insert(number);
                        continue;
                    }
                    if repeated(line) {
                        continue;
                    }
                }
                body.push(line);
            }
            PageText { number: page.number, printed_number, text: join_lines(&body), error: page.error.clone() }
        })
        .collect()
}

fn join_lines(lines: &[&Line]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut previous: Option<&Line> = None;
    for line in lines {
        let mut text = line.text.clone();
        if let (Some(prev), Some(last)) = (previous, out.last_mut()) {
            let gap = line.y - prev.y;
            let hyphenated = last.ends_with('-')
                && last.chars().rev().nth(1).is_some_and(char::is_alphabetic)
                && text.chars().next().is_some_and(char::is_lowercase);
            if hyphenated {
                // "regenera-" + "tion of" → "regeneration" + "of"
                let (word, rest) = text.split_once(' ').unwrap_or((text.as_str(), ""));
                last.pop();
                last.push_str(word);
                text = rest.to_string();
                if text.is_empty() {
                    previous = Some(line);
                    continue;
                }
            } else if gap > prev.size.max(line.size) * 1.9 {
                out.push(String::new());
            }
        }
        out.push(text);
        previous = Some(line);
    }
    out.join("\n")
}

/// Characters that are not white space: how much text a page or file holds.
pub fn text_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f64) -> Line {
        Line { text: text.into(), y, size: 10.0 }
    }

    #[test]
    fn joins_hyphenated_words_and_keeps_paragraphs() {
        let first = line("the regenera-", 100.0);
        let second = line("tion of Berry Brow", 112.0);
        let third = line("Next paragraph", 150.0);
        assert_eq!(join_lines(&[&first, &second, &third]), "the regeneration\nof Berry Brow\n\nNext paragraph");
        let number = line("the 18-", 100.0);
        let range = line("25 section", 112.0);
        assert_eq!(join_lines(&[&number, &range]), "the 18-\n25 section");
    }

    #[test]
    fn reads_printed_page_numbers() {
        assert_eq!(printed_page_number("Page 37"), Some(37));
        assert_eq!(printed_page_number("- 12 -"), Some(12));
        assert_eq!(printed_page_number("3"), Some(3));
        assert_eq!(printed_page_number("Page 2 of 9"), Some(2));
        assert_eq!(printed_page_number("Pages 11 - 84"), None);
        assert_eq!(printed_page_number("2025"), Some(2025));
        assert_eq!(printed_page_number("Agenda Item 5"), None);
    }

    #[test]
    fn drops_running_headers_and_keeps_body() {
        let pages: Vec<RawPage> = (1..=4)
            .map(|n| RawPage {
                number: n,
                height: 800.0,
                lines: vec![
                    line("Kent County Council Cabinet", 20.0),
                    line(&format!("Body text {n}"), 400.0),
                    line(&format!("Page {}", n + 10), 780.0),
                ],
                error: None,
            })
            .collect();
        let finished = finish_pages(&pages);
        assert_eq!(finished[0].text, "Body text 1");
        assert_eq!(finished[3].printed_number, Some(14));
        // With only two pages nothing counts as a running header.
        let two = finish_pages(&pages[..2]);
        assert_eq!(two[0].text, "Kent County Council Cabinet\n\nBody text 1");
    }

    #[test]
    fn rejects_what_is_not_a_pdf() {
        assert_eq!(
            Pdf::open(b"<!DOCTYPE html><html>Error</html>").err(),
            Some(PdfError::NotPdf("an HTML page".into()))
        );
        assert_eq!(Pdf::open(b"").err(), Some(PdfError::NotPdf("empty body".into())));
        assert!(matches!(Pdf::open(b"%PDF-1.7\n1 0 obj\n<<").err(), Some(PdfError::Truncated(_))));
    }

    #[test]
    fn cleans_ligatures_and_invisible_characters() {
        assert_eq!(clean_glyph_text("\u{fb01}nance\u{ad}"), "finance");
        assert_eq!(clean_glyph_text("a\u{a0}b"), "a b");
    }
}

//! Which pages of a reports pack belong to which agenda item. The agenda
//! frontsheet lists each item with its printed page range, "(Pages 11 - 84)";
//! the pack's pages carry printed numbers in their footers.

/// One agenda item as the frontsheet lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontsheetItem {
    pub number: String,
    pub title: String,
    /// Printed page range in the reports pack, when the frontsheet gives one.
    pub pages: Option<(u32, u32)>,
}

/// An item number at the start of a line: `5.`, `12`, `3a.`, `(4)`.
fn item_number(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim_start().trim_start_matches('(');
    let digits: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let mut rest = &trimmed[digits.len()..];
    let mut number = digits;
    if let Some(letter) = rest.chars().next().filter(|c| c.is_ascii_lowercase()) {
        if rest[1..].starts_with(['.', ')', ' ']) {
            number.push(letter);
            rest = &rest[1..];
        }
    }
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')')).unwrap_or(rest);
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let title = rest.trim();
    // A title starts with a letter or a decision reference ("24/00108 - ...").
    title.chars().next().filter(|c| c.is_alphanumeric()).map(|_| (number, title))
}

/// The first "(Pages 11 - 84)" or "(Page 5)" in a text.
pub fn page_range(text: &str) -> Option<(u32, u32)> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("(page")?;
    let inside = &lower[start + 1..];
    let end = inside.find(')')?;
    let inside = inside[..end].trim_start_matches("pages").trim_start_matches("page");
    let numbers: Vec<u32> = inside
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .filter_map(|part| part.parse().ok())
        .collect();
    match numbers.as_slice() {
        [only] => Some((*only, *only)),
        [first, last, ..] if last >= first => Some((*first, *last)),
        _ => None,
    }
}

/// The items a frontsheet lists, in order, with their page ranges.
pub fn frontsheet_items(text: &str) -> Vec<FrontsheetItem> {
    let mut items: Vec<FrontsheetItem> = Vec::new();
    let mut body = String::new();
    let finish = |items: &mut Vec<FrontsheetItem>, body: &mut String| {
        if body.is_empty() {
            return;
        }
        if let Some(last) = items.last_mut() {
            last.pages = page_range(body);
            let title_text = match body.to_ascii_lowercase().find("(page") {
                Some(cut) => &body[..cut],
                None => body.as_str(),
            };
            last.title = title_text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        body.clear();
    };
    for line in text.lines() {
        match item_number(line) {
            Some((number, title)) if next_in_sequence(&items, &number) => {
                finish(&mut items, &mut body);
                items.push(FrontsheetItem { number, title: String::new(), pages: None });
                body.push_str(title);
            }
            _ if !items.is_empty() => {
                // Item text runs on until a blank line or a section heading.
                let trimmed = line.trim();
                let is_heading = trimmed.chars().any(char::is_alphabetic)
                    && trimmed.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
                if trimmed.is_empty() || is_heading || body.contains(')') && body.to_ascii_lowercase().contains("(page")
                {
                    finish(&mut items, &mut body);
                } else if !body.is_empty() {
                    body.push(' ');
                    body.push_str(trimmed);
                }
            }
            _ => {}
        }
    }
    finish(&mut items, &mut body);
    items
}

/// Frontsheet items count up: 1, 2, 3, 3a, 4 … A number that does not follow is
/// part of the text (a date, an amount).
fn next_in_sequence(items: &[FrontsheetItem], number: &str) -> bool {
    let value = |n: &str| n.trim_end_matches(|c: char| c.is_ascii_lowercase()).parse::<u32>().unwrap_or(0);
    match items.last() {
        None => value(number) <= 3,
        Some(last) => {
            let (previous, current) = (value(&last.number), value(number));
            current == previous + 1 || (current == previous && number > last.number.as_str())
        }
    }
}

/// The PDF page that carries a printed page number, from the pages whose
/// footers were read (`(pdf page, printed number)`), inferring the offset from
/// the nearest known page when that page's footer was not read.
pub fn pdf_page_for_printed(known: &[(u32, u32)], printed: u32) -> Option<u32> {
    if let Some((pdf, _)) = known.iter().find(|(_, p)| *p == printed) {
        return Some(*pdf);
    }
    let nearest = known.iter().min_by_key(|(_, p)| p.abs_diff(printed))?;
    let offset = i64::from(nearest.0) - i64::from(nearest.1);
    u32::try_from(i64::from(printed) + offset).ok().filter(|p| *p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_page_ranges() {
        assert_eq!(page_range("Minutes of the Meeting (Pages 1 - 10)"), Some((1, 10)));
        assert_eq!(page_range("Report (Page 5)"), Some((5, 5)));
        assert_eq!(page_range("(Pages \n461 - 610)"), Some((461, 610)));
        assert_eq!(page_range("Apologies"), None);
    }

    #[test]
    fn lists_the_kent_cabinet_frontsheet_items() {
        let bytes = std::fs::read(format!(
            "{}/tests/fixtures/pdf/kent_cabinet-2025-01-30_agenda-frontsheet.pdf",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let pages = crate::documents::extract_all(&bytes).unwrap();
        let text: String = pages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
        let items = frontsheet_items(&text);
        let numbers: Vec<&str> = items.iter().map(|i| i.number.as_str()).collect();
        assert_eq!(numbers, vec!["1", "2", "3", "4", "5", "6", "7", "8", "9"], "{items:#?}");
        assert_eq!(items[0].title, "Apologies");
        assert_eq!(items[0].pages, None);
        assert_eq!(items[2].pages, Some((1, 10)));
        assert_eq!(items[4].pages, Some((11, 84)));
        assert!(
            items[4].title.starts_with("24/00108 - Revenue and Capital Budget Monitoring Report"),
            "{}",
            items[4].title
        );
        assert_eq!(items[6].pages, Some((277, 326)));
        assert_eq!(items[8].pages, Some((461, 610)));
    }

    #[test]
    fn maps_printed_pages_to_pdf_pages() {
        let known = [(3, 1), (4, 2), (10, 8)];
        assert_eq!(pdf_page_for_printed(&known, 2), Some(4));
        assert_eq!(pdf_page_for_printed(&known, 9), Some(11));
        assert_eq!(pdf_page_for_printed(&[], 9), None);
    }
}

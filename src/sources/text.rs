//! Clean text from the Word-generated HTML councils publish.

use scraper::{Html, Node};

pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

const BLOCK_ELEMENTS: &[&str] =
    &["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "section", "blockquote"];

/// Plain text of an HTML fragment: one line per paragraph or list item, runs of
/// spaces collapsed, non-breaking spaces treated as spaces, scripts and styles dropped.
pub fn html_to_text(fragment: &str) -> String {
    let html = Html::parse_fragment(fragment);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    collect_text(html.root_element(), &mut current, &mut lines);
    flush_line(&mut current, &mut lines);
    lines.join("\n")
}

/// Plain text of one element (and its children), same rules as `html_to_text`.
pub fn element_text(element: scraper::ElementRef<'_>) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    collect_text(element, &mut current, &mut lines);
    flush_line(&mut current, &mut lines);
    lines.join("\n")
}

fn flush_line(current: &mut String, lines: &mut Vec<String>) {
    let line = collapse_whitespace(&current.replace('\u{a0}', " "));
    if !line.is_empty() {
        lines.push(line);
    }
    current.clear();
}

fn collect_text(element: scraper::ElementRef<'_>, current: &mut String, lines: &mut Vec<String>) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(el) => {
                let name = el.name();
                if matches!(name, "script" | "style" | "head" | "title" | "noscript" | "template") {
                    continue;
                }
                let is_block = BLOCK_ELEMENTS.contains(&name);
                if is_block {
                    flush_line(current, lines);
                }
                if let Some(child_element) = scraper::ElementRef::wrap(child) {
                    collect_text(child_element, current, lines);
                }
                if is_block {
                    flush_line(current, lines);
                } else if matches!(name, "td" | "th") {
                    current.push(' ');
                }
            }
            _ => {}
        }
    }
}

/// Text that is only white space (ModernGov's "empty" elements) becomes `None`.
pub fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_word_html_into_lines() {
        let html = "<div class=\"WordSection1\">\n<p class=\"MsoNormal\"><span style=\"\">To approve as a correct record\nthe minutes.</span></p><p>&nbsp;</p><ul><li>One</li><li>Two&nbsp;items</li></ul></div>";
        assert_eq!(html_to_text(html), "To approve as a correct record the minutes.\nOne\nTwo items");
    }

    #[test]
    fn drops_scripts_and_keeps_markup_as_text() {
        let html = "<p>Safe</p><script>alert(1)</script><p>&lt;script&gt;alert(2)&lt;/script&gt;</p>";
        assert_eq!(html_to_text(html), "Safe\n<script>alert(2)</script>");
    }

    #[test]
    fn treats_white_space_as_empty() {
        assert_eq!(non_empty("\n   "), None);
        assert_eq!(non_empty(" x "), Some("x".into()));
        assert_eq!(collapse_whitespace(" a \n\t b "), "a b");
    }
}

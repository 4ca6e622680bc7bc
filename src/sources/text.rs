//! Clean text from the Word-generated HTML councils publish.

use scraper::{Html, Node};

/// Runs of white space become one space; other control characters (which
/// careless publishing tools leave in headings) are dropped.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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
    let line = collapse_whitespace(&decode_leftover_entities(&current.replace('\u{a0}', " ")));
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

/// Decodes character references left in text that was already decoded once.
/// ModernGov double-encodes some characters (an apostrophe arrives as
/// `&amp;#39;`), so after XML or HTML decoding the text still holds `&#39;`.
/// Only well-formed references (`&#39;`, `&#x27;`, `&amp;`, `&rsquo;`) are
/// decoded, exactly once, with the HTML parser's own entity table; a bare `&`
/// or `<` stays as it is.
pub fn decode_leftover_entities(text: &str) -> std::borrow::Cow<'_, str> {
    let has_reference = text.match_indices('&').any(|(at, _)| {
        let rest = &text[at + 1..];
        let name_len = rest.strip_prefix('#').map_or_else(
            || rest.bytes().take_while(u8::is_ascii_alphanumeric).count(),
            |digits| 1 + digits.bytes().take_while(|b| b.is_ascii_hexdigit() || *b == b'x' || *b == b'X').count(),
        );
        name_len > 0 && rest[name_len..].starts_with(';')
    });
    if !has_reference {
        return std::borrow::Cow::Borrowed(text);
    }
    // Markup characters are escaped first so that only references are interpreted.
    let escaped = text.replace('<', "&lt;").replace('>', "&gt;");
    let fragment = Html::parse_fragment(&escaped);
    std::borrow::Cow::Owned(fragment.root_element().text().collect())
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
    fn decodes_double_encoded_references_once() {
        assert_eq!(decode_leftover_entities("Cabinet Members&#39; Question Time"), "Cabinet Members' Question Time");
        assert_eq!(decode_leftover_entities("Members&#x27; &amp; Officers&rsquo;"), "Members' & Officers\u{2019}");
        // Once only: a reference that was itself encoded three times keeps one layer.
        assert_eq!(decode_leftover_entities("a &amp;#39; b"), "a &#39; b");
        // Plain text, bare ampersands and angle brackets are left alone.
        assert_eq!(decode_leftover_entities("Fish & Chips < 5"), "Fish & Chips < 5");
        assert_eq!(decode_leftover_entities("<b>&#39;</b>"), "<b>'</b>");
        assert!(matches!(decode_leftover_entities("R&D; costs"), std::borrow::Cow::Owned(_)));
        // Markup that came escaped stays text after the first decoding.
        assert_eq!(html_to_text("<p>Members&amp;#39; questions &lt;script&gt;</p>"), "Members' questions <script>");
    }

    #[test]
    fn treats_white_space_as_empty() {
        assert_eq!(non_empty("\n   "), None);
        assert_eq!(non_empty(" x "), Some("x".into()));
        assert_eq!(collapse_whitespace(" a \n\t b "), "a b");
        assert_eq!(collapse_whitespace("Planning\u{1} \u{7} Committee\u{FFFE}"), "Planning Committee\u{FFFE}");
    }
}

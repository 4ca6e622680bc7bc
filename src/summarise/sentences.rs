//! Splitting prose into sentences: one splitter for the claim checks and the
//! extractive summariser alike.

/// Splits prose into sentences, keeping abbreviations ("Cllr.", "St.") and decimals whole.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (n, (at, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let next = chars.get(n + 1).map(|(_, c)| *c);
        if next.is_some_and(|c| !c.is_whitespace() && !matches!(c, '"' | '\u{201d}' | ')' | '\'')) {
            continue;
        }
        let before = &text[start..*at];
        let last_word = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or_default();
        let abbreviation = *c == '.'
            && ["cllr", "mr", "mrs", "ms", "dr", "st", "no", "e.g", "i.e", "approx", "para", "ref", "cf", "vs", "etc"]
                .contains(&last_word.to_lowercase().as_str());
        if abbreviation {
            continue;
        }
        let end =
            at + c.len_utf8() + next.filter(|c| matches!(c, '"' | '\u{201d}' | ')' | '\'')).map_or(0, char::len_utf8);
        let sentence = text[start..end].trim();
        if !sentence.is_empty() {
            out.push(sentence);
        }
        start = end;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_decimals_and_closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("Cllr. Smith moved it. The cost is £1.5m. He said \"no.\" Then it passed!"),
            ["Cllr. Smith moved it.", "The cost is £1.5m.", "He said \"no.\"", "Then it passed!"]
        );
        assert_eq!(sentences("No full stop at the end"), ["No full stop at the end"]);
        assert!(sentences("  ").is_empty());
    }
}

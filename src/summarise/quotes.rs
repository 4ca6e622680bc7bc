//! Quote checking: a quote is published only if it appears verbatim in the
//! text it cites, after normalising white space, case, typographic quotes and
//! dashes, and invisible characters.

/// The comparable form of a text.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let mapped = match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => '-',
            '\u{2026}' => {
                out.push_str(if pending_space && !out.is_empty() { " ..." } else { "..." });
                pending_space = false;
                continue;
            }
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => continue,
            c if c.is_whitespace() => {
                pending_space = true;
                continue;
            }
            c => c,
        };
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.extend(mapped.to_lowercase());
    }
    out
}

/// Whether `quote` appears verbatim in `source`. Surrounding quotation marks
/// and a trailing full stop on the quote are ignored; very short quotes never verify.
pub fn appears_in(quote: &str, source: &str) -> bool {
    let quote = normalise(quote);
    let quote = quote.trim().trim_matches(|c| c == '"' || c == '\'').trim().trim_end_matches('.').trim();
    quote.chars().filter(|c| c.is_alphanumeric()).count() >= 12 && normalise(source).contains(quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "The Committee noted that the Serious  Violence Duty \u{2013} introduced in 2022 \u{2013}\nrequires \u{201c}strong partnerships\u{201d} with local organisations.";

    #[test]
    fn keeps_real_quotes_with_other_spacing_and_typography() {
        assert!(appears_in("the Serious Violence Duty - introduced in 2022 - requires", SOURCE));
        assert!(appears_in("\"requires \"strong partnerships\" with local organisations.\"", SOURCE));
        assert!(appears_in("THE SERIOUS VIOLENCE DUTY", SOURCE));
        assert!(appears_in(
            "requires \u{2018}strong partnerships\u{2019}",
            &SOURCE.replace(['\u{201c}', '\u{201d}'], "'")
        ));
    }

    #[test]
    fn drops_fabricated_and_altered_quotes() {
        assert!(!appears_in("The success of this duty hinges on our ability to foster strong partnerships", SOURCE));
        assert!(!appears_in("the Serious Violence Duty introduced in 2023", SOURCE));
        assert!(!appears_in("noted", SOURCE), "too short to mean anything");
        assert!(!appears_in("", SOURCE));
    }

    #[test]
    fn normalises_consistently() {
        assert_eq!(normalise("  A\u{a0}\u{a0}B\n\u{2014}C\u{ad}D "), "a b -cd");
    }
}

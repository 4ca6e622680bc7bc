//! UK postcodes as residents type them: case, spaces and all. A full postcode
//! is an outward code (area and district, e.g. `CV1`, `ME14`, `SW1A`) and an
//! inward code (a digit and two letters, e.g. `5RR`); the outward code alone
//! is an "outcode", which several councils may share.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Postcode {
    /// Normalised with one space: `CV1 5RR`.
    Full(String),
    /// An outward code alone: `CV1`.
    Outcode(String),
}

impl Postcode {
    /// The normalised text: what is shown, looked up and cached under.
    pub fn as_str(&self) -> &str {
        match self {
            Postcode::Full(text) | Postcode::Outcode(text) => text,
        }
    }
}

/// Letters and digits in the shapes an outward code takes: A9, A99, AA9,
/// AA99, A9A, AA9A.
fn is_outcode(code: &[u8]) -> bool {
    let letter = |c: &u8| c.is_ascii_uppercase();
    let digit = |c: &u8| c.is_ascii_digit();
    match code {
        [a, b] => letter(a) && digit(b),
        [a, b, c] => letter(a) && ((digit(b) && (digit(c) || letter(c))) || (letter(b) && digit(c))),
        [a, b, c, d] => letter(a) && letter(b) && digit(c) && (digit(d) || letter(d)),
        _ => false,
    }
}

/// Reads a postcode or an outcode; `None` when the text cannot be one, so no
/// look-up is made for it.
pub fn parse(input: &str) -> Option<Postcode> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let bytes = compact.as_bytes();
    if compact.len() > 8 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    if is_outcode(bytes) {
        return Some(Postcode::Outcode(compact));
    }
    if bytes.len() < 5 {
        return None;
    }
    let (outward, inward) = bytes.split_at(bytes.len() - 3);
    let inward_ok = inward[0].is_ascii_digit() && inward[1..].iter().all(u8::is_ascii_uppercase);
    (inward_ok && is_outcode(outward))
        .then(|| Postcode::Full(format!("{} {}", &compact[..outward.len()], &compact[outward.len()..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised() {
        assert_eq!(parse("CV1 5RR"), Some(Postcode::Full("CV1 5RR".into())));
        assert_eq!(parse("  cv15rr "), Some(Postcode::Full("CV1 5RR".into())));
        assert_eq!(parse("me14 1xq"), Some(Postcode::Full("ME14 1XQ".into())));
        assert_eq!(parse("SW1A 2AA"), Some(Postcode::Full("SW1A 2AA".into())));
        assert_eq!(parse("W1A 1AA"), Some(Postcode::Full("W1A 1AA".into())));
        assert_eq!(parse("BT1 5GS"), Some(Postcode::Full("BT1 5GS".into())));
        assert_eq!(parse("M1 1AE"), Some(Postcode::Full("M1 1AE".into())));
    }

    #[test]
    fn outcodes_are_recognised() {
        assert_eq!(parse("cv1"), Some(Postcode::Outcode("CV1".into())));
        assert_eq!(parse("ME14"), Some(Postcode::Outcode("ME14".into())));
        assert_eq!(parse("SW1A"), Some(Postcode::Outcode("SW1A".into())));
        assert_eq!(parse("M1"), Some(Postcode::Outcode("M1".into())));
    }

    #[test]
    fn anything_else_is_refused_without_a_look_up() {
        for bad in
            ["", "hello", "CV1 5R", "CV1 RR5", "1CV 5RR", "CV1 5RR X", "CV1-5RR", "../etc", "CV1%205RR", "ÄB1 2CD"]
        {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}

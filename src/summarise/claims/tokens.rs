//! Text as the claim checks read it: words, digit runs and symbols, numbers
//! written in digits or words, and the hedges written before them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Digits,
    Word,
    Symbol,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
    /// Whether white space comes before it.
    pub spaced: bool,
    /// Whether it starts a line.
    pub line_start: bool,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }
    pub fn is(&self, text: &str) -> bool {
        self.text.eq_ignore_ascii_case(text)
    }
    pub fn capitalised(&self) -> bool {
        self.kind == Kind::Word && self.text.starts_with(|c: char| c.is_uppercase())
    }
}

pub fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut spaced = true;
    let mut line_start = true;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let class = |c: char| {
        if c.is_ascii_digit() {
            Kind::Digits
        } else if c.is_alphabetic() || c == '\'' || c == '\u{2019}' {
            Kind::Word
        } else {
            Kind::Symbol
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            spaced = true;
            line_start |= c == '\n';
            i += 1;
            continue;
        }
        let kind = class(c);
        let mut j = i + 1;
        if kind != Kind::Symbol {
            while j < chars.len() && class(chars[j].1) == kind {
                j += 1;
            }
        }
        let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
        let word = text[start..end].trim_end_matches(['\'', '\u{2019}']);
        let word = if kind == Kind::Word { word.trim_start_matches(['\'', '\u{2019}']) } else { word };
        if !word.is_empty() {
            let start = start + text[start..end].find(word).unwrap_or(0);
            out.push(Token { kind, text: word.to_string(), spaced, line_start, start, end: start + word.len() });
        }
        spaced = false;
        line_start = false;
        i = j;
    }
    out
}

pub fn word_at(t: &[Token], i: usize) -> Option<String> {
    t.get(i).filter(|t| t.kind == Kind::Word).map(Token::lower)
}

/// Whether the token at `j` is `text` with no space before it.
pub fn joined(t: &[Token], j: usize, text: &str) -> bool {
    t.get(j).is_some_and(|x| x.text == text && !x.spaced)
}

pub fn multiplier(word: &str) -> Option<f64> {
    match word.to_lowercase().as_str() {
        "k" | "thousand" => Some(1e3),
        "m" | "mn" | "million" | "millions" => Some(1e6),
        "bn" | "b" | "billion" | "billions" => Some(1e9),
        _ => None,
    }
}

/// A number as written from `i`, in digits or in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub value: f64,
    /// The size of the last digit the writer gave: 0.1 for 23.3, 100 for 12,300 (see `precision`).
    pub unit: f64,
    /// Digits before any decimal point (a year is four).
    pub digits: usize,
    pub in_words: bool,
    /// An ordinal (22nd, twelfth).
    pub ordinal: bool,
    pub next: usize,
}

const ORDINAL_SUFFIXES: [&str; 4] = ["st", "nd", "rd", "th"];

/// Digit groups joined by commas (thousands) and at most one decimal point, with no spaces inside.
pub fn digits_at(t: &[Token], i: usize) -> Option<Written> {
    let first = t.get(i).filter(|t| t.kind == Kind::Digits)?;
    let mut text = first.text.clone();
    let mut j = i + 1;
    if first.text.len() <= 3 {
        while let (Some(comma), Some(group)) = (t.get(j), t.get(j + 1)) {
            if comma.text == ","
                && !comma.spaced
                && !group.spaced
                && group.kind == Kind::Digits
                && group.text.len() == 3
            {
                text.push_str(&group.text);
                j += 2;
            } else {
                break;
            }
        }
    }
    let digits = text.len();
    let mut decimals = 0;
    if let (Some(point), Some(fraction)) = (t.get(j), t.get(j + 1)) {
        let another_point = t.get(j + 2).is_some_and(|n| {
            n.text == "." && !n.spaced && t.get(j + 3).is_some_and(|d| d.kind == Kind::Digits && !d.spaced)
        });
        if point.text == "." && !point.spaced && !fraction.spaced && fraction.kind == Kind::Digits && !another_point {
            decimals = fraction.text.len() as i32;
            text = format!("{text}.{}", fraction.text);
            j += 2;
        }
    }
    let value: f64 = text.parse().ok()?;
    let mut ordinal = false;
    if t.get(j).is_some_and(|x| !x.spaced && ORDINAL_SUFFIXES.contains(&x.lower().as_str())) {
        ordinal = true;
        j += 1;
    }
    let unit = if decimals > 0 {
        10f64.powi(-decimals)
    } else {
        let zeros = text.len() - text.trim_end_matches('0').len();
        if text.trim_end_matches('0').is_empty() {
            1.0
        } else {
            10f64.powi(zeros as i32)
        }
    };
    Some(Written { value, unit, digits, in_words: false, ordinal, next: j })
}

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

fn small_word(word: &str) -> Option<f64> {
    if let Some(n) = UNITS.iter().position(|w| *w == word) {
        return Some(n as f64);
    }
    TENS.iter().position(|w| *w == word).map(|n| (n as f64 + 2.0) * 10.0)
}

/// A number written in words from `i`: "twelve", "forty-one", "a dozen", "two hundred", "nil".
pub fn words_at(t: &[Token], i: usize) -> Option<Written> {
    let word = word_at(t, i)?;
    let (mut value, mut j) = match word.as_str() {
        "dozen" => (12.0, i + 1),
        "a" | "one" if word_at(t, i + 1).as_deref() == Some("dozen") => (12.0, i + 2),
        "none" | "nil" | "nobody" => (0.0, i + 1),
        "a" if matches!(word_at(t, i + 1).as_deref(), Some("hundred" | "thousand")) => (1.0, i + 1),
        _ => {
            let mut value = small_word(&word)?;
            let mut j = i + 1;
            // forty-one, forty one
            if (20.0..=90.0).contains(&value) && value % 10.0 == 0.0 {
                let k = if joined(t, j, "-") { j + 1 } else { j };
                if let Some(unit) = word_at(t, k).and_then(|w| small_word(&w)).filter(|u| (1.0..10.0).contains(u)) {
                    value += unit;
                    j = k + 1;
                }
            }
            (value, j)
        }
    };
    if word_at(t, j).as_deref() == Some("hundred") {
        value *= 100.0;
        j += 1;
        if word_at(t, j).as_deref() == Some("and") {
            if let Some(rest) = words_at(t, j + 1).filter(|r| r.value < 100.0 && r.value > 0.0) {
                value += rest.value;
                j = rest.next;
            }
        }
    }
    Some(Written { value, unit: 1.0, digits: 0, in_words: true, ordinal: false, next: j })
}

/// A number from `i` in digits or words.
pub fn number_at(t: &[Token], i: usize) -> Option<Written> {
    digits_at(t, i).or_else(|| words_at(t, i))
}

/// A count of votes or people: a whole number of at most three digits, or words.
pub fn count_at(t: &[Token], i: usize) -> Option<(u32, usize)> {
    let n = number_at(t, i).filter(|n| n.value.fract() == 0.0 && n.value < 1000.0 && !n.ordinal)?;
    Some((n.value as u32, n.next))
}

/// How the writer bounded a figure: the words before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hedge {
    /// Written plainly: the figure as given, rounded at its last digit.
    Plain,
    /// about, around, approximately, roughly, some: rounded at its own precision.
    About,
    /// more than, over, above, in excess of: above it, by up to its precision.
    Over,
    /// just over: above it, by up to half its precision.
    JustOver,
    /// at least: it or above.
    AtLeast,
    /// almost, nearly, just under, close to: below it, by up to half its precision.
    Nearly,
    /// less than, under, below, fewer than: below it, by up to its precision.
    Under,
    /// up to, at most, no more than: it or below.
    UpTo,
}

/// The hedge written just before the token at `i` (up to three words back).
pub fn hedge_before(t: &[Token], i: usize) -> Hedge {
    let back = |n: usize| i.checked_sub(n).and_then(|k| word_at(t, k)).unwrap_or_default();
    let (one, two, three) = (back(1), back(2), back(3));
    // "£" or "c." sits between a hedge and its figure.
    let (one, two, three) = if t.get(i.wrapping_sub(1)).is_some_and(|x| x.kind == Kind::Symbol) {
        (two, three, i.checked_sub(4).and_then(|k| word_at(t, k)).unwrap_or_default())
    } else {
        (one, two, three)
    };
    match (three.as_str(), two.as_str(), one.as_str()) {
        (_, "just", "over" | "above") | (_, "slightly", "over" | "above") => Hedge::JustOver,
        ("slightly", "more", "than") | ("just", "more", "than") => Hedge::JustOver,
        (_, "just", "under" | "below") | ("just", "short", "of") | ("slightly", "less", "than") => Hedge::Nearly,
        ("no", "more", "than") => Hedge::UpTo,
        (_, "more" | "greater", "than") | ("in", "excess", "of") | (_, "upwards", "of") => Hedge::Over,
        (_, "less" | "fewer", "than") => Hedge::Under,
        (_, "at", "least") | (_, "no", "fewer" | "less") => Hedge::AtLeast,
        (_, "up", "to") | (_, "at", "most") => Hedge::UpTo,
        (_, "close", "to") | (_, _, "almost" | "nearly" | "approaching") => Hedge::Nearly,
        ("in", "the", "region") | (_, "region", "of") | (_, "an", "estimated") => Hedge::About,
        (_, _, "over" | "above" | "exceeding" | "exceeds" | "topping") => Hedge::Over,
        (_, _, "under" | "below") => Hedge::Under,
        (_, _, "about" | "around" | "approximately" | "approx" | "roughly" | "some" | "circa" | "c" | "estimated") => {
            Hedge::About
        }
        _ => Hedge::Plain,
    }
}

/// A noun as compared between a claim and its evidence: lower case, singular.
pub fn singular(word: &str) -> String {
    let word = word.to_lowercase();
    let word = word.trim_end_matches("'s").trim_end_matches("\u{2019}s");
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("ss") || word.len() <= 3 {
        word.to_string()
    } else {
        word.strip_suffix('s').unwrap_or(word).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Written {
        number_at(&tokens(text), 0).unwrap()
    }

    #[test]
    fn numbers_in_digits_carry_their_precision() {
        assert_eq!((number("23.3").value, number("23.3").unit), (23.3, 0.1));
        assert_eq!((number("12,300").value, number("12,300").unit), (12300.0, 100.0));
        assert_eq!(number("12,275.00").unit, 0.01);
        assert_eq!(number("0").unit, 1.0);
        assert!(number("22nd birthday").ordinal);
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(number("twelve").value, 12.0);
        assert_eq!(number("forty-one against").value, 41.0);
        assert_eq!(number("forty one").value, 41.0);
        assert_eq!(number("a dozen").value, 12.0);
        assert_eq!(number("two hundred and fifty").value, 250.0);
        assert_eq!(number("none against").value, 0.0);
        assert!(number_at(&tokens("several"), 0).is_none());
    }

    #[test]
    fn hedges_are_read_from_the_words_before() {
        let hedge = |text: &str| {
            let t = tokens(text);
            let at = t.iter().position(|x| x.kind == Kind::Digits).unwrap();
            hedge_before(&t, at)
        };
        assert_eq!(hedge("about £12,300"), Hedge::About);
        assert_eq!(hedge("more than £2m"), Hedge::Over);
        assert_eq!(hedge("just over 300"), Hedge::JustOver);
        assert_eq!(hedge("nearly £49,000"), Hedge::Nearly);
        assert_eq!(hedge("just under £28,000"), Hedge::Nearly);
        assert_eq!(hedge("fewer than 20"), Hedge::Under);
        assert_eq!(hedge("up to £75k"), Hedge::UpTo);
        assert_eq!(hedge("costs of £75k"), Hedge::Plain);
    }

    #[test]
    fn nouns_compare_singular() {
        assert_eq!(singular("homes"), "home");
        assert_eq!(singular("properties"), "property");
        assert_eq!(singular("business"), "business");
        assert_eq!(singular("Councillors"), "councillor");
    }
}

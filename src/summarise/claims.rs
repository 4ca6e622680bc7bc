//! Claim checks on a summary's prose. The checkable things a sentence says
//! (money, percentages, numbers of two or more digits, dates, financial years,
//! times, vote counts, capitalised names) must each be found in the sources
//! the sentence may draw on, however either side writes them (£24m = £24
//! million = £24,000,000; 3rd March 2026 = 3 March 2026 = 03/03/2026). A
//! sentence with a claim the sources do not bear out is dropped.

use std::collections::HashSet;

/// One checkable thing a sentence says, with the words it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub kind: ClaimKind,
    pub written: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClaimKind {
    /// Pounds, and the size of the last digit as written (£2.4m: 100,000), for rounding.
    Money {
        pounds: f64,
        unit: f64,
    },
    Percent {
        value: f64,
        unit: f64,
    },
    Number {
        value: f64,
        unit: f64,
    },
    Date {
        year: Option<i32>,
        month: u32,
        day: Option<u32>,
    },
    /// A financial year by its first calendar year (2025/26: 2025).
    FinancialYear(i32),
    /// Minutes after midnight.
    Time(u32),
    Vote {
        in_favour: u32,
        against: u32,
    },
    /// The significant words of a name, lower-cased.
    Name(Vec<String>),
}

impl ClaimKind {
    fn label(&self) -> &'static str {
        match self {
            Self::Money { .. } => "amount",
            Self::Percent { .. } => "percentage",
            Self::Number { .. } => "figure",
            Self::Date { .. } => "date",
            Self::FinancialYear(_) => "financial year",
            Self::Time(_) => "time",
            Self::Vote { .. } => "vote count",
            Self::Name(_) => "name",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Digits,
    Word,
    Symbol,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    text: String,
    /// Whether white space comes before it.
    spaced: bool,
    start: usize,
    end: usize,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut spaced = true;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            spaced = true;
            i += 1;
            continue;
        }
        let class = |c: char| {
            if c.is_ascii_digit() {
                Kind::Digits
            } else if c.is_alphabetic() || c == '\'' || c == '\u{2019}' {
                Kind::Word
            } else {
                Kind::Symbol
            }
        };
        let kind = class(c);
        let mut j = i + 1;
        if kind != Kind::Symbol {
            while j < chars.len() && class(chars[j].1) == kind {
                j += 1;
            }
        }
        let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
        let word = text[start..end].trim_end_matches(['\'', '\u{2019}']).to_string();
        let word = if kind == Kind::Word { word.trim_start_matches(['\'', '\u{2019}']).to_string() } else { word };
        if !word.is_empty() {
            out.push(Token { kind, text: word, spaced, start, end });
        }
        spaced = false;
        i = j;
    }
    out
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(word: &str) -> Option<u32> {
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches('.');
    if lower == "sept" {
        return Some(9);
    }
    MONTHS.iter().position(|m| *m == lower || (lower.len() == 3 && m.starts_with(lower))).map(|i| i as u32 + 1)
}

fn is_weekday(word: &str) -> bool {
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        .contains(&word.to_lowercase().as_str())
}

fn multiplier(word: &str) -> Option<f64> {
    match word.to_lowercase().as_str() {
        "k" | "thousand" => Some(1e3),
        "m" | "mn" | "million" | "millions" => Some(1e6),
        "bn" | "b" | "billion" | "billions" => Some(1e9),
        _ => None,
    }
}

/// A number as written from `i`: digit groups joined by commas (thousands) and
/// at most one decimal point, with no spaces inside. Answers (value, decimals,
/// the text, the token after it).
fn number_at(t: &[Token], i: usize) -> Option<(f64, u32, String, usize)> {
    let first = t.get(i).filter(|t| t.kind == Kind::Digits)?;
    let mut text = first.text.clone();
    let mut j = i + 1;
    // Thousands: ",ddd" repeated, only after a first group of one to three digits.
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
    let mut decimals = 0;
    if let (Some(point), Some(fraction)) = (t.get(j), t.get(j + 1)) {
        let another_point = t.get(j + 2).is_some_and(|n| {
            n.text == "." && !n.spaced && t.get(j + 3).is_some_and(|d| d.kind == Kind::Digits && !d.spaced)
        });
        if point.text == "." && !point.spaced && !fraction.spaced && fraction.kind == Kind::Digits && !another_point {
            decimals = fraction.text.len() as u32;
            text = format!("{text}.{}", fraction.text);
            j += 2;
        }
    }
    let value: f64 = text.parse().ok()?;
    Some((value, decimals, text, j))
}

fn word_at(t: &[Token], i: usize) -> Option<String> {
    t.get(i).filter(|t| t.kind == Kind::Word).map(|t| t.text.to_lowercase())
}

fn year(text: &str) -> Option<i32> {
    match text.len() {
        4 => text.parse().ok().filter(|y| (1900..2200).contains(y)),
        2 => text.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

fn day(text: &str) -> Option<u32> {
    text.parse().ok().filter(|d| (1..=31).contains(d)).filter(|_| text.len() <= 2)
}

const ORDINALS: [&str; 4] = ["st", "nd", "rd", "th"];

/// A date from `i`, in the ways UK councils write them. Answers the date and the token after it.
fn date_at(t: &[Token], i: usize) -> Option<(ClaimKind, usize)> {
    let tok = &t[i];
    let adjacent = |j: usize, text: &str| t.get(j).is_some_and(|x| x.text == text && !x.spaced);
    if tok.kind == Kind::Digits {
        // 2026-03-03
        if tok.text.len() == 4
            && adjacent(i + 1, "-")
            && t.get(i + 2).is_some_and(|x| x.text.len() == 2)
            && adjacent(i + 3, "-")
        {
            let (y, m, d) = (year(&tok.text)?, t[i + 2].text.parse().ok()?, day(&t.get(i + 4)?.text)?);
            return (1..=12).contains(&m).then_some((ClaimKind::Date { year: Some(y), month: m, day: Some(d) }, i + 5));
        }
        // 03/03/2026, 3.3.26, 03-03-2026
        for separator in ["/", ".", "-"] {
            if adjacent(i + 1, separator) && adjacent(i + 3, separator) {
                let (Some(d), Some(m), Some(y)) = (
                    day(&tok.text),
                    t.get(i + 2).and_then(|x| x.text.parse::<u32>().ok()).filter(|m| (1..=12).contains(m)),
                    t.get(i + 4).filter(|x| !x.spaced && x.kind == Kind::Digits).and_then(|x| year(&x.text)),
                ) else {
                    continue;
                };
                return Some((ClaimKind::Date { year: Some(y), month: m, day: Some(d) }, i + 5));
            }
        }
        // 3 March 2026, 3rd of March, 3 March
        let d = day(&tok.text)?;
        let mut j = i + 1;
        if t.get(j).is_some_and(|x| !x.spaced && ORDINALS.contains(&x.text.to_lowercase().as_str())) {
            j += 1;
        }
        if word_at(t, j).as_deref() == Some("of") {
            j += 1;
        }
        let m = t.get(j).filter(|x| x.kind == Kind::Word).and_then(|x| month(&x.text))?;
        j += 1;
        if adjacent(j, ".") {
            j += 1;
        }
        let mut y = None;
        if t.get(j).is_some_and(|x| x.text == ",") {
            if let Some(found) =
                t.get(j + 1).filter(|x| x.kind == Kind::Digits && x.text.len() == 4).and_then(|x| year(&x.text))
            {
                y = Some(found);
                j += 2;
            }
        } else if let Some(found) =
            t.get(j).filter(|x| x.kind == Kind::Digits && x.text.len() == 4).and_then(|x| year(&x.text))
        {
            y = Some(found);
            j += 1;
        }
        return Some((ClaimKind::Date { year: y, month: m, day: Some(d) }, j));
    }
    if tok.kind == Kind::Word {
        // March 3, 2026; March 2026 (a capital letter: "may" is a verb far more often than a month)
        if !tok.text.starts_with(|c: char| c.is_uppercase()) {
            return None;
        }
        let m = month(&tok.text)?;
        let mut j = i + 1;
        if adjacent(j, ".") {
            j += 1;
        }
        let next = t.get(j).filter(|x| x.kind == Kind::Digits)?;
        if next.text.len() == 4 {
            return Some((ClaimKind::Date { year: year(&next.text), month: m, day: None }, j + 1));
        }
        let d = day(&next.text)?;
        j += 1;
        if t.get(j).is_some_and(|x| !x.spaced && ORDINALS.contains(&x.text.to_lowercase().as_str())) {
            j += 1;
        }
        let mut y = None;
        let k = if t.get(j).is_some_and(|x| x.text == ",") { j + 1 } else { j };
        if let Some(found) =
            t.get(k).filter(|x| x.kind == Kind::Digits && x.text.len() == 4).and_then(|x| year(&x.text))
        {
            y = Some(found);
            j = k + 1;
        }
        return Some((ClaimKind::Date { year: y, month: m, day: Some(d) }, j));
    }
    None
}

fn am_pm(t: &[Token], j: usize) -> Option<(bool, usize)> {
    let word = word_at(t, j)?;
    match word.as_str() {
        "am" | "pm" => Some((word == "pm", j + 1)),
        // a.m. / p.m.
        "a" | "p" if t.get(j + 1).is_some_and(|x| x.text == ".") && word_at(t, j + 2).as_deref() == Some("m") => {
            let after = if t.get(j + 3).is_some_and(|x| x.text == "." && !x.spaced) { j + 4 } else { j + 3 };
            Some((word == "p", after))
        }
        _ => None,
    }
}

/// A time of day from `i`: 10.30am, 10:30, 2pm, 14:00.
fn time_at(t: &[Token], i: usize) -> Option<(ClaimKind, usize)> {
    let hour: u32 = t.get(i).filter(|x| x.kind == Kind::Digits && x.text.len() <= 2)?.text.parse().ok()?;
    let adjacent = |j: usize, text: &str| t.get(j).is_some_and(|x| x.text == text && !x.spaced);
    let (minute, j, colon) = if (adjacent(i + 1, ":") || adjacent(i + 1, "."))
        && t.get(i + 2).is_some_and(|x| !x.spaced && x.kind == Kind::Digits && x.text.len() == 2)
    {
        (t[i + 2].text.parse::<u32>().ok()?, i + 3, t[i + 1].text == ":")
    } else {
        (0, i + 1, false)
    };
    let to_minutes = |hour: u32, pm: bool| {
        let hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        hour * 60 + minute
    };
    if let Some((pm, after)) = am_pm(t, j) {
        if (1..=12).contains(&hour) && minute < 60 {
            return Some((ClaimKind::Time(to_minutes(hour, pm)), after));
        }
    }
    // 14:00 with a colon needs no am or pm; 10.30 alone may be a decimal.
    (colon && hour < 24 && minute < 60).then_some((ClaimKind::Time(hour * 60 + minute), j))
}

/// A vote count from `i`: "7 for, 3 against", "for: 7, against: 3", "7 in favour and 3 against", "7 votes to 3".
fn vote_at(t: &[Token], i: usize) -> Option<(ClaimKind, usize)> {
    let count = |j: usize| {
        t.get(j).filter(|x| x.kind == Kind::Digits && x.text.len() <= 3).and_then(|x| x.text.parse::<u32>().ok())
    };
    let skip = |mut j: usize| {
        while t.get(j).is_some_and(|x| {
            matches!(x.text.as_str(), ":" | "," | ";" | "-" | "(" | ")")
                || word_at(t, j)
                    .is_some_and(|w| ["and", "with", "votes", "vote", "members", "councillors"].contains(&w.as_str()))
        }) {
            j += 1;
        }
        j
    };
    // One side: a count and its word either way round; answers (side, count, next).
    let side = |j: usize| -> Option<(&'static str, u32, usize)> {
        let word_side = |w: &str| match w {
            "for" | "favour" | "favor" => Some("for"),
            "against" => Some("against"),
            _ => None,
        };
        if let Some(n) = count(j) {
            let mut k = skip(j + 1);
            if word_at(t, k).as_deref() == Some("in") {
                k += 1;
            }
            let w = word_at(t, k)?;
            return word_side(&w).map(|s| (s, n, k + 1));
        }
        let mut k = j;
        if word_at(t, k).as_deref() == Some("in") {
            k += 1;
        }
        let w = word_at(t, k)?;
        let s = word_side(&w)?;
        let n = count(skip(k + 1))?;
        Some((s, n, skip(k + 1) + 1))
    };
    if let (Some(a), Some(to), Some(b)) = (count(i), word_at(t, skip(i + 1)), count(skip(i + 1) + 1)) {
        if to == "to" && word_at(t, i + 1).as_deref() == Some("votes") {
            return Some((ClaimKind::Vote { in_favour: a, against: b }, skip(i + 1) + 2));
        }
    }
    let (first, n1, j) = side(i)?;
    let (second, n2, k) = side(skip(j))?;
    match (first, second) {
        ("for", "against") => Some((ClaimKind::Vote { in_favour: n1, against: n2 }, k)),
        ("against", "for") => Some((ClaimKind::Vote { in_favour: n2, against: n1 }, k)),
        _ => None,
    }
}

/// Words that start a capitalised run without being a name, and civic words
/// every paper uses; neither is checked.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "they",
    "their",
    "he",
    "she",
    "his",
    "her",
    "we",
    "our",
    "in",
    "on",
    "at",
    "for",
    "and",
    "of",
    "to",
    "by",
    "with",
    "as",
    "after",
    "before",
    "following",
    "there",
    "also",
    "however",
    "while",
    "when",
    "if",
    "but",
    "or",
    "all",
    "some",
    "no",
    "not",
    "any",
    "each",
    "both",
    "once",
    "council",
    "councils",
    "councillor",
    "councillors",
    "cllr",
    "cllrs",
    "cabinet",
    "committee",
    "committees",
    "chair",
    "chairman",
    "chairperson",
    "vice",
    "member",
    "members",
    "officer",
    "officers",
    "mayor",
    "leader",
    "deputy",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "professor",
    "residents",
    "item",
    "items",
    "agenda",
    "minutes",
    "report",
    "reports",
    "meeting",
    "meetings",
    "i",
    "ii",
    "iii",
    "iv",
    "v",
];

const CONNECTORS: &[&str] = &["of", "and", "for", "the", "on", "upon", "in", "&", "de", "le"];

fn capitalised(token: &Token) -> bool {
    token.kind == Kind::Word && token.text.starts_with(|c: char| c.is_uppercase())
}

/// Where each sentence starts, by token index: a capitalised first word tells nothing there.
fn sentence_starts(t: &[Token]) -> HashSet<usize> {
    let mut starts = HashSet::from([0]);
    for (i, token) in t.iter().enumerate() {
        if matches!(
            token.text.as_str(),
            "." | "!" | "?" | ":" | ";" | "\"" | "(" | "\u{201c}" | "-" | "\u{2013}" | "\u{2014}"
        ) {
            starts.insert(i + 1);
        }
    }
    starts
}

/// Reads every claim in `text`.
pub fn claims(text: &str) -> Vec<Claim> {
    let t = tokens(text);
    let starts = sentence_starts(&t);
    let mut out = Vec::new();
    let written = |from: usize, to: usize| text[t[from].start..t[to - 1].end].to_string();
    let mut i = 0;
    while i < t.len() {
        let token = &t[i];
        if let Some((kind, next)) = vote_at(&t, i) {
            out.push(Claim { kind, written: written(i, next) });
            i = next;
            continue;
        }
        if token.text == "£" {
            if let Some((value, decimals, _, mut j)) = number_at(&t, i + 1) {
                let mut scale = word_at(&t, j).and_then(|w| multiplier(&w));
                if scale.is_some() {
                    j += 1;
                } else if let Some(range_scale) = range_multiplier(&t, j) {
                    // £1-2m, £1 to £2 million: the second figure's scale is the first's too.
                    scale = Some(range_scale);
                }
                let scale = scale.unwrap_or(1.0);
                let unit = 10f64.powi(-(decimals as i32)) * scale;
                out.push(Claim { kind: ClaimKind::Money { pounds: value * scale, unit }, written: written(i, j) });
                i = j;
                continue;
            }
        }
        if token.kind == Kind::Digits {
            if let Some((kind, next)) = date_at(&t, i) {
                out.push(Claim { kind, written: written(i, next) });
                i = next;
                continue;
            }
            if let Some((kind, next)) = time_at(&t, i) {
                out.push(Claim { kind, written: written(i, next) });
                i = next;
                continue;
            }
            if let Some((kind, next)) = financial_year_at(&t, i) {
                out.push(Claim { kind, written: written(i, next) });
                i = next;
                continue;
            }
            if let Some((value, decimals, digits, mut j)) = number_at(&t, i) {
                // 50p, 20 pence
                if word_at(&t, j).is_some_and(|w| (w == "p" && !t[j].spaced) || w == "pence") {
                    out.push(Claim {
                        kind: ClaimKind::Money { pounds: value / 100.0, unit: 0.01 },
                        written: written(i, j + 1),
                    });
                    i = j + 1;
                    continue;
                }
                if t.get(j).is_some_and(|x| x.text == "%")
                    || (word_at(&t, j).as_deref() == Some("per") && word_at(&t, j + 1).as_deref() == Some("cent"))
                    || word_at(&t, j).as_deref() == Some("percent")
                {
                    let end =
                        if t[j].text == "%" || word_at(&t, j).as_deref() == Some("percent") { j + 1 } else { j + 2 };
                    out.push(Claim {
                        kind: ClaimKind::Percent { value, unit: 10f64.powi(-(decimals as i32)) },
                        written: written(i, end),
                    });
                    i = end;
                    continue;
                }
                let scale = word_at(&t, j).and_then(|w| multiplier(&w)).filter(|_| !(t[j].text == "m" && t[j].spaced));
                if scale.is_some() {
                    j += 1;
                }
                let significant = digits.chars().filter(char::is_ascii_digit).count();
                if significant >= 2 || scale.is_some() {
                    let scale = scale.unwrap_or(1.0);
                    out.push(Claim {
                        kind: ClaimKind::Number { value: value * scale, unit: 10f64.powi(-(decimals as i32)) * scale },
                        written: written(i, j),
                    });
                }
                i = j;
                continue;
            }
        }
        if token.kind == Kind::Word {
            if let Some((kind, next)) = date_at(&t, i) {
                out.push(Claim { kind, written: written(i, next) });
                i = next;
                continue;
            }
            if capitalised(token) {
                let (name, next) = name_at(&t, i, &starts);
                if !name.is_empty() {
                    out.push(Claim { kind: ClaimKind::Name(name), written: written(i, next) });
                }
                i = next;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// After a money figure with no scale: "-2m", "to £2 million" gives the scale of a range.
fn range_multiplier(t: &[Token], j: usize) -> Option<f64> {
    let joined =
        t.get(j).is_some_and(|x| matches!(x.text.as_str(), "-" | "\u{2013}")) || word_at(t, j).as_deref() == Some("to");
    if !joined {
        return None;
    }
    let k = if t.get(j + 1).is_some_and(|x| x.text == "£") { j + 2 } else { j + 1 };
    let (_, _, _, after) = number_at(t, k)?;
    word_at(t, after).and_then(|w| multiplier(&w))
}

/// 2025/26, 2025-26, 2025/2026: a financial year.
fn financial_year_at(t: &[Token], i: usize) -> Option<(ClaimKind, usize)> {
    let first: i32 = t.get(i).filter(|x| x.text.len() == 4)?.text.parse().ok()?;
    t.get(i + 1).filter(|x| !x.spaced && matches!(x.text.as_str(), "/" | "-" | "\u{2013}"))?;
    let second = t.get(i + 2).filter(|x| !x.spaced && x.kind == Kind::Digits)?;
    let follows = match second.text.len() {
        2 => second.text.parse::<i32>().ok()? == (first + 1) % 100,
        4 => second.text.parse::<i32>().ok()? == first + 1,
        _ => false,
    };
    follows.then_some((ClaimKind::FinancialYear(first), i + 3))
}

/// A run of capitalised words (joined by "of", "and" and the like) from `i`:
/// its significant words, and the token after it.
fn name_at(t: &[Token], i: usize, starts: &HashSet<usize>) -> (Vec<String>, usize) {
    let mut words = vec![i];
    let mut j = i + 1;
    loop {
        match t.get(j) {
            Some(x) if capitalised(x) && month(&x.text).is_none() => {
                words.push(j);
                j += 1;
            }
            Some(x)
                if CONNECTORS.contains(&x.text.to_lowercase().as_str()) && t.get(j + 1).is_some_and(capitalised) =>
            {
                j += 1;
            }
            _ => break,
        }
    }
    let at_start = starts.contains(&i);
    let significant: Vec<String> = words
        .iter()
        .enumerate()
        .filter(|(n, _)| !(at_start && *n == 0 && words.len() == 1))
        .map(|(_, k)| t[*k].text.trim_end_matches("'s").trim_end_matches("\u{2019}s").to_lowercase())
        .filter(|w| w.chars().count() > 1 && !NOT_NAMES.contains(&w.as_str()) && !is_weekday(w) && month(w).is_none())
        .collect();
    (significant, j)
}

/// What the sources say, in comparable form.
#[derive(Debug, Default, Clone)]
pub struct Evidence {
    money: Vec<f64>,
    percents: Vec<f64>,
    numbers: Vec<f64>,
    dates: Vec<(Option<i32>, u32, Option<u32>)>,
    financial_years: HashSet<i32>,
    times: HashSet<u32>,
    votes: HashSet<(u32, u32)>,
    words: HashSet<String>,
}

impl Evidence {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut evidence = Self::default();
        for text in texts {
            evidence.add(text);
        }
        evidence
    }

    pub fn add(&mut self, text: &str) {
        let t = tokens(text);
        for i in 0..t.len() {
            // Financial years wherever they stand ("November 2024-25" reads as a month first).
            if let Some((ClaimKind::FinancialYear(first), _)) = financial_year_at(&t, i) {
                self.financial_years.insert(first);
            }
            // Reports also write a financial year short: "budgets for 25-26".
            let short = |k: usize| {
                t.get(k)
                    .filter(|x| x.kind == Kind::Digits && x.text.len() == 2)
                    .and_then(|x| x.text.parse::<i32>().ok())
            };
            if let (Some(a), Some(sep), Some(b)) = (short(i), t.get(i + 1), short(i + 2)) {
                if matches!(sep.text.as_str(), "/" | "-" | "\u{2013}")
                    && !sep.spaced
                    && !t[i + 2].spaced
                    && b == (a + 1) % 100
                {
                    self.financial_years.insert(2000 + a);
                }
            }
        }
        // Recorded votes as minutes print them: "For (57)", names, "Against (0)".
        let mut in_favour = None;
        for i in 0..t.len() {
            let counted = || {
                (t.get(i + 1)?.text == "(").then_some(())?;
                t.get(i + 2).filter(|x| x.kind == Kind::Digits)?.text.parse::<u32>().ok()
            };
            match word_at(&t, i).as_deref() {
                Some("for") => in_favour = counted().or(in_favour),
                Some("against") => {
                    if let (Some(n), Some(m)) = (in_favour.take(), counted()) {
                        self.votes.insert((n, m));
                    }
                }
                _ => {}
            }
        }
        for token in t {
            match token.kind {
                Kind::Word => {
                    let word = token.text.to_lowercase();
                    let bare = word.trim_end_matches("'s").trim_end_matches("\u{2019}s").to_string();
                    self.words.insert(bare);
                    self.words.insert(word);
                }
                // Every figure as written, so that a time or a date part stands as a plain number too.
                Kind::Digits => {
                    if let Ok(value) = token.text.parse() {
                        self.numbers.push(value);
                    }
                }
                Kind::Symbol => {}
            }
        }
        for claim in claims(text) {
            match claim.kind {
                ClaimKind::Money { pounds, .. } => {
                    self.money.push(pounds);
                    self.numbers.push(pounds);
                }
                ClaimKind::Percent { value, .. } => {
                    self.percents.push(value);
                    self.numbers.push(value);
                }
                ClaimKind::Number { value, .. } => {
                    // "£m: 24.0" in a table: a scaled figure may be money written without the sign.
                    self.numbers.push(value);
                    self.money.push(value);
                }
                ClaimKind::Date { year, month, day } => {
                    self.dates.push((year, month, day));
                    self.numbers.extend(year.map(f64::from));
                }
                ClaimKind::FinancialYear(first) => {
                    self.financial_years.insert(first);
                    self.numbers.extend([f64::from(first), f64::from(first + 1)]);
                }
                ClaimKind::Time(minutes) => {
                    self.times.insert(minutes);
                }
                ClaimKind::Vote { in_favour, against } => {
                    self.votes.insert((in_favour, against));
                }
                ClaimKind::Name(_) => {}
            }
        }
    }

    /// Whether the sources bear the claim out (a rounded figure matches what it rounds).
    pub fn supports(&self, claim: &ClaimKind) -> bool {
        let near = |values: &[f64], value: f64, unit: f64| {
            values.iter().any(|v| (v - value).abs() <= unit / 2.0 + value.abs() * 1e-9 && (*v == 0.0) == (value == 0.0))
        };
        match claim {
            ClaimKind::Money { pounds, unit } => near(&self.money, *pounds, *unit),
            ClaimKind::Percent { value, unit } => near(&self.percents, *value, *unit),
            ClaimKind::Number { value, unit } => near(&self.numbers, *value, *unit),
            ClaimKind::Date { year, month, day } => self.dates.iter().any(|(y, m, d)| {
                m == month
                    && (day.is_none() || d.is_none() || d == day)
                    && (day.is_some() || d.is_some() || year.is_some())
                    && (year.is_none() || y.is_none() || y == year)
            }),
            ClaimKind::FinancialYear(first) => self.financial_years.contains(first),
            ClaimKind::Time(minutes) => self.times.contains(minutes),
            ClaimKind::Vote { in_favour, against } => self.votes.contains(&(*in_favour, *against)),
            ClaimKind::Name(words) => words.iter().all(|w| self.words.contains(w)),
        }
    }
}

pub use super::sentences::sentences;

/// A sentence left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    pub sentence: String,
    pub reason: String,
}

/// The claims in `sentence` that the evidence does not bear out, described.
pub fn unsupported(sentence: &str, evidence: &Evidence) -> Vec<String> {
    claims(sentence)
        .into_iter()
        .filter(|c| !evidence.supports(&c.kind))
        .map(|c| format!("{} \"{}\" is not in the sources", c.kind.label(), c.written))
        .collect()
}

/// Keeps the sentences of `text` whose every claim the evidence bears out.
pub fn keep_supported(text: &str, evidence: &Evidence) -> (String, Vec<Dropped>) {
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for sentence in sentences(text) {
        let missing = unsupported(sentence, evidence);
        if missing.is_empty() {
            kept.push(sentence);
        } else {
            dropped.push(Dropped { sentence: sentence.to_string(), reason: missing.join("; ") });
        }
    }
    (kept.join(" "), dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kent County Council, Cabinet, 30 January 2025, printed minutes (tests/fixtures/pdf).
    const KENT_CABINET: &str = "Mr Oakford, Deputy Leader and Cabinet Member for Finance, Corporate and
Traded Services, introduced the report which set out the revenue and capital
budget monitoring position as at November 2024-25 which highlighted a
projected overspend of \u{a3}23.3 million and represented 1.6% of the Council's
total revenue budget. This was a reduction of \u{a3}3.5 million compared to the end
of Q2, however, it remained a significant concern for the Authority. It was
essential to take action to reduce the forecast for 2024-25.
The current estimated capital program spend for the year was forecast to be
\u{a3}315.5 million, representing 74% of the approved budget.
Since July 2024, the Small Business Board had approved over \u{a3}2 million in loans, averaging \u{a3}400,000 per
month. RESOLVED that the minutes of the meeting on 9 January 2025 were a correct record.
To address the shortfall, the council planned to raise council tax by 2.99% and
an additional 2% for the social care premium, bringing in \u{a3}47.3 million.
Held at Council Chamber, Sessions House, County Hall, Maidstone on Thursday, 30 January 2025 at 10.00 am.";

    /// Kent County Council, 13 February 2025, printed minutes: a recorded vote.
    const KENT_COUNCIL_VOTE: &str = "voting was as follows:\n\nFor (57)\n\nMr Baker, Mr Baldock, Mr Bartlett, Mrs Bell\n\nAgainst (0)\n\nAbstain (2)\n\nMr B Lewis, Mr D Ross\nMotion carried.";

    /// The indicative budget in the item report (kent_cabinet-2025-01-30_item-report-24-00109).
    const KENT_REPORT: &str = "The indicative total budget to be transferred, at the time of writing this report, will be approximately \u{a3}59m, comprising \u{a3}56m for package costs and \u{a3}3m for staffing (based on indicative budgets for 25-26).";

    fn evidence() -> Evidence {
        Evidence::new([KENT_CABINET, KENT_COUNCIL_VOTE, KENT_REPORT])
    }

    fn checked(sentence: &str) -> Vec<String> {
        unsupported(sentence, &evidence())
    }

    #[test]
    fn money_written_any_way_is_the_same_money() {
        assert_eq!(checked("The overspend is projected at \u{a3}23.3m."), Vec::<String>::new());
        assert!(checked("The overspend is projected at \u{a3}23,300,000.").is_empty());
        assert!(checked("Capital spend was forecast at \u{a3}315.5 million.").is_empty());
        assert!(
            checked("The budget is \u{a3}59 million, with \u{a3}56m for packages and \u{a3}3m for staff.").is_empty()
        );
        assert!(checked("Loans averaged \u{a3}400k a month.").is_empty());
        assert!(checked("Loans averaged \u{a3}0.4m a month.").is_empty());
    }

    #[test]
    fn a_wrong_amount_is_caught() {
        let missing = checked("The overspend is projected at \u{a3}2.33m.");
        assert_eq!(missing, ["amount \"\u{a3}2.33m\" is not in the sources"]);
        assert_eq!(checked("The overspend is \u{a3}233 million.").len(), 1);
        assert_eq!(checked("Capital spend was \u{a3}31.5 million.").len(), 1);
    }

    #[test]
    fn a_rounded_amount_matches_what_it_rounds() {
        assert!(checked("The overspend is about \u{a3}23m.").is_empty(), "23.3 rounds to 23");
        assert!(checked("Capital spend was forecast at \u{a3}316m.").is_empty(), "315.5 rounds to 316");
        assert_eq!(checked("The overspend is about \u{a3}25m.").len(), 1);
    }

    #[test]
    fn ranges_and_mixed_amounts() {
        let evidence = Evidence::new([
            "A \u{a3}1.2 million capital and \u{a3}300k revenue budget; costs of \u{a3}1m to \u{a3}2m.",
        ]);
        assert!(unsupported("It has \u{a3}1.2m capital and \u{a3}300,000 revenue.", &evidence).is_empty());
        assert!(
            unsupported("Costs will be \u{a3}1-2m.", &evidence).is_empty(),
            "the second figure's scale is the first's"
        );
        assert!(unsupported("Costs will be \u{a3}1 to \u{a3}2 million.", &evidence).is_empty());
        assert_eq!(unsupported("Costs will be \u{a3}1-3m.", &evidence).len(), 1);
        assert_eq!(unsupported("It has \u{a3}12m capital.", &evidence).len(), 1);
    }

    #[test]
    fn percentages_and_plain_figures() {
        assert!(checked("That is 1.6% of the revenue budget and 74 per cent of the capital budget.").is_empty());
        assert!(checked("Council tax rises by 2.99% plus 2% for social care.").is_empty());
        assert_eq!(checked("Council tax rises by 4.99%.").len(), 1);
        assert_eq!(checked("The Board made 350 loans.").len(), 1, "a figure the papers never give");
        assert!(checked("Spending was 74 per cent of budget.").is_empty());
        assert!(checked("Two councillors abstained.").is_empty(), "words are not figures");
        assert!(checked("It is 3 times larger.").is_empty(), "single digits are not checked");
    }

    #[test]
    fn dates_written_any_way_are_the_same_date() {
        for date in [
            "30 January 2025",
            "30th January 2025",
            "January 30, 2025",
            "30/01/2025",
            "30.01.25",
            "2025-01-30",
            "Thursday 30 January",
            "30 Jan 2025",
        ] {
            assert!(checked(&format!("The Cabinet met on {date}.")).is_empty(), "{date}");
        }
        assert!(checked("The minutes of 9th January 2025 were approved.").is_empty());
        assert_eq!(checked("The Cabinet met on 31 January 2025.").len(), 1);
        assert_eq!(checked("The Cabinet met on 30 January 2024.").len(), 1);
        assert_eq!(checked("The Cabinet met on 30/03/2025.").len(), 1);
        assert!(checked("Loans have been made since July 2024.").is_empty());
        assert_eq!(checked("Loans have been made since March 2024.").len(), 1);
        assert!(checked("The council may decide later.").is_empty(), "may, the verb, is no month");
    }

    #[test]
    fn financial_years_and_times_that_look_like_decimals() {
        assert!(checked("The forecast for 2024/25 is an overspend.").is_empty());
        assert!(checked("The forecast for 2024-2025 is an overspend.").is_empty());
        assert!(checked("Budgets for 2025/26 are indicative.").is_empty(), "the report writes it 25-26");
        assert_eq!(checked("The forecast for 2023/24 is an overspend.").len(), 1);
        assert!(checked("The meeting began at 10am.").is_empty());
        assert!(checked("The meeting began at 10:00.").is_empty());
        assert!(checked("The meeting began at 10.00 a.m.").is_empty());
        assert_eq!(checked("The meeting began at 10.30am.").len(), 1);
        assert_eq!(checked("The meeting began at 2pm.").len(), 1);
    }

    #[test]
    fn vote_counts() {
        assert!(checked("The motion was carried with 57 for and 0 against.").is_empty());
        assert!(checked("Members voted 57 votes to 0.").is_empty());
        assert!(checked("For: 57, against: 0.").is_empty());
        assert_eq!(checked("The motion was carried, 7 for, 3 against.").len(), 1);
        let evidence = Evidence::new(["The recommendation was carried (7 in favour, 3 against, 1 abstention)."]);
        assert!(unsupported("It was carried 7 for, 3 against.", &evidence).is_empty());
        assert_eq!(unsupported("It was carried 3 for, 7 against.", &evidence).len(), 1);
    }

    #[test]
    fn names_of_people_and_organisations() {
        assert!(checked("Mr Oakford introduced the report.").is_empty());
        assert!(checked("Members heard from the Small Business Board.").is_empty());
        assert!(checked("Councillor Oakford, the Deputy Leader, said more was needed.").is_empty());
        assert_eq!(checked("Councillor Jane Smith introduced the report.").len(), 1);
        assert_eq!(checked("The report was welcomed by Network Rail.").len(), 1);
        assert!(
            checked("Residents will see changes soon.").is_empty(),
            "a capital that starts a sentence says nothing"
        );
        assert!(checked("In Maidstone, the Cabinet met.").is_empty());
        assert_eq!(checked("In Ashford, the Cabinet met.").len(), 1);
    }

    #[test]
    fn sentences_keep_abbreviations_and_decimals_whole() {
        assert_eq!(
            sentences("Cllr. Smith spoke. The cost is \u{a3}1.2m. \"It works.\" Next item? Yes!"),
            ["Cllr. Smith spoke.", "The cost is \u{a3}1.2m.", "\"It works.\"", "Next item?", "Yes!"]
        );
    }

    #[test]
    fn only_sentences_the_sources_bear_out_are_kept() {
        let (kept, dropped) = keep_supported(
            "The Cabinet noted an overspend of \u{a3}23.3m. It was told the overspend was \u{a3}2.33m in 2023/24. Mr Oakford said action was needed.",
            &evidence(),
        );
        assert_eq!(kept, "The Cabinet noted an overspend of \u{a3}23.3m. Mr Oakford said action was needed.");
        assert_eq!(dropped.len(), 1);
        assert!(dropped[0].reason.contains("\u{a3}2.33m") && dropped[0].reason.contains("2023/24"), "{dropped:?}");
    }
}

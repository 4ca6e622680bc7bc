//! Reading the checkable things a text says: money, percentages and fractions,
//! figures (with the noun they count), dates, financial years, times, votes
//! and names; each with how precisely it was written.

use std::collections::HashSet;

use super::calendar::{date_at, financial_year_at, is_weekday, month, month_alone_at, time_at, year_range_at, Date};
use super::tokens::{
    hedge_before, joined, multiplier, number_at, singular, tokens, word_at, Hedge, Kind, Token, Written,
};
use super::votes::{labelled_vote_at, unanimous_at, vote_at, Tally};

/// One checkable thing a sentence says, where it says it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub kind: ClaimKind,
    pub written: String,
    /// Byte offsets of `written` in the text read.
    pub start: usize,
    pub end: usize,
}

/// A figure as written: its value, the precision it was given to, and the hedge before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    pub value: f64,
    pub precision: f64,
    pub hedge: Hedge,
}

/// The values a figure allows, each end open or closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub low: f64,
    pub high: f64,
    pub low_open: bool,
    pub high_open: bool,
}

impl Span {
    fn closed(low: f64, high: f64) -> Self {
        Self { low, high, low_open: false, high_open: false }
    }

    /// Whether every value of `inner` lies in this span.
    pub fn contains(&self, inner: &Span) -> bool {
        let tolerance = self.high.abs().max(inner.high.abs()).max(1.0) * 1e-9;
        let low = self.low < inner.low - tolerance
            || ((self.low - inner.low).abs() <= tolerance && (!self.low_open || inner.low_open));
        let high = self.high > inner.high + tolerance
            || ((self.high - inner.high).abs() <= tolerance && (!self.high_open || inner.high_open));
        low && high
    }
}

impl Figure {
    fn around(&self, below: f64, above: f64) -> Span {
        Span::closed(self.value - below, self.value + above)
    }

    /// What a reader takes the figure to mean: a plain figure rounded at its
    /// precision, a hedged one within the hedge's reach.
    pub fn claimed(&self) -> Span {
        let (v, p) = (self.value, self.precision);
        match self.hedge {
            Hedge::Plain | Hedge::About => self.around(p / 2.0, p / 2.0),
            Hedge::Over => Span { low_open: true, high_open: true, ..Span::closed(v, v + p) },
            Hedge::JustOver => Span { low_open: true, ..Span::closed(v, v + p / 2.0) },
            Hedge::AtLeast => Span::closed(v, v + p),
            Hedge::Nearly => Span { high_open: true, ..Span::closed(v - p / 2.0, v) },
            Hedge::Under => Span { high_open: true, ..Span::closed(v - p, v) },
            Hedge::UpTo => Span::closed(v - p, v),
        }
    }

    /// What a source states: a plain figure is exactly itself.
    pub fn stated(&self) -> Span {
        match self.hedge {
            Hedge::Plain => Span::closed(self.value, self.value),
            _ => self.claimed(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClaimKind {
    Money(Figure),
    Percent(Figure),
    /// A figure, and the noun it counts where the text gives one ("400 homes").
    Number {
        figure: Figure,
        nouns: Vec<String>,
        /// The other end where the figure opens a range ("18-25"): a range matches a range.
        range_to: Option<f64>,
    },
    Date(Date),
    /// A financial year by its first calendar year (2025/26: 2025).
    FinancialYear(i32),
    /// Minutes after midnight.
    Time(u32),
    Vote(Tally),
    Unanimous,
    /// A reference number as written ("24/00109", "25/01184/FUL"), upper-cased.
    Reference(String),
    /// The significant words of a name, lower-cased; `opener` when its first
    /// word opens a sentence and may not be part of the name ("During Public Question Time").
    Name {
        words: Vec<String>,
        opener: bool,
    },
}

impl ClaimKind {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Money(_) => "amount",
            Self::Percent(_) => "percentage",
            Self::Number { .. } => "figure",
            Self::Date(_) => "date",
            Self::FinancialYear(_) => "financial year",
            Self::Time(_) => "time",
            Self::Vote(_) | Self::Unanimous => "vote",
            Self::Reference(_) => "reference",
            Self::Name { .. } => "name",
        }
    }
}

/// How precisely a number was written: decimals as given; trailing zeros of a
/// number of three digits or more, or of any hedged number, as rounding; a
/// year, and a plain number of one or two digits, exactly.
fn precision(n: &Written, hedged: bool, scale: f64) -> f64 {
    let year_like = n.digits == 4 && (1900.0..=2100.0).contains(&n.value) && scale == 1.0;
    let unit =
        if n.unit < 1.0 || n.in_words || year_like || (n.digits < 3 && !hedged) { n.unit.min(1.0) } else { n.unit };
    unit * scale
}

/// A hedge written after a figure and its noun: "two months or more", "20-plus".
fn hedge_after(t: &[Token], next: usize) -> Option<Hedge> {
    for k in next..(next + 4).min(t.len()) {
        let word = word_at(t, k)?;
        match (word.as_str(), word_at(t, k + 1).as_deref()) {
            ("or", Some("more" | "over" | "above" | "longer")) | ("plus", _) => return Some(Hedge::AtLeast),
            ("or", Some("less" | "fewer" | "under" | "below")) => return Some(Hedge::UpTo),
            _ => {}
        }
    }
    None
}

/// Nouns of time: "over two years" is a period, not more than two.
const PERIODS: &[&str] = &["year", "month", "week", "day", "hour", "period", "decade"];

fn figure(t: &[Token], at: usize, n: &Written, scale: f64) -> Figure {
    let mut hedge = match hedge_before(t, at) {
        Hedge::Plain => hedge_after(t, n.next).unwrap_or(Hedge::Plain),
        before => before,
    };
    let over = at.checked_sub(1).and_then(|k| word_at(t, k)).is_some_and(|w| w == "over");
    if over && word_at(t, n.next).is_some_and(|noun| PERIODS.contains(&singular(&noun).as_str())) {
        hedge = Hedge::Plain;
    }
    let mut precision = precision(n, hedge != Hedge::Plain, scale);
    // Rounding reaches a tenth of the figure at most, and never less than the
    // last digit written; "almost" and "just over" a tenth at most: "almost
    // 1,000" is not 894, "almost £2bn" not £1.53bn, though "more than 22,000" may be 22,866.
    let tenth = n.value * scale / 10.0;
    match hedge {
        Hedge::Plain | Hedge::About if n.unit >= 1.0 => precision = precision.min(tenth.max(scale.min(precision))),
        Hedge::Nearly | Hedge::JustOver if n.unit >= 1.0 => precision = precision.min(tenth),
        _ => {}
    }
    Figure { value: n.value * scale, precision, hedge }
}

/// The scale word after a number ("m", "million", "bn"), joined or spaced; answers it and the token after.
fn scale_at(t: &[Token], j: usize) -> Option<(f64, usize)> {
    let word = word_at(t, j)?;
    // "m" spaced from its number is more often metres.
    if word == "m" && t[j].spaced {
        return None;
    }
    multiplier(&word).map(|s| (s, j + 1))
}

/// After a money figure with no scale: "-2m", "to £2 million" gives the scale of a range.
fn range_multiplier(t: &[Token], j: usize) -> Option<f64> {
    let joined_by =
        t.get(j).is_some_and(|x| matches!(x.text.as_str(), "-" | "\u{2013}")) || word_at(t, j).as_deref() == Some("to");
    if !joined_by {
        return None;
    }
    let k = if t.get(j + 1).is_some_and(|x| x.text == "£") { j + 2 } else { j + 1 };
    let n = number_at(t, k)?;
    word_at(t, n.next).and_then(|w| multiplier(&w))
}

/// "per cent", "percent", "%" at `j`: answers the token after.
fn percent_sign(t: &[Token], j: usize) -> Option<usize> {
    if t.get(j).is_some_and(|x| x.text == "%") {
        return Some(j + 1);
    }
    match word_at(t, j).as_deref() {
        Some("percent") => Some(j + 1),
        Some("per") if word_at(t, j + 1).as_deref() == Some("cent") => Some(j + 2),
        _ => None,
    }
}

/// The other end of a range after a number ("to 11 per cent", "-25"), so that
/// the first end takes the range's unit or noun.
fn range_end(t: &[Token], j: usize) -> Option<Written> {
    let joined_by =
        t.get(j).is_some_and(|x| matches!(x.text.as_str(), "-" | "\u{2013}")) || word_at(t, j).as_deref() == Some("to");
    joined_by.then(|| number_at(t, j + 1)).flatten()
}

/// The first end of a range that ends at `i` ("18-25": 18 for the 25).
fn range_start(t: &[Token], i: usize) -> Option<f64> {
    let joins = |k: usize| {
        t.get(k).is_some_and(|x| matches!(x.text.as_str(), "-" | "\u{2013}")) || word_at(t, k).as_deref() == Some("to")
    };
    let k = i.checked_sub(2)?;
    (joins(i - 1) && t[k].kind == Kind::Digits).then(|| t[k].text.parse().ok()).flatten()
}

/// Words skipped between a figure and the noun it counts.
const BEFORE_NOUN: &[&str] = &[
    "of",
    "the",
    "a",
    "an",
    "more",
    "new",
    "further",
    "additional",
    "extra",
    "other",
    "than",
    "or",
    "some",
    "young",
    "older",
    "local",
    "vulnerable",
    "affordable",
    "small",
    "large",
    "major",
    "key",
    "separate",
    "different",
    "full",
    "part",
    "time",
    "per",
    "cent",
];

/// Words after a figure that say it counts nothing named there.
const NOT_NOUNS: &[&str] = &[
    "them", "these", "those", "they", "which", "who", "were", "was", "is", "are", "be", "been", "had", "has", "have",
    "will", "would", "could", "should", "may", "might", "in", "on", "at", "to", "for", "from", "by", "with", "and",
    "as", "that", "this", "it", "its", "their", "his", "her", "out", "up", "over", "under", "into", "across", "times",
];

/// The nouns a figure may count: the words after it (past a range's other end
/// and adjectives), up to a word that names nothing.
fn nouns_after(t: &[Token], mut j: usize) -> Vec<String> {
    if let Some(end) = range_end(t, j) {
        j = end.next;
    }
    let mut nouns = Vec::new();
    for k in j..(j + 4).min(t.len()) {
        let x = &t[k];
        if x.text == "-" && !x.spaced {
            continue;
        }
        if x.kind != Kind::Word {
            break;
        }
        let word = x.lower();
        // A verb in the past ("abstained", "approved") names nothing counted.
        if NOT_NOUNS.contains(&word.as_str()) || (word.len() >= 5 && word.ends_with("ed")) {
            break;
        }
        if !BEFORE_NOUN.contains(&word.as_str()) {
            nouns.push(singular(&word));
        }
        if nouns.len() == 3
            || (!nouns.is_empty()
                && !joined(t, k + 1, "-")
                && t.get(k + 1).is_some_and(|n| n.kind == Kind::Word && NOT_NOUNS.contains(&n.lower().as_str())))
        {
            break;
        }
    }
    nouns
}

const FRACTIONS: [(&str, f64); 5] = [("half", 2.0), ("third", 3.0), ("quarter", 4.0), ("fifth", 5.0), ("tenth", 10.0)];

/// "a quarter of", "two thirds of", "half of", "four in five": a share, as a percentage.
fn fraction_at(t: &[Token], i: usize) -> Option<(Figure, usize)> {
    let hedge = hedge_before(t, i);
    let widen = |share: f64, parts: f64, next: usize| {
        let precision = if matches!(hedge, Hedge::Over | Hedge::Under | Hedge::AtLeast | Hedge::UpTo) {
            100.0 / parts / 2.0
        } else {
            5.0
        };
        (Figure { value: share, precision, hedge }, next)
    };
    // four in five, 9 in 10
    if let Some(n) = number_at(t, i) {
        if word_at(t, n.next).as_deref() == Some("in") {
            if let Some(m) = number_at(t, n.next + 1) {
                if m.value >= 2.0 && m.value <= 100.0 && n.value < m.value && n.value >= 1.0 && !m.ordinal {
                    return Some(widen(n.value * 100.0 / m.value, m.value, m.next));
                }
            }
        }
    }
    let word = word_at(t, i)?;
    // "the second half of the year", "six and a half": no share.
    let before = i.checked_sub(1).and_then(|k| word_at(t, k)).unwrap_or_default();
    if ["first", "second", "last", "latter", "former", "other", "the", "and"].contains(&before.as_str()) {
        return None;
    }
    let (count, j) = match word.as_str() {
        "a" | "one" => (1.0, i + 1),
        "two" => (2.0, i + 1),
        "three" => (3.0, i + 1),
        "half" => (1.0, i),
        _ => return None,
    };
    let part = word_at(t, j)?;
    let (_, parts) = FRACTIONS.iter().find(|(name, _)| part == *name || part == format!("{name}s"))?;
    if *parts == 2.0 && count > 1.0 {
        return None;
    }
    // "half of", "a third of": a share only when it is of something.
    (word_at(t, j + 1).as_deref() == Some("of")).then(|| widen(count * 100.0 / parts, *parts, j + 1))
}

/// The sentence starts in `t`, by token index: a capital there tells nothing.
fn sentence_starts(t: &[Token]) -> HashSet<usize> {
    let mut starts = HashSet::from([0]);
    for (i, token) in t.iter().enumerate() {
        let spaced_dash = matches!(token.text.as_str(), "-" | "\u{2013}" | "\u{2014}")
            && (token.spaced || t.get(i + 1).is_some_and(|n| n.spaced));
        if spaced_dash
            || matches!(token.text.as_str(), "." | "!" | "?" | ":" | ";" | "\"" | "(" | "\u{201c}" | "\u{2022}")
        {
            starts.insert(i + 1);
        }
    }
    starts
}

/// Reads every claim in `text`.
pub fn claims(text: &str) -> Vec<Claim> {
    let t = tokens(text);
    read(text, &t)
}

pub fn read(text: &str, t: &[Token]) -> Vec<Claim> {
    let starts = sentence_starts(t);
    let mut out = Vec::new();
    let mut push = |kind: ClaimKind, from: usize, to: usize| {
        let (start, end) = (t[from].start, t[to - 1].end);
        out.push(Claim { kind, written: text[start..end].to_string(), start, end });
    };
    let mut i = 0;
    while i < t.len() {
        let token = &t[i];
        if let Some((tally, next)) = vote_at(t, i).or_else(|| labelled_vote_at(t, i)) {
            push(ClaimKind::Vote(tally), i, next);
            i = next;
            continue;
        }
        if let Some(next) = unanimous_at(t, i) {
            push(ClaimKind::Unanimous, i, next);
            i = next;
            continue;
        }
        if token.text == "£" {
            if let Some(n) = number_at(t, i + 1).filter(|n| !n.in_words) {
                let (mut scale, mut j) = (1.0, n.next);
                if let Some((s, after)) = scale_at(t, j) {
                    (scale, j) = (s, after);
                } else if let Some(s) = range_multiplier(t, j) {
                    // £1-2m, £1 to £2 million: the first figure's scale is the second's.
                    scale = s;
                }
                push(ClaimKind::Money(figure(t, i, &n, scale)), i, j);
                // £1-2m, £1 to £2 million: the range's other end is money too.
                let joins = t.get(j).is_some_and(|x| matches!(x.text.as_str(), "-" | "\u{2013}"))
                    || word_at(t, j).as_deref() == Some("to");
                let k = if t.get(j + 1).is_some_and(|x| x.text == "£") { j + 2 } else { j + 1 };
                if let Some(other) = number_at(t, k).filter(|o| joins && !o.in_words) {
                    let (scale, after) = scale_at(t, other.next).unwrap_or((scale, other.next));
                    push(ClaimKind::Money(figure(t, k, &other, scale)), k, after);
                    i = after;
                    continue;
                }
                i = j;
                continue;
            }
        }
        if let Some((date, next)) = date_at(t, i) {
            push(ClaimKind::Date(date), i, next);
            i = next;
            continue;
        }
        if token.kind == Kind::Digits || token.kind == Kind::Word {
            if let Some((minutes, next)) = time_at(t, i) {
                push(ClaimKind::Time(minutes), i, next);
                i = next;
                continue;
            }
        }
        if token.kind == Kind::Digits {
            if let Some((first, next)) = financial_year_at(t, i) {
                push(ClaimKind::FinancialYear(first), i, next);
                i = next;
                continue;
            }
            if let Some((first, last, next)) = year_range_at(t, i) {
                for year in [first, last] {
                    let figure = Figure { value: f64::from(year), precision: 1.0, hedge: Hedge::Plain };
                    push(ClaimKind::Number { figure, nouns: Vec::new(), range_to: None }, i, next);
                }
                i = next;
                continue;
            }
            // 25/26: a financial year written short.
            if let Some(first) = short_year_pair(t, i) {
                push(ClaimKind::FinancialYear(first), i, i + 3);
                i += 3;
                continue;
            }
            if let Some(next) = reference_at(t, i) {
                push(ClaimKind::Reference(text[t[i].start..t[next - 1].end].to_uppercase()), i, next);
                i = next;
                continue;
            }
        }
        if let Some((share, next)) = fraction_at(t, i) {
            push(ClaimKind::Percent(share), i, next);
            i = next;
            continue;
        }
        if let Some(n) = number_at(t, i) {
            let mut j = n.next;
            // "six and a half per cent"
            let mut n = n;
            if word_at(t, j).as_deref() == Some("and")
                && word_at(t, j + 1).as_deref() == Some("a")
                && word_at(t, j + 2).as_deref() == Some("half")
            {
                n.value += 0.5;
                n.unit = 0.5;
                j += 3;
            }
            // 50p, 20 pence
            if !n.in_words && word_at(t, j).is_some_and(|w| (w == "p" && !t[j].spaced) || w == "pence") {
                let pence = Figure { value: n.value / 100.0, precision: 0.01, hedge: hedge_before(t, i) };
                push(ClaimKind::Money(pence), i, j + 1);
                i = j + 1;
                continue;
            }
            if let Some(end) = percent_sign(t, j) {
                push(ClaimKind::Percent(figure(t, i, &n, 1.0)), i, end);
                i = end;
                continue;
            }
            // 10 to 11 per cent: both ends are percentages.
            if let Some(other) = range_end(t, j) {
                if percent_sign(t, other.next).is_some() {
                    push(ClaimKind::Percent(figure(t, i, &n, 1.0)), i, j);
                    i = j;
                    continue;
                }
            }
            let scaled = scale_at(t, j).filter(|_| !n.ordinal || n.in_words);
            let (scale, after) = scaled.unwrap_or((1.0, j));
            // A reference number ("24/00109", "25/01184/FUL") is no figure.
            let reference = joined(t, after, "/") || (i > 0 && joined(t, i, "/") && t[i - 1].text == "/");
            // A year names a time, not a count of anything.
            let year = n.digits == 4 && (1900.0..=2100.0).contains(&n.value) && scaled.is_none();
            let nouns = if year { Vec::new() } else { nouns_after(t, after) };
            // A single digit is checked where it counts something named ("three years");
            // "one" is too often no number at all ("one of the").
            let small = n.value < 10.0 && n.value.fract() == 0.0 && scaled.is_none() && !n.ordinal;
            let significant = !small || (n.value >= 2.0 && !nouns.is_empty());
            if significant && !reference {
                let range_to = range_end(t, after).map(|end| end.value).or_else(|| range_start(t, i));
                push(ClaimKind::Number { figure: figure(t, i, &n, scale), nouns, range_to }, i, after);
            }
            i = after.max(i + 1);
            continue;
        }
        if token.kind == Kind::Word {
            if let Some((date, next)) = month_alone_at(t, i) {
                push(ClaimKind::Date(date), i, next);
                i = next;
                continue;
            }
            if token.capitalised() {
                let (name, opener, next) = name_at(t, i, &starts);
                if !name.is_empty() {
                    push(ClaimKind::Name { words: name, opener }, i, next);
                }
                i = next;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// A reference number: digit groups and letters joined by slashes, one group
/// of three digits or more ("24/00109", "25/01184/FUL"); not a date or a year pair.
fn reference_at(t: &[Token], i: usize) -> Option<usize> {
    t.get(i).filter(|x| x.kind != Kind::Symbol)?;
    let mut j = i + 1;
    let mut groups = vec![i];
    while joined(t, j, "/") && t.get(j + 1).is_some_and(|x| !x.spaced && x.kind != Kind::Symbol) {
        groups.push(j + 1);
        j += 2;
    }
    let long_digits = groups.iter().any(|k| t[*k].kind == Kind::Digits && t[*k].text.len() >= 3);
    let digits = groups.iter().filter(|k| t[**k].kind == Kind::Digits).count();
    (groups.len() >= 2 && long_digits && digits >= 2 && t[i].kind == Kind::Digits).then_some(j)
}

/// "25/26" in a summary: a financial year written short (with a slash only; "18-25" are ages).
fn short_year_pair(t: &[Token], i: usize) -> Option<i32> {
    let a: i32 = t.get(i).filter(|x| x.text.len() == 2)?.text.parse().ok()?;
    joined(t, i + 1, "/").then_some(())?;
    let b: i32 = t.get(i + 2).filter(|x| !x.spaced && x.text.len() == 2)?.text.parse().ok()?;
    (b == (a + 1) % 100).then_some(2000 + a)
}

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

/// Verbs that say someone spoke or acted: the capital before them is a name.
const REPORTING_VERBS: &[&str] = &[
    "said",
    "says",
    "noted",
    "warned",
    "explained",
    "told",
    "added",
    "argued",
    "asked",
    "proposed",
    "moved",
    "seconded",
    "introduced",
    "presented",
    "confirmed",
    "stated",
    "stressed",
    "highlighted",
    "reported",
    "thanked",
    "welcomed",
    "replied",
    "responded",
    "urged",
    "praised",
    "declared",
    "advised",
    "suggested",
    "questioned",
];

/// Words inside one name ("Secretary of State for Education"); "and" joins two names, so it ends a run.
const CONNECTORS: &[&str] = &["of", "for", "the", "on", "upon", "in", "de", "le"];

/// A run of capitalised words (joined by "of", "and" and the like) from `i`:
/// its significant words, whether its first word opens a sentence, and the token after it.
fn name_at(t: &[Token], i: usize, starts: &HashSet<usize>) -> (Vec<String>, bool, usize) {
    let mut words = vec![i];
    let mut j = i + 1;
    loop {
        match t.get(j) {
            // A number in words ("Two questions") or a heading on the next line ("APOLOGIES:") is not the name's.
            Some(x)
                if x.capitalised()
                    && month(&x.text).is_none()
                    && number_at(t, j).is_none()
                    && !(x.line_start && t.get(j + 1).is_some_and(|n| n.text == ":")) =>
            {
                words.push(j);
                j += 1;
            }
            Some(x) if CONNECTORS.contains(&x.lower().as_str()) && t.get(j + 1).is_some_and(Token::capitalised) => {
                j += 1;
            }
            // Barrington-King, Hammond-Jones: both parts are the name's.
            Some(x) if x.text == "-" && !x.spaced && t.get(j + 1).is_some_and(|n| n.capitalised() && !n.spaced) => {
                j += 1;
            }
            _ => break,
        }
    }
    let at_start = starts.contains(&i);
    let significant = |k: usize| {
        let w = t[k].text.trim_end_matches("'s").trim_end_matches("\u{2019}s").to_lowercase();
        (w.chars().count() > 1 && !NOT_NAMES.contains(&w.as_str()) && !is_weekday(&w) && month(&w).is_none())
            .then_some(w)
    };
    // A capital that opens a sentence says nothing alone, unless it is who spoke ("Oakford said");
    // before more capitals it may or may not be the name's.
    if at_start && words.len() == 1 {
        let speaks = word_at(t, j).is_some_and(|w| REPORTING_VERBS.contains(&w.as_str()));
        let name = significant(i).filter(|_| speaks);
        return (name.into_iter().collect(), false, j);
    }
    let opener = at_start && significant(words[0]).is_some();
    (words.iter().filter_map(|k| significant(*k)).collect(), opener, j)
}

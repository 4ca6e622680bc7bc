//! What the sources say, in comparable form, and where each thing was found:
//! a claim is borne out by evidence of its own kind and magnitude only (a
//! figure by a figure counting the same thing, money by money, a date by a
//! date at least as precise, a vote by a recorded vote).

use std::collections::HashSet;

use super::calendar::{financial_year_at, short_financial_year_at, Date};
use super::read::{read, ClaimKind, Figure};
use super::tokens::{singular, tokens, Hedge, Kind, Token};
use super::votes::{named_lists, recorded, Tally};

/// One thing a source says, and where.
#[derive(Debug, Clone)]
struct Found {
    kind: Stated,
    text: usize,
    start: usize,
    end: usize,
}

#[derive(Debug, Clone)]
enum Stated {
    Money(Figure),
    Percent(Figure),
    /// A figure with the words near it, and whether nothing names what it counts.
    Number {
        figure: Figure,
        near: Vec<String>,
        bare: bool,
        range_to: Option<f64>,
    },
    Date(Date),
    FinancialYear(i32),
    Time(u32),
    Vote(Tally),
    Unanimous,
    Reference(String),
}

#[derive(Debug, Clone)]
struct Text {
    origin: Option<usize>,
    text: String,
    /// Its words in order, lower-cased without a possessive, with where each stands.
    sequence: Vec<(String, usize, usize)>,
}

/// Where a claim was found: the source (as the caller numbered it when adding
/// the text; none for the meeting's own particulars), the words that bear it
/// out, and the passage around them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub origin: Option<usize>,
    pub found: String,
    pub context: String,
}

#[derive(Debug, Default, Clone)]
pub struct Evidence {
    texts: Vec<Text>,
    found: Vec<Found>,
    words: HashSet<String>,
    /// The date texts without a full date of their own are read against (the meeting's).
    reference: Option<Date>,
}

/// How many words either side of a figure may name what it counts.
const NEAR: usize = 5;

impl Evidence {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut evidence = Self::default();
        for text in texts {
            evidence.add(text);
        }
        evidence
    }

    /// Dates written without a year are read as the ones nearest to `reference`.
    pub fn dated(mut self, reference: Option<(i32, u32, u32)>) -> Self {
        self.reference = reference.map(|(year, month, day)| Date { year: Some(year), month, day: Some(day) });
        self
    }

    /// A text of the meeting's own (its title, date, agenda): evidence with no source to link.
    pub fn add(&mut self, text: &str) {
        self.add_text(text, None);
    }

    /// A source's text, numbered by the caller so that a match can name it.
    pub fn add_source(&mut self, text: &str, origin: usize) {
        self.add_text(text, Some(origin));
    }

    fn add_text(&mut self, text: &str, origin: Option<usize>) {
        let t = tokens(text);
        let at = self.texts.len();
        let mut found = Vec::new();
        let readings = read(text, &t);
        let first_full_date = readings.iter().find_map(|c| match &c.kind {
            ClaimKind::Date(d) if d.year.is_some() && d.day.is_some() => Some(*d),
            _ => None,
        });
        let reference = first_full_date.or(self.reference);
        let table_scale = money_table_scale(text);
        // Tokens stand in text order: a claim's first and last token are found by halving, not by a scan each.
        let index_of = |offset: usize| t.partition_point(|x| x.start < offset).min(t.len().saturating_sub(1));
        for claim in &readings {
            let stated = match &claim.kind {
                ClaimKind::Money(f) => Stated::Money(*f),
                ClaimKind::Percent(f) => Stated::Percent(*f),
                ClaimKind::Number { figure, range_to, .. } => {
                    let first = index_of(claim.start);
                    let last = t.partition_point(|x| x.end < claim.end).min(t.len().saturating_sub(1)).max(first);
                    if list_marker(&t, first, last) {
                        continue;
                    }
                    let (near, bare) = surroundings(&t, first, last);
                    if let Some(scale) = table_scale {
                        let pounds =
                            Figure { value: figure.value * scale, precision: figure.precision * scale, ..*figure };
                        found.push(Found { kind: Stated::Money(pounds), text: at, start: claim.start, end: claim.end });
                    }
                    if figure.precision <= 0.01 && figure.value.fract() != 0.0 {
                        found.push(Found {
                            kind: Stated::Money(*figure),
                            text: at,
                            start: claim.start,
                            end: claim.end,
                        });
                    }
                    Stated::Number { figure: *figure, near, bare, range_to: *range_to }
                }
                ClaimKind::Date(date) => {
                    if let Some(year) = date.year {
                        found.push(Found { kind: year_figure(year), text: at, start: claim.start, end: claim.end });
                    }
                    Stated::Date(resolve(*date, reference))
                }
                ClaimKind::FinancialYear(first) => {
                    for year in [*first, first + 1] {
                        found.push(Found { kind: year_figure(year), text: at, start: claim.start, end: claim.end });
                    }
                    Stated::FinancialYear(*first)
                }
                ClaimKind::Time(minutes) => Stated::Time(*minutes),
                ClaimKind::Reference(written) => Stated::Reference(written.clone()),
                ClaimKind::Vote(_) | ClaimKind::Unanimous | ClaimKind::Name { .. } => continue,
            };
            found.push(Found { kind: stated, text: at, start: claim.start, end: claim.end });
        }
        // Financial years wherever they stand ("November 2024-25" reads as a month first), and written short.
        for i in 0..t.len() {
            let pair = financial_year_at(&t, i).or_else(|| short_financial_year_at(&t, i));
            if let Some((first, next)) = pair {
                let end = t[next - 1].end;
                found.push(Found { kind: Stated::FinancialYear(first), text: at, start: t[i].start, end });
            }
        }
        found.extend(shares(text, &readings).into_iter().map(|(share, start, end)| {
            let figure = Figure { value: share, precision: 0.0, hedge: Hedge::Plain };
            Found { kind: Stated::Percent(figure), text: at, start, end }
        }));
        for (count, from, to, nouns) in named_lists(&t) {
            let figure = Figure { value: f64::from(count), precision: 1.0, hedge: Hedge::Plain };
            let near = nouns.iter().map(|n| n.to_string()).collect();
            let kind = Stated::Number { figure, near, bare: false, range_to: None };
            found.push(Found { kind, text: at, start: t[from].start, end: t[to - 1].end });
        }
        let votes = recorded(&t);
        for (tally, from, to) in votes.tallies {
            // A vote with none against agrees: it bears out "unanimously".
            if tally.against == 0 {
                found.push(Found { kind: Stated::Unanimous, text: at, start: t[from].start, end: t[to - 1].end });
            }
            found.push(Found { kind: Stated::Vote(tally), text: at, start: t[from].start, end: t[to - 1].end });
        }
        for (from, to) in votes.unanimous {
            found.push(Found { kind: Stated::Unanimous, text: at, start: t[from].start, end: t[to - 1].end });
        }
        let mut sequence = Vec::new();
        for token in t.iter().filter(|x| x.kind == Kind::Word) {
            let word = token.lower();
            let bare = word.trim_end_matches("'s").trim_end_matches("\u{2019}s").to_string();
            self.words.insert(word);
            self.words.insert(bare.clone());
            sequence.push((bare, token.start, token.end));
        }
        self.found.extend(found);
        self.texts.push(Text { origin, text: text.to_string(), sequence });
    }

    /// Where the sources bear the claim out, if they do.
    pub fn supports(&self, claim: &ClaimKind) -> Option<Match> {
        if let ClaimKind::Name { words, opener } = claim {
            return self.name(words, *opener);
        }
        // A source the reader can open is the better evidence than the meeting's own particulars.
        let mut found = self.found.iter().filter(|f| borne_out(claim, &f.kind));
        let first = found.next()?;
        let sourced = std::iter::once(first).chain(found).find(|f| self.texts[f.text].origin.is_some());
        let best = sourced.unwrap_or(first);
        Some(self.matched(best.text, best.start, best.end))
    }

    fn name(&self, words: &[String], opener: bool) -> Option<Match> {
        let found = |words: &[String]| {
            // A long name is found as a run in one source (in order, close together);
            // a short one may be written apart ("Sittingbourne HWRCs" for "HWRCs (… Sittingbourne)").
            let run = self.sourced_first().find_map(|(at, text)| Some((at, in_order(&text.sequence, words)?)));
            match run {
                Some((at, (start, end))) => Some(self.matched(at, start, end)),
                None if words.len() < 3 && words.iter().all(|w| self.words.contains(w)) => {
                    let last = words.last()?;
                    self.sourced_first().find_map(|(at, text)| {
                        let (_, start, end) = text.sequence.iter().find(|(w, _, _)| w == last)?;
                        Some(self.matched(at, *start, *end))
                    })
                }
                None => None,
            }
        };
        // A sentence's first word may not be the name's: the rest then stands as a run of its own.
        let rest = || {
            let rest = words.get(1..).filter(|r| !r.is_empty())?;
            let (at, (start, end)) =
                self.sourced_first().find_map(|(at, text)| Some((at, in_order(&text.sequence, rest)?)))?;
            Some(self.matched(at, start, end))
        };
        found(words).or_else(|| if opener { rest() } else { None })
    }

    /// The texts, sources first, then the meeting's own particulars.
    fn sourced_first(&self) -> impl Iterator<Item = (usize, &Text)> {
        let (sourced, own): (Vec<_>, Vec<_>) = self.texts.iter().enumerate().partition(|(_, t)| t.origin.is_some());
        sourced.into_iter().chain(own)
    }

    fn matched(&self, at: usize, start: usize, end: usize) -> Match {
        let text = &self.texts[at];
        Match {
            origin: text.origin,
            found: text.text[start..end].to_string(),
            context: context(&text.text, start, end),
        }
    }
}

fn year_figure(year: i32) -> Stated {
    let figure = Figure { value: f64::from(year), precision: 1.0, hedge: Hedge::Plain };
    Stated::Number { figure, near: Vec::new(), bare: true, range_to: None }
}

/// A table headed "£m" or "£000" gives money without the sign: its scale.
fn money_table_scale(text: &str) -> Option<f64> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\'' && *c != '\u{2019}').collect();
    if compact.contains("£m") || compact.contains("(£m)") {
        Some(1e6)
    } else if compact.contains("£000") || compact.contains("£k") {
        Some(1e3)
    } else {
        None
    }
}

/// The words within `NEAR` words of a figure (singular), and whether nothing follows it that could name what it counts.
fn surroundings(t: &[Token], first: usize, last: usize) -> (Vec<String>, bool) {
    let words = |range: Box<dyn Iterator<Item = usize>>| {
        range.filter(|k| t[*k].kind == Kind::Word).take(NEAR).map(|k| singular(&t[k].text)).collect::<Vec<_>>()
    };
    let mut near = words(Box::new((0..first).rev()));
    near.extend(words(Box::new(last + 1..t.len())));
    let next = t.get(last + 1);
    // A figure opening a range ("18-25 section") counts what the range counts.
    let bare = next.is_none_or(|x| x.kind == Kind::Symbol && !matches!(x.text.as_str(), "-" | "\u{2013}"));
    (near, bare)
}

/// Where `words` stand in order in `sequence`, each within three words of the
/// one before (titles and initials may sit between): the byte span.
fn in_order(sequence: &[(String, usize, usize)], words: &[String]) -> Option<(usize, usize)> {
    let first = words.first()?;
    'start: for (p, (w, start, _)) in sequence.iter().enumerate() {
        if w != first {
            continue;
        }
        let mut at = p;
        for word in &words[1..] {
            let next = (at + 1..(at + 4).min(sequence.len())).find(|k| &sequence[*k].0 == word);
            match next {
                Some(k) => at = k,
                None => continue 'start,
            }
        }
        return Some((*start, sequence[at].2));
    }
    None
}

/// Shares a reader works out from a whole and its part stated in one short
/// sentence ("£59m, comprising £56m for package costs and £3m for staffing":
/// 95 % and 5 %; "48 homes, of which 16 would be affordable": a third), as
/// percentages. Only where the sentence says one is part of the other: across
/// a document some pair of figures would give almost any share.
fn shares(text: &str, readings: &[super::read::Claim]) -> Vec<(f64, usize, usize)> {
    const PART_OF: [&str; 9] =
        ["of which", "of whom", "comprising", "including", "of this", "of these", "of them", "out of", "made up of"];
    let mut out = Vec::new();
    let mut offset = 0;
    for sentence in crate::summarise::sentences::sentences(text) {
        let start = text[offset..].find(sentence).map_or(offset, |k| offset + k);
        let end = start + sentence.len();
        offset = end;
        let lower = sentence.to_lowercase();
        if sentence.len() > 300 || !PART_OF.iter().any(|m| lower.contains(m)) {
            continue;
        }
        let values = |money: bool| -> Vec<f64> {
            readings
                .iter()
                .filter(|c| c.start >= start && c.end <= end)
                .filter_map(|c| match &c.kind {
                    ClaimKind::Money(f) if money => Some(f.value),
                    ClaimKind::Number { figure, .. } if !money && figure.precision >= 1.0 => Some(figure.value),
                    _ => None,
                })
                .filter(|v| *v > 1.0 && !(1900.0..=2100.0).contains(v))
                .collect()
        };
        for same_kind in [values(true), values(false)] {
            for a in &same_kind {
                for b in &same_kind {
                    if a < b {
                        out.push((a / b * 100.0, start, end));
                    }
                }
            }
        }
    }
    out
}

/// A paragraph or list number ("(15)", "13.", "2)" at the start of a line) counts nothing.
fn list_marker(t: &[Token], first: usize, last: usize) -> bool {
    let before = first.checked_sub(1).map(|k| t[k].text.as_str());
    let after = t.get(last + 1).map(|x| x.text.as_str());
    (before == Some("(") && after == Some(")")) || (t[first].line_start && matches!(after, Some("." | ")")))
}

/// A date without a year takes the year that puts it nearest the reference date.
fn resolve(date: Date, reference: Option<Date>) -> Date {
    let (Some(reference), None) = (reference, date.year) else { return date };
    let Some(year) = reference.year else { return date };
    let months = |y: i32, m: u32| y * 12 + m as i32;
    let target = months(year, reference.month);
    let best = [year - 1, year, year + 1].into_iter().min_by_key(|y| (months(*y, date.month) - target).abs());
    Date { year: best, ..date }
}

fn borne_out(claim: &ClaimKind, stated: &Stated) -> bool {
    match (claim, stated) {
        (ClaimKind::Money(f), Stated::Money(stated)) => figure_borne_out(f, stated),
        (ClaimKind::Percent(f), Stated::Percent(stated)) => figure_borne_out(f, stated),
        (
            ClaimKind::Number { figure, nouns, range_to },
            Stated::Number { figure: stated, near, bare, range_to: to },
        ) => {
            let same_range = range_to.is_some() && range_to == to;
            figure_borne_out(figure, stated)
                && (nouns.is_empty()
                    || *bare
                    || same_range
                    || nouns.iter().any(|n| near.iter().any(|w| same_noun(w, n))))
        }
        (ClaimKind::Reference(a), Stated::Reference(b)) => a == b,
        (ClaimKind::Date(claimed), Stated::Date(stated)) => {
            claimed.month == stated.month
                && (claimed.day.is_none() || claimed.day == stated.day)
                && (claimed.year.is_none() || stated.year.is_none() || claimed.year == stated.year)
        }
        (ClaimKind::FinancialYear(a), Stated::FinancialYear(b)) => a == b,
        (ClaimKind::Time(a), Stated::Time(b)) => a == b,
        (ClaimKind::Vote(claimed), Stated::Vote(recorded)) => claimed.borne_out_by(recorded),
        (ClaimKind::Unanimous, Stated::Unanimous) => true,
        _ => false,
    }
}

/// A claimed figure against a stated one: the values overlap, and a source that
/// hedged ("over £2 million") bears out only a claim no more precise than itself.
fn figure_borne_out(claimed: &Figure, stated: &Figure) -> bool {
    let as_precise = stated.hedge == Hedge::Plain || claimed.precision >= stated.precision * (1.0 - 1e-9);
    as_precise && claimed.claimed().contains(&stated.stated())
}

/// Nouns a council's papers and a summary use for the same things.
const SAME_THINGS: &[&[&str]] = &[
    &["people", "person", "individual", "resident", "adult", "child", "pupil", "household", "family"],
    &["home", "house", "dwelling", "property", "unit", "flat"],
    &["councillor", "member", "cllr"],
    &["staff", "employee", "worker", "officer", "post", "role", "job"],
    &["year", "yr", "annual"],
    &["incident", "case", "report"],
];

fn same_noun(a: &str, b: &str) -> bool {
    a == b
        || (a.len() >= 5 && b.len() >= 5 && (a.starts_with(b) || b.starts_with(a)))
        || SAME_THINGS.iter().any(|group| group.contains(&a) && group.contains(&b))
}

/// About a sentence's worth of text around a match, on one line.
fn context(text: &str, start: usize, end: usize) -> String {
    const REACH: usize = 70;
    let mut from = start.saturating_sub(REACH);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + REACH).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let from = if from == 0 { 0 } else { text[from..start].find(char::is_whitespace).map_or(from, |k| from + k) };
    let to = if to == text.len() { to } else { text[end..to].rfind(char::is_whitespace).map_or(to, |k| end + k) };
    let passage: Vec<&str> = text[from..to].split_whitespace().collect();
    let mut out = passage.join(" ");
    if from > 0 {
        out.insert(0, '\u{2026}');
    }
    if to < text.len() {
        out.push('\u{2026}');
    }
    out
}

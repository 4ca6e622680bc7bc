//! Dates, times and financial years as UK councils and summaries write them.

use super::tokens::{joined, word_at, Kind, Token};

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

pub fn month(word: &str) -> Option<u32> {
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches('.');
    if lower == "sept" {
        return Some(9);
    }
    MONTHS.iter().position(|m| *m == lower || (lower.len() == 3 && m.starts_with(lower))).map(|i| i as u32 + 1)
}

pub fn is_weekday(word: &str) -> bool {
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        .contains(&word.to_lowercase().as_str())
}

fn year(text: &str) -> Option<i32> {
    match text.len() {
        4 => text.parse().ok().filter(|y| (1900..2200).contains(y)),
        2 => text.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

fn four_digit_year(t: &[Token], j: usize) -> Option<i32> {
    t.get(j).filter(|x| x.kind == Kind::Digits && x.text.len() == 4).and_then(|x| year(&x.text))
}

fn day(text: &str) -> Option<u32> {
    text.parse().ok().filter(|d| (1..=31).contains(d)).filter(|_| text.len() <= 2)
}

const ORDINALS: [&str; 4] = ["st", "nd", "rd", "th"];

fn skip_ordinal(t: &[Token], j: usize) -> usize {
    if t.get(j).is_some_and(|x| !x.spaced && ORDINALS.contains(&x.lower().as_str())) {
        j + 1
    } else {
        j
    }
}

/// A calendar date, as precise as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: Option<i32>,
    pub month: u32,
    pub day: Option<u32>,
}

/// "3 March 2026", "3rd of March", "March 3, 2026", "March 2026", "03/03/2026",
/// "2026-03-03", and the first day of a range ("13 to 30 November 2024",
/// "12th and 13th December") with the month and year written after it.
pub fn date_at(t: &[Token], i: usize) -> Option<(Date, usize)> {
    let tok = t.get(i)?;
    if tok.kind == Kind::Digits {
        // 2026-03-03
        if tok.text.len() == 4
            && joined(t, i + 1, "-")
            && t.get(i + 2).is_some_and(|x| x.text.len() == 2)
            && joined(t, i + 3, "-")
        {
            let (y, m, d) = (year(&tok.text)?, t[i + 2].text.parse().ok()?, day(&t.get(i + 4)?.text)?);
            return (1..=12).contains(&m).then_some((Date { year: Some(y), month: m, day: Some(d) }, i + 5));
        }
        // 03/03/2026, 3.3.26, 03-03-2026
        for separator in ["/", ".", "-"] {
            if joined(t, i + 1, separator) && joined(t, i + 3, separator) {
                let (Some(d), Some(m), Some(y)) = (
                    day(&tok.text),
                    t.get(i + 2).and_then(|x| x.text.parse::<u32>().ok()).filter(|m| (1..=12).contains(m)),
                    t.get(i + 4).filter(|x| !x.spaced && x.kind == Kind::Digits).and_then(|x| year(&x.text)),
                ) else {
                    continue;
                };
                return Some((Date { year: Some(y), month: m, day: Some(d) }, i + 5));
            }
        }
        let d = day(&tok.text)?;
        let mut j = skip_ordinal(t, i + 1);
        // The first day of a range takes the month of the last.
        if t.get(j).is_some_and(|x| matches!(x.lower().as_str(), "to" | "and" | "-" | "\u{2013}" | "&")) {
            if let Some(k) = t.get(j + 1).filter(|x| x.kind == Kind::Digits).map(|_| j + 1) {
                if day(&t[k].text).is_some() {
                    if let Some((last, _)) = date_at(t, k) {
                        return Some((Date { day: Some(d), ..last }, j));
                    }
                }
            }
        }
        if word_at(t, j).as_deref() == Some("of") {
            j += 1;
        }
        let m = t.get(j).filter(|x| x.kind == Kind::Word).and_then(|x| month(&x.text))?;
        j += 1;
        if joined(t, j, ".") {
            j += 1;
        }
        let mut y = None;
        if t.get(j).is_some_and(|x| x.text == ",") {
            if let Some(found) = four_digit_year(t, j + 1) {
                y = Some(found);
                j += 2;
            }
        } else if let Some(found) = four_digit_year(t, j) {
            y = Some(found);
            j += 1;
        }
        return Some((Date { year: y, month: m, day: Some(d) }, j));
    }
    if tok.kind == Kind::Word {
        // March 3, 2026; March 2026 (a capital letter: "may" is a verb far more often than a month)
        if !tok.capitalised() {
            return None;
        }
        let m = month(&tok.text)?;
        let mut j = i + 1;
        if joined(t, j, ".") {
            j += 1;
        }
        let next = t.get(j).filter(|x| x.kind == Kind::Digits)?;
        if next.text.len() == 4 {
            return Some((Date { year: year(&next.text), month: m, day: None }, j + 1));
        }
        let d = day(&next.text)?;
        j = skip_ordinal(t, j + 1);
        let mut y = None;
        let k = if t.get(j).is_some_and(|x| x.text == ",") { j + 1 } else { j };
        if let Some(found) = four_digit_year(t, k) {
            y = Some(found);
            j = k + 1;
        }
        return Some((Date { year: y, month: m, day: Some(d) }, j));
    }
    None
}

/// A month named alone ("in March", "since July"), capitalised: a date without a day or year.
pub fn month_alone_at(t: &[Token], i: usize) -> Option<(Date, usize)> {
    let tok = t.get(i).filter(|x| x.capitalised())?;
    let m = month(&tok.text)?;
    // "May" opening a sentence is as often the verb; only a month after "in", "since", "by", "from", "until".
    let before = i.checked_sub(1).and_then(|k| word_at(t, k))?;
    ["in", "since", "from", "until", "by", "during", "last", "next", "this", "of", "early", "late", "mid"]
        .contains(&before.as_str())
        .then_some((Date { year: None, month: m, day: None }, i + 1))
}

fn am_pm(t: &[Token], j: usize) -> Option<(bool, usize)> {
    let word = word_at(t, j)?;
    match word.as_str() {
        "am" | "pm" => Some((word == "pm", j + 1)),
        // a.m. / p.m.
        "a" | "p" if t.get(j + 1).is_some_and(|x| x.text == ".") && word_at(t, j + 2).as_deref() == Some("m") => {
            let after = if joined(t, j + 3, ".") { j + 4 } else { j + 3 };
            Some((word == "p", after))
        }
        _ => None,
    }
}

/// A time of day from `i`, in minutes after midnight: 10.30am, 10:30, 2pm, 14:00, noon.
pub fn time_at(t: &[Token], i: usize) -> Option<(u32, usize)> {
    if let Some(word) = word_at(t, i) {
        return matches!(word.as_str(), "noon" | "midday").then_some((12 * 60, i + 1));
    }
    let hour: u32 = t.get(i).filter(|x| x.kind == Kind::Digits && x.text.len() <= 2)?.text.parse().ok()?;
    let (minute, j, colon) = if (joined(t, i + 1, ":") || joined(t, i + 1, "."))
        && t.get(i + 2).is_some_and(|x| !x.spaced && x.kind == Kind::Digits && x.text.len() == 2)
    {
        (t[i + 2].text.parse::<u32>().ok()?, i + 3, t[i + 1].text == ":")
    } else {
        (0, i + 1, false)
    };
    if let Some((pm, after)) = am_pm(t, j) {
        if (1..=12).contains(&hour) && minute < 60 {
            let hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
            return Some((hour * 60 + minute, after));
        }
    }
    // 14:00 with a colon needs no am or pm; 10.30 alone may be a decimal.
    (colon && hour < 24 && minute < 60).then_some((hour * 60 + minute, j))
}

/// The second part of a year pair after `i`: "/26", "-2026", and "- 26" where a line broke after the dash.
fn second_year(t: &[Token], i: usize) -> Option<(usize, usize)> {
    let sep = t.get(i + 1).filter(|x| !x.spaced && matches!(x.text.as_str(), "/" | "-" | "\u{2013}"))?;
    let second = t.get(i + 2).filter(|x| x.kind == Kind::Digits && matches!(x.text.len(), 2 | 4))?;
    (!second.spaced || (sep.text != "/" && second.text.len() == 2)).then_some((i + 2, i + 3))
}

/// 2025/26, 2025-26, 2025/2026: a financial year, by its first calendar year.
pub fn financial_year_at(t: &[Token], i: usize) -> Option<(i32, usize)> {
    let first: i32 = t.get(i).filter(|x| x.kind == Kind::Digits && x.text.len() == 4)?.text.parse().ok()?;
    let (at, next) = second_year(t, i)?;
    let second = &t[at];
    let follows = match second.text.len() {
        2 => second.text.parse::<i32>().ok()? == (first + 1) % 100,
        _ => second.text.parse::<i32>().ok()? == first + 1,
    };
    follows.then_some((first, next))
}

/// A span of years that is not one financial year: 2025-35, 2025-2028. Answers both ends.
pub fn year_range_at(t: &[Token], i: usize) -> Option<(i32, i32, usize)> {
    let first: i32 = t.get(i).filter(|x| x.kind == Kind::Digits && x.text.len() == 4)?.text.parse().ok()?;
    if !(1900..2200).contains(&first) {
        return None;
    }
    let (at, next) = second_year(t, i)?;
    let second: i32 = t[at].text.parse().ok()?;
    let last = if t[at].text.len() == 2 { first - first % 100 + second } else { second };
    (last > first + 1 && last - first <= 50).then_some((first, last, next))
}

/// "25-26", "25/26": a financial year written short, as reports write it.
pub fn short_financial_year_at(t: &[Token], i: usize) -> Option<(i32, usize)> {
    let short = |k: usize| {
        t.get(k).filter(|x| x.kind == Kind::Digits && x.text.len() == 2).and_then(|x| x.text.parse::<i32>().ok())
    };
    let (a, sep, b) = (short(i)?, t.get(i + 1)?, short(i + 2)?);
    (matches!(sep.text.as_str(), "/" | "-" | "\u{2013}") && !sep.spaced && !t[i + 2].spaced && b == (a + 1) % 100)
        .then_some((2000 + a, i + 3))
}

//! Votes: counts as summaries write them ("by 7 votes to 0", "4 for, 2
//! against and 1 abstention", "voted 7-0", "unanimously"), and as minutes
//! record them (ModernGov's "For (57)" headings, roll calls under AYES, NAYS,
//! ABSTAIN and ABSENT, bracketed tallies such as "[4-2-1-1]", "carried
//! unanimously", "nem con").

use super::tokens::{count_at, joined, word_at, Kind, Token};

/// A vote's counts. `ordered` is false where the writing does not say which side
/// is which ("by 42 votes to 12" may be a motion lost).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub in_favour: u32,
    pub against: u32,
    pub abstained: Option<u32>,
    pub ordered: bool,
}

impl Tally {
    /// Whether a recorded tally bears out this claimed one.
    pub fn borne_out_by(&self, recorded: &Tally) -> bool {
        let same = (self.in_favour, self.against) == (recorded.in_favour, recorded.against);
        let swapped = (self.in_favour, self.against) == (recorded.against, recorded.in_favour);
        let sides = same || (swapped && !(self.ordered && recorded.ordered));
        let abstentions = match (self.abstained, recorded.abstained) {
            (Some(claimed), Some(recorded)) => claimed == recorded,
            (Some(claimed), None) => claimed == 0,
            (None, _) => true,
        };
        sides && abstentions
    }
}

const VOTE_VERBS: &[&str] = &[
    "voted",
    "vote",
    "votes",
    "carried",
    "passed",
    "approved",
    "agreed",
    "lost",
    "failed",
    "fell",
    "defeated",
    "rejected",
    "refused",
    "backed",
    "by",
    "supported",
    "adopted",
    "endorsed",
    "of",
];

fn side_word(word: &str) -> Option<bool> {
    match word {
        "for" | "favour" | "favor" | "ayes" | "aye" | "yes" => Some(true),
        "against" | "nays" | "noes" | "no" => Some(false),
        _ => None,
    }
}

fn skip_fillers(t: &[Token], mut j: usize) -> usize {
    while t.get(j).is_some_and(|x| {
        matches!(x.text.as_str(), ":" | "," | ";" | "-" | "(" | ")")
            || word_at(t, j)
                .is_some_and(|w| ["and", "with", "votes", "vote", "members", "councillors", "in"].contains(&w.as_str()))
    }) {
        j += 1;
    }
    j
}

/// Abstentions written after a vote: "with 2 abstentions", "and one abstention", "1 abstained".
fn abstentions_at(t: &[Token], j: usize) -> Option<(u32, usize)> {
    let k = skip_fillers(t, j);
    let (n, after) = count_at(t, k)?;
    let word = word_at(t, after)?;
    (word.starts_with("abstention") || word.starts_with("abstain")).then_some((n, after + 1))
}

fn with_abstentions(t: &[Token], tally: Tally, next: usize) -> (Tally, usize) {
    match abstentions_at(t, next) {
        Some((n, after)) => (Tally { abstained: Some(n), ..tally }, after),
        None => (tally, next),
    }
}

/// A vote count as a summary writes it, from `i`.
pub fn vote_at(t: &[Token], i: usize) -> Option<(Tally, usize)> {
    let (a, after_a) = count_at(t, i)?;
    // 7 votes to 0; by 41 to 10; voted 7-0; failed 4-2; a majority of 4 to 3
    let before = i.checked_sub(1).and_then(|k| word_at(t, k)).unwrap_or_default();
    let said_votes = word_at(t, after_a).is_some_and(|w| w == "votes" || w == "vote");
    let j = if said_votes { after_a + 1 } else { after_a };
    let to = word_at(t, j).as_deref() == Some("to") || (!said_votes && joined(t, j, "-"));
    if to && (said_votes || VOTE_VERBS.contains(&before.as_str())) {
        let unit_follows = |k: usize| {
            t.get(k).is_some_and(|x| x.text == "%")
                || word_at(t, k).is_some_and(|w| {
                    ["per", "percent", "pence", "years", "months", "weeks", "days", "hours", "am", "pm", "m", "k", "bn"]
                        .contains(&w.as_str())
                        || super::tokens::multiplier(&w).is_some()
                })
        };
        if let Some((b, next)) = count_at(t, j + 1).filter(|(_, next)| !unit_follows(*next)) {
            let next = if word_at(t, next).is_some_and(|w| w == "votes" || w == "vote") { next + 1 } else { next };
            let tally = Tally { in_favour: a, against: b, abstained: None, ordered: false };
            return Some(with_abstentions(t, tally, next));
        }
    }
    // 7 for, 3 against; 7 in favour and 3 against; 9 votes for and 41 against
    let side = |j: usize| -> Option<(bool, u32, usize)> {
        let (n, after) = count_at(t, j)?;
        let mut k = skip_fillers(t, after);
        if word_at(t, k).as_deref() == Some("in") {
            k += 1;
        }
        let side = side_word(&word_at(t, k)?)?;
        Some((side, n, k + 1))
    };
    let (first, n1, j) = side(i)?;
    let (second, n2, k) = side(skip_fillers(t, j))?;
    let tally = match (first, second) {
        (true, false) => Tally { in_favour: n1, against: n2, abstained: None, ordered: true },
        (false, true) => Tally { in_favour: n2, against: n1, abstained: None, ordered: true },
        _ => return None,
    };
    Some(with_abstentions(t, tally, k))
}

/// "for: 57, against: 0" as a summary writes it, from `i`.
pub fn labelled_vote_at(t: &[Token], i: usize) -> Option<(Tally, usize)> {
    let first = side_word(&word_at(t, i)?)?;
    let (n1, j) = count_at(t, skip_fillers(t, i + 1))?;
    let k = skip_fillers(t, j);
    let second = side_word(&word_at(t, k)?)?;
    let (n2, next) = count_at(t, skip_fillers(t, k + 1))?;
    let tally = match (first, second) {
        (true, false) => Tally { in_favour: n1, against: n2, abstained: None, ordered: true },
        (false, true) => Tally { in_favour: n2, against: n1, abstained: None, ordered: true },
        _ => return None,
    };
    Some(with_abstentions(t, tally, next))
}

/// Words that say every vote agreed: "unanimously", "nem con", "without dissent".
pub fn unanimous_at(t: &[Token], i: usize) -> Option<usize> {
    let word = word_at(t, i)?;
    match word.as_str() {
        "unanimous" | "unanimously" => Some(i + 1),
        "nem" if word_at(t, i + 1).is_some_and(|w| w.starts_with("con")) => Some(i + 2),
        "nemine" => Some(i + 2),
        "without" if matches!(word_at(t, i + 1).as_deref(), Some("dissent" | "opposition")) => Some(i + 2),
        "no" if matches!(word_at(t, i + 1).as_deref(), Some("dissent")) => Some(i + 2),
        _ => None,
    }
}

/// What minutes record of votes, read from a whole text.
#[derive(Debug, Default, Clone)]
pub struct Recorded {
    pub tallies: Vec<(Tally, usize, usize)>,
    /// Where the text says a vote was unanimous (by token range).
    pub unanimous: Vec<(usize, usize)>,
}

/// Names in a list as minutes print them after a heading: separated by commas,
/// semicolons, "and" or line breaks; honours after a comma ("Mr Hill, OBE") are not names.
fn count_names(t: &[Token], from: usize, to: usize) -> u32 {
    let mut count = 0;
    let mut in_name = false;
    for k in from..to {
        let x = &t[k];
        let separator = matches!(x.text.as_str(), "," | ";")
            || x.is("and")
            || (x.line_start && k > from && !in_name_continues(t, k));
        if separator {
            in_name = false;
            continue;
        }
        if x.kind == Kind::Word && !in_name {
            let honour = ["obe", "mbe", "cbe", "kbe", "dbe", "jp", "qc", "kc"].contains(&x.lower().as_str());
            if !honour {
                count += 1;
                in_name = true;
            }
        }
    }
    count
}

/// A name split across lines continues when the line before ended without a
/// separator ("Mr Jeremy\nKite", "Barrington-\nKing").
fn in_name_continues(t: &[Token], k: usize) -> bool {
    k > 0 && t[k].capitalised() && ((t[k - 1].kind == Kind::Word && !t[k - 1].is("and")) || t[k - 1].text == "-")
}

/// Lists of people minutes print and summaries count: who sent apologies, who
/// was present. Answers each list's count, where it stands, and the nouns a
/// count of it goes with.
pub fn named_lists(t: &[Token]) -> Vec<(u32, usize, usize, &'static [&'static str])> {
    const APOLOGIES: &[&str] = &["apology", "member", "councillor", "absence", "people"];
    const PRESENT: &[&str] = &["present", "member", "councillor", "attended", "attendance", "people"];
    let mut out = Vec::new();
    for i in 0..t.len() {
        let word = t[i].lower();
        let (nouns, from) = if word.starts_with("apolog") {
            // "Apologies were received from …", "reported apologies from …", "APOLOGIES: …"
            let Some(k) = (i + 1..(i + 6).min(t.len())).find(|k| t[*k].is("from") || t[*k].text == ":") else {
                continue;
            };
            (APOLOGIES, k + 1)
        } else if word == "present" && t[i].line_start && t.get(i + 1).is_some_and(|x| x.text == ":") {
            (PRESENT, i + 2)
        } else {
            continue;
        };
        // The list runs to the end of its sentence, or to the next heading line.
        let mut end = from;
        while end < t.len()
            && t[end].text != "."
            && !(end > from && t[end].line_start && t.get(end + 1).is_some_and(|x| x.text == ":"))
            && !(end > from
                && t[end].line_start
                && t[end].text.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
                && t[end].text.len() > 3)
        {
            end += 1;
        }
        let count = count_names(t, from, end);
        if count > 0 {
            out.push((count, i, end.max(from + 1).min(t.len()), nouns));
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Heading {
    For,
    Against,
    Abstain,
    Absent,
}

fn heading(word: &str) -> Option<Heading> {
    match word {
        "ayes" | "aye" | "yeas" | "yes" | "for" => Some(Heading::For),
        "nays" | "noes" | "nay" | "no" | "against" => Some(Heading::Against),
        "abstain" | "abstained" | "abstaining" | "abstentions" | "abstention" => Some(Heading::Abstain),
        "absent" => Some(Heading::Absent),
        _ => None,
    }
}

/// A heading at the start of a line: "AYES:", "For (57)", "Against (0)". Answers it,
/// its printed count if any, and where its names start.
fn heading_at(t: &[Token], i: usize) -> Option<(Heading, Option<u32>, usize)> {
    let x = t.get(i).filter(|x| x.kind == Kind::Word)?;
    // Mid-line only with its count in brackets ("For (9) Against (41)").
    if !x.line_start && t.get(i + 1).is_none_or(|y| y.text != "(") {
        return None;
    }
    let mut h = heading(&x.lower())?;
    let mut j = i + 1;
    if x.is("in") || (x.is("for") && word_at(t, j).as_deref() == Some("favour")) {
        j += 1;
    }
    if x.is("in") {
        h = Heading::For;
    }
    if t.get(j).is_some_and(|y| y.text == "(") {
        let (n, after) = count_at(t, j + 1)?;
        t.get(after).filter(|y| y.text == ")")?;
        return Some((h, Some(n), after + 1));
    }
    if t.get(j).is_some_and(|y| y.text == ":") {
        return Some((h, None, j + 1));
    }
    None
}

/// Every vote the text records.
pub fn recorded(t: &[Token]) -> Recorded {
    let mut out = Recorded::default();
    let mut i = 0;
    while i < t.len() {
        // A block of headings, each with its names up to the next heading or a line that is not a name list.
        if let Some(first) = heading_at(t, i) {
            let mut counts: Vec<(Heading, u32)> = Vec::new();
            let mut current = Some(first);
            let mut j = i;
            while let Some((h, printed, names_from)) = current {
                let mut end = names_from;
                let mut next = None;
                while end < t.len() {
                    if let Some(found) = heading_at(t, end) {
                        next = Some(found);
                        break;
                    }
                    // A list ends at a line that is prose ("Motion carried.", "RESULT: ...").
                    if t[end].line_start && end > names_from && ends_list(t, end) {
                        break;
                    }
                    end += 1;
                }
                let count = printed.unwrap_or_else(|| count_names(t, names_from, end));
                counts.push((h, count));
                j = end;
                current = next;
            }
            let count_of = |h: Heading| counts.iter().filter(|(x, _)| *x == h).map(|(_, n)| *n).max();
            if let Some(in_favour) = count_of(Heading::For) {
                let against = count_of(Heading::Against).unwrap_or(0);
                let tally = Tally { in_favour, against, abstained: count_of(Heading::Abstain), ordered: true };
                out.tallies.push((tally, i, j));
            }
            i = j.max(i + 1);
            continue;
        }
        // [4-2-1-1], (7-0), [UNANIMOUS]
        if matches!(t[i].text.as_str(), "[" | "(") {
            let close = if t[i].text == "[" { "]" } else { ")" };
            if word_at(t, i + 1).is_some_and(|w| w == "unanimous") && t.get(i + 2).is_some_and(|x| x.text == close) {
                out.unanimous.push((i, i + 3));
                i += 3;
                continue;
            }
            let mut numbers = Vec::new();
            let mut j = i + 1;
            while let Some(x) = t.get(j).filter(|x| x.kind == Kind::Digits && x.text.len() <= 3) {
                numbers.push(x.text.parse::<u32>().unwrap_or(0));
                if joined(t, j + 1, "-") {
                    j += 2;
                } else {
                    j += 1;
                    break;
                }
            }
            if numbers.len() >= 2 && t.get(j).is_some_and(|x| x.text == close && !x.spaced) {
                let tally = Tally {
                    in_favour: numbers[0],
                    against: numbers[1],
                    abstained: numbers.get(2).copied(),
                    ordered: true,
                };
                out.tallies.push((tally, i, j + 1));
                i = j + 1;
                continue;
            }
        }
        if let Some(next) = unanimous_at(t, i) {
            out.unanimous.push((i, next));
            i = next;
            continue;
        }
        if let Some((tally, next)) = vote_at(t, i).or_else(|| labelled_vote_at(t, i)) {
            out.tallies.push((tally, i, next));
            i = next;
            continue;
        }
        i += 1;
    }
    out
}

/// Whether the line starting at `k` is prose rather than more names: it opens
/// with a word that names no one or ends in a full stop.
fn ends_list(t: &[Token], k: usize) -> bool {
    let first = t[k].lower();
    if ["motion", "amendment", "result", "resolved", "substantive", "recommendation", "the", "it", "this"]
        .contains(&first.as_str())
    {
        return true;
    }
    // A line of capitals and a colon ("RESULT:") or any heading-like line.
    t.get(k + 1).is_some_and(|x| x.text == ":" && !t[k].text.chars().any(|c| c.is_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokens;
    use super::*;

    fn claimed(text: &str) -> Option<Tally> {
        let t = tokens(text);
        (0..t.len()).find_map(|i| vote_at(&t, i).or_else(|| labelled_vote_at(&t, i))).map(|(v, _)| v)
    }

    #[test]
    fn votes_as_summaries_write_them() {
        let v = claimed("carried by 57 votes to 0, with 2 abstentions").unwrap();
        assert_eq!((v.in_favour, v.against, v.abstained, v.ordered), (57, 0, Some(2), false));
        let v = claimed("failed with 4 votes for, 2 against and 1 abstention").unwrap();
        assert_eq!((v.in_favour, v.against, v.abstained, v.ordered), (4, 2, Some(1), true));
        let v = claimed("received nine votes for and forty-one against").unwrap();
        assert_eq!((v.in_favour, v.against), (9, 41));
        let v = claimed("Members voted 7-0 to approve").unwrap();
        assert_eq!((v.in_favour, v.against), (7, 0));
        let v = claimed("The budget passed 41 to 10.").unwrap();
        assert_eq!((v.in_favour, v.against), (41, 10));
        let v = claimed("with 57 for and none against").unwrap();
        assert_eq!((v.in_favour, v.against), (57, 0));
        assert!(claimed("It costs 400 to 700 pounds").is_none());
    }

    const ROLL_CALL: &str = "Motion to approve.\nNAYS: Brennan, Choi\nAYES: Evans, Grant, Fischer, Alvarez\nABSTAIN: Dlamini\nABSENT: Hughes\nRESULT: FAILED [4-2-1-1]\n";

    #[test]
    fn roll_calls_in_any_order_and_case() {
        let found = recorded(&tokens(ROLL_CALL));
        let (first, _, _) = found.tallies[0];
        assert_eq!((first.in_favour, first.against, first.abstained), (4, 2, Some(1)));
        let (bracket, _, _) = found.tallies[1];
        assert_eq!((bracket.in_favour, bracket.against, bracket.abstained), (4, 2, Some(1)));
        let found = recorded(&tokens("ayes: Alvarez, Brennan, Choi, Dlamini, Evans, Fischer, Grant\nabsent: Hughes\nRESULT: APPROVED AS AMENDED [UNANIMOUS]\n"));
        assert_eq!((found.tallies[0].0.in_favour, found.tallies[0].0.against), (7, 0));
        assert_eq!(found.unanimous.len(), 1, "the bracket says so");
    }

    #[test]
    fn moderngov_headings_with_counts_and_names_with_honours() {
        let text = "voting was as follows:\n\nFor (57)\n\nMr Baker, Sir Paul Carter, CBE, Mr Hill, OBE\n\nAgainst (0)\n\nAbstain (2)\n\nMr B Lewis, Mr D Ross\nMotion carried.";
        let found = recorded(&tokens(text));
        let v = found.tallies[0].0;
        assert_eq!((v.in_favour, v.against, v.abstained), (57, 0, Some(2)));
        let names = "ABSTAIN: Mr Hill, OBE, Sir Paul Carter, CBE and Ms Meade\n";
        let t = tokens(names);
        assert_eq!(count_names(&t, 2, t.len()), 3);
        let apologies = tokens("reported apologies from Mr Paul Barrington-\nKing, Mr Conrad Broadley, Mrs Trudy Dean, MBE, Mr Jeremy\nKite, MBE and Mr Charlie Simkins.\n");
        assert_eq!(named_lists(&apologies)[0].0, 5);
    }

    #[test]
    fn a_claimed_count_needs_the_recorded_one() {
        let recorded = Tally { in_favour: 9, against: 41, abstained: Some(8), ordered: true };
        let by = |a, b| Tally { in_favour: a, against: b, abstained: None, ordered: false };
        assert!(by(41, 9).borne_out_by(&recorded), "\"lost by 41 votes to 9\"");
        assert!(!by(41, 19).borne_out_by(&recorded));
        let ordered = Tally { ordered: true, ..by(41, 9) };
        assert!(!ordered.borne_out_by(&recorded), "41 for and 9 against is not what was recorded");
        assert!(!Tally { abstained: Some(7), ..by(9, 41) }.borne_out_by(&recorded));
    }
}

//! Recorded votes in minutes text. Councils print them as headings with a
//! count and the names under each ("For (57)" then "Mr Baker, Mr Baldock, …",
//! "Against (0)", "Abstain (2)"), or as roll calls ("AYES: …", "NAYS: …"),
//! after the sentence that puts a motion or amendment to the vote and before
//! the result ("Motion carried.", "Amendment lost.").

/// How a member voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    For,
    Against,
    Abstain,
    Absent,
    /// Present but did not vote: a declared conflict of interests.
    NotVoting,
}

impl Choice {
    /// The option a heading or a voting record's row names.
    pub fn of_heading(word: &str) -> Option<Self> {
        match word.to_ascii_lowercase().as_str() {
            "for" | "ayes" | "aye" | "yeas" | "in favour" => Some(Self::For),
            "against" | "nays" | "noes" | "nay" => Some(Self::Against),
            "abstain" | "abstained" | "abstaining" | "abstentions" | "abstention" => Some(Self::Abstain),
            "absent" | "did not vote" => Some(Self::Absent),
            "conflict of interests" | "conflict of interest" | "not voting" | "declared an interest" => {
                Some(Self::NotVoting)
            }
            _ => None,
        }
    }
}

/// One option of a recorded vote: the count the minutes print, and the names under it as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Option_ {
    pub choice: Choice,
    pub printed: Option<u32>,
    pub names: Vec<String>,
}

/// A recorded vote as minutes print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedVote {
    /// What was put to the vote, as the minutes word it.
    pub motion: String,
    /// "Motion carried", "Amendment lost", when the minutes say.
    pub result: Option<String>,
    pub options: Vec<Option_>,
    /// Where a printed count differs from the names read under it.
    pub note: Option<String>,
    /// The line of the text its first heading stands on.
    pub line: usize,
}

/// A line that heads an option: "For (57)", "Against (0)", "AYES:", "Abstain (2)".
/// Answers the option, its printed count, and any names after it on the same line.
fn heading(line: &str) -> Option<(Choice, Option<u32>, &str)> {
    let line = line.trim();
    let (word, rest) = match line.find(['(', ':']) {
        Some(at) => (line[..at].trim(), &line[at..]),
        None => return None,
    };
    let choice = Choice::of_heading(word)?;
    if let Some(inner) = rest.strip_prefix('(') {
        let (count, after) = inner.split_once(')')?;
        let count = count.trim().parse().ok()?;
        return Some((choice, Some(count), after.trim_start_matches(':').trim()));
    }
    Some((choice, None, rest.trim_start_matches(':').trim()))
}

/// A line that says how the vote ended.
fn result(line: &str) -> Option<String> {
    let lower = line.trim().to_ascii_lowercase();
    let said = ["carried", "lost", "fell", "defeated", "agreed", "approved", "failed", "rejected"];
    let short = lower.split_whitespace().count() <= 5;
    (short && said.iter().any(|w| lower.trim_end_matches('.').ends_with(w)) || lower.starts_with("result:"))
        .then(|| line.trim().trim_end_matches('.').to_string())
}

/// Honours and post-nominals printed after a name and a comma ("Sir Paul Carter, CBE").
const HONOURS: &[&str] = &["CBE", "OBE", "MBE", "KBE", "DBE", "BEM", "JP", "DL", "QC", "KC", "MP"];

/// The names in a list as printed: split at commas and "and", a name broken
/// across lines joined again, honours kept with the name before them.
pub fn split_names(text: &str) -> Vec<String> {
    let joined = text.replace("-\n", "-").replace('\n', " ");
    let mut names: Vec<String> = Vec::new();
    for part in joined.split(',').flat_map(|p| p.split(" and ")) {
        let part = part.trim().trim_end_matches('.').trim();
        if part.is_empty() {
            continue;
        }
        if HONOURS.contains(&part) {
            if let Some(last) = names.last_mut() {
                last.push_str(", ");
                last.push_str(part);
            }
            continue;
        }
        names.push(part.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    names
}

/// The motion a vote decides: the sentence that puts it to the vote, and where
/// it names a paragraph ("the amendment set out in paragraph 7"), that paragraph's first line.
fn motion(before: &[&str]) -> String {
    let text = before.join("\n");
    let lower = text.to_ascii_lowercase();
    let Some(at) = lower.rfind("to the vote") else {
        return before.iter().rev().find(|l| !l.trim().is_empty()).map(|l| l.trim().to_string()).unwrap_or_default();
    };
    // The sentence opens after its paragraph's number ("(26) ...") or the full stop before it.
    let sentence_start = match text[..at].rfind("\n(") {
        Some(k) => k + 1,
        None => text[..at].rfind(". ").map_or(0, |k| k + 2),
    };
    let put = text[sentence_start..].split("the voting was").next().unwrap_or_default();
    let put = put.split_whitespace().collect::<Vec<_>>().join(" ");
    // "set out in paragraph 7": the paragraph "(7) Mr Brady proposed, and Ms Meade seconded the following amendment:".
    let paragraph = lower[at..].split("paragraph ").nth(1).and_then(|rest| {
        let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
        (!number.is_empty()).then_some(number)
    });
    if let Some(number) = paragraph {
        let marker = format!("({number})");
        if let Some(start) = text.rfind(&marker) {
            let proposed = text[start + marker.len()..].trim();
            let first = proposed.split("\n\n").next().unwrap_or(proposed);
            let first = first.split_whitespace().collect::<Vec<_>>().join(" ");
            if !first.is_empty() && start < at {
                return format!("{} — {}", put.trim().trim_end_matches(':').trim_end_matches(" and").trim(), first);
            }
        }
    }
    put.trim().trim_end_matches(':').trim_end_matches(" and").trim().to_string()
}

/// Every recorded vote in a text (a page, or pages joined).
pub fn read_votes(text: &str) -> Vec<RecordedVote> {
    let lines: Vec<&str> = text.lines().collect();
    let mut votes = Vec::new();
    let mut i = 0;
    let mut since_last = 0;
    while i < lines.len() {
        let Some(first) = heading(lines[i]) else {
            i += 1;
            continue;
        };
        let mut options: Vec<Option_> = Vec::new();
        let mut current = Some(first);
        let mut j = i + 1;
        let mut outcome = None;
        while let Some((choice, printed, same_line)) = current.take() {
            let mut list = String::from(same_line);
            while j < lines.len() {
                if let Some(next) = heading(lines[j]) {
                    current = Some(next);
                    j += 1;
                    break;
                }
                if let Some(said) = result(lines[j]) {
                    outcome = Some(said);
                    j += 1;
                    break;
                }
                list.push('\n');
                list.push_str(lines[j]);
                j += 1;
            }
            options.push(Option_ { choice, printed, names: split_names(list.trim()) });
            if outcome.is_some() {
                break;
            }
        }
        // A vote names its motion before it, and has an option for.
        if options.iter().any(|o| o.choice == Choice::For) && options.len() >= 2 {
            let before = &lines[since_last.max(i.saturating_sub(80))..i];
            let mismatched: Vec<String> = options
                .iter()
                .filter_map(|o| {
                    let printed = o.printed?;
                    (printed as usize != o.names.len()).then(|| {
                        format!("{:?}: {} printed, {} names read", o.choice, printed, o.names.len()).to_lowercase()
                    })
                })
                .collect();
            votes.push(RecordedVote {
                motion: motion(before),
                result: outcome,
                options,
                note: (!mismatched.is_empty())
                    .then(|| format!("counts differ from the names: {}", mismatched.join("; "))),
                line: i,
            });
            since_last = j;
        }
        i = j.max(i + 1);
    }
    votes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::extract_all;

    fn kent_minutes() -> String {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/pdf/kent_county-council-2025-02-13_printed-minutes.pdf"
        ))
        .unwrap();
        extract_all(&bytes).unwrap().into_iter().map(|p| p.text).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn names_with_honours_and_line_breaks() {
        assert_eq!(
            split_names("Mr Baker, Sir Paul Carter, CBE, Mrs\nChandler, Mr Hill, OBE, Mr Hills and Ms Meade"),
            ["Mr Baker", "Sir Paul Carter, CBE", "Mrs Chandler", "Mr Hill, OBE", "Mr Hills", "Ms Meade"]
        );
    }

    #[test]
    fn every_recorded_vote_of_the_kent_budget_meeting_is_read() {
        let votes = read_votes(&kent_minutes());
        let counts: Vec<Vec<Option<u32>>> =
            votes.iter().map(|v| v.options.iter().map(|o| o.printed).collect()).collect();
        assert_eq!(counts[0], [Some(57), Some(0), Some(2)], "the section 25 report");
        assert_eq!(counts[1], [Some(12), Some(42), Some(7)], "the Labour amendment");
        assert_eq!(votes.len(), 8, "the section 25 report, six amendments, the budget: {counts:?}");
        assert_eq!(counts[7], [Some(41), Some(10), Some(7)], "the substantive motion");
        let first = &votes[0];
        assert_eq!(first.result.as_deref(), Some("Motion carried"));
        assert_eq!(first.options[2].names, ["Mr B Lewis", "Mr D Ross"]);
        assert!(first.options[0].names.contains(&"Sir Paul Carter, CBE".to_string()));
        assert_eq!(votes[1].result.as_deref(), Some("Amendment lost"));
        assert!(votes[1].motion.contains("Mr Brady proposed, and Ms Meade seconded"), "{}", votes[1].motion);
        for vote in &votes {
            if vote.note.is_none() {
                for option in &vote.options {
                    assert_eq!(Some(option.names.len() as u32), option.printed, "{vote:#?}");
                }
            }
        }
    }

    #[test]
    fn every_name_of_every_kent_vote_is_one_member_present() {
        use crate::votes::names::{match_name, Member};
        let text = kent_minutes();
        let present = text.split("PRESENT:").nth(1).unwrap().split("IN ATTENDANCE").next().unwrap();
        let members: Vec<Member> = split_names(present)
            .into_iter()
            .enumerate()
            .map(|(n, name)| Member {
                id: n.to_string(),
                name: name.replace(" (Chairman)", "").replace(" (Vice-Chairman)", ""),
            })
            .collect();
        assert_eq!(members.len(), 64, "those present");
        let votes = read_votes(&text);
        let (mut matched, mut unmatched) = (0, Vec::new());
        for vote in &votes {
            for option in &vote.options {
                for name in &option.names {
                    match match_name(name, &members, &[]) {
                        Some(_) => matched += 1,
                        None => unmatched.push(name.clone()),
                    }
                }
            }
        }
        assert_eq!(unmatched, Vec::<String>::new());
        assert_eq!(
            matched,
            57 + 2 + 12 + 42 + 7 + 16 + 41 + 9 + 41 + 8 + 8 + 40 + 10 + 13 + 39 + 3 + 15 + 43 + 1 + 41 + 10 + 7
        );
        assert!(
            votes[7].motion.starts_with("(26) Mr Gough and Mr Oakford summarised the debate"),
            "{}",
            votes[7].motion
        );
        let hill = match_name("Mr Hill, OBE", &members, &[]).unwrap();
        assert_eq!(hill.name, "Mr P M Hill, OBE");
        assert_eq!(match_name("Ms Meade", &members, &[]).unwrap().name, "Ms J Meade");
    }
}

//! Recorded votes: read from minutes as councils print them (headings with
//! counts and the names under each, roll calls), with each name matched to
//! one councillor where exactly one fits. Pure: the jobs store what is read.

pub mod minutes;
pub mod names;

use std::collections::BTreeMap;

use minutes::{read_votes, Choice};
use names::{match_name, Member};

/// A member's choice as it is stored: the name as printed, and the member it is, if exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChoice {
    pub position: usize,
    pub choice: Choice,
    pub name_as_written: String,
    pub person_id: Option<String>,
}

/// A recorded vote as it is stored: where it stands, what it decided, and each choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVote {
    pub position: usize,
    pub motion: String,
    pub result: Option<String>,
    /// Per option, the count the minutes print, or the names read where none is printed.
    pub counts: BTreeMap<String, u32>,
    pub page: Option<u32>,
    /// The agenda item the minutes record it under ("(Item 6)" after the minute's heading).
    pub item_number: Option<String>,
    pub note: Option<String>,
    pub choices: Vec<StoredChoice>,
}

/// The agenda item number minutes print under each minute's heading ("(Item 6)"),
/// the last one at or before `line`.
fn item_at(lines: &[&str], line: usize) -> Option<String> {
    lines[..=line.min(lines.len().saturating_sub(1))].iter().rev().find_map(|l| {
        let inner = l.trim().strip_prefix("(Item ")?.strip_suffix(')')?;
        (!inner.is_empty() && inner.len() <= 6).then(|| inner.trim().to_string())
    })
}

fn choice_name(choice: Choice) -> &'static str {
    match choice {
        Choice::For => "for",
        Choice::Against => "against",
        Choice::Abstain => "abstain",
        Choice::Absent => "absent",
    }
}

/// The recorded votes of a minutes document read page by page, each name
/// matched to one of `members` where exactly one fits (`attended`: those at the meeting).
pub fn from_pages(pages: &[(u32, &str)], members: &[Member], attended: &[&str]) -> Vec<StoredVote> {
    let mut text = String::new();
    let mut page_starts: Vec<(usize, u32)> = Vec::new();
    for (number, page) in pages {
        page_starts.push((text.lines().count(), *number));
        text.push_str(page);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    let page_of = |line: usize| page_starts.iter().rev().find(|(start, _)| *start <= line).map(|(_, page)| *page);
    let lines: Vec<&str> = text.lines().collect();
    read_votes(&text)
        .into_iter()
        .enumerate()
        .map(|(position, vote)| {
            let mut counts = BTreeMap::new();
            let mut choices = Vec::new();
            for option in &vote.options {
                let name = choice_name(option.choice);
                *counts.entry(name.to_string()).or_insert(0) += option.printed.unwrap_or(option.names.len() as u32);
                for written in &option.names {
                    choices.push(StoredChoice {
                        position: choices.len(),
                        choice: option.choice,
                        name_as_written: written.clone(),
                        person_id: match_name(written, members, attended).map(|m| m.id.clone()),
                    });
                }
            }
            StoredVote {
                position,
                motion: vote.motion,
                result: vote.result,
                counts,
                page: page_of(vote.line),
                item_number: item_at(&lines, vote.line),
                note: vote.note,
                choices,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn votes_keep_their_page_and_each_name_its_member_or_none() {
        let pages = [
            (1, "MINUTES\n290. Section 25 Report\n(Item 5)\n(3) The Chairman put the motion to the vote and the voting was as follows:\n"),
            (2, "For (2)\nMr Hill, OBE, Ms Meade\nAgainst (1)\nMr Nobody\nMotion carried.\n"),
        ];
        let members = vec![
            Member { id: "c-m1".into(), name: "Mr P M Hill, OBE".into() },
            Member { id: "c-m2".into(), name: "Ms J Meade".into() },
        ];
        let votes = from_pages(&pages, &members, &[]);
        assert_eq!(votes.len(), 1);
        let vote = &votes[0];
        assert_eq!(vote.page, Some(2));
        assert_eq!(vote.item_number.as_deref(), Some("5"));
        assert_eq!(vote.counts.get("for"), Some(&2));
        assert_eq!(vote.result.as_deref(), Some("Motion carried"));
        let people: Vec<Option<&str>> = vote.choices.iter().map(|c| c.person_id.as_deref()).collect();
        assert_eq!(people, [Some("c-m1"), Some("c-m2"), None], "an unknown name is kept, unmatched");
        assert_eq!(vote.choices[2].name_as_written, "Mr Nobody");
    }

    #[test]
    fn the_kent_budget_votes_stand_under_their_items() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/pdf/kent_county-council-2025-02-13_printed-minutes.pdf"
        ))
        .unwrap();
        let pages: Vec<(u32, String)> =
            crate::documents::extract_all(&bytes).unwrap().into_iter().map(|p| (p.number, p.text)).collect();
        let pages: Vec<(u32, &str)> = pages.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let votes = from_pages(&pages, &[], &[]);
        let items: Vec<Option<&str>> = votes.iter().map(|v| v.item_number.as_deref()).collect();
        assert_eq!(items[0], Some("5"), "the section 25 report");
        assert!(items[1..].iter().all(|i| *i == Some("6")), "the budget and its amendments: {items:?}");
        assert_eq!(votes[0].page, Some(3));
        assert!(
            votes.iter().all(|v| v.choices.iter().all(|c| c.person_id.is_none())),
            "no members given, none matched"
        );
    }
}

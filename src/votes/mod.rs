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
    /// The platform's id of the agenda item, where the platform's own record names it.
    pub item_source_id: Option<String>,
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
        Choice::NotVoting => "not_voting",
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
                item_source_id: None,
                note: vote.note,
                choices,
            }
        })
        .collect()
}

/// The options of a vote, in the order they are shown.
pub const OPTIONS: [&str; 5] = ["for", "against", "abstain", "absent", "not_voting"];

/// Stored counts (`{"for": 4, …}`) as Open Civic Data's `[{option, value}]`.
pub fn ocd_counts(counts: &serde_json::Value) -> Vec<serde_json::Value> {
    counts
        .as_object()
        .into_iter()
        .flatten()
        .map(|(option, value)| serde_json::json!({"option": option, "value": value}))
        .collect()
}

/// How a choice is read out: "for", "against", "abstain", "absent", "not voting".
pub fn option_label(option: &str) -> &str {
    if option == "not_voting" {
        "not voting (declared an interest)"
    } else {
        option
    }
}

/// The recorded votes in agenda items' minutes as the platform gives them
/// (ModernGov's minutes text per item), each under its item.
pub fn from_item_minutes(items: &[(&str, &str)], members: &[Member], attended: &[&str]) -> Vec<StoredVote> {
    let mut votes = Vec::new();
    for (item_source_id, text) in items {
        for mut vote in from_pages(&[(1, text)], members, attended) {
            vote.position = votes.len();
            vote.page = None;
            vote.item_source_id = Some(item_source_id.to_string());
            votes.push(vote);
        }
    }
    votes
}

/// Where votes are read from: printed minutes, the minutes text a platform
/// gives per item, and a platform's own voting record pages.
pub const FROM_PRINTED_MINUTES: &str = "minutes";
pub const FROM_ITEM_MINUTES: &str = "minutes_text";
pub const FROM_VOTING_RECORDS: &str = "recorded_votes_page";

/// A name on a platform's voting record, with the platform's member id where the page links one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlatformName {
    pub name: String,
    pub member_source_id: Option<String>,
}

/// One row of a platform's voting record: the option, its printed count, the names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlatformOption {
    pub choice: Choice,
    pub printed: Option<u32>,
    pub names: Vec<PlatformName>,
}

/// A vote as a platform records it (ModernGov's voting record pages).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlatformVote {
    /// The platform's id of the agenda item it decided.
    pub item_source_id: Option<String>,
    pub motion: String,
    pub result: Option<String>,
    pub options: Vec<PlatformOption>,
}

/// Votes a platform records, as stored: a name is the member the page links
/// (`person_of` turns the platform's member id into ours, if we know them),
/// otherwise the one member it fits; counts checked against the names.
pub fn from_platform(
    votes: &[PlatformVote],
    person_of: impl Fn(&str) -> Option<String>,
    members: &[Member],
    attended: &[&str],
) -> Vec<StoredVote> {
    votes
        .iter()
        .enumerate()
        .map(|(position, vote)| {
            let mut counts = BTreeMap::new();
            let mut choices = Vec::new();
            let mut mismatched = Vec::new();
            for option in &vote.options {
                let name = choice_name(option.choice);
                let read = option.names.len() as u32;
                *counts.entry(name.to_string()).or_insert(0) += option.printed.unwrap_or(read);
                if option.printed.is_some_and(|printed| printed != read) {
                    mismatched.push(format!("{name}: {} printed, {read} names read", option.printed.unwrap_or(0)));
                }
                for written in &option.names {
                    let linked = written.member_source_id.as_deref().and_then(&person_of);
                    choices.push(StoredChoice {
                        position: choices.len(),
                        choice: option.choice,
                        name_as_written: written.name.clone(),
                        person_id: linked
                            .or_else(|| match_name(&written.name, members, attended).map(|m| m.id.clone())),
                    });
                }
            }
            StoredVote {
                position,
                motion: vote.motion.clone(),
                result: vote.result.clone(),
                counts,
                page: None,
                item_number: None,
                item_source_id: vote.item_source_id.clone(),
                note: (!mismatched.is_empty())
                    .then(|| format!("counts differ from the names: {}", mismatched.join("; "))),
                choices,
            }
        })
        .collect()
}

/// The option most of a party group chose on a vote (`{"for": 12, "against": 1}`):
/// for, against or abstain, when one was chosen by more than any other and at
/// least two of the group voted.
pub fn party_majority(choices: &serde_json::Value) -> Option<&'static str> {
    let count = |option: &str| choices[option].as_u64().unwrap_or(0);
    let mut options = [("for", count("for")), ("against", count("against")), ("abstain", count("abstain"))];
    options.sort_by_key(|o| std::cmp::Reverse(o.1));
    let voting: u64 = options.iter().map(|(_, n)| n).sum();
    (voting >= 2 && options[0].1 > options[1].1).then_some(options[0].0)
}

/// How often a member voted with the majority of their party group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PartyLine {
    /// Votes where they voted and their group had a majority.
    pub votes_counted: usize,
    pub with_majority: usize,
}

/// The line over a member's choices, each with their group's choices on that vote.
pub fn party_line<'a>(votes: impl IntoIterator<Item = (&'a str, &'a serde_json::Value)>) -> PartyLine {
    let mut line = PartyLine { votes_counted: 0, with_majority: 0 };
    for (choice, group) in votes {
        let Some(majority) = party_majority(group).filter(|_| ["for", "against", "abstain"].contains(&choice)) else {
            continue;
        };
        line.votes_counted += 1;
        line.with_majority += usize::from(majority == choice);
    }
    line
}

/// A platform's recorded vote written as minutes print one (the motion, each
/// option's heading with its count and the names under it, the result), so
/// that summaries read it, and their claim checks count it, like minutes.
pub fn record_text(
    motion: &str,
    result: Option<&str>,
    counts: &serde_json::Value,
    choices: &serde_json::Value,
) -> String {
    let mut text = format!("Recorded vote: {motion}\n");
    for (option, count) in counts.as_object().into_iter().flatten() {
        let heading = match option.as_str() {
            "for" => "For",
            "against" => "Against",
            "abstain" => "Abstain",
            "absent" => "Absent",
            _ => "Not voting",
        };
        let names: Vec<&str> = choices
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["choice"] == option.as_str())
            .filter_map(|c| c["name"].as_str())
            .collect();
        text.push_str(&format!("{heading} ({count})\n{}\n", names.join(", ")));
    }
    if let Some(result) = result {
        text.push_str(&format!("{result}.\n"));
    }
    text
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

    #[test]
    fn a_party_majority_needs_more_than_any_other_option_and_two_voting() {
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(party_majority(&json(r#"{"for": 12, "against": 1}"#)), Some("for"));
        assert_eq!(party_majority(&json(r#"{"for": 2, "against": 2, "abstain": 1}"#)), None, "a tie is no majority");
        assert_eq!(party_majority(&json(r#"{"against": 1}"#)), None, "one member is no group");
        assert_eq!(party_majority(&json(r#"{"absent": 5, "abstain": 2}"#)), Some("abstain"));
        let votes = [
            ("for", json(r#"{"for": 10, "against": 1}"#)),
            ("against", json(r#"{"for": 10, "against": 1}"#)),
            ("absent", json(r#"{"for": 10}"#)),
            ("for", json(r#"{"for": 1}"#)),
        ];
        let line = party_line(votes.iter().map(|(c, g)| (*c, g)));
        assert_eq!(line, PartyLine { votes_counted: 2, with_majority: 1 });
    }

    #[test]
    fn platform_names_are_the_members_they_link_else_the_one_they_fit() {
        let vote = PlatformVote {
            item_source_id: Some("8123".into()),
            motion: "That the budget be approved.".into(),
            result: Some("Carried".into()),
            options: vec![
                PlatformOption {
                    choice: Choice::For,
                    printed: Some(2),
                    names: vec![
                        PlatformName { name: "Councillor Gary Crookes".into(), member_source_id: Some("175".into()) },
                        PlatformName { name: "Councillor Ann Lucas".into(), member_source_id: Some("999".into()) },
                    ],
                },
                PlatformOption {
                    choice: Choice::Abstain,
                    printed: Some(2),
                    names: vec![PlatformName { name: "Councillor Marcus Lapsa".into(), member_source_id: None }],
                },
            ],
        };
        let members = vec![Member { id: "cov-m529".into(), name: "Councillor Marcus Lapsa".into() }];
        let known = |uid: &str| (uid == "175").then(|| format!("cov-m{uid}"));
        let stored = from_platform(&[vote], known, &members, &[]);
        let people: Vec<Option<&str>> = stored[0].choices.iter().map(|c| c.person_id.as_deref()).collect();
        assert_eq!(people, [Some("cov-m175"), None, Some("cov-m529")], "an unknown member id is not guessed");
        assert_eq!(stored[0].item_source_id.as_deref(), Some("8123"));
        assert_eq!(stored[0].counts.get("abstain"), Some(&2));
        assert_eq!(stored[0].note.as_deref(), Some("counts differ from the names: abstain: 2 printed, 1 names read"));
    }

    #[test]
    fn a_platform_vote_reads_back_as_the_vote_it_records() {
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        let text = record_text(
            "That the budget be approved.",
            Some("Carried"),
            &json(r#"{"against": 1, "for": 2}"#),
            &json(
                r#"[{"choice": "for", "name": "Cllr A"}, {"choice": "for", "name": "Cllr B"}, {"choice": "against", "name": "Cllr C"}]"#,
            ),
        );
        let votes = minutes::read_votes(&text);
        assert_eq!(votes.len(), 1, "{text}");
        let read: Vec<(Choice, Option<u32>, usize)> =
            votes[0].options.iter().map(|o| (o.choice, o.printed, o.names.len())).collect();
        assert_eq!(read, [(Choice::Against, Some(1), 1), (Choice::For, Some(2), 2)]);
        assert_eq!(votes[0].result.as_deref(), Some("Carried"));
    }

    #[test]
    fn votes_in_items_minutes_stand_under_their_items_in_one_numbering() {
        let minutes =
            "The Chair put the recommendation to the vote.\nFor (2)\nCllr A, Cllr B\nAgainst (1)\nCllr C\nCarried.";
        let votes = from_item_minutes(&[("71", "No vote was taken."), ("72", minutes), ("73", minutes)], &[], &[]);
        let placed: Vec<(usize, Option<&str>)> =
            votes.iter().map(|v| (v.position, v.item_source_id.as_deref())).collect();
        assert_eq!(placed, [(0, Some("72")), (1, Some("73"))]);
        assert_eq!(votes[0].counts.get("for"), Some(&2));
        assert_eq!(votes[0].page, None);
    }
}

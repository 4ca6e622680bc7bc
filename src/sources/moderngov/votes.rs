//! ModernGov's voting record pages (`mgListRecordedVotesShort.aspx?AIID=&MID=`),
//! linked from an agenda item on the meeting page: for each vote the motion,
//! its status (Carried, Rejected) and a table with a row per option (For,
//! Against, Abstain, Conflict of interests), the councillors' names (linked to
//! `mgUserInfo.aspx?UID=`) and a count. Cells run together are read too.

use scraper::{ElementRef, Html};

use super::urls::{absolute_url, id_param};
use crate::model::VotePage;
use crate::sources::detect::expect_html;
use crate::sources::html::selector;
use crate::sources::text::{collapse_whitespace, element_text};
use crate::sources::SourceError;
use crate::votes::minutes::{split_names, Choice};
use crate::votes::{PlatformName, PlatformOption, PlatformVote};

/// The most voting record pages read for one meeting.
pub const MAX_VOTE_PAGES: usize = 20;

/// The voting record links on a meeting page, each once.
pub fn vote_page_links(html: &Html, page_url: &str) -> Vec<VotePage> {
    let mut pages: Vec<VotePage> = Vec::new();
    for link in html.select(&selector("a[href]")) {
        let href = link.value().attr("href").unwrap_or_default();
        if !href.to_ascii_lowercase().contains("mglistrecordedvotes") {
            continue;
        }
        let Some(url) = absolute_url(page_url, href) else { continue };
        if !pages.iter().any(|p| p.url == url) {
            pages.push(VotePage { item_source_id: id_param(href, "AIID"), url });
        }
    }
    pages
}

/// An option cell: its option and a count written into the same cell ("For (4)", "Against3").
fn option_cell(text: &str) -> Option<(Choice, Option<u32>)> {
    let text = collapse_whitespace(text);
    let words = text.trim_end_matches(|c: char| c.is_ascii_digit() || c == '(' || c == ')' || c.is_whitespace());
    let count: String =
        text[words.len()..].chars().filter(char::is_ascii_digit).collect::<String>().chars().take(6).collect();
    let choice = Choice::of_heading(words.trim().trim_end_matches(':'))?;
    Some((choice, count.parse().ok()))
}

/// The names of a names cell: its member links where it has them, otherwise
/// the text split at commas, semicolons and "and"; a count at its end is the row's.
fn names_cell(cell: ElementRef<'_>) -> (Vec<PlatformName>, Option<u32>) {
    let text = collapse_whitespace(&element_text(cell));
    let trailing: String = text.chars().rev().take_while(char::is_ascii_digit).collect();
    let count = (!trailing.is_empty()).then(|| trailing.chars().rev().collect::<String>().parse().ok()).flatten();
    let links: Vec<PlatformName> = cell
        .select(&selector("a[href]"))
        .filter(|a| a.value().attr("href").is_some_and(|h| h.to_ascii_lowercase().contains("mguserinfo")))
        .map(|a| PlatformName {
            name: collapse_whitespace(&element_text(a)),
            member_source_id: a.value().attr("href").and_then(|h| id_param(h, "UID")),
        })
        .filter(|n| !n.name.is_empty())
        .collect();
    if !links.is_empty() {
        return (links, count);
    }
    let names_text = text[..text.len() - trailing.len()].replace(';', ",");
    let names = split_names(names_text.trim())
        .into_iter()
        .filter(|n| n.chars().any(char::is_alphabetic))
        .map(|name| PlatformName { name, member_source_id: None })
        .collect();
    (names, count)
}

/// One vote's table.
fn options(table: ElementRef<'_>) -> Vec<PlatformOption> {
    let mut options = Vec::new();
    for row in table.select(&selector("tr")) {
        let cells: Vec<ElementRef<'_>> = row.select(&selector("td")).collect();
        let Some((choice, in_cell)) = cells.first().and_then(|c| option_cell(&element_text(*c))) else { continue };
        let (names, in_names) = cells.get(1).map_or((Vec::new(), None), |c| names_cell(*c));
        let in_own_cell = cells.get(2).and_then(|c| collapse_whitespace(&element_text(*c)).parse().ok());
        options.push(PlatformOption { choice, printed: in_own_cell.or(in_cell).or(in_names), names });
    }
    options
}

/// A label paragraph's value ("Motion:", "Status:").
fn labelled(paragraph: ElementRef<'_>) -> Option<(String, String)> {
    let label = paragraph.select(&selector("span.mgLabel")).next()?;
    let label_text = collapse_whitespace(&element_text(label));
    let full = collapse_whitespace(&element_text(paragraph));
    let value = full.strip_prefix(label_text.as_str()).unwrap_or(&full).trim().to_string();
    Some((label_text.trim_end_matches(':').to_ascii_lowercase(), value))
}

/// The votes on a voting record page, in the order it lists them.
pub fn parse_voting_record(page: &str, item_source_id: Option<&str>) -> Result<Vec<PlatformVote>, SourceError> {
    expect_html(page)?;
    let html = Html::parse_document(page);
    let mut votes = Vec::new();
    let (mut motion, mut status, mut section) = (None::<String>, None::<String>, None::<String>);
    let relevant = selector("h3.mgSectionTitle, p, table");
    for element in html.select(&relevant) {
        match element.value().name() {
            "h3" => section = Some(collapse_whitespace(&element_text(element))),
            "p" => match labelled(element) {
                Some((label, value)) if label == "motion" => motion = Some(value),
                Some((label, value)) if label == "status" || label == "result" => status = Some(value),
                _ => {}
            },
            _ => {
                let options = options(element);
                if !options.iter().any(|o| o.choice == Choice::For) {
                    continue;
                }
                let motion = motion.take().or_else(|| section.clone()).unwrap_or_default();
                votes.push(PlatformVote {
                    item_source_id: item_source_id.map(str::to_string),
                    motion,
                    result: status.take(),
                    options,
                });
                section = None;
            }
        }
    }
    if votes.is_empty() {
        return Err(SourceError::UnexpectedPage("no voting record table (For / Against rows) on the page".into()));
    }
    Ok(votes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/moderngov/derived_mgListRecordedVotesShort_budget-amendment-and-motion.html"
        ))
        .unwrap()
    }

    fn counts(vote: &PlatformVote) -> Vec<(Choice, Option<u32>, usize)> {
        vote.options.iter().map(|o| (o.choice, o.printed, o.names.len())).collect()
    }

    #[test]
    fn both_votes_are_read_with_motion_status_counts_and_member_ids() {
        let votes = parse_voting_record(&fixture(), Some("8123")).unwrap();
        assert_eq!(votes.len(), 2);
        let amendment = &votes[0];
        assert_eq!(amendment.item_source_id.as_deref(), Some("8123"));
        assert!(amendment.motion.starts_with("That the budget be amended"), "{}", amendment.motion);
        assert_eq!(amendment.result.as_deref(), Some("Rejected"));
        assert_eq!(
            counts(amendment),
            [
                (Choice::For, Some(3), 3),
                (Choice::Against, Some(4), 4),
                (Choice::Abstain, Some(1), 1),
                (Choice::NotVoting, Some(0), 0)
            ]
        );
        let first = &amendment.options[0].names[0];
        assert_eq!((first.name.as_str(), first.member_source_id.as_deref()), ("Councillor Gary Crookes", Some("175")));
        let unlinked = &amendment.options[2].names[0];
        assert_eq!((unlinked.name.as_str(), unlinked.member_source_id.as_deref()), ("Councillor Marcus Lapsa", None));
    }

    #[test]
    fn table_text_run_together_is_read() {
        let votes = parse_voting_record(&fixture(), None).unwrap();
        let motion = &votes[1];
        assert_eq!(motion.result.as_deref(), Some("Carried"));
        assert_eq!(
            counts(motion),
            [
                (Choice::For, Some(4), 4),
                (Choice::Against, Some(3), 3),
                (Choice::Abstain, Some(2), 2),
                (Choice::NotVoting, Some(0), 0)
            ]
        );
        let abstained: Vec<&str> = motion.options[2].names.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(abstained, ["Councillor Marcus Lapsa", "Councillor Hazel Noonan"]);
        assert_eq!(motion.options[0].names[3].member_source_id.as_deref(), Some("161"));
    }

    #[test]
    fn pages_without_a_voting_table_are_errors_not_empty_records() {
        let page = "<html><body><div class=\"mgContent\"><p>No votes have been recorded.</p></div></body></html>";
        assert!(matches!(parse_voting_record(page, None), Err(SourceError::UnexpectedPage(_))));
        assert!(parse_voting_record("<?xml version=\"1.0\"?><x/>", None).is_err());
    }

    #[test]
    fn links_to_voting_records_are_found_once_with_their_item() {
        let page = "<html><body><table id=\"mgItemTable\"><tr><td class=\"mgItemNumberCell\">8.</td><td>Budget \
            <a href=\"mgListRecordedVotesShort.aspx?AIID=8123&amp;MID=5001\">Voting record</a> \
            <a href=\"mgListRecordedVotesShort.aspx?AIID=8123&amp;MID=5001\">again</a></td></tr></table></body></html>";
        let links =
            vote_page_links(&Html::parse_document(page), "http://127.0.0.1:9/mg/ieListDocuments.aspx?CId=1&MId=5001");
        assert_eq!(
            links,
            [VotePage {
                item_source_id: Some("8123".into()),
                url: "http://127.0.0.1:9/mg/mgListRecordedVotesShort.aspx?AIID=8123&MID=5001".into()
            }]
        );
    }
}

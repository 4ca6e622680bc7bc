//! The summariser with no model: every sentence it shows is copied from the
//! council's own text, so it cannot invent anything. Labelled on every page
//! and in the API as "extractive, not AI-generated".

use super::input::{MeetingInput, PromptPlan, Source};
use super::published::{PublishedDecision, PublishedSection, PublishedSummary};

pub const LABEL: &str = "extractive, not AI-generated";

/// The council's sentences, with whitespace made single and a fragment of
/// twenty characters or fewer (a heading, a number) kept with what follows.
fn sentences(text: &str) -> Vec<String> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    let mut current = String::new();
    for sentence in super::sentences::sentences(&flat) {
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(sentence);
        if current.len() > 20 {
            out.push(std::mem::take(&mut current));
        }
    }
    if current.trim().len() > 20 {
        out.push(current);
    }
    out
}

fn is_decision(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    ["resolved", "agreed", "approved", "decided", "endorsed", "recommendation was carried", "was lost", "were noted"]
        .iter()
        .any(|w| lower.contains(w))
}

fn excerpt(text: &str, max_sentences: usize) -> String {
    let picked: Vec<String> = sentences(text).into_iter().take(max_sentences).collect();
    let joined = picked.join(" ");
    if joined.chars().count() > 700 {
        let cut: String = joined.chars().take(700).collect();
        format!("{} …", cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head))
    } else {
        joined
    }
}

pub fn summarise(meeting: &MeetingInput, plan: &PromptPlan) -> PublishedSummary {
    let mut summary = PublishedSummary::new(String::new(), None);
    for index in &plan.substantive {
        let item = &meeting.items[*index];
        // The council's own text: its papers, not the webcast's captions.
        let sources: Vec<&Source> =
            plan.sources.iter().filter(|s| s.item_id == item.item_id && !s.is_debate()).collect();
        let Some(first) = sources.first() else {
            summary.sections.push(PublishedSection {
                item_id: item.item_id.clone(),
                number: item.number.clone(),
                title: item.title.clone(),
                summary: "No text has been published for this item yet.".into(),
                decisions: Vec::new(),
                quotes: Vec::new(),
                extractive: true,
                claims: Vec::new(),
                said: String::new(),
                said_claims: Vec::new(),
            });
            continue;
        };
        let text = excerpt(&first.text, 3);
        let footnote = summary.footnote_for(first);
        let mut decisions = Vec::new();
        if first.label.ends_with("minutes") {
            for sentence in sentences(&first.text).into_iter().filter(|s| is_decision(s)).take(3) {
                decisions.push(PublishedDecision { text: sentence.clone(), evidence: sentence, footnote });
            }
        }
        summary.sections.push(PublishedSection {
            item_id: item.item_id.clone(),
            number: item.number.clone(),
            title: item.title.clone(),
            summary: if text.is_empty() { "See the source document.".into() } else { text },
            decisions,
            quotes: Vec::new(),
            extractive: true,
            claims: Vec::new(),
            said: String::new(),
            said_claims: Vec::new(),
        });
    }
    summary.headline = headline(meeting, plan);
    if !plan.procedural.is_empty() {
        let names: Vec<&str> = plan.procedural.iter().map(|i| meeting.items[*i].title.as_str()).collect();
        summary.procedural = Some(format!("Procedural items: {}.", names.join("; ")));
    }
    summary
}

/// The headline made from the agenda alone: the committee, the date, the items.
pub fn headline(meeting: &MeetingInput, plan: &PromptPlan) -> String {
    let titles: Vec<&str> = plan.substantive.iter().map(|i| meeting.items[*i].title.as_str()).collect();
    match titles.len() {
        0 => format!("{} met on {}; only procedural business was listed.", meeting.committee, meeting.date),
        1 => format!("{} met on {} and considered one item: {}.", meeting.committee, meeting.date, titles[0]),
        n => format!("{} met on {} and considered {n} items: {}.", meeting.committee, meeting.date, titles.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarise::input::{plan, ItemInput};

    #[test]
    fn copies_text_and_decisions_verbatim() {
        let minutes = "The Cabinet considered the report on parks. RESOLVED that the parks strategy be approved. Members asked about costs.";
        let meeting = MeetingInput {
            meeting_id: "m".into(),
            title: "Cabinet".into(),
            committee: "Cabinet".into(),
            council: "Coventry".into(),
            date: "2026-01-05".into(),
            web_url: "https://x/m".into(),
            items: vec![
                ItemInput {
                    item_id: "a".into(),
                    number: Some("1".into()),
                    title: "Apologies".into(),
                    is_restricted: false,
                    minutes_text: None,
                    agenda_text: Some("None received.".into()),
                    pages: vec![],
                    said: vec![],
                },
                ItemInput {
                    item_id: "b".into(),
                    number: Some("2".into()),
                    title: "Parks Strategy".into(),
                    is_restricted: false,
                    minutes_text: Some(minutes.into()),
                    agenda_text: None,
                    pages: vec![],
                    said: vec![],
                },
            ],
            webcast: None,
        };
        let plan = plan(&meeting, 5000);
        let summary = summarise(&meeting, &plan);
        assert_eq!(summary.headline, "Cabinet met on 2026-01-05 and considered one item: Parks Strategy.");
        assert_eq!(summary.sections.len(), 1);
        assert!(minutes.contains(&summary.sections[0].summary[..40]));
        assert_eq!(summary.sections[0].decisions[0].text, "RESOLVED that the parks strategy be approved.");
        assert_eq!(summary.procedural.as_deref(), Some("Procedural items: Apologies."));
        assert_eq!(summary.footnotes.len(), 1);
    }
}

//! The model's answer: parsed, checked against the schema, then turned into a
//! published summary in which every quote and every decision's evidence has
//! been found verbatim in the source it cites.

use serde::Deserialize;

use super::claims::{keep_supported, unsupported, Evidence, Supported};
use super::input::{item_key, reads_debate, MeetingInput, PromptPlan};
pub use super::published::{
    DroppedClaim, Footnote, PublishedClaim, PublishedDecision, PublishedQuote, PublishedSection, PublishedSummary,
};
use super::quotes::appears_in;

#[derive(Debug, Clone, Deserialize)]
pub struct ModelSummary {
    pub headline: String,
    pub sections: Vec<ModelSection>,
    #[serde(default)]
    pub procedural: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ModelSection {
    pub item: serde_json::Value,
    #[serde(default)]
    pub title: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub decisions: Vec<ModelDecision>,
    #[serde(default)]
    pub quotes: Vec<ModelQuote>,
    /// What was said about the item, from its webcast sources (asked only
    /// when the webcast is a source).
    #[serde(default)]
    pub said: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ModelDecision {
    pub text: String,
    pub source: String,
    #[serde(default)]
    pub evidence: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ModelQuote {
    pub text: String,
    pub source: String,
}

const MAX_HEADLINE: usize = 800;
const MAX_SUMMARY: usize = 3000;
const MAX_QUOTE: usize = 400;

/// The item a section names, as `input::item_key` writes it ("item 5." and 5 are "5").
fn section_key(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.trim().trim_start_matches("item").trim().trim_end_matches('.').to_string(),
        other => other.to_string(),
    }
}

fn check_text(field: &str, text: &str, max: usize) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{field} is empty"));
    }
    if text.chars().count() > max {
        return Err(format!("{field} is longer than {max} characters"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(format!("{field} contains control characters"));
    }
    Ok(())
}

/// The JSON object in a model answer (models sometimes wrap it in prose or fences).
fn json_object(raw: &str) -> Option<&str> {
    let start = raw.find('{')?;
    let end = raw.rfind('}')?;
    (end > start).then(|| &raw[start..=end])
}

/// The answer's JSON schema for this meeting, sent to providers that can hold
/// a model to it: items and sources are named by what the prompt lists.
/// Every property is required and none other allowed (what strict modes ask);
/// our own validation still runs on whatever comes back.
pub fn answer_schema(meeting: &MeetingInput, plan: &PromptPlan) -> serde_json::Value {
    let items: Vec<String> = plan.substantive.iter().map(|i| item_key(meeting, *i)).collect();
    let sources: Vec<&str> = plan.sources.iter().map(|s| s.id.as_str()).collect();
    let text = |max: usize| serde_json::json!({"type": "string", "maxLength": max});
    let source = serde_json::json!({"type": "string", "enum": sources});
    let object = |properties: serde_json::Value| {
        let required: Vec<String> = properties.as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
        serde_json::json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
    };
    let mut section = serde_json::json!({
        "item": {"type": "string", "enum": items},
        "title": text(300),
        "summary": text(MAX_SUMMARY),
        "decisions": {"type": "array", "items": object(serde_json::json!({
            "text": text(1000), "source": source, "evidence": text(1000)
        }))},
        "quotes": {"type": "array", "items": object(serde_json::json!({"text": text(MAX_QUOTE), "source": source}))},
    });
    if reads_debate(plan) {
        section["said"] = text(MAX_SUMMARY);
    }
    object(serde_json::json!({
        "headline": text(MAX_HEADLINE),
        "sections": {"type": "array", "items": object(section)},
        "procedural": text(600),
    }))
}

/// Parses and validates a model answer against the schema and the plan.
pub fn validate(raw: &str, meeting: &MeetingInput, plan: &PromptPlan) -> Result<ModelSummary, String> {
    let json = json_object(raw).ok_or("the answer holds no JSON object")?;
    let summary: ModelSummary =
        serde_json::from_str(json).map_err(|e| format!("the JSON does not match the schema: {e}"))?;
    check_text("headline", &summary.headline, MAX_HEADLINE)?;
    let expected: Vec<String> = plan.substantive.iter().map(|i| item_key(meeting, *i)).collect();
    let mut seen: Vec<String> = Vec::new();
    for section in &summary.sections {
        let key = section_key(&section.item);
        if !expected.contains(&key) {
            return Err(format!("section for item {key:?}, which is not a listed substantive item"));
        }
        if seen.contains(&key) {
            return Err(format!("two sections for item {key}"));
        }
        seen.push(key.clone());
        check_text(&format!("item {key} summary"), &section.summary, MAX_SUMMARY)?;
        if let Some(title) = &section.title {
            check_text(&format!("item {key} title"), title, 300)?;
        }
        if !section.said.trim().is_empty() {
            check_text(&format!("item {key} said"), &section.said, MAX_SUMMARY)?;
        }
        for quote in &section.quotes {
            check_text(&format!("item {key} quote"), &quote.text, MAX_QUOTE)?;
            if !plan.sources.iter().any(|s| s.id == quote.source) {
                return Err(format!("item {key} quote cites unknown source {:?}", quote.source));
            }
        }
        for decision in &section.decisions {
            check_text(&format!("item {key} decision"), &decision.text, 1000)?;
            if !plan.sources.iter().any(|s| s.id == decision.source) {
                return Err(format!("item {key} decision cites unknown source {:?}", decision.source));
            }
        }
    }
    let missing: Vec<&String> = expected.iter().filter(|e| !seen.contains(e)).collect();
    if !missing.is_empty() {
        return Err(format!("no section for substantive items {missing:?}"));
    }
    if let Some(procedural) = &summary.procedural {
        if procedural.chars().count() > 600 {
            return Err("procedural line is longer than 600 characters".into());
        }
    }
    Ok(summary)
}

/// The meeting's date as (year, month, day), for reading dates written without a year.
fn meeting_day(meeting: &MeetingInput) -> Option<(i32, u32, u32)> {
    let mut parts = meeting.date.get(..10)?.split('-');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// What a meeting's prose may draw on beyond an item's sources: the meeting's
/// own particulars and its agenda (titles and numbers are the council's words).
fn meeting_evidence(meeting: &MeetingInput) -> Evidence {
    let mut evidence = Evidence::new([
        meeting.title.as_str(),
        meeting.committee.as_str(),
        meeting.council.as_str(),
        meeting.date.as_str(),
    ])
    .dated(meeting_day(meeting));
    for item in &meeting.items {
        evidence.add(&format!("item {} {}", item.number.as_deref().unwrap_or_default(), item.title));
    }
    // How many items the agenda holds is the meeting's own fact too ("discussed five items").
    evidence.add(&format!("{} items on the agenda", meeting.items.len()));
    evidence
}

/// The published form of kept claims: each linked to its source's footnote.
fn published_claims(
    published: &mut PublishedSummary,
    plan: &PromptPlan,
    claims: Vec<Supported>,
) -> Vec<PublishedClaim> {
    claims
        .into_iter()
        .map(|claim| PublishedClaim {
            footnote: claim
                .found
                .origin
                .and_then(|at| plan.sources.get(at))
                .map(|source| published.footnote_for(source)),
            text: claim.written,
            kind: claim.kind.to_string(),
            found: claim.found.found,
            context: claim.found.context,
        })
        .collect()
}

/// When a quote of a webcast passage began to be said.
fn said_moment(source: &super::input::Source, quote: &str) -> Option<u64> {
    let passage = crate::webcasts::Passage {
        start_ms: source.said_at?,
        end_ms: source.said_at?,
        text: source.text.clone(),
        cue_words: source.cue_words.clone(),
    };
    crate::webcasts::moment_of(&passage, quote)
}

/// Keeps what the sources bear out: quotes found verbatim in the cited source,
/// decisions whose evidence is found there, and sentences whose every figure,
/// date and name is found in the sources they may draw on (the headline: any
/// source of the meeting; a section: its item's sources). Everything else is
/// dropped and counted; a section left with nothing falls back to the
/// council's own text for the item. Each kept claim keeps where it was found.
pub fn publish(model: ModelSummary, meeting: &MeetingInput, plan: &PromptPlan) -> PublishedSummary {
    let mut base = meeting_evidence(meeting);
    base.add(&format!("{} items to summarise", plan.substantive.len()));
    let mut whole = base.clone();
    for (at, source) in plan.sources.iter().enumerate() {
        whole.add_source(&source.text, at);
    }
    let mut procedural_evidence = base.clone();
    for index in &plan.procedural {
        let item = &meeting.items[*index];
        for text in [item.minutes_text.as_deref(), item.agenda_text.as_deref()].into_iter().flatten() {
            procedural_evidence.add(text);
        }
    }
    let mut dropped: Vec<DroppedClaim> = Vec::new();
    let mut sentences_checked = 0;
    let mut checked = |dropped: &mut Vec<DroppedClaim>, place: &str, text: &str, evidence: &Evidence| {
        let (kept, left_out) = keep_supported(text.trim(), evidence);
        sentences_checked += kept.sentences;
        dropped.extend(left_out.into_iter().map(|d| DroppedClaim {
            place: place.to_string(),
            reason: d.reason,
            kinds: d.kinds.iter().map(|k| k.to_string()).collect(),
        }));
        kept
    };
    let headline = checked(&mut dropped, "headline", &model.headline, &whole);
    let procedural =
        model.procedural.as_deref().map(|p| checked(&mut dropped, "procedural", p, &procedural_evidence).text);
    let mut published = PublishedSummary::new(headline.text, procedural.filter(|p| !p.is_empty()));
    published.headline_claims = published_claims(&mut published, plan, headline.claims);
    let mut fallback_items = Vec::new();
    for index in &plan.substantive {
        let item = &meeting.items[*index];
        let key = item_key(meeting, *index);
        let Some(section) = model.sections.iter().find(|s| section_key(&s.item) == key) else { continue };
        let item_sources: Vec<(usize, &super::input::Source)> =
            plan.sources.iter().enumerate().filter(|(_, s)| s.item_id == item.item_id).collect();
        let mut evidence = base.clone();
        for (at, source) in &item_sources {
            evidence.add_source(&source.text, *at);
        }
        let place = format!("item {key}");
        let summary = checked(&mut dropped, &place, &section.summary, &evidence);
        // What was said is checked against what was said: the item's webcast passages only.
        let mut debate_evidence = base.clone();
        for (at, source) in item_sources.iter().filter(|(_, s)| s.is_debate()) {
            debate_evidence.add_source(&source.text, *at);
        }
        let said = if item_sources.iter().any(|(_, s)| s.is_debate()) && !section.said.trim().is_empty() {
            Some(checked(&mut dropped, &format!("{place} said"), &section.said, &debate_evidence))
        } else {
            None
        };
        let title = section
            .title
            .clone()
            .filter(|t| !t.trim().is_empty() && unsupported(t, &evidence).is_empty())
            .unwrap_or_else(|| item.title.clone());
        let claims = published_claims(&mut published, plan, summary.claims);
        let (said_text, said_claims) = match said {
            Some(said) => (said.text, published_claims(&mut published, plan, said.claims)),
            None => (String::new(), Vec::new()),
        };
        let mut out = PublishedSection {
            item_id: item.item_id.clone(),
            number: item.number.clone(),
            title,
            summary: summary.text,
            decisions: Vec::new(),
            quotes: Vec::new(),
            extractive: false,
            claims,
            said: said_text,
            said_claims,
        };
        for quote in &section.quotes {
            let source = item_sources.iter().map(|(_, s)| *s).find(|s| s.id == quote.source);
            match source {
                Some(source) if appears_in(&quote.text, &source.text) => {
                    let footnote = published.footnote_for(source);
                    let text = quote.text.trim().trim_matches('"').to_string();
                    // A quote of the webcast links the moment it was said (its passage's start when not found by word).
                    let said_at = source.said_at.map(|start| said_moment(source, &text).unwrap_or(start));
                    let link = said_at
                        .zip(meeting.webcast.as_ref())
                        .map(|(ms, webcast)| crate::sources::publici::player_at(&webcast.player_url, ms));
                    out.quotes.push(PublishedQuote { text, footnote, said_at, link });
                    published.quotes_kept += 1;
                }
                _ => published.quotes_dropped += 1,
            }
        }
        for decision in &section.decisions {
            let source = item_sources.iter().map(|(_, s)| *s).find(|s| s.id == decision.source);
            let unbacked = unsupported(&decision.text, &evidence);
            match source {
                Some(source) if appears_in(&decision.evidence, &source.text) && unbacked.is_empty() => {
                    let footnote = published.footnote_for(source);
                    out.decisions.push(PublishedDecision {
                        text: decision.text.trim().to_string(),
                        evidence: decision.evidence.trim().to_string(),
                        footnote,
                    });
                }
                _ => {
                    published.decisions_dropped += 1;
                    if !unbacked.is_empty() {
                        dropped.push(DroppedClaim {
                            place: format!("{place} decision"),
                            reason: unbacked.join("; "),
                            kinds: Vec::new(),
                        });
                    }
                }
            }
        }
        if out.summary.is_empty() {
            fallback_items.push(published.sections.len());
        }
        published.sections.push(out);
    }
    // A section the checks emptied says what the council's own text says instead.
    if !fallback_items.is_empty() {
        let council_text = super::extractive::summarise(meeting, plan);
        for at in fallback_items {
            let item_id = published.sections[at].item_id.clone();
            if let Some(own) = council_text.sections.iter().find(|s| s.item_id == item_id) {
                published.sections[at].summary = own.summary.clone();
                published.sections[at].extractive = true;
            }
            if let Some(source) = plan.sources.iter().find(|s| s.item_id == item_id) {
                published.footnote_for(source);
            }
        }
    }
    if published.headline.is_empty() {
        published.headline = super::extractive::headline(meeting, plan);
        published.headline_claims.clear();
    }
    published.sentences_dropped = dropped.iter().filter(|d| !d.place.ends_with(" decision")).count();
    published.sentences_checked = sentences_checked;
    published.dropped = dropped;
    published.claims_checked = true;
    published
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarise::input::{plan, ItemInput, MeetingInput};

    fn meeting() -> MeetingInput {
        let item = |n: &str, title: &str, minutes: &str| ItemInput {
            item_id: format!("i{n}"),
            number: Some(n.into()),
            title: title.into(),
            is_restricted: false,
            minutes_text: Some(minutes.into()),
            agenda_text: None,
            pages: vec![],
            said: vec![],
        };
        MeetingInput {
            meeting_id: "m".into(),
            title: "Cabinet".into(),
            committee: "Cabinet".into(),
            council: "Coventry".into(),
            date: "2024-06-26".into(),
            web_url: "https://x/meeting".into(),
            items: vec![
                item("1", "Apologies", "None."),
                item("5", "Community Safety Plan 2024-2027", "RESOLVED that the Community Safety Plan 2024\u{2013}2027 be approved. The Chair said \u{201c}this plan is a robust framework for the city\u{201d}."),
            ],
            webcast: None,
        }
    }

    fn answer(quote: &str, evidence: &str) -> String {
        serde_json::json!({
            "headline": "The committee approved the Community Safety Plan.",
            "sections": [{"item": "5", "title": "Community Safety Plan", "summary": "The plan was approved.",
                "decisions": [{"text": "Approved the plan", "source": "S1", "evidence": evidence}],
                "quotes": [{"text": quote, "source": "S1"}]}],
            "procedural": "Apologies were noted."
        })
        .to_string()
    }

    #[test]
    fn accepts_a_valid_answer_in_fences() {
        let input = meeting();
        let plan = plan(&input, 5000);
        let raw = format!(
            "```json\n{}\n```",
            answer("this plan is a robust framework for the city", "the Community Safety Plan 2024-2027 be approved")
        );
        let model = validate(&raw, &input, &plan).unwrap();
        let published = publish(model, &input, &plan);
        assert_eq!(published.quotes_kept, 1);
        assert_eq!(published.sections[0].quotes[0].footnote, 1);
        assert_eq!(published.footnotes[0].url, "https://x/meeting");
        assert_eq!(published.sections[0].decisions.len(), 1);
    }

    #[test]
    fn rejects_answers_that_break_the_schema() {
        let input = meeting();
        let plan = plan(&input, 5000);
        assert!(validate("I cannot help with that", &input, &plan).unwrap_err().contains("no JSON"));
        assert!(validate("{\"headline\": 5}", &input, &plan).unwrap_err().contains("schema"));
        let missing = r#"{"headline": "x", "sections": []}"#;
        assert!(validate(missing, &input, &plan).unwrap_err().contains("no section"));
        let wrong_item = r#"{"headline": "x", "sections": [{"item": "1", "summary": "s"}]}"#;
        assert!(validate(wrong_item, &input, &plan).unwrap_err().contains("not a listed substantive item"));
        let unknown_source = answer("x", "y").replace("\"S1\"", "\"S9\"");
        assert!(validate(&unknown_source, &input, &plan).unwrap_err().contains("unknown source"));
    }

    #[test]
    fn removes_fabricated_quotes_and_unsupported_decisions() {
        let input = meeting();
        let plan = plan(&input, 5000);
        let raw = answer(
            "The success of this duty hinges on our ability to foster strong partnerships",
            "the plan was rejected",
        );
        let published = publish(validate(&raw, &input, &plan).unwrap(), &input, &plan);
        assert_eq!((published.quotes_kept, published.quotes_dropped, published.decisions_dropped), (0, 1, 1));
        assert!(published.sections[0].quotes.is_empty());
        // What footnotes remain are the sources of the checked claims, not of anything dropped.
        let claims: Vec<&PublishedClaim> =
            published.headline_claims.iter().chain(published.sections.iter().flat_map(|s| &s.claims)).collect();
        assert!(published.footnotes.iter().all(|f| claims.iter().any(|c| c.footnote == Some(f.number))));
    }

    #[test]
    fn keeps_a_real_quote_with_other_spacing_and_straight_quotes() {
        let input = meeting();
        let plan = plan(&input, 5000);
        let raw =
            answer("\"This plan is a  robust\nframework for the city\"", "Community Safety Plan 2024-2027 be approved");
        let published = publish(validate(&raw, &input, &plan).unwrap(), &input, &plan);
        assert_eq!((published.quotes_kept, published.quotes_dropped, published.decisions_dropped), (1, 0, 0));
    }

    fn answer_with(headline: &str, summary: &str, decision: &str) -> String {
        serde_json::json!({
            "headline": headline,
            "sections": [{"item": "5", "title": "Community Safety Plan", "summary": summary,
                "decisions": [{"text": decision, "source": "S1", "evidence": "the Community Safety Plan 2024-2027 be approved"}],
                "quotes": []}],
            "procedural": ""
        })
        .to_string()
    }

    #[test]
    fn sentences_with_figures_dates_or_names_not_in_the_sources_are_dropped() {
        let input = meeting();
        let plan = plan(&input, 5000);
        let raw = answer_with(
            "The Cabinet approved the Community Safety Plan on 26 June 2024. It will cost \u{a3}2.4m.",
            "The Chair called the plan a robust framework. Councillor Jane Smith said it runs to 2030. The plan covers 2024 to 2027.",
            "Approved the Community Safety Plan 2024-2027",
        );
        let published = publish(validate(&raw, &input, &plan).unwrap(), &input, &plan);
        assert_eq!(published.headline, "The Cabinet approved the Community Safety Plan on 26 June 2024.");
        assert_eq!(
            published.sections[0].summary,
            "The Chair called the plan a robust framework. The plan covers 2024 to 2027."
        );
        assert_eq!(published.sentences_dropped, 2);
        assert!(published.claims_checked && !published.sections[0].extractive);
        let reasons: Vec<&str> = published.dropped.iter().map(|d| d.reason.as_str()).collect();
        assert!(reasons[0].contains("\u{a3}2.4m") && published.dropped[0].place == "headline", "{reasons:?}");
        assert!(reasons[1].contains("Jane Smith") && reasons[1].contains("2030"), "{reasons:?}");
        assert_eq!(published.sections[0].decisions.len(), 1);
        // Why is kept with the version, never in the published body.
        assert!(!serde_json::to_string(&published).unwrap().contains("Jane Smith"));
    }

    #[test]
    fn a_section_left_empty_falls_back_to_the_councils_text() {
        let input = meeting();
        let plan = plan(&input, 5000);
        let raw = answer_with(
            "Spending of \u{a3}24m was approved.",
            "The plan will cost \u{a3}24m over 12 years.",
            "Approved \u{a3}24m of spending",
        );
        let published = publish(validate(&raw, &input, &plan).unwrap(), &input, &plan);
        let section = &published.sections[0];
        assert!(section.extractive, "{section:?}");
        assert!(section.summary.starts_with("RESOLVED that the Community Safety Plan"), "{}", section.summary);
        assert_eq!(published.decisions_dropped, 1, "a decision with a figure the sources lack goes too");
        assert!(published.headline.starts_with("Cabinet met on 2024-06-26"), "the agenda's own headline instead");
        assert_eq!(published.footnotes.len(), 1, "the section's source is cited");
    }

    #[test]
    fn items_without_numbers_have_a_key_the_model_is_given() {
        let mut input = meeting();
        input.items[1].number = None;
        let plan = plan(&input, 5000);
        let (_, user) = crate::summarise::input::build_prompt(&input, &plan);
        assert!(user.contains("- item p2: Community Safety Plan"), "{user}");
        let raw =
            answer("this plan is a robust framework for the city", "the Community Safety Plan 2024-2027 be approved")
                .replace("\"item\":\"5\"", "\"item\":\"p2\"");
        let published = publish(validate(&raw, &input, &plan).unwrap(), &input, &plan);
        assert_eq!(published.sections.len(), 1);
        assert_eq!(published.quotes_kept, 1);
    }

    #[test]
    fn the_schema_sent_names_the_items_and_sources_the_prompt_lists() {
        let input = meeting();
        let plan = plan(&input, 5000);
        let schema = answer_schema(&input, &plan);
        let section = &schema["properties"]["sections"]["items"];
        assert_eq!(section["properties"]["item"]["enum"], serde_json::json!(["5"]));
        assert_eq!(section["properties"]["quotes"]["items"]["properties"]["source"]["enum"], serde_json::json!(["S1"]));
        assert_eq!(schema["additionalProperties"], false);
        let required: Vec<&str> = schema["required"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        assert_eq!(required, ["headline", "procedural", "sections"]);
        // An answer made to the schema passes our own validation.
        let raw =
            answer("this plan is a robust framework for the city", "the Community Safety Plan 2024-2027 be approved");
        assert!(validate(&raw, &input, &plan).is_ok());
    }

    #[test]
    fn kept_claims_keep_their_source_and_the_record_counts_what_was_dropped_by_kind() {
        let input = meeting();
        let plan = plan(&input, 5000);
        let raw = answer_with(
            "The Cabinet met on 26 June 2024.",
            "The Community Safety Plan runs from 2024 to 2027. Councillor Jane Smith backed it. It will cost \u{a3}2.4m.",
            "Approved the Community Safety Plan 2024-2027",
        );
        let published = publish(validate(&raw, &input, &plan).unwrap(), &input, &plan);
        let section = &published.sections[0];
        let plan_claim = section.claims.iter().find(|c| c.text == "2027").expect("the year is a checked claim");
        assert_eq!(plan_claim.kind, "figure");
        let footnote = plan_claim.footnote.expect("found in the item's minutes");
        assert_eq!(published.footnotes[footnote - 1].source_id, "S1");
        assert!(plan_claim.context.contains("2024\u{2013}2027"), "{:?}", plan_claim.context);
        assert_eq!(published.headline_claims[0].footnote, None, "the meeting's own date");
        assert_eq!(published.sentences_checked, 4);
        let by_kind = published.dropped_by_kind();
        assert_eq!((by_kind.get("name"), by_kind.get("amount")), (Some(&1), Some(&1)));
    }

    /// The fixture meeting with a webcast: item 5's debate in two cues.
    fn with_webcast() -> MeetingInput {
        let mut meeting = meeting();
        meeting.webcast = Some(crate::summarise::input::WebcastInput {
            player_url: "https://coventry.public-i.tv/core/portal/webcast_interactive/9".into(),
            made_from: crate::webcasts::FROM_CAPTIONS.into(),
        });
        let cues = vec![
            crate::webcasts::Cue {
                start_ms: 750_000,
                end_ms: 754_000,
                text: "Councillor Brown said the plan".into(),
                speaker: None,
            },
            crate::webcasts::Cue {
                start_ms: 754_000,
                end_ms: 758_000,
                text: "would cost 40,000 pounds a year.".into(),
                speaker: None,
            },
        ];
        meeting.items[1].said = crate::webcasts::passages(&cues, 1600);
        meeting
    }

    #[test]
    fn what_was_said_is_checked_against_the_webcast_and_its_quotes_link_their_moment() {
        let meeting = with_webcast();
        let plan = plan(&meeting, 4000);
        let debate: Vec<&crate::summarise::input::Source> = plan.sources.iter().filter(|s| s.is_debate()).collect();
        assert_eq!(debate.len(), 1, "{:?}", plan.sources);
        assert!(plan.sources.iter().any(|s| !s.is_debate() && s.item_id == "i5"), "the papers are still read");
        assert!(
            debate[0].label.contains("what was said") && debate[0].label.ends_with("from 12:30"),
            "{}",
            debate[0].label
        );
        assert!(debate[0].url.ends_with("/start_time/750000"));
        let (system, _) = crate::summarise::input::build_prompt(&meeting, &plan);
        assert!(system.contains("\"said\""));
        assert!(answer_schema(&meeting, &plan).to_string().contains("\"said\""));
        let id = &debate[0].id;
        let answer = serde_json::json!({
            "headline": "The Cabinet approved the Community Safety Plan.",
            "sections": [{"item": "5", "title": "Community Safety Plan", "summary": "The plan was approved.",
                "said": "Councillor Brown said the plan would cost 40,000 pounds a year. Councillor Brown said it would cost 90,000 pounds.",
                "decisions": [],
                "quotes": [{"text": "would cost 40,000 pounds a year", "source": id}, {"text": "would cost 90,000 pounds", "source": id}]}],
            "procedural": ""
        })
        .to_string();
        let published = publish(validate(&answer, &meeting, &plan).unwrap(), &meeting, &plan);
        let section = &published.sections[0];
        assert_eq!(
            section.said, "Councillor Brown said the plan would cost 40,000 pounds a year.",
            "the false figure goes"
        );
        assert!(published.dropped.iter().any(|d| d.place == "item 5 said"), "{:?}", published.dropped);
        assert_eq!(section.quotes.len(), 1);
        let quote = &section.quotes[0];
        assert_eq!(quote.said_at, Some(754_000), "the cue the quote begins in");
        assert_eq!(
            quote.link.as_deref(),
            Some("https://coventry.public-i.tv/core/portal/webcast_interactive/9/start_time/754000")
        );
        let footnote = &published.footnotes[quote.footnote - 1];
        assert_eq!(footnote.said_at, Some(750_000));
        assert_eq!(published.quotes_dropped, 1);
    }

    #[test]
    fn a_meeting_without_a_webcast_is_asked_exactly_as_before() {
        let meeting = meeting();
        let plan = plan(&meeting, 4000);
        let (system, _) = crate::summarise::input::build_prompt(&meeting, &plan);
        assert_eq!(system, crate::summarise::input::SYSTEM_PROMPT);
        assert!(!answer_schema(&meeting, &plan).to_string().contains("\"said\""));
        // Its summary's body has no fields it did not have.
        let answer = answer("this plan is a robust framework for the city", "be approved");
        let published = publish(validate(&answer, &meeting, &plan).unwrap(), &meeting, &plan);
        let body = serde_json::to_string(&published).unwrap();
        assert!(!body.contains("\"said") && !body.contains("\"link\""), "{body}");
    }
}

//! The model's answer: parsed, checked against the schema, then turned into a
//! published summary in which every quote and every decision's evidence has
//! been found verbatim in the source it cites.

use serde::{Deserialize, Serialize};

use super::input::{MeetingInput, PromptPlan};
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

fn item_key(value: &serde_json::Value) -> String {
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

/// Parses and validates a model answer against the schema and the plan.
pub fn validate(raw: &str, meeting: &MeetingInput, plan: &PromptPlan) -> Result<ModelSummary, String> {
    let json = json_object(raw).ok_or("the answer holds no JSON object")?;
    let summary: ModelSummary =
        serde_json::from_str(json).map_err(|e| format!("the JSON does not match the schema: {e}"))?;
    check_text("headline", &summary.headline, MAX_HEADLINE)?;
    let expected: Vec<String> =
        plan.substantive.iter().map(|i| meeting.items[*i].number.clone().unwrap_or_default()).collect();
    let mut seen: Vec<String> = Vec::new();
    for section in &summary.sections {
        let key = item_key(&section.item);
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footnote {
    pub number: usize,
    pub source_id: String,
    pub label: String,
    pub document_id: Option<String>,
    pub page: Option<u32>,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedQuote {
    pub text: String,
    pub footnote: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedDecision {
    pub text: String,
    /// The verified words of the source that record it.
    pub evidence: String,
    pub footnote: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedSection {
    pub item_id: String,
    pub number: Option<String>,
    pub title: String,
    pub summary: String,
    pub decisions: Vec<PublishedDecision>,
    pub quotes: Vec<PublishedQuote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedSummary {
    pub headline: String,
    pub sections: Vec<PublishedSection>,
    pub procedural: Option<String>,
    pub footnotes: Vec<Footnote>,
    pub quotes_kept: usize,
    pub quotes_dropped: usize,
    pub decisions_dropped: usize,
}

impl PublishedSummary {
    pub fn new(headline: String, procedural: Option<String>) -> Self {
        Self {
            headline,
            sections: Vec::new(),
            procedural,
            footnotes: Vec::new(),
            quotes_kept: 0,
            quotes_dropped: 0,
            decisions_dropped: 0,
        }
    }

    /// Adds (or reuses) the footnote for a source and answers its number.
    pub fn footnote_for(&mut self, source: &super::input::Source) -> usize {
        if let Some(existing) = self.footnotes.iter().find(|f| f.source_id == source.id) {
            return existing.number;
        }
        let number = self.footnotes.len() + 1;
        self.footnotes.push(Footnote {
            number,
            source_id: source.id.clone(),
            label: source.label.clone(),
            document_id: source.document_id.clone(),
            page: source.page,
            url: source.url.clone(),
        });
        number
    }
}

/// Keeps what the sources bear out: quotes found verbatim in the cited source,
/// decisions whose evidence is found there. Everything else is dropped and counted.
pub fn publish(model: ModelSummary, meeting: &MeetingInput, plan: &PromptPlan) -> PublishedSummary {
    let mut published = PublishedSummary::new(
        model.headline.trim().to_string(),
        model.procedural.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()),
    );
    for index in &plan.substantive {
        let item = &meeting.items[*index];
        let number = item.number.clone().unwrap_or_default();
        let Some(section) = model.sections.iter().find(|s| item_key(&s.item) == number) else { continue };
        let mut out = PublishedSection {
            item_id: item.item_id.clone(),
            number: item.number.clone(),
            title: section.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| item.title.clone()),
            summary: section.summary.trim().to_string(),
            decisions: Vec::new(),
            quotes: Vec::new(),
        };
        for quote in &section.quotes {
            let source = plan.sources.iter().find(|s| s.id == quote.source && s.item_id == item.item_id);
            match source {
                Some(source) if appears_in(&quote.text, &source.text) => {
                    let footnote = published.footnote_for(source);
                    out.quotes.push(PublishedQuote { text: quote.text.trim().trim_matches('"').to_string(), footnote });
                    published.quotes_kept += 1;
                }
                _ => published.quotes_dropped += 1,
            }
        }
        for decision in &section.decisions {
            let source = plan.sources.iter().find(|s| s.id == decision.source && s.item_id == item.item_id);
            match source {
                Some(source) if appears_in(&decision.evidence, &source.text) => {
                    let footnote = published.footnote_for(source);
                    out.decisions.push(PublishedDecision {
                        text: decision.text.trim().to_string(),
                        evidence: decision.evidence.trim().to_string(),
                        footnote,
                    });
                }
                _ => published.decisions_dropped += 1,
            }
        }
        published.sections.push(out);
    }
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
        assert!(published.footnotes.is_empty());
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
}

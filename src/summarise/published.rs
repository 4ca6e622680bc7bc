//! A published summary: what pages, the API, feeds and emails show of a
//! meeting's summary, whichever way it was made (checked model output, or the
//! council's own words).

use serde::{Deserialize, Serialize};

use super::input::Source;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footnote {
    pub number: usize,
    pub source_id: String,
    pub label: String,
    pub document_id: Option<String>,
    pub page: Option<u32>,
    pub url: String,
    /// A passage of the webcast: when it begins, in ms from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said_at: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedQuote {
    pub text: String,
    pub footnote: usize,
    /// A quote of what was said: the moment it began (ms from the webcast's
    /// start) and the player there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedDecision {
    pub text: String,
    /// The verified words of the source that record it.
    pub evidence: String,
    pub footnote: usize,
}

/// A figure, date, vote or name of the summary's prose and where the checks
/// found it: the footnote of the source (none for the meeting's own details),
/// and the passage of the source around the words that bear it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedClaim {
    /// As the summary writes it.
    pub text: String,
    /// "amount", "percentage", "figure", "date", "financial year", "time", "vote", "reference", "name".
    pub kind: String,
    pub footnote: Option<usize>,
    /// The words that bear it out.
    pub found: String,
    /// The source's passage around them.
    pub context: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedSection {
    pub item_id: String,
    pub number: Option<String>,
    pub title: String,
    pub summary: String,
    pub decisions: Vec<PublishedDecision>,
    pub quotes: Vec<PublishedQuote>,
    /// The council's own text stands here: the model's account of the item
    /// kept nothing the sources bear out.
    #[serde(default)]
    pub extractive: bool,
    /// The checked claims of `summary`, in the order written.
    #[serde(default)]
    pub claims: Vec<PublishedClaim>,
    /// What was said about the item, from the webcast only (checked against it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub said: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub said_claims: Vec<PublishedClaim>,
}

/// Why a sentence (or a decision, or a title) of the model's was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedClaim {
    /// "headline", "item 5", "item 5 decision", "procedural".
    pub place: String,
    pub reason: String,
    /// The kinds of claim not found ("amount", "name"): what the public record counts.
    #[serde(default)]
    pub kinds: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedSummary {
    pub headline: String,
    /// The checked claims of the headline.
    #[serde(default)]
    pub headline_claims: Vec<PublishedClaim>,
    pub sections: Vec<PublishedSection>,
    pub procedural: Option<String>,
    pub footnotes: Vec<Footnote>,
    pub quotes_kept: usize,
    pub quotes_dropped: usize,
    pub decisions_dropped: usize,
    /// Sentences of the model's prose left out because a figure, date or name
    /// in them is not in the sources; why is kept with the version, not shown.
    #[serde(default)]
    pub sentences_dropped: usize,
    /// Sentences of the model's prose the checks read (kept and dropped).
    #[serde(default)]
    pub sentences_checked: usize,
    #[serde(default, skip_serializing)]
    pub dropped: Vec<DroppedClaim>,
    /// Every quote, figure, date and name left in was found in the sources.
    #[serde(default)]
    pub claims_checked: bool,
}

impl PublishedSummary {
    pub fn new(headline: String, procedural: Option<String>) -> Self {
        Self {
            headline,
            headline_claims: Vec::new(),
            sections: Vec::new(),
            procedural,
            footnotes: Vec::new(),
            quotes_kept: 0,
            quotes_dropped: 0,
            decisions_dropped: 0,
            sentences_dropped: 0,
            sentences_checked: 0,
            dropped: Vec::new(),
            claims_checked: false,
        }
    }

    /// How many sentences were left out, by the kind of claim that was not found.
    pub fn dropped_by_kind(&self) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for dropped in self.dropped.iter().filter(|d| !d.place.ends_with(" decision")) {
            for kind in &dropped.kinds {
                *counts.entry(kind.clone()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// How many sections stand in the council's own words because the checks left nothing of the model's.
    pub fn sections_extractive(&self) -> usize {
        self.sections.iter().filter(|s| s.extractive).count()
    }

    /// Adds (or reuses) the footnote for a source and answers its number.
    pub fn footnote_for(&mut self, source: &Source) -> usize {
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
            said_at: source.said_at,
        });
        number
    }
}

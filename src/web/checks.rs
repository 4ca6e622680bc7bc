//! The public record of the claim checks, for the whole service and per
//! council: summaries published, sentences checked, sentences left out and
//! the kind of claim that was not found (counts only: a left-out sentence may
//! name someone wrongly, so its text is never shown), and how often the
//! council's own words stood in. Shown on the about page and at `/api/v1/checks` (`home.rs`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::storage::rows::ClaimRecord;

/// The kinds of claim in the order the record lists them.
pub const KINDS: [&str; 9] =
    ["amount", "percentage", "figure", "date", "financial year", "time", "vote", "reference", "name"];

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    /// The council's, in a council's tally; the service's has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub council_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub summaries: i64,
    pub model_written: i64,
    pub extractive: i64,
    pub sentences_checked: i64,
    pub sentences_kept: i64,
    pub sentences_dropped: i64,
    /// Sentences left out, by the kind of claim not found (a sentence may miss more than one kind).
    pub dropped_by_kind: BTreeMap<String, i64>,
    pub sections_in_council_words: i64,
    pub quotes_kept: i64,
    pub quotes_dropped: i64,
    pub decisions_dropped: i64,
}

impl Tally {
    fn add(&mut self, record: &ClaimRecord) {
        self.summaries += record.summaries;
        self.model_written += record.model_written;
        self.extractive += record.extractive;
        self.sentences_checked += record.sentences_checked;
        self.sentences_dropped += record.sentences_dropped;
        self.sentences_kept = (self.sentences_checked - self.sentences_dropped).max(0);
        self.sections_in_council_words += record.sections_extractive;
        self.quotes_kept += record.quotes_kept;
        self.quotes_dropped += record.quotes_dropped;
        self.decisions_dropped += record.decisions_dropped;
    }

    /// The share of checked sentences kept, as a whole percentage ("97 %"), if any were checked.
    pub fn kept_percent(&self) -> Option<String> {
        // Whole numbers, rounded half up: no float formatting in the site worker.
        (self.sentences_checked > 0).then(|| {
            format!("{} %", (self.sentences_kept * 200 + self.sentences_checked) / (self.sentences_checked * 2))
        })
    }

    /// What was left out by kind, in words ("3 amounts, 1 name"), in the record's order.
    pub fn dropped_in_words(&self) -> String {
        let words: Vec<String> = KINDS
            .iter()
            .filter_map(|kind| {
                let n = *self.dropped_by_kind.get(*kind)?;
                let noun = if n == 1 { kind.to_string() } else { plural(kind) };
                Some(format!("{n} {noun}"))
            })
            .collect();
        if words.is_empty() {
            "none".into()
        } else {
            words.join(", ")
        }
    }
}

fn plural(kind: &str) -> String {
    match kind {
        "financial year" => "financial years".into(),
        other => format!("{other}s"),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub service: Tally,
    pub councils: Vec<Tally>,
}

/// The record from its stored rows: each council's, and the service's as their sum.
pub fn record(rows: &[ClaimRecord]) -> Record {
    let mut service = Tally::default();
    let mut councils = Vec::new();
    for row in rows {
        let mut tally = Tally {
            council_id: Some(row.council_id.clone()),
            name: Some(row.council_name.clone()),
            ..Tally::default()
        };
        tally.add(row);
        service.add(row);
        let drops: BTreeMap<String, i64> =
            row.dropped_by_kind.as_deref().and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default();
        for (kind, dropped) in drops {
            *service.dropped_by_kind.entry(kind.clone()).or_insert(0) += dropped;
            tally.dropped_by_kind.insert(kind, dropped);
        }
        councils.push(tally);
    }
    Record { service, councils }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, checked: i64, dropped: i64, by_kind: &str) -> ClaimRecord {
        ClaimRecord {
            dropped_by_kind: Some(by_kind.into()),
            council_id: id.into(),
            council_name: id.to_uppercase(),
            summaries: 2,
            model_written: 1,
            extractive: 1,
            sentences_checked: checked,
            sentences_dropped: dropped,
            sections_extractive: 1,
            ..Default::default()
        }
    }

    #[test]
    fn the_service_is_the_sum_of_its_councils() {
        let record = record(&[row("a", 40, 2, r#"{"amount":2}"#), row("b", 10, 2, r#"{"amount":1,"name":1}"#)]);
        assert_eq!(
            (record.service.summaries, record.service.sentences_checked, record.service.sentences_kept),
            (4, 50, 46)
        );
        assert_eq!(record.service.dropped_in_words(), "3 amounts, 1 name");
        assert_eq!(record.service.kept_percent().as_deref(), Some("92 %"));
        assert_eq!(record.councils[1].dropped_in_words(), "1 amount, 1 name");
        assert_eq!(record.councils[0].sections_in_council_words, 1);
        assert_eq!(Tally::default().kept_percent(), None);
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["councils"][0]["council_id"], "a", "a council's figures sit beside its id");
        assert!(json["service"].get("council_id").is_none());
        assert_eq!(json["councils"][0]["dropped_by_kind"]["amount"], 2);
    }
}

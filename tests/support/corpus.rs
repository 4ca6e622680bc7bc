//! The labelled claim corpus (`tests/corpus/claims.txt`): each true sentence
//! and its false twin checked against the sources they were written from.

use std::collections::BTreeMap;

use council_digest::documents::extract_all;
use council_digest::summarise::claims::{check, unsupported, Evidence};

pub struct Pair {
    pub kind: String,
    pub sources: String,
    pub truth: String,
    pub twin: String,
}

/// What the checks made of one kind: true sentences kept, false twins dropped, and each miss.
#[derive(Default)]
pub struct Tally {
    pub pairs: usize,
    pub true_kept: usize,
    pub false_dropped: usize,
    pub true_lost: Vec<(String, Vec<String>)>,
    /// A false twin kept, with the claims that were found and where.
    pub false_passed: Vec<(String, Vec<String>)>,
}

impl Tally {
    pub fn kept_share(&self) -> f64 {
        self.true_kept as f64 / self.pairs.max(1) as f64
    }
    pub fn dropped_share(&self) -> f64 {
        self.false_dropped as f64 / self.pairs.max(1) as f64
    }
}

fn root() -> String {
    format!("{}/tests", env!("CARGO_MANIFEST_DIR"))
}

/// The text of a source named under `tests/`: a PDF's pages, or a text file as it is.
fn source_text(path: &str) -> String {
    let bytes = std::fs::read(format!("{}/{path}", root())).unwrap_or_else(|e| panic!("{path}: {e}"));
    if path.ends_with(".pdf") {
        extract_all(&bytes)
            .expect("the fixture PDF has text")
            .into_iter()
            .map(|p| p.text)
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        String::from_utf8(bytes).expect("the source is UTF-8")
    }
}

pub fn pairs() -> Vec<Pair> {
    let text = std::fs::read_to_string(format!("{}/corpus/claims.txt", root())).unwrap();
    let mut sources = String::new();
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if let Some(named) = line.strip_prefix("@ ") {
            sources = named.trim().to_string();
            continue;
        }
        let fields: Vec<&str> = line.split(" | ").map(str::trim).collect();
        let [kind, truth, twin] = fields[..] else { panic!("a corpus line is kind | true | false: {line}") };
        out.push(Pair { kind: kind.into(), sources: sources.clone(), truth: truth.into(), twin: twin.into() });
    }
    out
}

/// Checks every pair against its sources; tallies by kind, in the corpus's order of kinds.
pub fn run() -> BTreeMap<String, Tally> {
    let mut evidence: BTreeMap<String, Evidence> = BTreeMap::new();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for pair in pairs() {
        let evidence = evidence.entry(pair.sources.clone()).or_insert_with(|| {
            let texts: Vec<String> = pair.sources.split(", ").map(source_text).collect();
            Evidence::new(texts.iter().map(String::as_str))
        });
        let tally = tallies.entry(pair.kind.clone()).or_default();
        tally.pairs += 1;
        let missing = unsupported(&pair.truth, evidence);
        if missing.is_empty() {
            tally.true_kept += 1;
        } else {
            tally.true_lost.push((pair.truth.clone(), missing));
        }
        if unsupported(&pair.twin, evidence).is_empty() {
            let found = check(&pair.twin, evidence)
                .into_iter()
                .filter_map(|(claim, found)| Some(format!("{} as \"{}\"", claim.written, found?.context)))
                .collect();
            tally.false_passed.push((pair.twin.clone(), found));
        } else {
            tally.false_dropped += 1;
        }
    }
    tallies
}

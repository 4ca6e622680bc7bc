//! Summary-input benchmark (not a test): for each fixture meeting, the input
//! tokens our selection sends against the naive approach (every item's text and
//! every document in full), the estimated cost at Workers AI list prices, the
//! substantive items covered, and the quotes kept and dropped when the answers
//! of the test model (which fabricates one quote per Cabinet meeting) are checked.
//! Run with `bash scripts/bench.sh`.

#[path = "../support/http.rs"]
#[allow(dead_code)]
mod http;

#[path = "../support/fake_llm.rs"]
#[allow(dead_code)]
mod fake_llm;

use council_digest::documents::extract_all;
use council_digest::documents::structure::frontsheet_items;
use council_digest::sources::moderngov::{html, xml};
use council_digest::summarise::claims::sentences;
use council_digest::summarise::input::{build_prompt, estimate_tokens, plan, ItemInput, MeetingInput, SourcePage};
use council_digest::summarise::models::{fitting_budget, WORKERS_AI_MODELS};
use council_digest::summarise::schema::{publish, validate};
use council_digest::summarise::{DEFAULT_MODEL, DEFAULT_PRICES};

const BUDGET: usize = 24_000;
/// Output tokens assumed per summary for the cost estimate.
const OUTPUT_TOKENS: usize = 800;
/// The largest answer a summary may take (MAX_OUTPUT_TOKENS), kept free in each model's window.
const MAX_OUTPUT_TOKENS: u32 = 2_000;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn pages_of(path: &str, title: &str, url: &str) -> Vec<SourcePage> {
    extract_all(&fixture(path))
        .unwrap()
        .into_iter()
        .map(|p| SourcePage {
            document_id: path.into(),
            document_title: title.into(),
            url: url.into(),
            page: p.number,
            text: p.text,
        })
        .collect()
}

fn item(id: &str, number: &str, title: &str) -> ItemInput {
    ItemInput {
        item_id: id.into(),
        number: Some(number.into()),
        title: title.into(),
        is_restricted: false,
        minutes_text: None,
        agenda_text: None,
        pages: vec![],
        said: vec![],
    }
}

/// Gives each frontsheet item the printed-minutes pages from where its title first appears.
fn split_minutes(items: &mut [ItemInput], minutes: &[SourcePage]) {
    let starts: Vec<Option<usize>> = items
        .iter()
        .map(|i| {
            let key: String =
                i.title.split_whitespace().filter(|w| w.len() > 3).take(3).collect::<Vec<_>>().join(" ").to_lowercase();
            minutes
                .iter()
                .position(|p| p.text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().contains(&key))
        })
        .collect();
    for (index, start) in starts.iter().enumerate() {
        let Some(start) = start else { continue };
        let end = starts[index + 1..].iter().flatten().copied().find(|s| s > start).unwrap_or(*start + 1);
        items[index].pages.extend(minutes[*start..end.max(start + 1).min(minutes.len())].iter().cloned());
    }
}

fn kent_cabinet() -> MeetingInput {
    let front = extract_all(&fixture("pdf/kent_cabinet-2025-01-30_agenda-frontsheet.pdf")).unwrap();
    let text: Vec<String> = front.into_iter().map(|p| p.text).collect();
    let mut items: Vec<ItemInput> = frontsheet_items(&text.join("\n"))
        .into_iter()
        .map(|i| item(&format!("kc{}", i.number), &i.number, &i.title))
        .collect();
    let minutes = pages_of(
        "pdf/kent_cabinet-2025-01-30_printed-minutes.pdf",
        "Printed minutes",
        "https://democracy.kent.gov.uk/minutes.pdf",
    );
    split_minutes(&mut items, &minutes);
    let report = pages_of(
        "pdf/kent_cabinet-2025-01-30_item-report-24-00109.pdf",
        "24/00109 report",
        "https://democracy.kent.gov.uk/s128744.pdf",
    );
    if let Some(seven) = items.iter_mut().find(|i| i.number.as_deref() == Some("7")) {
        seven.pages.extend(report);
    }
    MeetingInput {
        meeting_id: "kent-9475".into(),
        title: "Cabinet - Thursday, 30th January, 2025 10.00 am".into(),
        committee: "Cabinet".into(),
        council: "Kent County Council".into(),
        date: "2025-01-30".into(),
        web_url: "https://democracy.kent.gov.uk/ieListDocuments.aspx?CId=115&MId=9475".into(),
        items,
        webcast: None,
    }
}

fn kent_budget_council() -> MeetingInput {
    let front = extract_all(&fixture("pdf/kent_county-council-2025-02-13_agenda-frontsheet.pdf")).unwrap();
    let text: Vec<String> = front.into_iter().map(|p| p.text).collect();
    let mut items: Vec<ItemInput> = frontsheet_items(&text.join("\n"))
        .into_iter()
        .map(|i| item(&format!("kb{}", i.number), &i.number, &i.title))
        .collect();
    let minutes = pages_of(
        "pdf/kent_county-council-2025-02-13_printed-minutes.pdf",
        "Printed minutes",
        "https://democracy.kent.gov.uk/m.pdf",
    );
    split_minutes(&mut items, &minutes);
    let amendments = pages_of(
        "pdf/kent_county-council-2025-02-13_budget-amendments-supplement-pack.pdf",
        "Budget Amendments",
        "https://democracy.kent.gov.uk/amendments.pdf",
    );
    if let Some(budget) = items.iter_mut().find(|i| i.title.to_lowercase().contains("budget")) {
        budget.pages.extend(amendments);
    }
    MeetingInput {
        meeting_id: "kent-9530".into(),
        title: "County Council - Thursday, 13th February, 2025 9.30 am".into(),
        committee: "County Council".into(),
        council: "Kent County Council".into(),
        date: "2025-02-13".into(),
        web_url: "https://democracy.kent.gov.uk/ieListDocuments.aspx?CId=113&MId=9530".into(),
        items,
        webcast: None,
    }
}

fn from_detail(
    meeting_id: &str,
    title: &str,
    committee: &str,
    detail: council_digest::model::MeetingDetail,
) -> MeetingInput {
    MeetingInput {
        meeting_id: meeting_id.into(),
        title: title.into(),
        committee: committee.into(),
        council: "fixture".into(),
        date: detail.date.map(|d| d.to_string()).unwrap_or_default(),
        web_url: "https://example.gov.uk/meeting".into(),
        items: detail
            .items
            .into_iter()
            .map(|i| ItemInput {
                item_id: i.source_id,
                number: i.number,
                title: i.title,
                is_restricted: i.is_restricted,
                minutes_text: i.minutes_text,
                agenda_text: i.agenda_text,
                pages: vec![],
                said: vec![],
            })
            .collect(),
        webcast: None,
    }
}

fn main() {
    let manchester = xml::parse_meeting(
        std::str::from_utf8(&fixture("moderngov/manchester_GetMeeting_4967_with-minutes.xml")).unwrap(),
        "https://democracy.manchester.gov.uk",
    )
    .unwrap();
    let redbridge = html::parse_meeting_page(
        std::str::from_utf8(&fixture("moderngov/redbridge_ieListDocuments_CId516_MId6937_bs4-prettified.html"))
            .unwrap(),
        "https://moderngov.redbridge.gov.uk/ieListDocuments.aspx?CId=516&MId=6937&Ver=4",
        "6937",
    )
    .unwrap();
    let meetings = vec![
        kent_cabinet(),
        kent_budget_council(),
        from_detail(
            "manchester-4967",
            "Audit Committee - Tuesday, 10th February, 2026 10.00 am",
            "Audit Committee",
            manchester,
        ),
        from_detail(
            "redbridge-6937",
            "Audit Committee - Wednesday, 27th January, 2016 7.00 p.m.",
            "Audit Committee",
            redbridge,
        ),
    ];
    println!(
        "prices: {DEFAULT_MODEL} at ${}/M input, ${}/M output; budget {BUDGET} input tokens per meeting",
        DEFAULT_PRICES.input_per_million, DEFAULT_PRICES.output_per_million
    );
    println!(
        "{:<58} {:>8} {:>8} {:>6} {:>10} {:>10} {:>9} {:>6} {:>7}",
        "meeting", "naive", "sent", "ratio", "naive $", "sent $", "covered", "kept", "dropped"
    );
    for meeting in &meetings {
        let planned = plan(meeting, BUDGET);
        let (system, user) = build_prompt(meeting, &planned);
        let sent = estimate_tokens(&system) + estimate_tokens(&user);
        let covered = planned
            .substantive
            .iter()
            .filter(|i| planned.sources.iter().any(|s| s.item_id == meeting.items[**i].item_id))
            .count();
        let answer = fake_llm::answer_for(&user);
        let (kept, dropped) = match validate(&answer, meeting, &planned) {
            Ok(model) => {
                let published = publish(model, meeting, &planned);
                (published.quotes_kept, published.quotes_dropped)
            }
            Err(_) => (0, 0),
        };
        let naive_cost = DEFAULT_PRICES.cost(planned.naive_tokens, OUTPUT_TOKENS);
        let sent_cost = DEFAULT_PRICES.cost(sent, OUTPUT_TOKENS);
        println!(
            "{:<58} {:>8} {:>8} {:>6.2} {:>10.5} {:>10.5} {:>5}/{:<3} {:>6} {:>7}",
            meeting.title.chars().take(58).collect::<String>(),
            planned.naive_tokens,
            sent,
            sent as f64 / planned.naive_tokens.max(1) as f64,
            naive_cost,
            sent_cost,
            covered,
            planned.substantive.len(),
            kept,
            dropped
        );
    }
    println!("(naive: every item's agenda and minutes text and every document page in full; sent: the prompt we build, system message included)");

    model_table(&meetings);
    claim_checks(&meetings);
}

/// Workers AI models that take a JSON schema: window, list price, the budget
/// that fits, and what a fixture meeting costs at that budget.
fn model_table(meetings: &[MeetingInput]) {
    println!("\nWorkers AI models with JSON mode (list prices in US$ per million tokens; {OUTPUT_TOKENS} output tokens a summary)");
    println!(
        "{:<42} {:>8} {:>7} {:>7} {:>8} {:>11} {:>11} {:>11}",
        "model", "window", "in $/M", "out $/M", "budget", "mean $/mtg", "max $/mtg", "$/1000 mtg"
    );
    for model in WORKERS_AI_MODELS {
        let budget = fitting_budget(BUDGET, model.context_window, MAX_OUTPUT_TOKENS);
        let costs: Vec<f64> = meetings
            .iter()
            .map(|meeting| {
                let planned = plan(meeting, budget);
                let (system, user) = build_prompt(meeting, &planned);
                model.prices.cost(estimate_tokens(&system) + estimate_tokens(&user), OUTPUT_TOKENS)
            })
            .collect();
        let mean = costs.iter().sum::<f64>() / costs.len() as f64;
        let max = costs.iter().cloned().fold(0.0, f64::max);
        let marker = if model.name == DEFAULT_MODEL { " (default)" } else { "" };
        println!(
            "{:<42} {:>8} {:>7.3} {:>7.3} {:>8} {:>11.5} {:>11.5} {:>11.2}{marker}",
            model.name,
            model.context_window,
            model.prices.input_per_million,
            model.prices.output_per_million,
            budget,
            mean,
            max,
            mean * 1000.0,
        );
        println!("{:<42} {}", "", model.note);
    }
}

/// The fake model states three wrong claims in every section and one in the
/// headline; the share of its sentences the checks drop, and whether any
/// correct sentence went with them.
fn claim_checks(meetings: &[MeetingInput]) {
    println!("\nclaim checks against the fake model's known errors (3 wrong sentences a section, 1 in the headline)");
    println!(
        "{:<58} {:>9} {:>7} {:>13} {:>15} {:>9}",
        "meeting", "sentences", "wrong", "wrong dropped", "correct dropped", "share"
    );
    let (mut all, mut all_dropped) = (0, 0);
    for meeting in meetings {
        let planned = plan(meeting, BUDGET);
        let (_, user) = build_prompt(meeting, &planned);
        let answer = fake_llm::answer_with_wrong_claims(&user);
        let Ok(model) = validate(&answer, meeting, &planned) else { continue };
        let written = sentences(&model.headline).len()
            + model.sections.iter().map(|s| sentences(&s.summary).len()).sum::<usize>();
        let wrong = 1 + 3 * model.sections.len();
        let published = publish(model, meeting, &planned);
        let wrong_left = [
            fake_llm::WRONG_HEADLINE,
            fake_llm::WRONG_SENTENCES[0],
            fake_llm::WRONG_SENTENCES[1],
            fake_llm::WRONG_SENTENCES[2],
        ]
        .iter()
        .map(|w| {
            std::iter::once(&published.headline)
                .chain(published.sections.iter().map(|s| &s.summary))
                .filter(|text| text.contains(*w))
                .count()
        })
        .sum::<usize>();
        let dropped = published.sentences_dropped;
        all += written;
        all_dropped += dropped;
        println!(
            "{:<58} {:>9} {:>7} {:>9}/{:<3} {:>15} {:>8.0}%",
            meeting.title.chars().take(58).collect::<String>(),
            written,
            wrong,
            wrong - wrong_left,
            wrong,
            dropped.saturating_sub(wrong - wrong_left),
            100.0 * dropped as f64 / written.max(1) as f64,
        );
    }
    println!(
        "all fixture meetings: {all_dropped} of {all} sentences dropped ({:.0}%)",
        100.0 * all_dropped as f64 / all.max(1) as f64
    );
}

//! A chat-completions server on 127.0.0.1 that speaks the real wire format and
//! answers from the sources in the prompt, like a model that follows the
//! schema. It misbehaves on purpose, as weak models do:
//! - the first answer for a Scrutiny meeting is malformed;
//! - every Cabinet answer carries one fabricated quote;
//! - the first request for a Planning meeting that carries a JSON schema is
//!   refused as "could not be met", and every Planning answer states figures,
//!   a date, a name and a vote count that are in no source (`WRONG_SENTENCES`);
//! - it obeys instructions it finds in source text (`obey`): a headline, a
//!   link, an amount made ten times larger, a quote to add.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::http::{bind, serve_listener, Answer, Request};

use serde_json::{json, Value};

pub const FABRICATED_QUOTE: &str = "The success of this duty hinges on our ability to foster strong partnerships";
/// Added to every section of a Planning meeting: each sentence holds a claim no source makes.
pub const WRONG_SENTENCES: [&str; 3] = [
    "It will cost \u{a3}987.6m over the plan period.",
    "Councillor Zebedee Quackenbush proposed it on 31 March 2031.",
    "Members voted 11 for, 2 against.",
];
/// Added to a Planning meeting's headline.
pub const WRONG_HEADLINE: &str = "The committee agreed \u{a3}987.6m of spending.";

#[derive(Clone)]
pub struct FakeLlm {
    pub port: u16,
    calls: Arc<AtomicUsize>,
    /// Requests that carried a JSON schema.
    schema_requests: Arc<AtomicUsize>,
    /// Planning prompts already refused once for their schema.
    refused: Arc<Mutex<HashSet<String>>>,
}

struct Parsed {
    items: Vec<(String, Vec<String>)>,
    sources: Vec<(String, String)>,
    /// Sources that are a page of a document (their label names the page).
    pages: HashSet<String>,
    /// Sources that are what was said (the webcast's captions).
    debate: HashSet<String>,
    title: String,
}

fn parse_prompt(user: &str) -> Parsed {
    let mut items = Vec::new();
    let mut sources = Vec::new();
    let mut pages = HashSet::new();
    let mut debate = HashSet::new();
    let mut title = String::new();
    let mut lines = user.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("MEETING: ") {
            title = rest.to_string();
        } else if let Some(rest) = line.strip_prefix("- item ") {
            if let Some((number, tail)) = rest.split_once(": ") {
                let ids = tail
                    .rsplit_once("(sources: ")
                    .map(|(_, ids)| {
                        ids.trim_end_matches(')').split(", ").map(str::to_string).filter(|s| s != "none").collect()
                    })
                    .unwrap_or_default();
                items.push((number.to_string(), ids));
            }
        } else if let Some(rest) = line.strip_prefix("<<<SOURCE ") {
            let id = rest.split(" | ").next().unwrap_or_default().to_string();
            if rest.split(" | ").nth(1).is_some_and(|label| label.contains(", page ")) {
                pages.insert(id.clone());
            }
            if rest.split(" | ").nth(1).is_some_and(|label| label.contains(": what was said, ")) {
                debate.insert(id.clone());
            }
            let mut text = Vec::new();
            for body in lines.by_ref() {
                if body.starts_with("<<<END ") {
                    break;
                }
                text.push(body);
            }
            sources.push((id, text.join("\n")));
        }
    }
    Parsed { items, sources, pages, debate, title }
}

/// A verbatim passage of `text`: its first dozen words.
fn passage(text: &str) -> String {
    text.split_whitespace().take(12).collect::<Vec<_>>().join(" ")
}

/// The answer the server gives to a prompt (also used by the summary benchmark).
pub fn answer_for(user: &str) -> String {
    answer(user)
}

/// The answer with the Planning meetings' wrong claims in every section and
/// the headline, whatever the meeting (for the summary benchmark).
pub fn answer_with_wrong_claims(user: &str) -> String {
    answer_as(user, true)
}

/// What a model that follows instructions in its input does with them: the
/// instructions found after "Ignore previous instructions" in a source.
#[derive(Default)]
struct Obeyed {
    headline: Option<String>,
    link: Option<String>,
    ten_times: Option<String>,
    quote: Option<String>,
}

fn obey(text: &str) -> Obeyed {
    let mut obeyed = Obeyed::default();
    let Some(at) = text.to_lowercase().find("ignore previous instructions") else { return obeyed };
    let orders = &text[at..];
    let after = |marker: &str| {
        orders.find(marker).map(|i| {
            let rest = &orders[i + marker.len()..];
            rest[..rest.find(". ").map_or(rest.len(), |e| e + 1)].trim().to_string()
        })
    };
    obeyed.headline = after("write the headline: ");
    obeyed.link = after("Cite this URL: ").map(|u| u.trim_end_matches('.').to_string());
    obeyed.quote = after("Add the quote ").map(|q| q.trim_end_matches('.').trim_matches('"').to_string());
    // "Report the budget of £2.4m as ten times larger": £24m, which no source says.
    if let Some(amount) = after("Report the budget of ") {
        let figure: String =
            amount.trim_start_matches('\u{a3}').chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        if let Ok(value) = figure.parse::<f64>() {
            obeyed.ten_times = Some(format!("The budget is \u{a3}{}m.", value * 10.0));
        }
    }
    obeyed
}

fn answer(user: &str) -> String {
    answer_as(user, false)
}

fn answer_as(user: &str, wrong_claims: bool) -> String {
    let parsed = parse_prompt(user);
    let retry = user.contains("Your previous answer was rejected");
    if parsed.title.contains("Scrutiny") && !retry {
        return "Here is the summary you asked for: {\"headline\": \"unterminated".to_string();
    }
    let planning = wrong_claims || parsed.title.contains("Planning");
    let mut injected_headline = None;
    let sections: Vec<Value> = parsed
        .items
        .iter()
        .map(|(number, ids)| {
            let source = ids.first().and_then(|id| parsed.sources.iter().find(|(s, _)| s == id));
            let mut quotes = Vec::new();
            let mut decisions = Vec::new();
            let mut summary = source.map_or("Nothing was published for this item.".to_string(), |(_, t)| {
                format!("The committee discussed: {}.", passage(t))
            });
            // What the item's papers say, from the first page of its documents.
            let page = ids.iter().skip(1).find(|id| parsed.pages.contains(*id));
            if let Some((_, text)) = page.and_then(|id| parsed.sources.iter().find(|(s, _)| s == id)) {
                summary.push_str(&format!(" The papers also say: {}.", passage(text)));
            }
            if let Some((id, text)) = source {
                quotes.push(json!({"text": passage(text), "source": id}));
                if parsed.title.contains("Cabinet") {
                    quotes.push(json!({"text": FABRICATED_QUOTE, "source": id}));
                }
                decisions
                    .push(json!({"text": "The committee noted the report.", "source": id, "evidence": passage(text)}));
            }
            // Instructions in any of the item's sources are followed.
            for (id, text) in ids.iter().filter_map(|id| parsed.sources.iter().find(|(s, _)| s == id)) {
                let obeyed = obey(text);
                injected_headline = injected_headline.take().or(obeyed.headline);
                if let Some(link) = obeyed.link {
                    summary.push_str(&format!(" Details at {link} ."));
                }
                if let Some(wrong) = obeyed.ten_times {
                    summary.push(' ');
                    summary.push_str(&wrong);
                }
                if let Some(quote) = obeyed.quote {
                    quotes.push(json!({"text": quote, "source": id}));
                }
            }
            // What was said, when the webcast is a source: a sentence and a quote from its first passage.
            let mut said = String::new();
            let spoken = ids.iter().find(|id| parsed.debate.contains(*id));
            if let Some((id, text)) = spoken.and_then(|id| parsed.sources.iter().find(|(s, _)| s == id)) {
                said = format!("A speaker said: {}.", passage(text));
                quotes.push(json!({"text": passage(text), "source": id}));
            }
            if planning {
                for wrong in WRONG_SENTENCES {
                    summary.push(' ');
                    summary.push_str(wrong);
                }
            }
            let mut section = json!({
                "item": number,
                "title": format!("Item {number}"),
                "summary": summary,
                "decisions": decisions,
                "quotes": quotes,
            });
            if !parsed.debate.is_empty() {
                section["said"] = json!(said);
            }
            section
        })
        .collect();
    let mut headline =
        injected_headline.unwrap_or_else(|| format!("{} discussed {} items.", parsed.title, parsed.items.len()));
    if planning {
        headline = format!("{headline} {WRONG_HEADLINE}");
    }
    json!({
        "headline": headline,
        "sections": sections,
        "procedural": "Apologies and declarations were noted.",
    })
    .to_string()
}

impl FakeLlm {
    pub fn start() -> Self {
        let (listener, port) = bind(0);
        let server = Self { port, calls: Arc::default(), schema_requests: Arc::default(), refused: Arc::default() };
        let handler = server.clone();
        serve_listener(listener, move |request| handler.handle(request));
        server
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn schema_requests(&self) -> usize {
        self.schema_requests.load(Ordering::SeqCst)
    }

    fn handle(&self, request: Request) -> Answer {
        let body = request.body;
        let (status, reply) = if request.method == "POST" && request.path.contains("/chat/completions") {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let user = request["messages"][1]["content"].as_str().unwrap_or_default();
            let with_schema = request["response_format"]["type"] == "json_schema";
            if with_schema {
                self.schema_requests.fetch_add(1, Ordering::SeqCst);
            }
            // A Planning prompt's first request with a schema is refused, as a
            // provider does when the model cannot meet it.
            if with_schema
                && parse_prompt(user).title.contains("Planning")
                && self.refused.lock().unwrap().insert(user.to_string())
            {
                let reply = json!({"error": {"message": "response_format json_schema: the output could not be met by the model", "type": "invalid_request_error"}}).to_string();
                return Answer::new(400, "application/json", reply);
            }
            let content = answer(user);
            let reply = json!({
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "model": request["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": user.len() / 4, "completion_tokens": content.len() / 4, "total_tokens": (user.len() + content.len()) / 4},
            });
            (200, reply.to_string())
        } else {
            (404, "{\"error\": \"not found\"}".to_string())
        };
        Answer::new(status, "application/json", reply)
    }
}

//! A chat-completions server on 127.0.0.1 that speaks the real wire format and
//! answers from the sources in the prompt, like a model that follows the
//! schema. It misbehaves on purpose: the first answer for a Scrutiny meeting is
//! malformed, and every Cabinet answer carries one fabricated quote.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use serde_json::{json, Value};

pub const FABRICATED_QUOTE: &str = "The success of this duty hinges on our ability to foster strong partnerships";

#[derive(Clone)]
pub struct FakeLlm {
    pub port: u16,
    calls: Arc<AtomicUsize>,
}

struct Parsed {
    items: Vec<(String, Vec<String>)>,
    sources: Vec<(String, String)>,
    title: String,
}

fn parse_prompt(user: &str) -> Parsed {
    let mut items = Vec::new();
    let mut sources = Vec::new();
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
    Parsed { items, sources, title }
}

/// A verbatim passage of `text`: its first dozen words.
fn passage(text: &str) -> String {
    text.split_whitespace().take(12).collect::<Vec<_>>().join(" ")
}

/// The answer the server gives to a prompt (also used by the summary benchmark).
pub fn answer_for(user: &str) -> String {
    answer(user)
}

fn answer(user: &str) -> String {
    let parsed = parse_prompt(user);
    let retry = user.contains("Your previous answer was rejected");
    if parsed.title.contains("Scrutiny") && !retry {
        return "Here is the summary you asked for: {\"headline\": \"unterminated".to_string();
    }
    let sections: Vec<Value> = parsed
        .items
        .iter()
        .map(|(number, ids)| {
            let source = ids.first().and_then(|id| parsed.sources.iter().find(|(s, _)| s == id));
            let mut quotes = Vec::new();
            let mut decisions = Vec::new();
            if let Some((id, text)) = source {
                quotes.push(json!({"text": passage(text), "source": id}));
                if parsed.title.contains("Cabinet") {
                    quotes.push(json!({"text": FABRICATED_QUOTE, "source": id}));
                }
                decisions.push(json!({"text": "The committee noted the report.", "source": id, "evidence": passage(text)}));
            }
            json!({
                "item": number,
                "title": format!("Item {number}"),
                "summary": source.map_or("Nothing was published for this item.".to_string(), |(_, t)| format!("The committee discussed: {}.", passage(t))),
                "decisions": decisions,
                "quotes": quotes,
            })
        })
        .collect();
    json!({
        "headline": format!("{} discussed {} items.", parsed.title, parsed.items.len()),
        "sections": sections,
        "procedural": "Apologies and declarations were noted.",
    })
    .to_string()
}

impl FakeLlm {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake model");
        let port = listener.local_addr().unwrap().port();
        let server = Self { port, calls: Arc::default() };
        let handler = server.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = handler.clone();
                thread::spawn(move || handler.serve(stream));
            }
        });
        server
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn serve(&self, mut stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).is_err() {
            return;
        }
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (status, reply) = if request_line.starts_with("POST") && request_line.contains("/chat/completions") {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let user = request["messages"][1]["content"].as_str().unwrap_or_default();
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
        let head = format!(
            "HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            reply.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(reply.as_bytes());
    }
}

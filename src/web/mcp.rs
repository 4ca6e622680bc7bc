//! A Model Context Protocol server at `/mcp`: Streamable HTTP transport,
//! stateless, JSON-RPC 2.0 answered as JSON, read-only. Its tools answer what
//! an assistant needs for "what did my council decide about X", each result
//! carrying the addresses of our pages and of the council's own documents so
//! that the assistant can cite the council.
//!
//! The protocol (parsing, the tool list, the shape of answers) is pure; the
//! tools read through the same `Store` as the API.

use serde_json::{json, Value};
use worker::{Env, Result};

use super::postcodes;
use crate::storage::Store;

/// Protocol revisions this server speaks, newest first.
pub const PROTOCOL_VERSIONS: [&str; 3] = ["2025-11-25", "2025-06-18", "2025-03-26"];
/// The largest body a request may have.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Pages of a document one call answers.
const MAX_PAGES_PER_CALL: u64 = 10;

/// JSON-RPC error codes.
pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;

/// What the HTTP answer to one message is.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A JSON-RPC response (a result or an error) with its HTTP status.
    Json(u16, Value),
    /// A notification or a response from the client: 202, no body.
    Accepted,
}

/// A JSON-RPC request as received.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub id: Value,
    pub method: String,
    pub params: Value,
}

pub fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

pub fn result(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// `POST /mcp`: one JSON-RPC message, answered as JSON. A search through
/// the endpoint counts against the client's searches, as one made through the API.
pub async fn respond(mut req: worker::Request, web: &super::reply::Reply<'_>) -> Result<worker::Response> {
    use super::limits::{within_limit, LimitClass, RETRY_AFTER_SECONDS};
    let reply = match super::body::read_capped(&mut req, MAX_REQUEST_BYTES).await.map(|b| read_message(&b)) {
        Ok(Ok(call)) if counts_as_search(&call) && !within_limit(&req, web.env, LimitClass::Search).await => {
            too_many_searches(&call, RETRY_AFTER_SECONDS)
        }
        Ok(Ok(call)) => answer(call, &web.store, web.env, &web.origin).await?,
        Ok(Err(reply)) => reply,
        Err(error) => body_refused(error),
    };
    match reply {
        Reply::Accepted => Ok(worker::Response::empty()?.with_status(202)),
        Reply::Json(status, body) => {
            let response = worker::Response::ok(body.to_string())?.with_status(status);
            response.headers().set("Cache-Control", "no-store")?;
            if status == 429 {
                response.headers().set("Retry-After", &RETRY_AFTER_SECONDS.to_string())?;
            }
            super::with_headers(response, super::reply::JSON)
        }
    }
}

/// The reply to a body that was not read: too large (413) or unreadable (400).
pub fn body_refused(error: super::body::BodyError) -> Reply {
    match error {
        super::body::BodyError::TooLarge { .. } => {
            Reply::Json(413, self::error(Value::Null, INVALID_REQUEST, "request too large"))
        }
        super::body::BodyError::Unreadable => Reply::Json(400, self::error(Value::Null, PARSE_ERROR, "not text")),
    }
}

/// Reads one message: a request to answer, or the reply to give at once.
pub fn read_message(body: &str) -> std::result::Result<Call, Reply> {
    if body.len() > MAX_REQUEST_BYTES {
        return Err(Reply::Json(413, error(Value::Null, INVALID_REQUEST, "request too large")));
    }
    let Ok(message) = serde_json::from_str::<Value>(body) else {
        return Err(Reply::Json(400, error(Value::Null, PARSE_ERROR, "not JSON")));
    };
    if message.is_array() {
        return Err(Reply::Json(400, error(Value::Null, INVALID_REQUEST, "batches are not supported")));
    }
    if message["jsonrpc"] != "2.0" {
        return Err(Reply::Json(400, error(message["id"].clone(), INVALID_REQUEST, "jsonrpc must be \"2.0\"")));
    }
    let Some(method) = message["method"].as_str() else {
        // A response from the client (we never ask it anything): accepted and ignored.
        return Err(Reply::Accepted);
    };
    let id = match message.get("id") {
        None => return Err(Reply::Accepted), // a notification
        Some(id) if id.is_string() || id.is_i64() || id.is_u64() => id.clone(),
        Some(_) => {
            return Err(Reply::Json(400, error(Value::Null, INVALID_REQUEST, "id must be a string or an integer")))
        }
    };
    let params = message.get("params").cloned().unwrap_or_else(|| json!({}));
    if !params.is_object() {
        return Err(Reply::Json(400, error(id, INVALID_PARAMS, "params must be an object")));
    }
    Ok(Call { id, method: method.to_string(), params })
}

/// The answer to `initialize`: the client's revision when we speak it, else our newest.
pub fn initialize(params: &Value) -> Value {
    let asked = params["protocolVersion"].as_str().unwrap_or_default();
    let version = PROTOCOL_VERSIONS.iter().find(|v| **v == asked).copied().unwrap_or(PROTOCOL_VERSIONS[0]);
    json!({
        "protocolVersion": version,
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {"name": "council-digest", "title": "council-digest", "version": env!("CARGO_PKG_VERSION")},
        "instructions": "Read-only access to what UK councils published and decided: councils, meetings with checked summaries, decisions, documents page by page, and search. Every result carries the council's own source addresses; cite them. Summaries are machine-written from the council's documents: quote the council's words where it matters.",
    })
}

fn string(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

/// The tools, with their input schemas.
pub fn tools() -> Value {
    let date = |what: &str| json!({"type": "string", "format": "date", "description": format!("{what} (YYYY-MM-DD)")});
    let tool = |name: &str, title: &str, description: &str, properties: Value, required: &[&str]| {
        json!({
            "name": name,
            "title": title,
            "description": description,
            "inputSchema": {"type": "object", "properties": properties, "required": required, "additionalProperties": false},
            "annotations": {"readOnlyHint": true, "openWorldHint": false},
        })
    };
    json!([
        tool("find_councils", "Find councils",
            "Councils by name (part of it) or by UK postcode (the councils that govern it, and the ward's councillors). Give one of query or postcode.",
            json!({"query": string("part of a council's name, e.g. Coventry"), "postcode": string("a UK postcode or outcode, e.g. CV1 5RR")}), &[]),
        tool("list_meetings", "List meetings",
            "A council's meetings in a date range (default: the last four weeks and the next four), optionally one committee's, with whether each has a summary.",
            json!({"council_id": string("council id from find_councils"), "committee_id": string("committee id, optional"),
                   "from": date("first day"), "to": date("last day"), "limit": {"type": "integer", "minimum": 1, "maximum": 100}}), &["council_id"]),
        tool("get_meeting", "Get a meeting",
            "One meeting: its agenda, documents, attendance and latest summary, with the summary's verified quotes and the document pages they cite.",
            json!({"meeting_id": string("meeting id from list_meetings or search")}), &["meeting_id"]),
        tool("search", "Search",
            "Full-text search over agenda items, summaries and decisions, optionally within one council.",
            json!({"query": string("words to find"), "council_id": string("council id, optional")}), &["query"]),
        tool("get_document_pages", "Get document pages",
            "The text of a council document, page by page (at most 10 pages a call), with each page's address on the council's site.",
            json!({"document_id": string("document id from get_meeting"), "from_page": {"type": "integer", "minimum": 1}, "to_page": {"type": "integer", "minimum": 1}}), &["document_id"]),
        tool("list_decisions", "List decisions",
            "A council's executive, delegated and officer decisions from its decisions register, newest first (default: the last 90 days).",
            json!({"council_id": string("council id"), "from": date("first day"), "to": date("last day"), "key_only": {"type": "boolean"}}), &["council_id"]),
        tool("list_votes", "List recorded votes",
            "Recorded votes read from the council's minutes and voting records: a meeting's (motion, result, counts and how each councillor voted) or a councillor's (newest first, with how often they voted with their party group's majority). Give one of meeting_id or councillor_id.",
            json!({"meeting_id": string("meeting id"), "councillor_id": string("councillor id from get_meeting or find_councils"),
                   "limit": {"type": "integer", "minimum": 1, "maximum": 100}}), &[]),
        tool("get_transcript", "Get what was said",
            "What was said at a meeting, from its webcast's automatic captions (machine-made: words may be misheard): the stretches of the webcast by agenda item with their moments, and up to 200 timed captions of one item (item_id from get_meeting) or of the whole webcast, from offset.",
            json!({"meeting_id": string("meeting id"), "item_id": string("agenda item id, optional"),
                   "offset": {"type": "integer", "minimum": 0}}), &["meeting_id"]),
    ])
}

/// A tool's answer: the data as JSON text and as structured content.
pub fn tool_result(data: Value) -> Value {
    json!({"content": [{"type": "text", "text": data.to_string()}], "structuredContent": data, "isError": false})
}

/// A tool that could not answer, said so to the model (not a protocol error).
pub fn tool_error(message: &str) -> Value {
    json!({"content": [{"type": "text", "text": message}], "isError": true})
}

fn arg<'a>(params: &'a Value, name: &str) -> Option<&'a str> {
    params["arguments"][name].as_str().map(str::trim).filter(|v| !v.is_empty())
}

fn date_arg(params: &Value, name: &str) -> std::result::Result<Option<chrono::NaiveDate>, String> {
    match arg(params, name) {
        None => Ok(None),
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("{name} must be a date such as 2026-11-28")),
    }
}

/// The council a tool call names and the dates it covers (`from` and `to`
/// as given, else `default_days` back and `ahead_days` on from the council's
/// today), as `YYYY-MM-DD`; or what the model should be told is wrong.
async fn council_and_window(
    params: &Value,
    store: &Store,
    (default_days, ahead_days): (i64, i64),
) -> Result<std::result::Result<(crate::storage::CouncilRow, String, String), String>> {
    let Some(council_id) = arg(params, "council_id") else { return Ok(Err("council_id is required".into())) };
    let Some(council) = store.council(council_id).await? else {
        return Ok(Err(format!("no council has the id {council_id:?}; find it with find_councils")));
    };
    let today = crate::time::local_date(crate::time::now_utc(), crate::time::parse_time_zone(&council.time_zone));
    let (from, to) = match (date_arg(params, "from"), date_arg(params, "to")) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(message), _) | (_, Err(message)) => return Ok(Err(message)),
    };
    let default = (today - chrono::Duration::days(default_days), today + chrono::Duration::days(ahead_days));
    let window = super::routes::date_window(
        from.map(|d| d.to_string()).as_deref(),
        to.map(|d| d.to_string()).as_deref(),
        default,
    );
    Ok(window.map(|(from, to)| (council, from.to_string(), to.to_string())))
}

/// Answers one request.
/// Whether a call does what the search limit counts (a full-text search, a
/// postcode look-up), as its HTTP twins do: it counts against that limit too.
pub fn counts_as_search(call: &Call) -> bool {
    call.method == "tools/call"
        && match call.params["name"].as_str() {
            Some("search") => true,
            Some("find_councils") => {
                call.params["arguments"]["postcode"].as_str().is_some_and(|p| !p.trim().is_empty())
            }
            _ => false,
        }
}

/// The reply to a call refused by the search limit (HTTP 429 with a JSON-RPC error).
pub fn too_many_searches(call: &Call, retry_after_seconds: u32) -> Reply {
    let message = format!("too many searches from this client; try again in {retry_after_seconds} seconds");
    Reply::Json(429, self::error(call.id.clone(), INVALID_REQUEST, &message))
}

pub async fn answer(call: Call, store: &Store, env: &Env, origin: &str) -> Result<Reply> {
    let Call { id, method, params } = call;
    let reply = match method.as_str() {
        "initialize" => result(id, initialize(&params)),
        "ping" => result(id, json!({})),
        "tools/list" => result(id, json!({"tools": tools()})),
        "tools/call" => {
            let Some(name) = params["name"].as_str() else {
                return Ok(Reply::Json(200, error(id, INVALID_PARAMS, "params.name is required")));
            };
            if !tools().as_array().into_iter().flatten().any(|t| t["name"] == name) {
                return Ok(Reply::Json(200, error(id, INVALID_PARAMS, &format!("no tool named {name:?}"))));
            }
            let outcome = match call_tool(name, &params, store, env, origin).await? {
                Ok(data) => tool_result(data),
                Err(message) => tool_error(&message),
            };
            result(id, outcome)
        }
        _ => error(id, METHOD_NOT_FOUND, &format!("no method {method:?}")),
    };
    Ok(Reply::Json(200, reply))
}

async fn call_tool(
    name: &str,
    params: &Value,
    store: &Store,
    env: &Env,
    origin: &str,
) -> Result<std::result::Result<Value, String>> {
    Ok(match name {
        "find_councils" => find_councils(params, store, env, origin).await?,
        "list_meetings" => list_meetings(params, store, origin).await?,
        "get_meeting" => get_meeting(params, store, origin).await?,
        "search" => search(params, store, origin).await?,
        "get_document_pages" => document_pages(params, store, env).await?,
        "list_decisions" => list_decisions(params, store, origin).await?,
        "list_votes" => list_votes(params, store, origin).await?,
        "get_transcript" => transcript(params, store, env).await?,
        _ => Err(format!("no tool named {name:?}")),
    })
}

fn council_summary(origin: &str, council: &crate::storage::CouncilRow) -> Value {
    json!({
        "id": council.id, "name": council.name, "nation": council.nation, "platform": council.platform,
        "url": format!("{origin}/councils/{}", council.id), "source_url": council.base_url,
        "summaries": if council.coverage == "supported" { "machine-written, checked" } else { "extractive (the council's own words)" },
    })
}

async fn find_councils(
    params: &Value,
    store: &Store,
    env: &Env,
    origin: &str,
) -> Result<std::result::Result<Value, String>> {
    if let Some(typed) = arg(params, "postcode") {
        let Some(postcode) = crate::lookup::postcode::parse(typed) else {
            return Ok(Err(format!("{typed:?} is not a UK postcode or outcode (such as CV1 5RR or CV1)")));
        };
        return Ok(match postcodes::look_up(env, &postcode).await {
            Ok(areas) => {
                Ok(serde_json::to_value(postcodes::answer(origin, &postcode, &areas, &store.councils().await?))?)
            }
            Err(crate::lookup::postcodes_io::LookupError::NotFound) => {
                Err(format!("no postcode {} is known", postcode.as_str()))
            }
            Err(error) => Err(format!("the postcode service could not be reached ({error}); try again later")),
        });
    }
    let Some(query) = arg(params, "query") else {
        return Ok(Err("give a query (part of a council's name) or a postcode".into()));
    };
    let councils: Vec<Value> = store
        .councils()
        .await?
        .iter()
        .filter(|c| crate::lookup::councils::name_matches(query, &c.name))
        .take(25)
        .map(|c| council_summary(origin, c))
        .collect();
    Ok(Ok(json!({"query": query, "councils": councils})))
}

async fn list_meetings(params: &Value, store: &Store, origin: &str) -> Result<std::result::Result<Value, String>> {
    let (council, from, to) = match council_and_window(params, store, (28, 28)).await? {
        Ok(found) => found,
        Err(message) => return Ok(Err(message)),
    };
    let limit = params["arguments"]["limit"].as_u64().unwrap_or(50).clamp(1, 100) as usize;
    let rows = store
        .find_meetings(Some(&council.id), arg(params, "committee_id"), (&from, &to), None, ("", ""), limit)
        .await?;
    let mut meetings = Vec::new();
    for row in rows {
        let url = format!("{origin}/meetings/{}", row.id);
        let mut meeting = serde_json::to_value(row)?;
        meeting["url"] = json!(url);
        meetings.push(meeting);
    }
    Ok(Ok(json!({"council": council_summary(origin, &council), "from": from, "to": to, "meetings": meetings})))
}

async fn get_meeting(params: &Value, store: &Store, origin: &str) -> Result<std::result::Result<Value, String>> {
    let Some(id) = arg(params, "meeting_id") else { return Ok(Err("meeting_id is required".into())) };
    let Some(meeting) = store.meeting_full(id).await? else {
        return Ok(Err(format!("no meeting has the id {id:?}")));
    };
    let mut meeting = serde_json::to_value(&meeting)?;
    let summary = store.latest_summary(id).await?.unwrap_or(Value::Null);
    meeting["url"] = json!(format!("{origin}/meetings/{id}"));
    meeting["source_url"] = meeting["web_url"].clone();
    meeting["summary"] = match summary.get("body") {
        Some(body) => json!({
            "label": body["label"],
            "method": summary["method"],
            "version": summary["version"],
            "claims_checked": summary["claims_checked"] == 1,
            "headline": body["headline"],
            "sections": body["sections"],
            "procedural": body["procedural"],
            "footnotes": body["footnotes"],
        }),
        None => Value::Null,
    };
    Ok(Ok(meeting))
}

async fn list_votes(params: &Value, store: &Store, origin: &str) -> Result<std::result::Result<Value, String>> {
    use super::votes::{person_vote, vote_event, PARTY_LINE_VOTES};
    let limit = params["arguments"]["limit"].as_u64().unwrap_or(50).clamp(1, 100) as usize;
    match (arg(params, "meeting_id"), arg(params, "councillor_id")) {
        (Some(id), None) => {
            let Some(votes) = store.votes_of_meeting(id).await? else {
                return Ok(Err(format!("no meeting has the id {id:?}")));
            };
            let votes: Vec<Value> = votes.iter().take(limit).map(vote_event).collect();
            Ok(Ok(json!({"meeting_id": id, "url": format!("{origin}/meetings/{id}"), "votes": votes})))
        }
        (None, Some(id)) => {
            let Some(person) = store.person(id).await? else {
                return Ok(Err(format!("no councillor has the id {id:?}")));
            };
            let all = store.person_votes(id, ("", ""), PARTY_LINE_VOTES).await?;
            let line = crate::votes::party_line(all.iter().map(|v| (v.choice.as_str(), &v.party_choices)));
            let votes: Vec<Value> = all.iter().take(limit).map(person_vote).collect();
            Ok(Ok(json!({
                "councillor_id": id, "name": person.name, "party": person.party,
                "url": format!("{origin}/councillors/{id}"), "party_line": line, "votes": votes,
                "more": all.len() > limit,
            })))
        }
        _ => Ok(Err("give one of meeting_id or councillor_id".into())),
    }
}

async fn search(params: &Value, store: &Store, origin: &str) -> Result<std::result::Result<Value, String>> {
    let Some(query) = arg(params, "query") else { return Ok(Err("query is required".into())) };
    if crate::storage::search_words(query).is_empty() {
        let min = crate::storage::MIN_SEARCH_WORD;
        return Ok(Err(format!("the query needs a word of at least {min} letters or digits")));
    }
    let rows = store.search(query, arg(params, "council_id"), crate::storage::SEARCH_RESULT_CAP).await?;
    let results: Vec<crate::storage::rows::SearchResult> = rows
        .into_iter()
        .map(|mut r| {
            if r.url.starts_with('/') {
                r.url = format!("{origin}{}", r.url);
            }
            r
        })
        .collect();
    Ok(Ok(json!({"query": query, "results": results})))
}

async fn document_pages(params: &Value, store: &Store, env: &Env) -> Result<std::result::Result<Value, String>> {
    let Some(id) = arg(params, "document_id") else { return Ok(Err("document_id is required".into())) };
    let bucket = env.bucket("DOCUMENT_STORE")?;
    let texts = crate::storage::text::TextStore::new(&bucket);
    let Some(mut document) = store.document_with_pages(id, &texts).await? else {
        return Ok(Err(format!("no document has the id {id:?}")));
    };
    let first = params["arguments"]["from_page"].as_u64().unwrap_or(1).max(1);
    let last = params["arguments"]["to_page"].as_u64().unwrap_or(first + MAX_PAGES_PER_CALL - 1);
    let last = last.min(first + MAX_PAGES_PER_CALL - 1);
    let url = document["url"].as_str().unwrap_or_default().to_string();
    let pages: Vec<Value> = document["pages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["page_number"].as_u64().is_some_and(|n| n >= first && n <= last))
        .map(|p| {
            let mut page = p.clone();
            page["source_url"] = json!(format!("{url}#page={}", p["page_number"]));
            page
        })
        .collect();
    let total = document["pages"].as_array().map_or(0, Vec::len);
    document["pages"] = Value::Array(pages);
    document["page_range"] = json!({"from": first, "to": last, "pages_in_document": total});
    document["source_url"] = json!(url);
    Ok(Ok(document))
}

/// Captions a transcript call answers.
const CUES_PER_CALL: usize = 200;

async fn transcript(params: &Value, store: &Store, env: &Env) -> Result<std::result::Result<Value, String>> {
    let Some(id) = arg(params, "meeting_id") else { return Ok(Err("meeting_id is required".into())) };
    let Some(meeting) = store.meeting_full(id).await? else {
        return Ok(Err(format!("no meeting has the id {id:?}")));
    };
    let Some((webcast, key)) = meeting.webcasts.iter().find_map(|w| Some((w, w.transcript_key.as_deref()?))) else {
        return Ok(Err("this meeting has no webcast transcript (yet)".into()));
    };
    let bucket = env.bucket("DOCUMENT_STORE")?;
    let Some(stored) = crate::storage::webcasts::transcript(&bucket, key).await? else {
        return Ok(Err("this meeting has no webcast transcript (yet)".into()));
    };
    let offset = params["arguments"]["offset"].as_u64().unwrap_or(0) as usize;
    let item = arg(params, "item_id");
    Ok(super::meetings::transcript_view(&meeting, webcast, &stored, item, (offset, CUES_PER_CALL))
        .ok_or_else(|| format!("nothing was said on item {:?} in the webcast's captions", item.unwrap_or_default())))
}

async fn list_decisions(params: &Value, store: &Store, origin: &str) -> Result<std::result::Result<Value, String>> {
    let (council, from, to) = match council_and_window(params, store, (90, 0)).await? {
        Ok(found) => found,
        Err(message) => return Ok(Err(message)),
    };
    let key_only = params["arguments"]["key_only"].as_bool().unwrap_or(false);
    let rows = store.council_decisions(&council.id, (&from, &to), None, key_only).await?;
    let mut decisions = Vec::new();
    for row in rows.into_iter().take(100) {
        let url = format!("{origin}/decisions/{}", row.id);
        let mut decision = serde_json::to_value(row)?;
        decision["url"] = json!(url);
        decisions.push(decision);
    }
    Ok(Ok(json!({"council": council_summary(origin, &council), "from": from, "to": to, "decisions": decisions})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searching_tools_count_as_searches() {
        let call = |body: Value| read_message(&body.to_string()).ok().unwrap();
        let tool = |name: &str, arguments: Value| {
            call(
                json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": name, "arguments": arguments}}),
            )
        };
        assert!(counts_as_search(&tool("search", json!({"query": "budget"}))));
        assert!(counts_as_search(&tool("find_councils", json!({"postcode": "CV1 5RR"}))));
        assert!(!counts_as_search(&tool("find_councils", json!({"query": "Coventry"}))));
        assert!(!counts_as_search(&tool("get_meeting", json!({"id": "coventry-1"}))));
        assert!(!counts_as_search(&call(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))));
    }

    #[test]
    fn reads_requests_notifications_and_bad_messages() {
        let call = read_message(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#).unwrap();
        assert_eq!((call.id, call.method.as_str(), call.params), (json!(1), "tools/list", json!({})));
        assert_eq!(read_message(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#), Err(Reply::Accepted));
        assert_eq!(
            read_message(r#"{"jsonrpc":"2.0","id":"a","result":{}}"#),
            Err(Reply::Accepted),
            "a client's response"
        );
        let Err(Reply::Json(400, parse)) = read_message("{nope") else { panic!("not JSON is refused") };
        assert_eq!(parse["error"]["code"], PARSE_ERROR);
        let Err(Reply::Json(400, batch)) = read_message("[]") else { panic!("batches are refused") };
        assert_eq!(batch["error"]["code"], INVALID_REQUEST);
        let Err(Reply::Json(400, version)) = read_message(r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#) else {
            panic!()
        };
        assert_eq!(version["id"], 1);
        let Err(Reply::Json(400, params)) = read_message(r#"{"jsonrpc":"2.0","id":2,"method":"ping","params":[1]}"#)
        else {
            panic!()
        };
        assert_eq!(params["error"]["code"], INVALID_PARAMS);
        let huge = format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"ping","params":{{"x":"{}"}}}}"#,
            "a".repeat(MAX_REQUEST_BYTES)
        );
        assert!(matches!(read_message(&huge), Err(Reply::Json(413, _))));
    }

    #[test]
    fn negotiates_the_protocol_revision() {
        assert_eq!(initialize(&json!({"protocolVersion": "2025-06-18"}))["protocolVersion"], "2025-06-18");
        assert_eq!(initialize(&json!({"protocolVersion": "1999-01-01"}))["protocolVersion"], PROTOCOL_VERSIONS[0]);
        assert_eq!(initialize(&json!({}))["capabilities"]["tools"]["listChanged"], false);
    }

    #[test]
    fn every_tool_is_read_only_and_describes_its_input() {
        let tools = tools();
        let names: Vec<&str> = tools.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "find_councils",
                "list_meetings",
                "get_meeting",
                "search",
                "get_document_pages",
                "list_decisions",
                "list_votes",
                "get_transcript"
            ]
        );
        for tool in tools.as_array().unwrap() {
            assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
            assert_eq!(tool["annotations"]["readOnlyHint"], true);
            for required in tool["inputSchema"]["required"].as_array().unwrap() {
                assert!(tool["inputSchema"]["properties"][required.as_str().unwrap()].is_object(), "{tool}");
            }
        }
        let answer = tool_result(json!({"a": 1}));
        assert_eq!(
            (answer["isError"].as_bool(), answer["content"][0]["text"].as_str()),
            (Some(false), Some("{\"a\":1}"))
        );
        assert_eq!(tool_error("no")["isError"], true);
    }
}

//! Search, as a page and through the API.

use worker::{Response, Result};

use super::pages;
use super::reply::Reply;

/// `/search` and `/api/v1/search`.
pub async fn search(reply: &Reply<'_>) -> Result<Response> {
    let query = reply.query("q").unwrap_or_default();
    let council = reply.query("council").filter(|c| !c.is_empty());
    let too_short = !query.trim().is_empty() && crate::storage::search_words(&query).is_empty();
    if reply.for_programs && query.is_empty() {
        return reply.bad_request("q is required");
    }
    let rows = if query.trim().is_empty() || too_short {
        Vec::new()
    } else {
        reply.store.search(&query, council.as_deref(), crate::storage::SEARCH_RESULT_CAP).await?
    };
    if reply.for_programs {
        let mut body = serde_json::json!({"query": query, "council": council, "results": rows});
        if too_short {
            // Nothing to search for: no results, and why.
            let min = crate::storage::MIN_SEARCH_WORD;
            body["notice"] = serde_json::json!(format!("q needs a word of at least {min} letters or digits"));
        }
        return reply.json(&body);
    }
    let results = rows
        .into_iter()
        .map(|r| pages::SearchResult {
            url: pages::safe_href(&r.url),
            kind: r.kind.replace('_', " "),
            title: r.title,
            snippet: r.snippet,
        })
        .collect();
    reply.page(&pages::SearchPage { canonical: reply.canonical.clone(), search_query: query, results, too_short })
}

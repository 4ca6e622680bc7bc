//! The home page, the about page (with the public record of the claim
//! checks, also at `/api/v1/checks`) and the API's OpenAPI document.

use serde_json::{json, Value};
use worker::{Response, Result};

use super::checks;
use super::pages;
use super::reply::Reply;

pub async fn home(reply: &Reply<'_>) -> Result<Response> {
    let (councils, latest) = reply.store.home_page().await?;
    let name_query = reply.query("q").unwrap_or_default();
    let page = pages::HomePage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        latest: latest
            .into_iter()
            .map(|row| pages::LinkRow { id: row.id, title: row.title, council: row.council })
            .collect(),
        groups: pages::group_councils(&councils, &name_query),
        name_query,
    };
    reply.page(&page)
}

pub async fn about(reply: &Reply<'_>) -> Result<Response> {
    reply.page(&pages::AboutPage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        contact: reply.contact(),
        record: claim_record(reply).await?,
    })
}

async fn claim_record(reply: &Reply<'_>) -> Result<checks::Record> {
    Ok(checks::record(&reply.store.claim_record().await?))
}

/// `/api/v1/checks`: the public record of the claim checks.
pub async fn checks(reply: &Reply<'_>) -> Result<Response> {
    reply.json(&claim_record(reply).await?)
}

pub fn openapi(reply: &Reply<'_>) -> Result<Response> {
    // `openapi.json` without its white space (build.rs).
    let mut document: Value = serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/openapi.min.json")))?;
    document["servers"] = json!([{"url": format!("{}/api/v1", reply.origin)}]);
    reply.json(&document)
}

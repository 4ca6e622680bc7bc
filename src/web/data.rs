//! Open data for researchers: `/data` lists each council's sets, and
//! `/data/{council}/{set}/{file}` serves a file from R2 with its ETag, a
//! 304 for the one held, and byte ranges (206, or 416 past the end).

use askama::Template;
use worker::{Request, Response, Result};

use super::reply::{Missing, Reply};
use crate::opendata::{self, FileEntry, Manifest, RangeAnswer};

/// One council's open data on `/data`.
pub struct CouncilData {
    pub id: String,
    pub name: String,
    pub generated_at: String,
    pub generated_text: String,
    pub files: Vec<FileEntry>,
    pub partial: bool,
    pub months: Vec<String>,
}

#[derive(Template)]
#[template(path = "data.html")]
pub struct DataPage {
    pub canonical: String,
    pub search_query: String,
    pub councils: Vec<CouncilData>,
    pub summary_licence: &'static str,
    pub summary_licence_url: &'static str,
    pub council_licence_url: &'static str,
}

/// `/data`.
pub async fn index(reply: &Reply<'_>) -> Result<Response> {
    let councils = reply
        .store
        .open_data_index()
        .await?
        .into_iter()
        .filter_map(|row| {
            let manifest: Manifest = serde_json::from_str(&row.manifest).ok()?;
            Some(CouncilData {
                generated_text: crate::time::prose_instant(&row.generated_at, crate::time::DEFAULT_TIME_ZONE),
                partial: manifest.partial(),
                files: manifest.files,
                months: serde_json::from_str(&row.months).unwrap_or_default(),
                id: row.council_id,
                name: row.name,
                generated_at: row.generated_at,
            })
        })
        .collect();
    reply.page(&DataPage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        councils,
        summary_licence: opendata::SUMMARY_LICENCE,
        summary_licence_url: opendata::SUMMARY_LICENCE_URL,
        council_licence_url: opendata::COUNCIL_LICENCE_URL,
    })
}

/// `/data/{council}/{set}/{file}`.
pub async fn file(req: &Request, reply: &Reply<'_>, council: &str, set: &str, file: &str) -> Result<Response> {
    let bucket = reply.env.bucket("DOCUMENT_STORE")?;
    let key = opendata::object_key(council, set, file);
    let Some(head) = bucket.head(&key).await? else { return reply.not_found(Missing::DataFile) };
    let (etag, size) = (head.http_etag(), head.size());
    let content_type = if file.ends_with(".gz") { "application/gzip" } else { "application/json" };
    // A month's set changes while its minutes arrive; `latest` every day.
    let cache = if set == opendata::LATEST { "public, max-age=3600" } else { "public, max-age=21600" };
    let header = |name: &str| req.headers().get(name).ok().flatten();
    let held = header("If-None-Match").is_some_and(|h| h.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    let respond = |response: Response, status: u16| -> Result<Response> {
        let response = response.with_status(status);
        let headers = response.headers();
        headers.set("ETag", &etag)?;
        headers.set("Cache-Control", cache)?;
        headers.set("Accept-Ranges", "bytes")?;
        headers.set("Access-Control-Allow-Origin", "*")?;
        if status != 304 {
            headers.set("Content-Type", content_type)?;
        }
        Ok(response)
    };
    if held {
        return respond(Response::empty()?, 304);
    }
    // A range of another version of the file than the client holds is not a part of it.
    let range_header = header("Range").filter(|_| header("If-Range").is_none_or(|tag| tag.trim() == etag));
    match opendata::resolve_range(range_header.as_deref(), size) {
        RangeAnswer::Unsatisfiable => {
            let response = respond(Response::empty()?, 416)?;
            response.headers().set("Content-Range", &format!("bytes */{size}"))?;
            Ok(response)
        }
        RangeAnswer::Whole => {
            let Some(object) = bucket.get(&key).execute().await? else { return reply.not_found(Missing::DataFile) };
            let Some(body) = object.body() else { return reply.not_found(Missing::DataFile) };
            let response = respond(Response::from_body(body.response_body()?)?, 200)?;
            response.headers().set("Content-Length", &size.to_string())?;
            Ok(response)
        }
        RangeAnswer::Part { start, end } => {
            let range = worker::Range::OffsetWithLength { offset: start, length: end - start + 1 };
            let Some(object) = bucket.get(&key).range(range).execute().await? else {
                return reply.not_found(Missing::DataFile);
            };
            let Some(body) = object.body() else { return reply.not_found(Missing::DataFile) };
            let response = respond(Response::from_body(body.response_body()?)?, 206)?;
            response.headers().set("Content-Range", &format!("bytes {start}-{end}/{size}"))?;
            response.headers().set("Content-Length", &(end - start + 1).to_string())?;
            Ok(response)
        }
    }
}

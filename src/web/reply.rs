//! How the site answers: every handler is given a `Reply` (the request's
//! origin, query, store and whether it speaks to programs), and every refusal
//! (not found, bad request, too many, unavailable) is one `Refusal`, told as
//! problem+json on the API and as a page elsewhere, here and only here.

use serde::Serialize;
use worker::{Env, Response, Result};

use super::limits::{LimitClass, RETRY_AFTER_SECONDS};
use super::pages;
use super::routes::query_value;
use crate::storage::Store;

const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
];

pub const HTML: &str = "text/html; charset=utf-8";
pub const JSON: &str = "application/json; charset=utf-8";

pub(crate) fn with_headers(mut response: Response, content_type: &str) -> Result<Response> {
    let headers = response.headers_mut();
    headers.set("Content-Type", content_type)?;
    for (name, value) in SECURITY_HEADERS {
        headers.set(name, value)?;
    }
    Ok(response)
}

pub(crate) fn html_page(body: String, status: u16) -> Result<Response> {
    with_headers(Response::ok(body)?.with_status(status), HTML)
}

pub(crate) fn render<T: askama::Template>(page: &T) -> Result<String> {
    page.render().map_err(|e| worker::Error::RustError(format!("template: {e}")))
}

/// RFC 9457 problem details.
pub(crate) fn problem(status: u16, title: &str, detail: &str) -> Result<Response> {
    let body = serde_json::json!({"type": "about:blank", "title": title, "status": status, "detail": detail});
    with_headers(Response::ok(body.to_string())?.with_status(status), "application/problem+json")
}

pub(crate) fn error_page(origin: &str, status: u16, heading: &str, message: &str) -> Result<Response> {
    let page = pages::ErrorPage {
        canonical: format!("{origin}/"),
        search_query: String::new(),
        heading: heading.to_string(),
        message: message.to_string(),
    };
    html_page(render(&page)?, status)
}

/// What a request named that does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Council,
    Committee,
    Meeting,
    Document,
    Decision,
    Councillor,
    Digest,
    /// A meeting without a webcast transcript (yet).
    Transcript,
    /// An open-data set or file not (yet) exported.
    DataFile,
    /// A path that is no route.
    Page,
}

impl Missing {
    fn for_programs(self) -> &'static str {
        match self {
            Missing::Council => "no council has that id",
            Missing::Committee => "no committee has that id",
            Missing::Meeting => "no meeting has that id",
            Missing::Document => "no document has that id",
            Missing::Decision => "no decision has that id",
            Missing::Councillor => "no councillor has that id",
            Missing::Digest => "no digest for that council and week yet",
            Missing::Transcript => "no webcast transcript of that meeting (or of that item) yet",
            Missing::DataFile => "no such open-data file: see /data",
            Missing::Page => "no such resource",
        }
    }

    fn for_people(self) -> &'static str {
        match self {
            Missing::Council => "No council has that id.",
            Missing::Committee => "No committee has that id.",
            Missing::Meeting => "No meeting has that id.",
            Missing::Document => "No document has that id.",
            Missing::Decision => "No decision has that id.",
            Missing::Councillor => "No councillor has that id.",
            Missing::Digest => "There is no digest for that council and week yet.",
            Missing::Transcript => "There is no webcast transcript of that meeting yet.",
            Missing::DataFile => "There is no such open-data file yet; see the list of open data.",
            Missing::Page => "There is no page at this address.",
        }
    }
}

/// Why a request is not answered with what it asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotFound(Missing),
    /// The client's mistake, said to programs; people are shown the page as best it can be.
    BadRequest(String),
    /// Over a rate limit.
    TooMany(LimitClass),
    /// A service we depend on is not answering: (for programs, for people).
    Unavailable(String, String),
}

impl Refusal {
    pub fn status(&self) -> u16 {
        match self {
            Refusal::NotFound(_) => 404,
            Refusal::BadRequest(_) => 400,
            Refusal::TooMany(_) => 429,
            Refusal::Unavailable(..) => 503,
        }
    }

    /// The answer: problem details for programs, a page for people.
    pub fn answer(&self, for_programs: bool, origin: &str) -> Result<Response> {
        let status = self.status();
        let response = match (self, for_programs) {
            (Refusal::NotFound(what), true) => problem(status, "Not Found", what.for_programs())?,
            (Refusal::NotFound(what), false) => error_page(origin, status, "Not found", what.for_people())?,
            (Refusal::BadRequest(detail), true) => problem(status, "Bad Request", detail)?,
            (Refusal::BadRequest(detail), false) => error_page(origin, status, "That did not work", detail)?,
            (Refusal::TooMany(_), true) => problem(
                status,
                "Too Many Requests",
                &format!("this client has made too many requests; try again in {RETRY_AFTER_SECONDS} seconds"),
            )?,
            (Refusal::TooMany(class), false) => {
                let what = if *class == LimitClass::Search { "searches" } else { "requests" };
                error_page(
                    origin,
                    status,
                    "Too many requests",
                    &format!("You have made a lot of {what} in a short time. Please try again in a minute."),
                )?
            }
            (Refusal::Unavailable(detail, _), true) => problem(status, "Service Unavailable", detail)?,
            (Refusal::Unavailable(_, message), false) => error_page(origin, status, "Please try again", message)?,
        };
        if matches!(self, Refusal::TooMany(_) | Refusal::Unavailable(..)) {
            response.headers().set("Retry-After", &RETRY_AFTER_SECONDS.to_string())?;
            response.headers().set("Cache-Control", "no-store")?;
        }
        Ok(response)
    }
}

/// Everything a handler answers with.
pub struct Reply<'a> {
    pub env: &'a Env,
    pub store: Store,
    pub url: worker::Url,
    /// Where absolute links point (`PUBLIC_ORIGIN`, else the request's own).
    pub origin: String,
    /// This page's absolute address.
    pub canonical: String,
    /// Whether refusals are told as problem+json (the route's declared surface).
    pub for_programs: bool,
    /// The ETag the client holds, when a 304 may answer it.
    pub if_none_match: Option<String>,
}

impl Reply<'_> {
    pub fn query(&self, name: &str) -> Option<String> {
        query_value(self.url.query(), name)
    }

    pub fn refuse(&self, refusal: Refusal) -> Result<Response> {
        refusal.answer(self.for_programs, &self.origin)
    }

    pub fn not_found(&self, what: Missing) -> Result<Response> {
        self.refuse(Refusal::NotFound(what))
    }

    pub fn bad_request(&self, detail: impl Into<String>) -> Result<Response> {
        self.refuse(Refusal::BadRequest(detail.into()))
    }

    /// A public read: cacheable, with an ETag over the body; a request that
    /// already holds this version gets 304 Not Modified.
    pub fn cached(&self, body: String, content_type: &str) -> Result<Response> {
        let etag = format!("\"{}\"", &crate::hash::sha256_hex(body.as_bytes())[..20]);
        let matches = self
            .if_none_match
            .as_deref()
            .is_some_and(|header| header.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
        let response = if matches { Response::empty()?.with_status(304) } else { Response::ok(body)? };
        let response = with_headers(response, content_type)?;
        let headers = response.headers();
        headers.set("ETag", &etag)?;
        headers.set("Cache-Control", super::routes::Keep::Minute.cache_control())?;
        if content_type.starts_with("application/json") {
            headers.set("Access-Control-Allow-Origin", "*")?;
        }
        Ok(response)
    }

    /// A page rendered from its template, as a public read.
    pub fn page<T: askama::Template>(&self, page: &T) -> Result<Response> {
        self.cached(render(page)?, HTML)
    }

    /// A JSON answer, as a public read.
    pub fn json<T: Serialize + ?Sized>(&self, body: &T) -> Result<Response> {
        self.cached(serde_json::to_string(body)?, JSON)
    }

    /// The site's contact address, shown on pages that invite questions.
    pub fn contact(&self) -> String {
        self.env
            .var("CONTACT_EMAIL")
            .map(|v| v.to_string())
            .unwrap_or_else(|_| "support@council-digest.org".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_missing_thing_is_named_for_programs_and_for_people() {
        for what in [
            Missing::Council,
            Missing::Committee,
            Missing::Meeting,
            Missing::Document,
            Missing::Decision,
            Missing::Councillor,
            Missing::Digest,
            Missing::Page,
        ] {
            assert!(what.for_programs().starts_with("no "), "{what:?}");
            assert!(what.for_people().ends_with('.'), "{what:?}");
        }
        assert_eq!(Refusal::TooMany(LimitClass::Search).status(), 429);
        assert_eq!(Refusal::NotFound(Missing::Page).status(), 404);
    }
}

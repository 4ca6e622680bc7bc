//! Council meeting platforms. One module per platform; each turns a council's
//! answers into `crate::model` values or a `SourceError` saying why it could not.

pub mod cmis;
pub mod detect;
pub mod moderngov;
pub mod partial;
pub mod text;

use std::fmt;

use crate::net::{Fetcher, HttpRequest};

/// A page or XML answer as text (a plain GET, decoded as UTF-8).
pub(crate) async fn get_text<F: Fetcher>(fetcher: &F, url: &str) -> Result<String, SourceError> {
    let response = fetcher.get(&HttpRequest::get(url)).await?;
    Ok(detect::decode_text(&response.body)?.to_string())
}

/// Why an answer from a council site is not data. Every variant is recorded
/// against the council or meeting it concerns; none of them is ever stored as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceError {
    /// No answer: connection refused, DNS, TLS.
    Network(String),
    /// No complete answer within the request timeout.
    Timeout {
        seconds: u64,
    },
    /// An HTTP status other than 200 (or 304 for conditional requests).
    Http {
        status: u16,
    },
    /// Larger than the configured cap.
    TooLarge {
        limit_bytes: usize,
    },
    Empty,
    /// A 200 that is only a script sending the browser elsewhere.
    JavaScriptRedirectStub,
    /// A web page (often the council's CMS error page) where XML was expected.
    HtmlInsteadOfXml {
        title: Option<String>,
    },
    /// Bytes that are not UTF-8, as a legacy Windows encoding would produce.
    NotUtf8 {
        byte_offset: usize,
    },
    TruncatedXml(String),
    MalformedXml(String),
    /// Well-formed, but not the document asked for.
    UnexpectedDocument {
        expected: &'static str,
        found: String,
    },
    /// A page without the markup the parser relies on.
    UnexpectedPage(String),
    /// A link or redirect to a host the council does not serve documents from.
    ForeignHost {
        host: String,
    },
    TooManyRedirects {
        limit: usize,
    },
}

impl SourceError {
    /// Transient failures are retried with backoff; the rest are recorded at once.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) | Self::Timeout { .. } => true,
            Self::Http { status } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }

    /// Whether the web service looks switched off (so the HTML pages are worth trying).
    pub fn suggests_no_web_service(&self) -> bool {
        matches!(
            self,
            Self::Http { status: 403 | 404 | 405 | 410 | 500 | 501 | 503 }
                | Self::HtmlInsteadOfXml { .. }
                | Self::JavaScriptRedirectStub
                | Self::UnexpectedDocument { .. }
        )
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network(detail) => write!(f, "network error: {detail}"),
            Self::Timeout { seconds } => write!(f, "no complete answer within {seconds} s"),
            Self::Http { status } => write!(f, "HTTP status {status}"),
            Self::TooLarge { limit_bytes } => write!(f, "answer larger than {limit_bytes} bytes"),
            Self::Empty => write!(f, "empty answer"),
            Self::JavaScriptRedirectStub => write!(f, "a JavaScript redirect stub instead of data"),
            Self::HtmlInsteadOfXml { title: Some(title) } => {
                write!(f, "an HTML page (\"{title}\") instead of XML")
            }
            Self::HtmlInsteadOfXml { title: None } => write!(f, "an HTML page instead of XML"),
            Self::NotUtf8 { byte_offset } => {
                write!(f, "not UTF-8 (invalid byte at offset {byte_offset}; a legacy encoding such as windows-1252?)")
            }
            Self::TruncatedXml(detail) => write!(f, "truncated XML: {detail}"),
            Self::MalformedXml(detail) => write!(f, "malformed XML: {detail}"),
            Self::UnexpectedDocument { expected, found } => {
                write!(f, "expected <{expected}> but the answer is <{found}>")
            }
            Self::UnexpectedPage(detail) => write!(f, "unexpected page: {detail}"),
            Self::ForeignHost { host } => {
                write!(f, "on {host}, which is not the council's host nor one it declares; not fetched")
            }
            Self::TooManyRedirects { limit } => write!(f, "more than {limit} redirects"),
        }
    }
}

impl std::error::Error for SourceError {}

/// Parses a body `iterations` times and answers how many agenda items (or
/// calendar entries) it held. Used by the benchmark to time parsing inside
/// workerd against native code, for every platform's main pages.
pub fn bench_parse(format: &str, body: &[u8], iterations: u32) -> Result<usize, String> {
    let text = detect::decode_text(body).map_err(|e| e.to_string())?;
    let month = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date");
    let parse = || match format {
        "get_meeting" => moderngov::xml::parse_meeting(text, "http://127.0.0.1").map(|m| m.items.len()),
        "meeting_page" => {
            moderngov::html::parse_meeting_page(text, "http://127.0.0.1/ieListDocuments.aspx?CId=1&MId=2", "2")
                .map(|m| m.items.len())
        }
        "cmis_meeting" => {
            cmis::parse::parse_meeting(text, "http://127.0.0.1/cmis/Meetings.aspx", "1").map(|m| m.detail.items.len())
        }
        "cmis_month" => cmis::parse::parse_month(text, "http://127.0.0.1/cmis/Meetings.aspx", month).map(|m| m.len()),
        _ => Err(SourceError::UnexpectedPage(format!("unknown format {format:?}"))),
    };
    let items = parse().map_err(|e| e.to_string())?;
    for _ in 1..iterations {
        std::hint::black_box(parse().map_err(|e| e.to_string())?);
    }
    Ok(items)
}

//! Why an answer from a council site is not data: the error every fetch and
//! every parser answers with. It lives with the fetcher, which `sources`
//! builds on (and re-exports), so neither imports the other in a circle.

use std::fmt;

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

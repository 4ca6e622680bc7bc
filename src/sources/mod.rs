//! Council meeting platforms. One module per platform; each turns a council's
//! answers into `crate::model` values or a `SourceError` saying why it could not.

pub mod cmis;
pub mod detect;
pub mod moderngov;
pub mod partial;
pub mod text;

pub use crate::net::SourceError;
use crate::net::{Fetcher, HttpRequest};

/// A page or XML answer as text (a plain GET, decoded as UTF-8).
pub(crate) async fn get_text<F: Fetcher>(fetcher: &F, url: &str) -> Result<String, SourceError> {
    let response = fetcher.get(&HttpRequest::get(url)).await?;
    Ok(detect::decode_text(&response.body)?.to_string())
}

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

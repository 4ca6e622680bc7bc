//! Council meeting platforms. One module per platform; each turns a council's
//! answers into `crate::model` values or a `SourceError` saying why it could not.
//! Each platform is a `platform::PlatformAdapter`; `with_adapter!` names them all.

pub mod cmis;
pub mod detect;
pub mod html;
pub mod moderngov;
pub mod partial;
pub mod platform;
pub mod publici;
pub mod text;

pub use crate::net::SourceError;
use crate::net::{Fetcher, HttpRequest};
use platform::PlatformAdapter;

/// Runs `$body` with `$adapter` bound to the adapter of `$platform`, or
/// answers `$other` for a platform no adapter reads. The one place that
/// names every platform's adapter.
#[macro_export]
macro_rules! with_adapter {
    ($platform:expr, |$adapter:ident| $body:expr, else $other:expr) => {
        match $platform {
            $crate::model::Platform::ModernGov => {
                let $adapter = &$crate::sources::moderngov::ModernGov;
                $body
            }
            $crate::model::Platform::Cmis => {
                let $adapter = &$crate::sources::cmis::Cmis;
                $body
            }
            $crate::model::Platform::Other => $other,
        }
    };
}

/// What a council's platform offers besides meetings (nothing, for one no adapter reads).
pub fn offers(platform: crate::model::Platform) -> platform::Offers {
    with_adapter!(platform, |adapter| adapter.offers(), else platform::Offers { councillors: false, decisions: false })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocumentKind, Platform};
    use platform::Offers;

    #[test]
    fn each_platform_says_what_it_offers() {
        assert_eq!(offers(Platform::ModernGov), Offers { councillors: true, decisions: true });
        assert_eq!(offers(Platform::Cmis), Offers { councillors: false, decisions: false });
        assert_eq!(offers(Platform::Other), Offers { councillors: false, decisions: false });
    }

    fn fixture(path: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// One rule names a meeting's documents on every platform, read from
    /// each platform's own pages.
    #[test]
    fn both_platforms_name_meeting_documents_by_one_rule() {
        let modern = moderngov::html::parse_meeting_page(
            &fixture("moderngov/redbridge_ieListDocuments_CId516_MId6937_bs4-prettified.html"),
            "https://democracy.redbridge.gov.uk/ieListDocuments.aspx?CId=516&MId=6937",
            "6937",
        )
        .unwrap();
        let kinds: Vec<(String, DocumentKind)> = modern.documents.iter().map(|d| (d.title.clone(), d.kind)).collect();
        assert!(kinds.iter().any(|(_, k)| *k == DocumentKind::AgendaFrontsheet), "{kinds:?}");
        assert!(kinds.iter().any(|(_, k)| *k == DocumentKind::ReportsPack), "{kinds:?}");
        assert!(kinds.iter().any(|(_, k)| *k == DocumentKind::PrintedMinutes), "{kinds:?}");
        let cmis = cmis::parse::parse_meeting(
            &fixture("cmis/birmingham_ViewMeetingPublic_city-council-2025-11-04_full_rendered.html"),
            "https://birmingham.cmis.uk.com/birmingham/Meetings.aspx",
            "1",
        )
        .unwrap();
        let kind_of = |title: &str| cmis.detail.documents.iter().find(|d| d.title.starts_with(title)).map(|d| d.kind);
        assert_eq!(kind_of("Agenda Document Pack"), Some(DocumentKind::ReportsPack));
        let with_minutes = cmis::parse::parse_meeting(
            &format!(
                "<html><body><div class=\"holder\"></div>{}</body></html>",
                fixture("cmis/birmingham_ViewMeetingPublic_documents-with-minutes_excerpt.html")
            ),
            "https://birmingham.cmis.uk.com/birmingham/Meetings.aspx",
            "2",
        )
        .unwrap();
        let kinds: Vec<DocumentKind> = with_minutes.detail.documents.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [DocumentKind::PrintedMinutes, DocumentKind::ReportsPack],
            "{:?}",
            with_minutes.detail.documents
        );
        // Titles where the two platforms' rules used to disagree.
        assert_eq!(DocumentKind::from_title("Minutes of the additional meeting"), DocumentKind::PrintedMinutes);
        assert_eq!(DocumentKind::from_title("Supplementary minutes"), DocumentKind::PrintedMinutes);
        assert_eq!(DocumentKind::from_title("Final Agenda Reports - 9th July 2026"), DocumentKind::ReportsPack);
        assert_eq!(DocumentKind::from_title("Supplementary Agenda Pack"), DocumentKind::Supplement);
        assert_eq!(DocumentKind::from_title("Agenda frontsheet"), DocumentKind::AgendaFrontsheet);
        assert_eq!(DocumentKind::from_title("Decision notice"), DocumentKind::Decisions);
    }
}

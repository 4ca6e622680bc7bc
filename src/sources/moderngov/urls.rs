//! Where things live on a ModernGov site, relative to its base URL (which may
//! carry a path prefix such as `/moderngov`).

use crate::time::format_uk_date;
use chrono::NaiveDate;

pub fn join(base_url: &str, path_and_query: &str) -> String {
    format!("{}/{}", base_url.trim_end_matches('/'), path_and_query.trim_start_matches('/'))
}

pub fn get_councillors_by_ward(base_url: &str) -> String {
    join(base_url, "mgWebService.asmx/GetCouncillorsByWard")
}

/// The delegated (and executive) decisions register for a date range.
pub fn delegated_decisions(base_url: &str, from: NaiveDate, to: NaiveDate) -> String {
    let range = format!("{}-{}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")).replace('/', "%2F");
    join(base_url, &format!("mgDelegatedDecisions.aspx?XXR=0&DR={range}&ACT=Find&RP=0&K=0&V=0&DM=0&HD=0&DS=2"))
}

/// The officer decisions register for a date range.
pub fn officer_decisions(base_url: &str, from: NaiveDate, to: NaiveDate) -> String {
    let range = format!("{}-{}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")).replace('/', "%2F");
    join(base_url, &format!("mgListOfficerDecisions.aspx?XXR=0&DR={range}&ACT=Find"))
}

pub fn decision_page(base_url: &str, decision_id: &str) -> String {
    join(base_url, &format!("ieDecisionDetails.aspx?ID={decision_id}"))
}

pub fn get_committees(base_url: &str) -> String {
    join(base_url, "mgWebService.asmx/GetCommittees")
}

pub fn get_meetings(base_url: &str, committee_id: &str, from: NaiveDate, to: NaiveDate) -> String {
    join(
        base_url,
        &format!(
            "mgWebService.asmx/GetMeetings?lCommitteeId={}&sFromDate={}&sToDate={}",
            encode_component(committee_id),
            encode_component(&format_uk_date(from)),
            encode_component(&format_uk_date(to))
        ),
    )
}

pub fn get_meeting(base_url: &str, meeting_id: &str) -> String {
    join(base_url, &format!("mgWebService.asmx/GetMeeting?lMeetingId={}", encode_component(meeting_id)))
}

pub fn committee_list_page(base_url: &str) -> String {
    join(base_url, "mgListCommittees.aspx")
}

pub fn meeting_list_page(base_url: &str, committee_id: &str) -> String {
    join(base_url, &format!("ieListMeetings.aspx?CId={}&Year=0", encode_component(committee_id)))
}

pub fn meeting_page(base_url: &str, committee_id: &str, meeting_id: &str) -> String {
    join(
        base_url,
        &format!(
            "ieListDocuments.aspx?CId={}&MId={}&Ver=4",
            encode_component(committee_id),
            encode_component(meeting_id)
        ),
    )
}

pub use crate::sources::html::absolute_url;

/// The value of a query parameter, matching its name case-insensitively
/// (pages write both `MId=` and `MID=`).
pub fn query_param(href: &str, name: &str) -> Option<String> {
    let query = href.split_once('?')?.1;
    query
        .split(['&', ';'])
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| key.trim_start_matches("amp;").eq_ignore_ascii_case(name))
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// ModernGov's ids (committees, meetings, items, attachments, members) are
/// numbers. Anything else in an id field is refused, so that ids built from
/// them (`<council>-<id>`) can never collide across councils or carry separators.
pub fn is_source_id(value: &str) -> bool {
    !value.is_empty() && value.len() <= 15 && value.bytes().all(|b| b.is_ascii_digit())
}

/// A numeric id from a link's query string.
pub fn id_param(href: &str, name: &str) -> Option<String> {
    query_param(href, name).filter(|v| is_source_id(v))
}

fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_numbers_only() {
        assert!(is_source_id("4967"));
        for bad in ["", "12-3", "1;DROP", "a1", "12 ", "1234567890123456", "٣"] {
            assert!(!is_source_id(bad), "{bad:?}");
        }
        assert_eq!(id_param("ieListDocuments.aspx?CId=516&amp;MId=6937", "MId").as_deref(), Some("6937"));
        assert_eq!(id_param("ieListDocuments.aspx?CId=516&MId=69-37", "MId"), None);
    }

    #[test]
    fn builds_web_service_urls_under_a_path_prefix() {
        let from = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 2, 2).unwrap();
        assert_eq!(
            get_meetings("https://modgov.sefton.gov.uk/moderngov/", "144", from, to),
            "https://modgov.sefton.gov.uk/moderngov/mgWebService.asmx/GetMeetings?lCommitteeId=144&sFromDate=05%2F01%2F2026&sToDate=02%2F02%2F2026"
        );
        assert_eq!(get_committees("http://127.0.0.1:9/x"), "http://127.0.0.1:9/x/mgWebService.asmx/GetCommittees");
        assert_eq!(
            meeting_page("https://a.gov.uk", "516", "6937"),
            "https://a.gov.uk/ieListDocuments.aspx?CId=516&MId=6937&Ver=4"
        );
    }

    #[test]
    fn resolves_and_encodes_document_links() {
        let page = "https://moderngov.redbridge.gov.uk/ieListDocuments.aspx?CId=516&MId=6937&Ver=4";
        assert_eq!(
            absolute_url(page, "documents/g6860/Printed minutes 27th-Jan-2016 19.00 Audit Committee.pdf?T=1").as_deref(),
            Some("https://moderngov.redbridge.gov.uk/documents/g6860/Printed%20minutes%2027th-Jan-2016%2019.00%20Audit%20Committee.pdf?T=1")
        );
        let prefixed = "http://127.0.0.1:8080/democracy/ieListDocuments.aspx?CId=1&MId=2";
        assert_eq!(
            absolute_url(prefixed, "mgAi.aspx?ID=5").as_deref(),
            Some("http://127.0.0.1:8080/democracy/mgAi.aspx?ID=5")
        );
        assert_eq!(absolute_url(page, "javascript:void(0)"), None);
        assert_eq!(absolute_url(page, "mailto:a@b.c"), None);
    }

    #[test]
    fn reads_query_parameters_in_any_case() {
        assert_eq!(query_param("ieListDocuments.aspx?CId=151&MID=4832", "MId").as_deref(), Some("4832"));
        assert_eq!(query_param("ieListDocuments.aspx?CId=151&amp;MId=4832", "mid").as_deref(), Some("4832"));
        assert_eq!(query_param("mgCommitteeDetails.aspx?ID=516", "ID").as_deref(), Some("516"));
        assert_eq!(query_param("page.aspx", "ID"), None);
    }
}

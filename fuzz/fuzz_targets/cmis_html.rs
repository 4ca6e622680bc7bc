#![no_main]
//! Any bytes through the CMIS page parsers.

use council_digest::sources::cmis::parse;
use council_digest::sources::detect::decode_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = decode_text(data) {
        let url = "http://127.0.0.1/cmis/Meetings.aspx";
        let month = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let _ = parse::parse_calendar_site(text);
        let _ = parse::parse_month(text, url, month);
        let _ = parse::parse_list_view(text, url);
        let _ = parse::parse_meeting(text, url, "1");
        let _ = parse::parse_attendance_page(text);
        let _ = parse::parse_committee_category(text);
    }
});

#![no_main]
//! Any bytes through the HTML fallback parsers and the date finder.

use council_digest::sources::detect::decode_text;
use council_digest::sources::moderngov::html;
use council_digest::time::find_date_time;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = decode_text(data) {
        let _ = html::parse_meeting_page(text, "http://127.0.0.1/ieListDocuments.aspx?CId=1&MId=2", "2");
        let _ = html::parse_committee_list(text);
        let _ = html::parse_meeting_list(text, "1");
        let _ = find_date_time(text);
    }
});

#![no_main]
//! Any bytes through the web-service parsers: errors are fine, panics are not.

use council_digest::sources::detect::decode_text;
use council_digest::sources::moderngov::xml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = decode_text(data) {
        let _ = xml::parse_committees(text);
        let _ = xml::parse_meetings(text);
        let _ = xml::parse_meeting(text, "http://127.0.0.1/moderngov");
    }
});

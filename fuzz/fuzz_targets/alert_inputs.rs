#![no_main]
//! What a resident types (address, keywords) and what a link carries (a
//! token) are untrusted: any text through their checks and the matcher.

use council_digest::notify::alerts::{
    check_address, matching_keywords, parse_keywords, verify_token, Purpose,
};
use council_digest::notify::email::{scrub, subject_line};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = check_address(text);
        if let Ok(keywords) = parse_keywords(text) {
            let _ = matching_keywords(&keywords, &[text]);
        }
        for purpose in [Purpose::Confirm, Purpose::Manage, Purpose::Unsubscribe] {
            assert!(verify_token(b"a fuzzing secret", text, purpose, 0).is_err(), "a forged token was accepted");
        }
        let _ = scrub(text, "ann@example.org");
        assert!(!subject_line(text).contains(['\r', '\n']));
    }
});

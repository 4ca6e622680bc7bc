#![no_main]
//! Any text (model output is untrusted) through the claim checks.

use council_digest::summarise::claims::{claims, keep_supported, sentences, Evidence};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let middle = (0..=text.len() / 2).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let (sources, prose) = text.split_at(middle);
        let evidence = Evidence::new([sources]);
        let _ = claims(prose);
        let _ = sentences(prose);
        let _ = keep_supported(prose, &evidence);
    }
});

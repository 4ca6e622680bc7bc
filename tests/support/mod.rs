#![allow(dead_code)] // Shared by several test binaries; each uses part of it.
pub mod fake_cmis;
pub mod fake_council;
pub mod fake_email;
pub mod fake_llm;
pub mod fake_postcodes;
pub mod fake_publici;
pub mod fake_receiver;
pub mod fake_speech;
pub mod harness;
pub mod http;

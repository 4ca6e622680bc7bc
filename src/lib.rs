//! council-digest: what UK councils decided, summarised from their own
//! documents and served from the edge. Two workers are built from this crate:
//! the site worker (`workers::site`) and the ingest worker (`workers::ingest`).

pub mod config;
pub mod documents;
pub mod hash;
pub mod health;
pub mod jobs;
pub mod lookup;
pub mod mail;
pub mod model;
pub mod net;
pub mod notify;
pub mod opendata;
pub mod outcome;
pub mod random;
pub mod sources;
pub mod storage;
pub mod summarise;
pub mod time;
pub mod votes;
pub mod web;
pub mod webcasts;
pub mod workers;

//! Recorded votes: read from minutes as councils print them (headings with
//! counts and the names under each, roll calls), with each name matched to
//! one councillor where exactly one fits. Pure: the jobs store what is read.

pub mod minutes;
pub mod names;

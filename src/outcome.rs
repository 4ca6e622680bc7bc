//! How a unit of queued work ended, which decides what happens to its message.

/// Done, or try again later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// A transient failure (timeout, 5xx): try again later.
    Retry(String),
}

//! Fault injection for tests of recovery: `FAULT_POINTS` (unset in production)
//! names points in the jobs that fail once each, per worker instance, as if D1,
//! R2, a queue or the model had failed there. Every job must end in the same
//! state as a clean run after its message is retried.

use std::cell::RefCell;
use std::collections::HashSet;

use crate::config::Settings;

thread_local! {
    static FIRED: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// Whether the named point should fail now: configured, and not yet failed.
pub fn should_fail(configured: &[String], name: &str) -> bool {
    configured.iter().any(|point| point == name) && FIRED.with(|fired| fired.borrow_mut().insert(name.to_string()))
}

/// Fails once at a configured point, as a transient storage or queue failure would.
pub fn point(settings: &Settings, name: &str) -> worker::Result<()> {
    if should_fail(&settings.fault_points, name) {
        return Err(worker::Error::RustError(format!("injected fault at {name}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_point_fails_once_and_others_never() {
        let configured = vec!["after_extract".to_string()];
        assert!(!should_fail(&configured, "after_text_saved"));
        assert!(should_fail(&configured, "after_extract"));
        assert!(!should_fail(&configured, "after_extract"), "only once");
        assert!(!should_fail(&[], "after_extract"));
    }
}

//! Fault injection for tests of recovery: `FAULT_POINTS` (unset in production)
//! names points in the jobs that fail once each, per worker instance, as if D1,
//! R2, a queue or the model had failed there: `point` fails for every council,
//! `point@council` for that council only. Every job must end in the same state
//! as a clean run after its message is retried.

use std::cell::RefCell;
use std::collections::HashSet;

use crate::config::Settings;

thread_local! {
    static FIRED: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// Whether the named point should fail now for the council: configured, and not yet failed.
pub fn should_fail(configured: &[String], council_id: &str, name: &str) -> bool {
    let scoped = format!("{name}@{council_id}");
    let Some(entry) = configured.iter().find(|point| **point == name || **point == scoped) else { return false };
    let key = if *entry == name { name.to_string() } else { scoped };
    FIRED.with(|fired| fired.borrow_mut().insert(key))
}

/// The points that have fired in this instance, as `point` or `point@council`.
pub fn fired() -> Vec<String> {
    let mut fired: Vec<String> = FIRED.with(|fired| fired.borrow().iter().cloned().collect());
    fired.sort();
    fired
}

/// Fails once at a configured point, as a transient storage or queue failure would.
pub fn point(settings: &Settings, council_id: &str, name: &str) -> worker::Result<()> {
    if should_fail(&settings.fault_points, council_id, name) {
        return Err(worker::Error::RustError(format!("injected fault at {name} for {council_id}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_point_fails_once_and_others_never() {
        let configured = vec!["after_extract".to_string(), "model_call@kent".to_string()];
        assert!(!should_fail(&configured, "any", "after_text_saved"));
        assert!(should_fail(&configured, "any", "after_extract"));
        assert!(!should_fail(&configured, "other", "after_extract"), "only once, whichever council");
        assert!(!should_fail(&[], "any", "after_extract"));
        assert!(!should_fail(&configured, "coventry", "model_call"), "scoped to its council");
        assert!(should_fail(&configured, "kent", "model_call"));
        assert!(!should_fail(&configured, "kent", "model_call"));
        assert!(fired().contains(&"model_call@kent".to_string()));
    }
}

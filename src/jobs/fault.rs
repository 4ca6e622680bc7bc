//! Fault injection for tests of recovery: `FAULT_POINTS` (unset in production)
//! names points in the jobs that fail once each (remembered in KV), as if D1,
//! R2, a queue or the model had failed there: `point` fails for every council,
//! `point@council` for that council only. Every job must end in the same state
//! as a clean run after its message is retried.

use crate::config::Settings;

/// The configured entry that names this point for this council, if any.
pub fn configured_entry(configured: &[String], council_id: &str, name: &str) -> Option<String> {
    let scoped = format!("{name}@{council_id}");
    configured.iter().find(|point| **point == name || **point == scoped).cloned()
}

/// Where a fired point is remembered, so that it fires once across every
/// isolate (queue consumers may run in several) and the tests can see it fired.
const FIRED_PREFIX: &str = "fault-fired:";

/// Fails once at a configured point, as a transient storage or queue failure would.
pub async fn point(env: &worker::Env, settings: &Settings, council_id: &str, name: &str) -> worker::Result<()> {
    let Some(entry) = configured_entry(&settings.fault_points, council_id, name) else { return Ok(()) };
    let kv = env.kv("CACHE")?;
    let key = format!("{FIRED_PREFIX}{entry}");
    if kv.get(&key).text().await?.is_some() {
        return Ok(());
    }
    kv.put(&key, council_id)?.execute().await?;
    Err(worker::Error::RustError(format!("injected fault at {name} for {council_id}")))
}

/// The points that have fired, as configured (`point` or `point@council`).
pub async fn fired(env: &worker::Env) -> worker::Result<Vec<String>> {
    let listed = env.kv("CACHE")?.list().prefix(FIRED_PREFIX.to_string()).execute().await?;
    Ok(listed.keys.into_iter().map(|k| k.name.trim_start_matches(FIRED_PREFIX).to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_configured_for_every_council_or_one() {
        let configured = vec!["after_extract".to_string(), "model_call@kent".to_string()];
        assert_eq!(configured_entry(&configured, "any", "after_extract").as_deref(), Some("after_extract"));
        assert_eq!(configured_entry(&configured, "any", "after_text_saved"), None);
        assert_eq!(configured_entry(&configured, "coventry", "model_call"), None, "scoped to its council");
        assert_eq!(configured_entry(&configured, "kent", "model_call").as_deref(), Some("model_call@kent"));
        assert_eq!(configured_entry(&[], "kent", "model_call"), None);
    }
}

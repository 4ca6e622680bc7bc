//! Data versions in KV, part of every edge-cache key, so cached pages never
//! outlive their data. Each council has its own version, so a write to one
//! council's data leaves every other council's cached pages warm; pages that
//! span councils (home, search, lists across councils) share one more version,
//! bumped by any write. KV takes one write per second per key, so bumps are
//! coalesced: a version written less than a second ago is not written again,
//! and pages rendered in the first moments of a version are not cached at all
//! (see `cacheable_for`), so no change folded into it is ever served stale.

use worker::Env;

/// The scope of a cached page: one council's data, or data across councils.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Council(String),
    /// Any of these councils: a record whose id reads as more than one
    /// council's; a write to any of them makes its pages stale.
    OneOf(Vec<String>),
    AllCouncils,
}

impl Scope {
    fn keys(&self) -> Vec<String> {
        match self {
            Self::Council(id) => vec![format!("data-version:{id}")],
            Self::OneOf(ids) => ids.iter().map(|id| format!("data-version:{id}")).collect(),
            Self::AllCouncils => vec!["data-version:*".to_string()],
        }
    }

    /// The scope's name in a cache key.
    pub fn name(&self) -> String {
        match self {
            Self::Council(id) => id.clone(),
            Self::OneOf(ids) => ids.join("+"),
            Self::AllCouncils => "*".to_string(),
        }
    }
}

/// Bumps closer together than this are folded into one write.
pub const COALESCE_MS: u64 = 1_000;

/// How long an edge copy of a page rendered `age_ms` after its version was
/// written may be kept: not at all while later writes may still be folded into
/// that version (with a margin for clocks), a day once they cannot.
pub fn cacheable_for(age_ms: u64) -> Option<u32> {
    (age_ms >= COALESCE_MS + 500).then_some(86_400)
}

/// Whether a version written at `written_ms` must be written again at `now_ms`.
pub fn needs_write(written_ms: Option<u64>, now_ms: u64) -> bool {
    written_ms.is_none_or(|written| now_ms.saturating_sub(written) >= COALESCE_MS)
}

/// The version of a scope: the time it was last written, in milliseconds
/// (of several councils, the latest: any write moves it, as it is a later time).
pub async fn current(env: &Env, scope: &Scope) -> Option<u64> {
    let kv = env.kv("CACHE").ok()?;
    let reads = scope.keys().into_iter().map(|key| {
        let kv = &kv;
        async move { kv.get(&key).text().await.ok().flatten().and_then(|v| v.parse::<u64>().ok()) }
    });
    futures_util::future::join_all(reads).await.into_iter().flatten().max()
}

/// Marks a council's cached pages (and the pages across councils) stale.
/// Failures only cost freshness, never data, so they are logged.
pub async fn bump(env: &Env, council_id: &str) {
    let now = crate::time::now_utc().timestamp_millis() as u64;
    for scope in [Scope::Council(council_id.to_string()), Scope::AllCouncils] {
        if !needs_write(current(env, &scope).await, now) {
            continue;
        }
        let key = scope.keys().remove(0);
        let result = match env.kv("CACHE") {
            Ok(kv) => match kv.put(&key, now.to_string()) {
                Ok(put) => put.execute().await.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(e.to_string()),
        };
        if let Err(error) = result {
            worker::console_error!("could not bump the data version of {scope:?}: {error}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_within_a_second_are_folded_into_one_write() {
        assert!(needs_write(None, 5_000));
        assert!(!needs_write(Some(5_000), 5_999));
        assert!(needs_write(Some(5_000), 6_000));
    }

    #[test]
    fn pages_rendered_while_changes_may_still_fold_in_are_not_kept() {
        assert_eq!(cacheable_for(0), None);
        assert_eq!(cacheable_for(1_499), None);
        assert_eq!(cacheable_for(1_500), Some(86_400));
    }

    #[test]
    fn each_council_has_its_own_key() {
        assert_ne!(Scope::Council("a".into()).keys(), Scope::Council("b".into()).keys());
        assert_ne!(Scope::Council("a".into()).keys(), Scope::AllCouncils.keys());
    }
}

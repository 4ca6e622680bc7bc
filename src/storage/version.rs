//! The data version in KV: bumped after every write that changes what pages
//! show, and part of every edge-cache key, so cached pages never outlive the data.

use worker::Env;

const KEY: &str = "data-version";

pub async fn current(env: &Env) -> String {
    match env.kv("CACHE") {
        Ok(kv) => kv.get(KEY).text().await.ok().flatten().unwrap_or_else(|| "0".to_string()),
        Err(_) => "0".to_string(),
    }
}

/// Marks cached pages stale. Failures only cost freshness, never data, so they are logged.
pub async fn bump(env: &Env) {
    let version = crate::time::now_utc().timestamp_millis().to_string();
    let result = match env.kv("CACHE") {
        Ok(kv) => match kv.put(KEY, version) {
            Ok(put) => put.execute().await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(e.to_string()),
    };
    if let Err(error) = result {
        worker::console_error!("could not bump the data version: {error}");
    }
}

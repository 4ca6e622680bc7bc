//! Postcode look-ups for the site worker: the postcode service (postcodes.io
//! or any service answering as it does, at `POSTCODES_BASE_URL`) asked with a
//! timeout, answers kept in KV (postcodes change rarely), failures never kept.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use worker::Env;

use crate::lookup::councils::{governing, CouncilKind, CouncilRef};
use crate::lookup::postcode::Postcode;
use crate::lookup::postcodes_io::{parse_outcode, parse_postcode, Areas, LookupError};
use crate::storage::CouncilRow;

const DEFAULT_BASE_URL: &str = "https://api.postcodes.io";
const TIMEOUT_MS: u64 = 5_000;
/// An answer about one postcode is a few kilobytes; more is not read.
const MAX_ANSWER_BYTES: usize = 512 * 1024;
/// How long an answer is kept: areas for 30 days, "no such postcode" for one.
const KEEP_FOUND_SECONDS: u64 = 30 * 86_400;
const KEEP_UNKNOWN_SECONDS: u64 = 86_400;
const KV_TRIES: usize = 3;

#[derive(Serialize, Deserialize)]
enum Kept {
    Found(Areas),
    Unknown,
}

fn cache_key(postcode: &Postcode) -> String {
    let kind = if matches!(postcode, Postcode::Outcode(_)) { "outcode" } else { "postcode" };
    format!("{kind}:v1:{}", postcode.as_str().replace(' ', ""))
}

/// The areas a postcode lies in, from KV when it was looked up before.
pub async fn look_up(env: &Env, postcode: &Postcode) -> Result<Areas, LookupError> {
    let kv = env.kv("CACHE").ok();
    let key = cache_key(postcode);
    if let Some(kv) = &kv {
        // KV errors are transient: asked again before the service is asked instead.
        for _ in 0..KV_TRIES {
            match kv.get(&key).json::<Kept>().await {
                Ok(Some(Kept::Found(areas))) => return Ok(areas),
                Ok(Some(Kept::Unknown)) => return Err(LookupError::NotFound),
                Ok(None) => break,
                Err(_) => continue,
            }
        }
    }
    let answer = ask_service(env, postcode).await;
    let kept = match &answer {
        Ok(areas) => Some((Kept::Found(areas.clone()), KEEP_FOUND_SECONDS)),
        Err(LookupError::NotFound) => Some((Kept::Unknown, KEEP_UNKNOWN_SECONDS)),
        Err(LookupError::Service(_)) => None,
    };
    if let (Some(kv), Some((kept, ttl))) = (&kv, kept) {
        // A failure to keep the answer only costs a later look-up; it is tried a few times.
        let value = serde_json::to_string(&kept).unwrap_or_default();
        for _ in 0..KV_TRIES {
            let Ok(put) = kv.put(&key, value.as_str()) else { break };
            if put.expiration_ttl(ttl).execute().await.is_ok() {
                break;
            }
        }
    }
    answer
}

async fn ask_service(env: &Env, postcode: &Postcode) -> Result<Areas, LookupError> {
    let base = env
        .var("POSTCODES_BASE_URL")
        .map(|v| v.to_string())
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    type Parse = fn(u16, &str) -> Result<Areas, LookupError>;
    let (path, parse): (&str, Parse) = match postcode {
        Postcode::Full(_) => ("postcodes", parse_postcode),
        Postcode::Outcode(_) => ("outcodes", parse_outcode),
    };
    // Normalised postcodes are letters, digits and one space.
    let url = format!("{}/{path}/{}", base.trim_end_matches('/'), postcode.as_str().replace(' ', "%20"));
    match crate::net::call_with_timeout(&url, &[], None, TIMEOUT_MS, MAX_ANSWER_BYTES).await {
        Ok(answer) => parse(answer.status, &answer.body),
        Err(error) => Err(LookupError::Service(error.to_string())),
    }
}

/// The current councillors of the postcode's ward, from the councils' own
/// lists (`COUNCIL_COUNCILLORS` rows per council), matched by ward name.
pub fn ward_councillors(origin: &str, areas: &Areas, lists: &[(String, Vec<Value>)]) -> Vec<Value> {
    let mut found = Vec::new();
    for (council_id, rows) in lists {
        for row in rows {
            let ward = row["ward"].as_str().unwrap_or_default();
            let current = row["former_since"].is_null();
            if current && areas.wards.iter().any(|w| crate::lookup::councils::same_ward(&w.name, ward)) {
                found.push(json!({
                    "id": row["id"], "name": row["name"], "party": row["party"], "ward": ward,
                    "council_id": council_id, "url": format!("{origin}/councillors/{}", row["id"].as_str().unwrap_or_default()),
                }));
            }
        }
    }
    found
}

/// The councils and wards of a look-up, as the API answers them.
pub fn answer(origin: &str, postcode: &Postcode, areas: &Areas, councils: &[CouncilRow]) -> Value {
    let registry: Vec<CouncilRef> = councils
        .iter()
        .map(|c| CouncilRef { id: c.id.clone(), name: c.name.clone(), gss_code: c.gss_code.clone() })
        .collect();
    let found: Vec<Value> = governing(areas, &registry)
        .into_iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.name,
                "kind": CouncilKind::of(c.gss_code.as_deref()),
                "gss_code": c.gss_code,
                "url": format!("{origin}/councils/{}", c.id),
            })
        })
        .collect();
    json!({
        "postcode": postcode.as_str(),
        "outcode": matches!(postcode, Postcode::Outcode(_)),
        "councils": found,
        "wards": areas.wards,
    })
}

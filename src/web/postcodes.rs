//! Postcode look-ups for the site worker: the postcode service (postcodes.io
//! or any service answering as it does, at `POSTCODES_BASE_URL`) asked with a
//! timeout, answers kept in KV (postcodes change rarely), failures never kept.

use serde::{Deserialize, Serialize};
use worker::{Env, Response};

use super::pages;
use super::reply::{html_page, problem, render, Refusal, Reply};

use crate::lookup::councils::{governing, CouncilKind, CouncilRef};
use crate::lookup::postcode::Postcode;
use crate::lookup::postcodes_io::{parse_outcode, parse_postcode, Areas, LookupError};
use crate::storage::rows::Councillor;
use crate::storage::CouncilRow;

const DEFAULT_BASE_URL: &str = "https://api.postcodes.io";
const TIMEOUT_MS: u64 = 5_000;
/// An answer about one postcode is a few kilobytes; more is not read.
const MAX_ANSWER_BYTES: usize = 512 * 1024;
/// How long an answer is kept: areas for 30 days, "no such postcode" for one.
const KEEP_FOUND_SECONDS: u64 = 30 * 86_400;
const KEEP_UNKNOWN_SECONDS: u64 = 86_400;
const KV_TRIES: u32 = 3;

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
        for attempt in 0..KV_TRIES {
            match kv.get(&key).json::<Kept>().await {
                Ok(Some(Kept::Found(areas))) => return Ok(areas),
                Ok(Some(Kept::Unknown)) => return Err(LookupError::NotFound),
                Ok(None) => break,
                Err(error) => {
                    worker::console_error!("postcode {key} from KV (try {}): {error}", attempt + 1);
                    pause(attempt).await;
                }
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
        for attempt in 0..KV_TRIES {
            let Ok(put) = kv.put(&key, value.as_str()) else { break };
            match put.expiration_ttl(ttl).execute().await {
                Ok(()) => break,
                Err(error) => {
                    worker::console_error!("postcode {key} kept in KV (try {}): {error}", attempt + 1);
                    pause(attempt).await;
                }
            }
        }
    }
    answer
}

/// A pause before KV is tried again (a busy moment passes): 50 ms, then 100, 200.
async fn pause(attempt: u32) {
    #[cfg(target_arch = "wasm32")]
    worker::Delay::from(std::time::Duration::from_millis(50 << attempt.min(3))).await;
    #[cfg(not(target_arch = "wasm32"))]
    let _ = attempt;
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
pub fn ward_councillors(origin: &str, areas: &Areas, lists: &[(String, Vec<Councillor>)]) -> Vec<WardCouncillor> {
    let mut found = Vec::new();
    for (council_id, rows) in lists {
        for row in rows {
            let ward = row.ward.clone().unwrap_or_default();
            let current = row.former_since.is_none();
            if current && areas.wards.iter().any(|w| crate::lookup::councils::same_ward(&w.name, &ward)) {
                found.push(WardCouncillor {
                    id: row.id.clone(),
                    name: row.name.clone(),
                    party: row.party.clone(),
                    ward,
                    council_id: council_id.clone(),
                    url: format!("{origin}/councillors/{}", row.id),
                });
            }
        }
    }
    found
}

/// A councillor of the postcode's ward, as the API answers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WardCouncillor {
    pub id: String,
    pub name: String,
    pub party: Option<String>,
    pub ward: String,
    pub council_id: String,
    pub url: String,
}

/// A council that governs a postcode's area, as the API answers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoverningCouncil {
    pub id: String,
    pub name: String,
    pub kind: CouncilKind,
    pub gss_code: Option<String>,
    pub url: String,
}

/// The councils and wards of a look-up, as the API answers them (with the
/// ward's councillors once they are read).
#[derive(Debug, Clone, Serialize)]
pub struct PostcodeAnswer {
    pub postcode: String,
    pub outcode: bool,
    pub councils: Vec<GoverningCouncil>,
    pub wards: Vec<crate::lookup::postcodes_io::Area>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub councillors: Option<Vec<WardCouncillor>>,
}

pub fn answer(origin: &str, postcode: &Postcode, areas: &Areas, councils: &[CouncilRow]) -> PostcodeAnswer {
    let registry: Vec<CouncilRef> = councils
        .iter()
        .map(|c| CouncilRef { id: c.id.clone(), name: c.name.clone(), gss_code: c.gss_code.clone() })
        .collect();
    let councils = governing(areas, &registry)
        .into_iter()
        .map(|c| GoverningCouncil {
            kind: CouncilKind::of(c.gss_code.as_deref()),
            url: format!("{origin}/councils/{}", c.id),
            id: c.id.clone(),
            name: c.name.clone(),
            gss_code: c.gss_code.clone(),
        })
        .collect();
    PostcodeAnswer {
        postcode: postcode.as_str().to_string(),
        outcode: matches!(postcode, Postcode::Outcode(_)),
        councils,
        wards: areas.wards.clone(),
        councillors: None,
    }
}

/// The councillors of a postcode's ward, from the lists of the councils that
/// govern it (wards are the district's or unitary council's; a county's
/// divisions are not in the postcode answer).
async fn your_councillors(
    store: &crate::storage::Store,
    origin: &str,
    areas: &Areas,
    answer: &PostcodeAnswer,
) -> worker::Result<Vec<WardCouncillor>> {
    let mut lists = Vec::new();
    for council in answer.councils.iter().filter(|c| c.kind != CouncilKind::County) {
        let rows = store.council_councillors(&council.id).await?;
        lists.push((council.id.clone(), rows));
    }
    Ok(ward_councillors(origin, areas, &lists))
}

/// `/postcode?q=`: the councils, ward and councillors for a postcode typed into the home page.
pub async fn page(reply: &Reply<'_>) -> worker::Result<Response> {
    let query = reply.query("q").unwrap_or_default();
    let mut page = pages::PostcodePage {
        canonical: reply.canonical.clone(),
        search_query: String::new(),
        query: query.clone(),
        postcode: String::new(),
        councils: Vec::new(),
        wards: Vec::new(),
        councillors: Vec::new(),
        message: None,
    };
    if query.trim().is_empty() {
        return reply.page(&page);
    }
    let Some(postcode) = crate::lookup::postcode::parse(&query) else {
        page.message = Some("That is not a UK postcode. Try one like CV1 5RR, or the first half, like CV1.".into());
        return html_page(render(&page)?, 400);
    };
    page.postcode = postcode.as_str().to_string();
    match look_up(reply.env, &postcode).await {
        Ok(areas) => {
            let answer = answer(&reply.origin, &postcode, &areas, &reply.store.councils().await?);
            page.councillors = your_councillors(&reply.store, &reply.origin, &areas, &answer)
                .await?
                .into_iter()
                .map(|c| pages::CouncillorLink { id: c.id, name: c.name, party: c.party.unwrap_or_default() })
                .collect();
            page.councils = answer
                .councils
                .into_iter()
                .map(|c| pages::PostcodeCouncil { id: c.id, name: c.name, kind: c.kind.singular() })
                .collect();
            page.wards = areas.wards.iter().map(|w| w.name.clone()).collect();
            if page.councils.is_empty() {
                page.message = Some("We do not know the councils for that postcode yet.".into());
            }
            reply.page(&page)
        }
        Err(LookupError::NotFound) => {
            page.message = Some(format!("{} is not a postcode we can find.", page.postcode));
            html_page(render(&page)?, 404)
        }
        Err(error) => {
            worker::console_error!("postcode look-up: {error}");
            page.message = Some("The postcode service is not answering just now. Please try again later.".into());
            let response = html_page(render(&page)?, 503)?;
            response.headers().set("Retry-After", "60")?;
            Ok(response)
        }
    }
}

/// `/api/v1/postcodes/{postcode}`.
pub async fn api(reply: &Reply<'_>, typed: String) -> worker::Result<Response> {
    let Some(postcode) = crate::lookup::postcode::parse(&typed) else {
        return reply.bad_request("not a UK postcode or outcode (such as CV1 5RR or CV1)");
    };
    match look_up(reply.env, &postcode).await {
        Ok(areas) => {
            let mut answer = answer(&reply.origin, &postcode, &areas, &reply.store.councils().await?);
            answer.councillors = Some(your_councillors(&reply.store, &reply.origin, &areas, &answer).await?);
            reply.json(&answer)
        }
        Err(LookupError::NotFound) => problem(404, "Not Found", &format!("no postcode {} is known", postcode.as_str())),
        Err(error) => {
            worker::console_error!("postcode look-up: {error}");
            reply.refuse(Refusal::Unavailable(
                "the postcode service is not answering; try again later, or choose from /api/v1/councils".into(),
                "The postcode service is not answering just now. Please try again later.".into(),
            ))
        }
    }
}

//! URL → route, with no runtime types, so routing is tested natively.

use chrono::NaiveDate;

use crate::storage::version::Scope;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Health,
    About,
    Search,
    CouncilPage(String),
    CommitteePage(String, String),
    WeekPage(String, String),
    CouncilFeed(String, Option<String>),
    CouncilCalendar(String, Option<String>),
    MeetingPage(String),
    ApiSearch,
    ApiMeetings,
    ApiCommittees(String),
    ApiOpenApi,
    ApiCouncils,
    ApiCouncil(String),
    ApiCouncilMeetings(String),
    ApiMeeting(String),
    ApiDocument(String),
    ApiWeek(String, String),
    DecisionsPage(String),
    ApiDecisions(String),
    DecisionPage(String),
    ApiDecision(String),
    CouncillorsPage(String),
    ApiCouncillors(String),
    CouncillorPage(String),
    ApiCouncillor(String),
    /// The councils for a postcode typed into the home page (`?q=`).
    PostcodePage,
    /// The councils for a postcode or outcode, as typed (percent-encoded).
    ApiPostcode(String),
    /// The Model Context Protocol endpoint (JSON-RPC over POST).
    Mcp,
    /// The email alerts form for a council (GET) and a subscription request (POST).
    AlertsForm(String),
    Subscribe(String),
    /// Signed-link pages: GET shows a button, POST acts.
    AlertsConfirm,
    AlertsManage,
    AlertsUnsubscribe,
    /// POST: delete everything about the address.
    AlertsDelete,
    AdminDigest(String),
    AdminRegisterCouncil,
    AdminScrape(String),
    AdminStatus,
    /// The fault points that have fired (tests of recovery).
    AdminFaults,
    AdminRun(String),
    AdminBenchParse,
    AdminBenchPdf,
    /// GET: the webhook endpoints; POST: register one.
    AdminWebhooks,
    AdminWebhookDeliveries(String),
    AdminWebhookReplay(String),
    /// GET: integrators' API keys; POST: issue one.
    AdminApiKeys,
    AdminApiKeyRevoke(String),
    /// An API key's own webhook endpoints: GET lists, POST registers.
    ApiWebhooks,
    /// DELETE: remove one of the key's endpoints.
    ApiWebhook(String),
    ApiWebhookDeliveries(String),
    NotFound,
    MethodNotAllowed,
}

/// Which data version a cached public read depends on: the council whose data
/// it shows, or the data of every council. A record's id begins with its
/// council's id, which may itself hold `-`, so the council is read from the
/// id by the grammar of the ids the code makes for that kind of record
/// (`storage::records`); an id that reads two ways depends on both councils.
pub fn cache_scope(route: &Route) -> Scope {
    let of = |kind: IdKind, id: &str| {
        let mut councils = councils_of(kind, id);
        match councils.len() {
            0 => Scope::AllCouncils,
            1 => Scope::Council(councils.remove(0)),
            _ => Scope::OneOf(councils),
        }
    };
    match route {
        Route::CouncilPage(id)
        | Route::CommitteePage(id, _)
        | Route::WeekPage(id, _)
        | Route::CouncilFeed(id, _)
        | Route::CouncilCalendar(id, _)
        | Route::ApiCommittees(id)
        | Route::ApiCouncil(id)
        | Route::ApiCouncilMeetings(id)
        | Route::ApiWeek(id, _)
        | Route::CouncillorsPage(id)
        | Route::ApiCouncillors(id)
        | Route::DecisionsPage(id)
        | Route::ApiDecisions(id) => Scope::Council(id.clone()),
        Route::MeetingPage(id) | Route::ApiMeeting(id) => of(IdKind::Meeting, id),
        Route::ApiDocument(id) => of(IdKind::Document, id),
        Route::CouncillorPage(id) | Route::ApiCouncillor(id) => of(IdKind::Person, id),
        Route::DecisionPage(id) | Route::ApiDecision(id) => of(IdKind::Decision, id),
        _ => Scope::AllCouncils,
    }
}

/// The kinds of record a public read names by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// `<council>-<meeting>`
    Meeting,
    /// `<council>-a<attachment>`, `<council>-u<12 hex>`, CMIS `<council>-ac<meeting>-<12 hex>[-<n>]`,
    /// a decision's `<council>-d<decision>-u<12 hex>`
    Document,
    /// `<council>-m<member>`
    Person,
    /// `<council>-d<decision>`
    Decision,
}

/// Every council an id of `kind` may belong to: each prefix before a `-`
/// whose rest is an id of that kind.
pub fn councils_of(kind: IdKind, id: &str) -> Vec<String> {
    id.match_indices('-')
        .filter(|(at, _)| *at > 0 && is_rest_of(kind, &id[at + 1..]))
        .map(|(at, _)| id[..at].to_string())
        .collect()
}

fn is_rest_of(kind: IdKind, rest: &str) -> bool {
    let word = |text: &str| !text.is_empty() && !text.contains('-');
    let hex12 = |text: &str| text.len() == 12 && text.bytes().all(|b| b.is_ascii_hexdigit());
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let prefixed = |prefix: char| rest.strip_prefix(prefix).is_some_and(word);
    match kind {
        IdKind::Meeting => word(rest),
        IdKind::Person => prefixed('m'),
        IdKind::Decision => prefixed('d'),
        IdKind::Document => {
            let cmis = rest.strip_prefix("ac").and_then(|r| r.split_once('-')).is_some_and(|(meeting, key)| {
                digits(meeting)
                    && match key.split_once('-') {
                        Some((hash, n)) => hex12(hash) && digits(n),
                        None => hex12(key),
                    }
            });
            let decision = rest
                .strip_prefix('d')
                .and_then(|r| r.split_once("-u"))
                .is_some_and(|(decision, hash)| word(decision) && hex12(hash));
            prefixed('a') || rest.strip_prefix('u').is_some_and(hex12) || cmis || decision
        }
    }
}

/// How long browsers and shared caches may reuse a public read. Pages that
/// only change with a release are kept for a day; feeds and calendars, which
/// readers poll, for a quarter of an hour; the rest for a minute, served stale
/// for five while revalidating (the ETag makes that a 304).
pub fn browser_cache(route: &Route) -> &'static str {
    match route {
        Route::About | Route::ApiOpenApi => "public, max-age=86400, stale-while-revalidate=604800",
        Route::CouncilFeed(..) | Route::CouncilCalendar(..) => "public, max-age=900, stale-while-revalidate=3600",
        _ => "public, max-age=60, stale-while-revalidate=300",
    }
}

/// The query parameters public reads understand.
const PUBLIC_PARAMETERS: &[&str] =
    &["committee", "council", "cursor", "from", "key", "limit", "maker", "q", "status", "to"];

/// The query as part of a cache key: only parameters public reads understand,
/// in one order, so `?x=random` or a reordering cannot make a page miss the cache.
pub fn cache_key_query(query: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(name, _)| PUBLIC_PARAMETERS.contains(&name.as_ref()))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        return String::new();
    }
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    serializer.extend_pairs(pairs);
    format!("?{}", serializer.finish())
}

fn is_id(segment: &str) -> bool {
    !segment.is_empty()
        && segment.len() <= 128
        && segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub fn route(method: &str, path: &str) -> Route {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    let get = method == "GET" || method == "HEAD";
    let post = method == "POST";
    let expect = |ok: bool, route: Route| if ok { route } else { Route::MethodNotAllowed };
    match segments.as_slice() {
        [] => expect(get, Route::Home),
        ["healthz"] => expect(get, Route::Health),
        ["about"] => expect(get, Route::About),
        ["search"] => expect(get, Route::Search),
        ["councils", id] if is_id(id) => expect(get, Route::CouncilPage(id.to_string())),
        ["councils", id, "feed.xml"] if is_id(id) => expect(get, Route::CouncilFeed(id.to_string(), None)),
        ["councils", id, "meetings.ics"] if is_id(id) => expect(get, Route::CouncilCalendar(id.to_string(), None)),
        ["councils", id, "committees", committee] if is_id(id) && is_id(committee) => {
            expect(get, Route::CommitteePage(id.to_string(), committee.to_string()))
        }
        ["councils", id, "committees", committee, "feed.xml"] if is_id(id) && is_id(committee) => {
            expect(get, Route::CouncilFeed(id.to_string(), Some(committee.to_string())))
        }
        ["councils", id, "committees", committee, "meetings.ics"] if is_id(id) && is_id(committee) => {
            expect(get, Route::CouncilCalendar(id.to_string(), Some(committee.to_string())))
        }
        ["councils", id, "weeks", week] if is_id(id) && crate::time::parse_iso_week(week).is_some() => {
            expect(get, Route::WeekPage(id.to_string(), week.to_string()))
        }
        ["api", "v1", "search"] => expect(get, Route::ApiSearch),
        ["postcode"] => expect(get, Route::PostcodePage),
        ["councils", id, "decisions"] if is_id(id) => expect(get, Route::DecisionsPage(id.to_string())),
        ["api", "v1", "councils", id, "decisions"] if is_id(id) => expect(get, Route::ApiDecisions(id.to_string())),
        ["decisions", id] if is_id(id) => expect(get, Route::DecisionPage(id.to_string())),
        ["api", "v1", "decisions", id] if is_id(id) => expect(get, Route::ApiDecision(id.to_string())),
        ["councils", id, "councillors"] if is_id(id) => expect(get, Route::CouncillorsPage(id.to_string())),
        ["api", "v1", "councils", id, "councillors"] if is_id(id) => expect(get, Route::ApiCouncillors(id.to_string())),
        ["councillors", id] if is_id(id) => expect(get, Route::CouncillorPage(id.to_string())),
        ["api", "v1", "councillors", id] if is_id(id) => expect(get, Route::ApiCouncillor(id.to_string())),
        ["api", "v1", "postcodes", postcode] if postcode.len() <= 32 => {
            expect(get, Route::ApiPostcode(percent_decode(postcode)))
        }
        ["api", "v1", "meetings"] => expect(get, Route::ApiMeetings),
        ["mcp"] => expect(post, Route::Mcp),
        ["councils", id, "alerts"] if is_id(id) && post => Route::Subscribe(id.to_string()),
        ["councils", id, "alerts"] if is_id(id) => expect(get, Route::AlertsForm(id.to_string())),
        ["alerts", "confirm"] => expect(get || post, Route::AlertsConfirm),
        ["alerts", "manage"] => expect(get || post, Route::AlertsManage),
        ["alerts", "unsubscribe"] => expect(get || post, Route::AlertsUnsubscribe),
        ["alerts", "delete"] => expect(post, Route::AlertsDelete),
        ["api", "v1", "openapi.json"] => expect(get, Route::ApiOpenApi),
        ["api", "v1", "councils", id, "committees"] if is_id(id) => expect(get, Route::ApiCommittees(id.to_string())),
        ["meetings", id] if is_id(id) => expect(get, Route::MeetingPage(id.to_string())),
        ["api", "v1", "councils"] => expect(get, Route::ApiCouncils),
        ["api", "v1", "councils", id] if is_id(id) => expect(get, Route::ApiCouncil(id.to_string())),
        ["api", "v1", "councils", id, "meetings"] if is_id(id) => {
            expect(get, Route::ApiCouncilMeetings(id.to_string()))
        }
        ["api", "v1", "meetings", id] if is_id(id) => expect(get, Route::ApiMeeting(id.to_string())),
        ["api", "v1", "documents", id] if is_id(id) => expect(get, Route::ApiDocument(id.to_string())),
        ["api", "v1", "councils", id, "weeks", week] if is_id(id) && crate::time::parse_iso_week(week).is_some() => {
            expect(get, Route::ApiWeek(id.to_string(), week.to_string()))
        }
        ["admin", "councils", id, "digest"] if is_id(id) => expect(post, Route::AdminDigest(id.to_string())),
        ["admin", "councils"] => expect(post, Route::AdminRegisterCouncil),
        ["admin", "councils", id, "scrape"] if is_id(id) => expect(post, Route::AdminScrape(id.to_string())),
        ["admin", "status"] => expect(get, Route::AdminStatus),
        ["admin", "faults"] => expect(get, Route::AdminFaults),
        ["admin", "runs", id] if is_id(id) => expect(get, Route::AdminRun(id.to_string())),
        ["admin", "bench", "parse"] => expect(post, Route::AdminBenchParse),
        ["admin", "bench", "pdf"] => expect(post, Route::AdminBenchPdf),
        ["admin", "webhooks"] => expect(get || post, Route::AdminWebhooks),
        ["admin", "webhooks", id, "deliveries"] if is_id(id) => {
            expect(get, Route::AdminWebhookDeliveries(id.to_string()))
        }
        ["admin", "webhooks", "deliveries", id, "replay"] if is_id(id) => {
            expect(post, Route::AdminWebhookReplay(id.to_string()))
        }
        ["admin", "api-keys"] => expect(get || post, Route::AdminApiKeys),
        ["admin", "api-keys", id, "revoke"] if is_id(id) => expect(post, Route::AdminApiKeyRevoke(id.to_string())),
        ["api", "v1", "webhooks"] => expect(get || post, Route::ApiWebhooks),
        ["api", "v1", "webhooks", id] if is_id(id) => expect(method == "DELETE", Route::ApiWebhook(id.to_string())),
        ["api", "v1", "webhooks", id, "deliveries"] if is_id(id) => {
            expect(get, Route::ApiWebhookDeliveries(id.to_string()))
        }
        _ => Route::NotFound,
    }
}

impl Route {
    /// Routes only the ingest worker answers.
    pub fn is_admin(&self) -> bool {
        matches!(
            self,
            Route::AdminDigest(_)
                | Route::AdminRegisterCouncil
                | Route::AdminScrape(_)
                | Route::AdminStatus
                | Route::AdminFaults
                | Route::AdminRun(_)
                | Route::AdminBenchParse
                | Route::AdminBenchPdf
                | Route::AdminWebhooks
                | Route::AdminWebhookDeliveries(_)
                | Route::AdminWebhookReplay(_)
                | Route::AdminApiKeys
                | Route::AdminApiKeyRevoke(_)
        )
    }
}

fn is_admin_path(path: &str) -> bool {
    path.trim_start_matches('/').split('/').next() == Some("admin")
}

/// A route of the site worker: admin paths do not exist there.
pub fn site_route(method: &str, path: &str) -> Route {
    match route(method, path) {
        found if found.is_admin() => Route::NotFound,
        Route::MethodNotAllowed if is_admin_path(path) => Route::NotFound,
        found => found,
    }
}

/// A route of the ingest worker: the admin routes and the health check only.
pub fn ingest_route(method: &str, path: &str) -> Route {
    match route(method, path) {
        found @ Route::Health => found,
        found if found.is_admin() => found,
        Route::MethodNotAllowed if is_admin_path(path) => Route::MethodNotAllowed,
        _ => Route::NotFound,
    }
}

/// The longest date range a list of meetings answers, so that every list
/// read is bounded by the date index as well as by its LIMIT.
pub const MAX_RANGE_DAYS: i64 = 366;

/// The dates a meetings list covers: `from` and `to` as given, a missing end
/// filled so the window keeps the default's length, both missing the default.
/// A longer range is cut to `MAX_RANGE_DAYS` from `from` (the answer states
/// the dates it covers, so a client sees the cut and asks for the rest); a
/// range that ends before it starts covers nothing. Answers the client's
/// mistake as a message for a 400.
pub fn date_window(
    from: Option<&str>,
    to: Option<&str>,
    default: (NaiveDate, NaiveDate),
) -> Result<(NaiveDate, NaiveDate), String> {
    let parse = |text: &str| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| "from and to must be dates as YYYY-MM-DD".to_string())
    };
    let span = default.1 - default.0;
    let (from, to) = match (from.map(parse).transpose()?, to.map(parse).transpose()?) {
        (Some(from), Some(to)) => (from, to),
        (Some(from), None) => (from, from + span),
        (None, Some(to)) => (to - span, to),
        (None, None) => default,
    };
    let longest = from.checked_add_signed(chrono::Duration::days(MAX_RANGE_DAYS)).unwrap_or(NaiveDate::MAX);
    Ok((from, to.min(longest)))
}

/// `limit` (1 to `max`, else `default`) and `cursor` (a position this API gave out).
pub fn page_params(query: Option<&str>, default: usize, max: usize) -> Result<(usize, (String, String)), String> {
    let limit = match query_value(query, "limit").map(|l| l.parse::<usize>()) {
        None => default,
        Some(Ok(n)) if (1..=max).contains(&n) => n,
        Some(_) => return Err(format!("limit must be a number from 1 to {max}")),
    };
    let cursor = match query_value(query, "cursor") {
        None => (String::new(), String::new()),
        Some(c) => parse_cursor(&c).ok_or_else(|| "cursor is not one this API gave out".to_string())?,
    };
    Ok((limit, cursor))
}

/// Cuts a page fetched with one extra row to `limit`, and answers the cursor
/// of the next page when there is one.
pub fn next_page(rows: &mut Vec<serde_json::Value>, limit: usize) -> Option<String> {
    if rows.len() <= limit {
        return None;
    }
    rows.truncate(limit);
    let last = rows.last()?;
    Some(format!("{}~{}", last["local_date"].as_str().unwrap_or_default(), last["id"].as_str().unwrap_or_default()))
}

/// A page position in the meetings list: the last (date, id) seen, as `date~id`.
pub fn parse_cursor(cursor: &str) -> Option<(String, String)> {
    let (date, id) = cursor.split_once('~')?;
    // Only compared as text against stored dates, so the shape is what matters.
    let shaped = date.len() == 10
        && date.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    (shaped && is_id(id)).then(|| (date.to_string(), id.to_string()))
}

/// The value of a query parameter in a URL's query string (already split off).
pub fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| percent_decode(&value.replace('+', " ")))
}

/// Decodes %XX escapes; invalid sequences are kept as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && text.is_char_boundary(i + 3) {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn rarely_changing_pages_are_kept_longer() {
        let max_age = |path: &str| {
            let policy = browser_cache(&site_route("GET", path));
            policy.split("max-age=").nth(1).unwrap().split(',').next().unwrap().parse::<u32>().unwrap()
        };
        assert_eq!(max_age("/about"), 86400);
        assert_eq!(max_age("/api/v1/openapi.json"), 86400);
        assert_eq!(max_age("/councils/coventry/feed.xml"), 900);
        assert_eq!(max_age("/councils/coventry/meetings.ics"), 900);
        assert_eq!(max_age("/councils/coventry"), 60);
        assert_eq!(max_age("/meetings/coventry-1"), 60);
    }

    #[test]
    fn date_windows_are_capped_and_filled() {
        let default = (day("2026-10-31"), day("2026-12-26"));
        assert_eq!(date_window(None, None, default), Ok(default));
        assert_eq!(date_window(Some("2026-01-01"), None, default), Ok((day("2026-01-01"), day("2026-02-26"))));
        assert_eq!(date_window(None, Some("2026-02-26"), default), Ok((day("2026-01-01"), day("2026-02-26"))));
        assert_eq!(
            date_window(Some("2025-01-01"), Some("2026-01-02"), default),
            Ok((day("2025-01-01"), day("2026-01-02")))
        );
        // Longer ranges are cut to 366 days from `from`.
        assert_eq!(
            date_window(Some("2025-01-01"), Some("2026-01-03"), default),
            Ok((day("2025-01-01"), day("2026-01-02")))
        );
        assert_eq!(
            date_window(Some("2000-01-01"), Some("2100-01-01"), default),
            Ok((day("2000-01-01"), day("2001-01-01")))
        );
        // A range that ends before it starts covers nothing.
        let (from, to) = date_window(Some("2026-02-01"), Some("2026-01-01"), default).unwrap();
        assert!(to < from);
        assert!(date_window(Some("yesterday"), None, default).unwrap_err().contains("YYYY-MM-DD"));
    }

    #[test]
    fn pages_carry_a_cursor_to_the_next() {
        assert_eq!(page_params(None, 50, 200), Ok((50, (String::new(), String::new()))));
        assert_eq!(page_params(Some("limit=200"), 50, 200).map(|p| p.0), Ok(200));
        assert!(page_params(Some("limit=201"), 50, 200).is_err());
        assert!(page_params(Some("limit=0"), 50, 200).is_err());
        assert!(page_params(Some("cursor=garbage"), 50, 200).is_err());
        let mut rows: Vec<serde_json::Value> = (1..=3)
            .map(|n| serde_json::json!({"local_date": format!("2026-01-0{n}"), "id": format!("x-{n}")}))
            .collect();
        assert_eq!(next_page(&mut rows.clone(), 3), None);
        let next = next_page(&mut rows, 2).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(parse_cursor(&next), Some(("2026-01-02".to_string(), "x-2".to_string())));
    }

    #[test]
    fn alert_routes_take_the_methods_they_act_on() {
        assert_eq!(site_route("GET", "/councils/kent/alerts"), Route::AlertsForm("kent".into()));
        assert_eq!(site_route("POST", "/councils/kent/alerts"), Route::Subscribe("kent".into()));
        assert_eq!(site_route("POST", "/alerts/unsubscribe"), Route::AlertsUnsubscribe);
        assert_eq!(site_route("GET", "/alerts/confirm"), Route::AlertsConfirm);
        assert_eq!(site_route("GET", "/alerts/delete"), Route::MethodNotAllowed);
        assert_eq!(site_route("DELETE", "/alerts/manage"), Route::MethodNotAllowed);
        assert_eq!(ingest_route("POST", "/councils/kent/alerts"), Route::NotFound);
    }

    #[test]
    fn integrators_manage_their_own_webhooks_on_the_site() {
        assert_eq!(site_route("POST", "/api/v1/webhooks"), Route::ApiWebhooks);
        assert_eq!(site_route("DELETE", "/api/v1/webhooks/ep_1"), Route::ApiWebhook("ep_1".into()));
        assert_eq!(site_route("GET", "/api/v1/webhooks/ep_1"), Route::MethodNotAllowed);
        assert_eq!(site_route("GET", "/api/v1/webhooks/ep_1/deliveries"), Route::ApiWebhookDeliveries("ep_1".into()));
        assert_eq!(site_route("POST", "/admin/api-keys"), Route::NotFound, "keys are issued on the ingest worker");
        assert_eq!(ingest_route("POST", "/admin/api-keys/key_1/revoke"), Route::AdminApiKeyRevoke("key_1".into()));
    }

    #[test]
    fn admin_routes_exist_only_on_the_ingest_worker() {
        for (method, path) in [
            ("GET", "/admin/status"),
            ("GET", "/admin/faults"),
            ("POST", "/admin/councils"),
            ("POST", "/admin/councils/coventry/scrape"),
            ("GET", "/admin/councils/coventry/scrape"),
        ] {
            assert_eq!(site_route(method, path), Route::NotFound, "{method} {path}");
            assert_ne!(ingest_route(method, path), Route::NotFound, "{method} {path}");
        }
        for path in ["/", "/councils/coventry", "/api/v1/councils", "/api/v1/search"] {
            assert_ne!(site_route("GET", path), Route::NotFound, "{path}");
            assert_eq!(ingest_route("GET", path), Route::NotFound, "{path}");
        }
        assert_eq!(site_route("GET", "/healthz"), Route::Health);
        assert_eq!(ingest_route("GET", "/healthz"), Route::Health);
        assert_eq!(ingest_route("GET", "/admin/councils/coventry/scrape"), Route::MethodNotAllowed);
    }

    use super::*;

    #[test]
    fn cached_reads_depend_on_their_council_only() {
        assert_eq!(cache_scope(&route("GET", "/councils/kent")), Scope::Council("kent".into()));
        assert_eq!(cache_scope(&route("GET", "/meetings/east-herts-4967")), Scope::Council("east-herts".into()));
        assert_eq!(cache_scope(&route("GET", "/api/v1/documents/kent-a60860")), Scope::Council("kent".into()));
        assert_eq!(cache_scope(&route("GET", "/api/v1/documents/kent-u3fed2e2c6a8f")), Scope::Council("kent".into()));
        assert_eq!(cache_scope(&route("GET", "/")), Scope::AllCouncils);
        assert_eq!(cache_scope(&route("GET", "/api/v1/meetings")), Scope::AllCouncils);
        // A decision's document and a CMIS document: the council, not a prefix of the id.
        // (A decision's document id also reads as a document of a council
        // `kirklees-d13567`; its pages move with either.)
        assert_eq!(
            cache_scope(&route("GET", "/api/v1/documents/kirklees-d13567-u3fed2e2c6a8f")),
            Scope::OneOf(vec!["kirklees".into(), "kirklees-d13567".into()])
        );
        assert_eq!(
            cache_scope(&route("GET", "/api/v1/documents/bham-ac15028-0a1b2c3d4e5f")),
            Scope::Council("bham".into())
        );
    }

    /// Every id form the code makes, for councils whose ids hold `-`: the
    /// scope always names the id's council, and reads two ways only where the
    /// id itself does.
    #[test]
    fn every_id_form_the_code_makes_names_its_council() {
        use crate::model::{Document, DocumentKind};
        use crate::storage::records::{document_id, meeting_id, person_id};
        use crate::storage::{decision_document_id, decision_id};
        let document = |source_id: Option<&str>| Document {
            source_id: source_id.map(str::to_string),
            url: "https://democracy.example.gov.uk/documents/s1/Report.pdf".into(),
            title: "Report".into(),
            kind: DocumentKind::ItemDocument,
            published_on: None,
            is_restricted: false,
        };
        for council in ["kent", "east-herts", "bath-and-north-east-somerset", "north-devon", "x-a1"] {
            let decision = decision_id(council, "13567");
            let ids = [
                (IdKind::Meeting, meeting_id(council, "4967")),
                (IdKind::Document, document_id(council, &document(Some("60860")))),
                (IdKind::Document, document_id(council, &document(None))),
                (IdKind::Document, document_id(council, &document(Some("c15028-0a1b2c3d4e5f")))),
                (IdKind::Document, document_id(council, &document(Some("c15028-0a1b2c3d4e5f-2")))),
                (IdKind::Document, decision_document_id(&decision, "https://democracy.example.gov.uk/r.pdf")),
                (IdKind::Person, person_id(council, "1726")),
                (IdKind::Decision, decision.clone()),
            ];
            for (kind, id) in ids {
                let councils = councils_of(kind, &id);
                assert!(councils.contains(&council.to_string()), "{id} ({kind:?}) names {councils:?}");
                let scope = cache_scope(&route(
                    "GET",
                    &match kind {
                        IdKind::Meeting => format!("/meetings/{id}"),
                        IdKind::Document => format!("/api/v1/documents/{id}"),
                        IdKind::Person => format!("/councillors/{id}"),
                        IdKind::Decision => format!("/decisions/{id}"),
                    },
                ));
                match scope {
                    Scope::Council(one) => assert_eq!(one, council, "{id}"),
                    Scope::OneOf(several) => assert!(several.contains(&council.to_string()), "{id}"),
                    Scope::AllCouncils => panic!("{id} has a council"),
                }
            }
        }
        // Where an id truly reads two ways, both councils are in its scope.
        assert_eq!(councils_of(IdKind::Document, "north-devon-u0123456789ab"), ["north", "north-devon"]);
    }

    #[test]
    fn cache_keys_ignore_unknown_parameters_and_their_order() {
        assert_eq!(cache_key_query(Some("x=random&q=budget")), "?q=budget");
        assert_eq!(
            cache_key_query(Some("to=2026-02-01&from=2026-01-01")),
            cache_key_query(Some("from=2026-01-01&to=2026-02-01"))
        );
        assert_eq!(cache_key_query(Some("utm_source=mail")), "");
        assert_eq!(cache_key_query(None), "");
        assert_eq!(cache_key_query(Some("q=a%20b&q=c")), "?q=a+b&q=c");
    }

    #[test]
    fn routes_pages_api_and_admin() {
        assert_eq!(route("GET", "/"), Route::Home);
        assert_eq!(route("GET", "/councils/coventry"), Route::CouncilPage("coventry".into()));
        assert_eq!(route("GET", "/api/v1/meetings/coventry-4967"), Route::ApiMeeting("coventry-4967".into()));
        assert_eq!(route("GET", "/api/v1/councils/coventry/meetings"), Route::ApiCouncilMeetings("coventry".into()));
        assert_eq!(route("POST", "/admin/councils/coventry/scrape"), Route::AdminScrape("coventry".into()));
        assert_eq!(route("GET", "/admin/councils/coventry/scrape"), Route::MethodNotAllowed);
        assert_eq!(route("DELETE", "/api/v1/councils"), Route::MethodNotAllowed);
        assert_eq!(route("GET", "/meetings/<script>"), Route::NotFound);
        assert_eq!(route("GET", "/nothing/here"), Route::NotFound);
    }

    #[test]
    fn reads_cursors() {
        assert_eq!(parse_cursor("2026-01-05~coventry-5001"), Some(("2026-01-05".into(), "coventry-5001".into())));
        assert_eq!(parse_cursor("2026-01-05"), None);
        assert_eq!(parse_cursor("x~y"), None);
        assert_eq!(parse_cursor("0000-00-00~0"), Some(("0000-00-00".into(), "0".into())));
        assert_eq!(parse_cursor("2026-1-05~a"), None);
    }

    #[test]
    fn reads_query_values() {
        assert_eq!(query_value(Some("from=2026-01-01&to=2026-02-01"), "to").as_deref(), Some("2026-02-01"));
        assert_eq!(query_value(Some("a=1"), "b"), None);
        assert_eq!(query_value(None, "a"), None);
        assert_eq!(query_value(Some("q=community+safety%2C%20plan"), "q").as_deref(), Some("community safety, plan"));
        assert_eq!(query_value(Some("q=100%"), "q").as_deref(), Some("100%"));
    }
}

//! URL → route, with no runtime types, so routing is tested natively.

use chrono::NaiveDate;

use super::limits::LimitClass;
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
    ApiChecks,
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
    /// Open data: the list, and a file of a council's set.
    DataIndex,
    DataFile(String, String, String),
    /// Whether every council is being read, and one council.
    StatusPage,
    ApiStatus,
    CouncilStatus(String),
    ApiCouncilStatus(String),
    /// A meeting's recorded votes.
    ApiMeetingVotes(String),
    /// A meeting's webcast transcript, by item, paged.
    ApiMeetingTranscript(String),
    /// List a council's webcasts now (and read the captions due).
    AdminWebcasts(String),
    /// A councillor's recorded votes, paged.
    ApiCouncillorVotes(String),
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

/// Which worker answers a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    /// The public site, API and feeds.
    Site,
    /// The admin routes (behind the operator's token).
    Ingest,
    Both,
}

/// Where a cached read's data version comes from: every council's data, the
/// council the first path parameter names, or the council of the record the
/// first path parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeBy {
    AllCouncils,
    Council,
    Record(IdKind),
}

/// How long browsers and shared caches may reuse a public read. Pages that
/// only change with a release are kept for a day; feeds and calendars, which
/// readers poll, for a quarter of an hour; the rest for a minute, served stale
/// for five while revalidating (the ETag makes that a 304).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Minute,
    QuarterHour,
    Day,
}

impl Keep {
    pub fn cache_control(self) -> &'static str {
        match self {
            Keep::Minute => "public, max-age=60, stale-while-revalidate=300",
            Keep::QuarterHour => "public, max-age=900, stale-while-revalidate=3600",
            Keep::Day => "public, max-age=86400, stale-while-revalidate=604800",
        }
    }
}

/// Who may ask, and whether the answer is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone; a GET is served from the edge cache while its scope's data is unchanged.
    PublicRead(ScopeBy, Keep),
    /// Anyone (or an integrator's key), never cached: forms, MCP, the key's own data.
    Public,
    /// The operator, with the admin token.
    Admin,
}

/// Whether failures are told to programs (problem+json) or people (a page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Api,
    Page,
}

/// A route, declared once with everything the edge needs to know about it.
pub struct Declared {
    /// `GET` also answers `HEAD`.
    pub methods: &'static [&'static str],
    /// Segments; `{week}` is an ISO week, `{postcode}` a percent-encoded
    /// postcode, `{set}` and `{file}` an open-data set and file, any other `{name}` an id.
    pub path: &'static str,
    pub worker: Worker,
    pub access: Access,
    /// The rate limit it counts against; `None` is never limited.
    pub limit: Option<LimitClass>,
    pub surface: Surface,
    pub make: fn(&mut Params) -> Route,
}

/// A route's path parameters, taken in order.
pub struct Params(std::vec::IntoIter<String>);

impl Params {
    pub fn take(&mut self) -> String {
        self.0.next().unwrap_or_default()
    }
}

use Access::{Admin, Public, PublicRead};
use Keep::{Day, Minute, QuarterHour};
use LimitClass as L;
use ScopeBy::{AllCouncils, Council, Record};
use Surface::{Api, Page};
use Worker::{Both, Ingest, Site};

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const GET_POST: &[&str] = &["GET", "POST"];
const DELETE: &[&str] = &["DELETE"];

macro_rules! declare {
    ($($methods:ident $path:literal, $worker:ident, $access:expr, $limit:expr, $surface:ident, $make:expr;)*) => {
        &[$(Declared {
            methods: $methods,
            path: $path,
            worker: $worker,
            access: $access,
            limit: $limit,
            surface: $surface,
            make: $make,
        }),*]
    };
}

/// Every route of both workers. The rest of the edge (caching, rate limits,
/// the worker that answers, errors) reads a route's facts from here.
pub static ROUTES: &[Declared] = declare! {
    GET "/healthz", Both, Public, None, Page, |_| Route::Health;
    GET "/", Site, PublicRead(AllCouncils, Minute), Some(L::Page), Page, |_| Route::Home;
    GET "/about", Site, PublicRead(AllCouncils, Day), Some(L::Page), Page, |_| Route::About;
    GET "/search", Site, PublicRead(AllCouncils, Minute), Some(L::Search), Page, |_| Route::Search;
    // Postcode look-ups may reach the postcode service: counted as searches.
    GET "/postcode", Site, PublicRead(AllCouncils, Minute), Some(L::Search), Page, |_| Route::PostcodePage;
    GET "/councils/{id}", Site, PublicRead(Council, Minute), Some(L::Page), Page, |p| Route::CouncilPage(p.take());
    // Health is read live (it changes with the clock, not only with the data).
    GET "/status", Site, Public, Some(L::Page), Page, |_| Route::StatusPage;
    GET "/councils/{id}/status", Site, Public, Some(L::Page), Page, |p| Route::CouncilStatus(p.take());
    // Open data is served from R2 with its own ETags and ranges, not the edge cache.
    GET "/data", Site, Public, Some(L::Page), Page, |_| Route::DataIndex;
    GET "/data/{id}/{set}/{file}", Site, Public, Some(L::Page), Page, |p| Route::DataFile(p.take(), p.take(), p.take());
    GET "/councils/{id}/feed.xml", Site, PublicRead(Council, QuarterHour), Some(L::Page), Page,
        |p| Route::CouncilFeed(p.take(), None);
    GET "/councils/{id}/meetings.ics", Site, PublicRead(Council, QuarterHour), Some(L::Page), Page,
        |p| Route::CouncilCalendar(p.take(), None);
    GET "/councils/{id}/committees/{committee}", Site, PublicRead(Council, Minute), Some(L::Page), Page,
        |p| Route::CommitteePage(p.take(), p.take());
    GET "/councils/{id}/committees/{committee}/feed.xml", Site, PublicRead(Council, QuarterHour), Some(L::Page), Page,
        |p| Route::CouncilFeed(p.take(), Some(p.take()));
    GET "/councils/{id}/committees/{committee}/meetings.ics", Site, PublicRead(Council, QuarterHour), Some(L::Page),
        Page, |p| Route::CouncilCalendar(p.take(), Some(p.take()));
    GET "/councils/{id}/weeks/{week}", Site, PublicRead(Council, Minute), Some(L::Page), Page,
        |p| Route::WeekPage(p.take(), p.take());
    GET "/councils/{id}/decisions", Site, PublicRead(Council, Minute), Some(L::Page), Page,
        |p| Route::DecisionsPage(p.take());
    GET "/councils/{id}/councillors", Site, PublicRead(Council, Minute), Some(L::Page), Page,
        |p| Route::CouncillorsPage(p.take());
    GET "/meetings/{id}", Site, PublicRead(Record(IdKind::Meeting), Minute), Some(L::Page), Page,
        |p| Route::MeetingPage(p.take());
    GET "/decisions/{id}", Site, PublicRead(Record(IdKind::Decision), Minute), Some(L::Page), Page,
        |p| Route::DecisionPage(p.take());
    GET "/councillors/{id}", Site, PublicRead(Record(IdKind::Person), Minute), Some(L::Page), Page,
        |p| Route::CouncillorPage(p.take());
    GET "/councils/{id}/alerts", Site, Public, Some(L::Page), Page, |p| Route::AlertsForm(p.take());
    POST "/councils/{id}/alerts", Site, Public, Some(L::Subscribe), Page, |p| Route::Subscribe(p.take());
    GET_POST "/alerts/confirm", Site, Public, Some(L::Page), Page, |_| Route::AlertsConfirm;
    GET_POST "/alerts/manage", Site, Public, Some(L::Page), Page, |_| Route::AlertsManage;
    GET_POST "/alerts/unsubscribe", Site, Public, Some(L::Page), Page, |_| Route::AlertsUnsubscribe;
    POST "/alerts/delete", Site, Public, Some(L::Page), Page, |_| Route::AlertsDelete;
    POST "/mcp", Site, Public, Some(L::Api), Api, |_| Route::Mcp;
    GET "/api/v1/openapi.json", Site, PublicRead(AllCouncils, Day), Some(L::Api), Api, |_| Route::ApiOpenApi;
    GET "/api/v1/search", Site, PublicRead(AllCouncils, Minute), Some(L::Search), Api, |_| Route::ApiSearch;
    GET "/api/v1/postcodes/{postcode}", Site, PublicRead(AllCouncils, Minute), Some(L::Search), Api,
        |p| Route::ApiPostcode(p.take());
    GET "/api/v1/meetings", Site, PublicRead(AllCouncils, Minute), Some(L::Api), Api, |_| Route::ApiMeetings;
    GET "/api/v1/councils", Site, PublicRead(AllCouncils, Minute), Some(L::Api), Api, |_| Route::ApiCouncils;
    GET "/api/v1/checks", Site, PublicRead(AllCouncils, Minute), Some(L::Api), Api, |_| Route::ApiChecks;
    GET "/api/v1/councils/{id}", Site, PublicRead(Council, Minute), Some(L::Api), Api, |p| Route::ApiCouncil(p.take());
    GET "/api/v1/status", Site, Public, Some(L::Api), Api, |_| Route::ApiStatus;
    GET "/api/v1/councils/{id}/status", Site, Public, Some(L::Api), Api, |p| Route::ApiCouncilStatus(p.take());
    GET "/api/v1/councils/{id}/committees", Site, PublicRead(Council, Minute), Some(L::Api), Api,
        |p| Route::ApiCommittees(p.take());
    GET "/api/v1/councils/{id}/meetings", Site, PublicRead(Council, Minute), Some(L::Api), Api,
        |p| Route::ApiCouncilMeetings(p.take());
    GET "/api/v1/councils/{id}/weeks/{week}", Site, PublicRead(Council, Minute), Some(L::Api), Api,
        |p| Route::ApiWeek(p.take(), p.take());
    GET "/api/v1/councils/{id}/decisions", Site, PublicRead(Council, Minute), Some(L::Api), Api,
        |p| Route::ApiDecisions(p.take());
    GET "/api/v1/councils/{id}/councillors", Site, PublicRead(Council, Minute), Some(L::Api), Api,
        |p| Route::ApiCouncillors(p.take());
    GET "/api/v1/meetings/{id}", Site, PublicRead(Record(IdKind::Meeting), Minute), Some(L::Api), Api,
        |p| Route::ApiMeeting(p.take());
    GET "/api/v1/meetings/{id}/votes", Site, PublicRead(Record(IdKind::Meeting), Minute), Some(L::Api), Api,
        |p| Route::ApiMeetingVotes(p.take());
    GET "/api/v1/meetings/{id}/transcript", Site, PublicRead(Record(IdKind::Meeting), Minute), Some(L::Api), Api,
        |p| Route::ApiMeetingTranscript(p.take());
    GET "/api/v1/councillors/{id}/votes", Site, PublicRead(Record(IdKind::Person), Minute), Some(L::Api), Api,
        |p| Route::ApiCouncillorVotes(p.take());
    GET "/api/v1/documents/{id}", Site, PublicRead(Record(IdKind::Document), Minute), Some(L::Api), Api,
        |p| Route::ApiDocument(p.take());
    GET "/api/v1/decisions/{id}", Site, PublicRead(Record(IdKind::Decision), Minute), Some(L::Api), Api,
        |p| Route::ApiDecision(p.take());
    GET "/api/v1/councillors/{id}", Site, PublicRead(Record(IdKind::Person), Minute), Some(L::Api), Api,
        |p| Route::ApiCouncillor(p.take());
    GET_POST "/api/v1/webhooks", Site, Public, Some(L::Api), Api, |_| Route::ApiWebhooks;
    DELETE "/api/v1/webhooks/{id}", Site, Public, Some(L::Api), Api, |p| Route::ApiWebhook(p.take());
    GET "/api/v1/webhooks/{id}/deliveries", Site, Public, Some(L::Api), Api, |p| Route::ApiWebhookDeliveries(p.take());
    POST "/admin/councils", Ingest, Admin, None, Api, |_| Route::AdminRegisterCouncil;
    POST "/admin/councils/{id}/scrape", Ingest, Admin, None, Api, |p| Route::AdminScrape(p.take());
    POST "/admin/councils/{id}/digest", Ingest, Admin, None, Api, |p| Route::AdminDigest(p.take());
    POST "/admin/councils/{id}/webcasts", Ingest, Admin, None, Api, |p| Route::AdminWebcasts(p.take());
    GET "/admin/status", Ingest, Admin, None, Api, |_| Route::AdminStatus;
    GET "/admin/faults", Ingest, Admin, None, Api, |_| Route::AdminFaults;
    GET "/admin/runs/{id}", Ingest, Admin, None, Api, |p| Route::AdminRun(p.take());
    POST "/admin/bench/parse", Ingest, Admin, None, Api, |_| Route::AdminBenchParse;
    POST "/admin/bench/pdf", Ingest, Admin, None, Api, |_| Route::AdminBenchPdf;
    GET_POST "/admin/webhooks", Ingest, Admin, None, Api, |_| Route::AdminWebhooks;
    GET "/admin/webhooks/{id}/deliveries", Ingest, Admin, None, Api, |p| Route::AdminWebhookDeliveries(p.take());
    POST "/admin/webhooks/deliveries/{id}/replay", Ingest, Admin, None, Api,
        |p| Route::AdminWebhookReplay(p.take());
    GET_POST "/admin/api-keys", Ingest, Admin, None, Api, |_| Route::AdminApiKeys;
    POST "/admin/api-keys/{id}/revoke", Ingest, Admin, None, Api, |p| Route::AdminApiKeyRevoke(p.take());
};

/// A path's parameters if it has the declared shape.
fn path_params(declared: &str, path: &str) -> Option<Vec<String>> {
    let wanted = declared.trim_matches('/').split('/').filter(|s| !s.is_empty());
    let mut given = path.trim_matches('/').split('/').filter(|s| !s.is_empty());
    let mut params = Vec::new();
    for pattern in wanted {
        let segment = given.next()?;
        match pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            None if pattern == segment => {}
            None => return None,
            Some("week") if crate::time::parse_iso_week(segment).is_some() => params.push(segment.to_string()),
            Some("postcode") if segment.len() <= 32 => params.push(percent_decode(segment)),
            Some("set") if crate::opendata::is_set_name(segment) => params.push(segment.to_string()),
            Some("file") if crate::opendata::is_file_name(segment) => params.push(segment.to_string()),
            Some("week" | "postcode" | "set" | "file") => return None,
            Some(_) if is_id(segment) => params.push(segment.to_string()),
            Some(_) => return None,
        }
    }
    given.next().is_none().then_some(params)
}

fn answers(worker: Worker, declared: &Declared) -> bool {
    worker == Both || declared.worker == Both || declared.worker == worker
}

fn takes(declared: &Declared, method: &str) -> bool {
    declared.methods.iter().any(|m| *m == method || (*m == "GET" && method == "HEAD"))
}

/// A request matched against the routes one worker answers.
#[derive(Clone)]
pub struct Found {
    pub route: Route,
    pub declared: Option<&'static Declared>,
    params: Vec<String>,
    path: String,
}

/// Matches a request against the routes `worker` answers: a path it has
/// with another method is 405, a path it does not have is 404.
pub fn find(worker: Worker, method: &str, path: &str) -> Found {
    let mut path_known = false;
    for declared in ROUTES.iter().filter(|d| answers(worker, d)) {
        let Some(params) = path_params(declared.path, path) else { continue };
        path_known = true;
        if takes(declared, method) {
            let route = (declared.make)(&mut Params(params.clone().into_iter()));
            return Found { route, declared: Some(declared), params, path: path.to_string() };
        }
    }
    let route = if path_known { Route::MethodNotAllowed } else { Route::NotFound };
    Found { route, declared: None, params: Vec::new(), path: path.to_string() }
}

/// The methods `worker` takes at a path, for `Allow` on a 405.
pub fn allowed_methods(worker: Worker, path: &str) -> Vec<&'static str> {
    let mut methods: Vec<&'static str> = ROUTES
        .iter()
        .filter(|d| answers(worker, d) && path_params(d.path, path).is_some())
        .flat_map(|d| d.methods.iter().copied())
        .collect();
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    methods.sort_unstable();
    methods.dedup();
    methods
}

impl Found {
    /// Served from the edge cache (a GET of a public read).
    pub fn is_public_read(&self) -> bool {
        matches!(self.declared.map(|d| d.access), Some(Access::PublicRead(..)))
    }

    /// The rate limit the request counts against: a path that is no route
    /// counts as a page, so probing unknown paths is limited too.
    pub fn limit(&self) -> Option<LimitClass> {
        self.declared.map_or(Some(LimitClass::Page), |d| d.limit)
    }

    /// Which data version a cached public read depends on: the council whose
    /// data it shows, or the data of every council. A record's id begins with
    /// its council's id, which may itself hold `-`, so the council is read
    /// from the id by the grammar of the ids the code makes for that kind of
    /// record (`storage::records`); an id that reads two ways depends on both councils.
    pub fn cache_scope(&self) -> Scope {
        let first = self.params.first().cloned().unwrap_or_default();
        match self.declared.map(|d| d.access) {
            Some(Access::PublicRead(ScopeBy::Council, _)) => Scope::Council(first),
            Some(Access::PublicRead(ScopeBy::Record(kind), _)) => {
                let mut councils = councils_of(kind, &first);
                match councils.len() {
                    0 => Scope::AllCouncils,
                    1 => Scope::Council(councils.remove(0)),
                    _ => Scope::OneOf(councils),
                }
            }
            _ => Scope::AllCouncils,
        }
    }

    /// `Cache-Control` for a public read's answer.
    pub fn browser_cache(&self) -> &'static str {
        match self.declared.map(|d| d.access) {
            Some(Access::PublicRead(_, keep)) => keep.cache_control(),
            _ => Keep::Minute.cache_control(),
        }
    }

    /// Whether failures are told as problem+json: the declared surface, or
    /// for a path that is no route, whether it is under the API's prefixes.
    pub fn for_programs(&self) -> bool {
        match self.declared {
            Some(declared) => declared.surface == Surface::Api,
            None => ["/api/", "/admin", "/mcp"].iter().any(|prefix| self.path.starts_with(prefix)),
        }
    }
}

/// A route of either worker (tests, and the OpenAPI check).
pub fn route(method: &str, path: &str) -> Route {
    find(Both, method, path).route
}

/// A route of the site worker: admin paths do not exist there.
pub fn site_route(method: &str, path: &str) -> Route {
    find(Site, method, path).route
}

/// A route of the ingest worker: the admin routes and the health check only.
pub fn ingest_route(method: &str, path: &str) -> Route {
    find(Ingest, method, path).route
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
pub fn next_page<T: crate::storage::rows::Positioned>(rows: &mut Vec<T>, limit: usize) -> Option<String> {
    if rows.len() <= limit {
        return None;
    }
    rows.truncate(limit);
    let (date, id) = rows.last()?.position();
    Some(format!("{date}~{id}"))
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
            let policy = find(Worker::Site, "GET", path).browser_cache();
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
        struct Row(String, String);
        impl crate::storage::rows::Positioned for Row {
            fn position(&self) -> (&str, &str) {
                (&self.0, &self.1)
            }
        }
        let mut rows: Vec<Row> = (1..=3).map(|n| Row(format!("2026-01-0{n}"), format!("x-{n}"))).collect();
        assert_eq!(next_page(&mut rows, 3), None);
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

    fn scope_of(path: &str) -> Scope {
        find(Worker::Site, "GET", path).cache_scope()
    }

    #[test]
    fn cached_reads_depend_on_their_council_only() {
        assert_eq!(scope_of("/councils/kent"), Scope::Council("kent".into()));
        assert_eq!(scope_of("/meetings/east-herts-4967"), Scope::Council("east-herts".into()));
        assert_eq!(scope_of("/api/v1/documents/kent-a60860"), Scope::Council("kent".into()));
        assert_eq!(scope_of("/api/v1/documents/kent-u3fed2e2c6a8f"), Scope::Council("kent".into()));
        assert_eq!(scope_of("/"), Scope::AllCouncils);
        assert_eq!(scope_of("/api/v1/meetings"), Scope::AllCouncils);
        // A decision's document and a CMIS document: the council, not a prefix of the id.
        // (A decision's document id also reads as a document of a council
        // `kirklees-d13567`; its pages move with either.)
        assert_eq!(
            scope_of("/api/v1/documents/kirklees-d13567-u3fed2e2c6a8f"),
            Scope::OneOf(vec!["kirklees".into(), "kirklees-d13567".into()])
        );
        assert_eq!(scope_of("/api/v1/documents/bham-ac15028-0a1b2c3d4e5f"), Scope::Council("bham".into()));
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
                let scope = scope_of(&match kind {
                    IdKind::Meeting => format!("/meetings/{id}"),
                    IdKind::Document => format!("/api/v1/documents/{id}"),
                    IdKind::Person => format!("/councillors/{id}"),
                    IdKind::Decision => format!("/decisions/{id}"),
                });
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

    /// The API's paths in its OpenAPI document and the declared API routes
    /// are the same set, method by method.
    #[test]
    fn the_openapi_document_and_the_route_table_agree() {
        let document: serde_json::Value = serde_json::from_str(include_str!("openapi.json")).unwrap();
        let shape = |path: &str| {
            path.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/")
        };
        let mut documented: Vec<(String, String)> = Vec::new();
        for (path, operations) in document["paths"].as_object().unwrap() {
            for method in operations.as_object().unwrap().keys() {
                documented.push((method.to_uppercase(), shape(&format!("/api/v1{path}"))));
            }
        }
        let mut declared: Vec<(String, String)> = ROUTES
            .iter()
            .filter(|d| d.surface == Surface::Api && d.path.starts_with("/api/") && d.path != "/api/v1/openapi.json")
            .flat_map(|d| d.methods.iter().map(|m| (m.to_string(), shape(d.path))))
            .collect();
        documented.sort();
        declared.sort();
        assert_eq!(documented, declared);
    }

    #[test]
    fn open_data_files_are_only_the_sets_and_files_an_export_writes() {
        assert_eq!(
            site_route("GET", "/data/kent/latest/events.jsonl.gz"),
            Route::DataFile("kent".into(), "latest".into(), "events.jsonl.gz".into())
        );
        assert_eq!(
            site_route("GET", "/data/kent/2026-11/manifest.json"),
            Route::DataFile("kent".into(), "2026-11".into(), "manifest.json".into())
        );
        for path in ["/data/kent/latest/secrets.txt", "/data/kent/2026-13/manifest.json", "/data/kent/latest/..%2Fx"] {
            assert_eq!(site_route("GET", path), Route::NotFound, "{path}");
        }
        assert_eq!(site_route("GET", "/data"), Route::DataIndex);
    }

    /// Every declared route is reached by its own path, on its worker only.
    #[test]
    fn every_declared_route_is_found_where_it_is_declared() {
        for declared in ROUTES {
            let path: String = declared
                .path
                .split('/')
                .map(|s| match s {
                    "{week}" => "2026-W05",
                    "{postcode}" => "CV1%205RR",
                    "{set}" => "2026-11",
                    "{file}" => "events.jsonl.gz",
                    s if s.starts_with('{') => "kent-1",
                    s => s,
                })
                .collect::<Vec<_>>()
                .join("/");
            for method in declared.methods {
                let found = find(declared.worker, method, &path);
                assert!(std::ptr::eq(found.declared.unwrap(), declared), "{method} {path}");
                let other = match declared.worker {
                    Worker::Site => Some(Worker::Ingest),
                    Worker::Ingest => Some(Worker::Site),
                    Worker::Both => None,
                };
                if let Some(other) = other {
                    assert_eq!(find(other, method, &path).route, Route::NotFound, "{method} {path} on {other:?}");
                }
            }
            // Public reads are GETs; admin routes are the ingest worker's, unlimited by the public limiters.
            if let Access::PublicRead(..) = declared.access {
                assert_eq!(declared.methods, GET, "{}", declared.path);
            }
            assert_eq!(declared.access == Access::Admin, declared.worker == Worker::Ingest, "{}", declared.path);
        }
    }

    #[test]
    fn search_and_api_count_against_their_own_limits() {
        let limit = |method: &str, path: &str| find(Worker::Site, method, path).limit();
        assert_eq!(limit("GET", "/search"), Some(LimitClass::Search));
        assert_eq!(limit("GET", "/api/v1/search"), Some(LimitClass::Search));
        assert_eq!(limit("GET", "/api/v1/postcodes/CV1%205RR"), Some(LimitClass::Search));
        assert_eq!(limit("GET", "/postcode"), Some(LimitClass::Search));
        assert_eq!(limit("GET", "/api/v1/councils/coventry"), Some(LimitClass::Api));
        assert_eq!(limit("GET", "/councils/coventry"), Some(LimitClass::Page));
        assert_eq!(limit("GET", "/councils/coventry/feed.xml"), Some(LimitClass::Page));
        assert_eq!(limit("GET", "/no/such/page"), Some(LimitClass::Page));
        assert_eq!(limit("GET", "/healthz"), None);
        assert_eq!(limit("POST", "/councils/coventry/alerts"), Some(LimitClass::Subscribe));
        assert_eq!(limit("GET", "/councils/coventry/alerts"), Some(LimitClass::Page));
        assert_eq!(limit("POST", "/alerts/unsubscribe"), Some(LimitClass::Page));
        assert_eq!(limit("POST", "/mcp"), Some(LimitClass::Api));
    }

    #[test]
    fn failures_are_told_to_programs_on_the_api_and_to_people_elsewhere() {
        let for_programs = |method: &str, path: &str| find(Worker::Site, method, path).for_programs();
        assert!(for_programs("GET", "/api/v1/meetings/kent-1"));
        assert!(for_programs("GET", "/api/v1/nothing"));
        assert!(for_programs("GET", "/mcp"));
        assert!(!for_programs("GET", "/meetings/kent-1"));
        assert!(!for_programs("GET", "/nothing"));
        assert_eq!(allowed_methods(Worker::Site, "/councils/kent/alerts"), ["GET", "HEAD", "POST"]);
        assert_eq!(allowed_methods(Worker::Site, "/api/v1/webhooks/ep_1"), ["DELETE"]);
        assert!(allowed_methods(Worker::Site, "/admin/status").is_empty());
    }

    #[test]
    fn routes_pages_api_and_admin() {
        assert_eq!(route("GET", "/"), Route::Home);
        assert_eq!(route("GET", "/councils/coventry"), Route::CouncilPage("coventry".into()));
        assert_eq!(route("GET", "/api/v1/meetings/coventry-4967"), Route::ApiMeeting("coventry-4967".into()));
        assert_eq!(
            route("GET", "/api/v1/meetings/coventry-4967/votes"),
            Route::ApiMeetingVotes("coventry-4967".into())
        );
        assert_eq!(
            route("GET", "/api/v1/councillors/coventry-m175/votes"),
            Route::ApiCouncillorVotes("coventry-m175".into())
        );
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

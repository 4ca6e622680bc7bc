//! Which rate limit a public read counts against. Pure, so tested natively;
//! the limiter bindings themselves are in `wrangler.site.toml`.

use super::routes::Route;

/// The seconds a client over its limit is asked to wait: the limiters' period.
pub const RETRY_AFTER_SECONDS: u32 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitClass {
    /// Pages and feeds: mostly served from the cache.
    Page,
    /// The JSON API.
    Api,
    /// Search, page or API: every search reaches D1.
    Search,
    /// Asking for email alerts: each may send an email.
    Subscribe,
}

impl LimitClass {
    pub fn of(route: &Route) -> Option<LimitClass> {
        match route {
            Route::Health => None,
            // Postcode look-ups may reach the postcode service: counted as searches.
            Route::Search | Route::ApiSearch | Route::PostcodePage | Route::ApiPostcode(_) => Some(LimitClass::Search),
            Route::Subscribe(_) => Some(LimitClass::Subscribe),
            Route::ApiMeetings
            | Route::ApiCommittees(_)
            | Route::ApiOpenApi
            | Route::ApiCouncils
            | Route::ApiCouncil(_)
            | Route::ApiCouncilMeetings(_)
            | Route::ApiMeeting(_)
            | Route::ApiDocument(_)
            | Route::ApiWeek(..)
            | Route::ApiCouncillors(_)
            | Route::ApiCouncillor(_)
            | Route::ApiDecisions(_)
            | Route::ApiDecision(_)
            | Route::ApiWebhooks
            | Route::ApiWebhook(_)
            | Route::ApiWebhookDeliveries(_)
            | Route::Mcp => Some(LimitClass::Api),
            _ => Some(LimitClass::Page),
        }
    }

    pub fn binding(self) -> &'static str {
        match self {
            LimitClass::Page => "PAGE_LIMITER",
            LimitClass::Api => "API_LIMITER",
            LimitClass::Search => "SEARCH_LIMITER",
            LimitClass::Subscribe => "SUBSCRIBE_LIMITER",
        }
    }

    /// The key a client is counted under: its address, and the class, so that
    /// browsing does not use up a client's searches. At the edge every request
    /// carries its client's address (`CF-Connecting-IP`, set by Cloudflare and
    /// not forgeable by the client); a request without one never came through
    /// the edge (local development, tests) and is not counted.
    pub fn key(self, client: Option<&str>) -> Option<String> {
        let client = client.map(str::trim).filter(|c| !c.is_empty())?;
        Some(format!("{}:{}", self.binding(), client_key(client)))
    }
}

/// Who a client address counts as: an IPv4 address itself, an IPv6 address
/// by its /64 (one home or server is given a whole /64, so counting single
/// IPv6 addresses would give one client 2^64 allowances).
pub fn client_key(client: &str) -> String {
    match client.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => client.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::routes::site_route;

    #[test]
    fn search_and_api_count_against_their_own_limits() {
        assert_eq!(LimitClass::of(&site_route("GET", "/search")), Some(LimitClass::Search));
        assert_eq!(LimitClass::of(&site_route("GET", "/api/v1/search")), Some(LimitClass::Search));
        assert_eq!(LimitClass::of(&site_route("GET", "/api/v1/postcodes/CV1%205RR")), Some(LimitClass::Search));
        assert_eq!(LimitClass::of(&site_route("GET", "/postcode")), Some(LimitClass::Search));
        assert_eq!(LimitClass::of(&site_route("GET", "/api/v1/councils/coventry")), Some(LimitClass::Api));
        assert_eq!(LimitClass::of(&site_route("GET", "/councils/coventry")), Some(LimitClass::Page));
        assert_eq!(LimitClass::of(&site_route("GET", "/councils/coventry/feed.xml")), Some(LimitClass::Page));
        assert_eq!(LimitClass::of(&site_route("GET", "/no/such/page")), Some(LimitClass::Page));
        assert_eq!(LimitClass::of(&site_route("GET", "/healthz")), None);
        assert_eq!(LimitClass::of(&site_route("POST", "/councils/coventry/alerts")), Some(LimitClass::Subscribe));
        assert_eq!(LimitClass::of(&site_route("GET", "/councils/coventry/alerts")), Some(LimitClass::Page));
        assert_eq!(LimitClass::of(&site_route("POST", "/alerts/unsubscribe")), Some(LimitClass::Page));
    }

    #[test]
    fn clients_are_counted_apart() {
        assert_ne!(LimitClass::Api.key(Some("192.0.2.1")), LimitClass::Api.key(Some("192.0.2.2")));
        assert_ne!(LimitClass::Api.key(Some("192.0.2.1")), LimitClass::Search.key(Some("192.0.2.1")));
        assert_eq!(LimitClass::Page.key(None), None);
        // One IPv6 /64 is one client, however many of its addresses it uses.
        assert_eq!(
            LimitClass::Subscribe.key(Some("2001:db8:1:2::1")),
            LimitClass::Subscribe.key(Some("2001:db8:1:2:ffff:ffff:ffff:fffe"))
        );
        assert_eq!(LimitClass::Api.key(Some("2001:db8:1:2::1")).unwrap(), "API_LIMITER:2001:db8:1:2::/64");
        assert_ne!(LimitClass::Api.key(Some("2001:db8:1:2::1")), LimitClass::Api.key(Some("2001:db8:1:3::1")));
        assert_eq!(client_key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(LimitClass::Page.key(Some(" ")), None);
    }
}

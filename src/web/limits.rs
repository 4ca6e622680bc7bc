//! The rate limits public requests count against (each route's class is
//! declared in `routes::ROUTES`), and who a client counts as. Pure, so tested
//! natively but for asking a limiter; the limiter bindings themselves are in
//! `wrangler.site.toml`.

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

/// Asks the class's limiter whether this client may have another read. A
/// limiter that is missing or fails lets the read through: availability first.
pub async fn within_limit(req: &worker::Request, env: &worker::Env, class: LimitClass) -> bool {
    let client = req.headers().get("CF-Connecting-IP").ok().flatten();
    let (Some(key), Ok(limiter)) = (class.key(client.as_deref()), env.rate_limiter(class.binding())) else {
        return true;
    };
    match limiter.limit(key).await {
        Ok(outcome) => outcome.success,
        Err(error) => {
            worker::console_error!("rate limiter {}: {error}", class.binding());
            true
        }
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

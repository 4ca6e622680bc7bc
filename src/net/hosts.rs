//! Which hosts a council's pages and documents may be fetched from: the host of its
//! registered base URL and the hosts it declares (`document_hosts`). Pure, so
//! tested natively; `WorkerFetcher` applies it to every request and redirect.

use url::Url;

/// The most redirects one document request follows.
pub const MAX_REDIRECTS: usize = 5;

/// A DNS host name or an IP address: no scheme, port, path or credentials.
pub fn is_host_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPolicy {
    hosts: Vec<String>,
}

impl HostPolicy {
    /// The council's own host (from its base URL) and the hosts it declares, space-separated.
    pub fn for_council(base_url: &str, declared: &str) -> Self {
        let own = Url::parse(base_url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase));
        let hosts = own
            .into_iter()
            .chain(declared.split_whitespace().filter(|h| is_host_name(h)).map(str::to_ascii_lowercase))
            .collect();
        Self { hosts }
    }

    /// `Err` with the host when the URL is not http(s) on an allowed host.
    pub fn check(&self, url: &str) -> Result<(), String> {
        let parsed = Url::parse(url).map_err(|_| format!("not a URL: {url}"))?;
        let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("{}:", parsed.scheme()));
        }
        if self.hosts.contains(&host) {
            Ok(())
        } else {
            Err(host)
        }
    }
}

/// Whether a status is a redirect a browser would follow.
pub fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The absolute URL a `Location` header leads to from `current`.
pub fn redirect_target(current: &str, location: &str) -> Option<String> {
    let target = Url::parse(current).ok()?.join(location.trim()).ok()?;
    matches!(target.scheme(), "http" | "https").then(|| target.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_only_host_names() {
        assert!(is_host_name("democracy.kent.gov.uk"));
        assert!(is_host_name("127.0.0.1"));
        assert!(!is_host_name("https://kent.gov.uk"));
        assert!(!is_host_name("kent.gov.uk:8080"));
        assert!(!is_host_name("kent.gov.uk/path"));
        assert!(!is_host_name("-bad.example"));
        assert!(!is_host_name(""));
        assert!(!is_host_name("a..b"));
    }

    #[test]
    fn only_the_councils_own_and_declared_hosts_are_allowed() {
        let policy = HostPolicy::for_council("https://Democracy.Kent.gov.uk/", "documents.kent.gov.uk bad/host");
        assert_eq!(policy.check("https://democracy.kent.gov.uk/mgConvert2PDF.aspx?ID=1"), Ok(()));
        assert_eq!(policy.check("http://DOCUMENTS.kent.gov.uk/a.pdf"), Ok(()));
        assert_eq!(policy.check("https://evil.example/a.pdf"), Err("evil.example".to_string()));
        // A look-alike is another host.
        assert_eq!(
            policy.check("https://democracy.kent.gov.uk.evil.example/a.pdf"),
            Err("democracy.kent.gov.uk.evil.example".to_string())
        );
        assert!(policy.check("file:///etc/passwd").is_err());
        assert!(policy.check("not a url").is_err());
    }

    #[test]
    fn redirects_resolve_against_the_current_url() {
        assert_eq!(
            redirect_target("https://a.gov.uk/x/y.pdf", "/documents/z.pdf").as_deref(),
            Some("https://a.gov.uk/documents/z.pdf")
        );
        assert_eq!(redirect_target("https://a.gov.uk/x/y.pdf", "z.pdf").as_deref(), Some("https://a.gov.uk/x/z.pdf"));
        assert_eq!(
            redirect_target("https://a.gov.uk/x", "https://b.example/p").as_deref(),
            Some("https://b.example/p")
        );
        assert_eq!(redirect_target("https://a.gov.uk/x", "javascript:alert(1)"), None);
        assert!(is_redirect(302) && is_redirect(308) && !is_redirect(304) && !is_redirect(200));
    }
}

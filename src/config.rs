//! Non-secret settings from `[vars]` (and secrets such as `ADMIN_TOKEN`), read
//! once per invocation into plain values.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Days before today whose meetings each refresh revisits.
    pub window_days_back: i64,
    /// Days after today whose meetings each refresh looks at.
    pub window_days_ahead: i64,
    pub request_timeout_ms: u64,
    /// Minimum gap between requests to one host.
    pub min_request_interval_ms: u64,
    /// Cap on an XML or HTML answer.
    pub max_page_bytes: usize,
    /// First retry delay; doubles with each attempt.
    pub retry_base_seconds: u32,
    pub retry_max_seconds: u32,
    /// Cap on a downloaded document.
    pub max_document_bytes: usize,
    /// PDF pages read per invocation before the rest is resumed by another message.
    pub pdf_pages_per_step: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            window_days_back: 28,
            window_days_ahead: 28,
            request_timeout_ms: 30_000,
            min_request_interval_ms: 1_000,
            max_page_bytes: 5 * 1024 * 1024,
            retry_base_seconds: 30,
            retry_max_seconds: 15 * 60,
            max_document_bytes: 25 * 1024 * 1024,
            pdf_pages_per_step: crate::documents::DEFAULT_PAGES_PER_STEP,
        }
    }
}

impl Settings {
    /// Reads each setting by name; missing or unparsable values keep their defaults.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let defaults = Self::default();
        let number = |name: &str, default: u64| -> u64 {
            lookup(name).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(default)
        };
        Self {
            window_days_back: number("WINDOW_DAYS_BACK", defaults.window_days_back as u64).min(3650) as i64,
            window_days_ahead: number("WINDOW_DAYS_AHEAD", defaults.window_days_ahead as u64).min(3650) as i64,
            request_timeout_ms: number("REQUEST_TIMEOUT_SECS", defaults.request_timeout_ms / 1000).max(1) * 1000,
            min_request_interval_ms: number("MIN_REQUEST_INTERVAL_MS", defaults.min_request_interval_ms),
            max_page_bytes: number("MAX_PAGE_BYTES", defaults.max_page_bytes as u64) as usize,
            retry_base_seconds: number("RETRY_BASE_SECONDS", defaults.retry_base_seconds as u64) as u32,
            retry_max_seconds: number("RETRY_MAX_SECONDS", defaults.retry_max_seconds as u64) as u32,
            max_document_bytes: number("MAX_DOCUMENT_BYTES", defaults.max_document_bytes as u64) as usize,
            pdf_pages_per_step: number("PDF_PAGES_PER_STEP", u64::from(defaults.pdf_pages_per_step)).clamp(1, 1000)
                as u32,
        }
    }

    /// Backoff for a message first sent `age_seconds` ago: wait as long as it has
    /// already waited (at least the base), so delays double with each retry.
    pub fn retry_delay_seconds(&self, age_seconds: u64) -> u32 {
        let age = u32::try_from(age_seconds).unwrap_or(u32::MAX);
        age.max(self.retry_base_seconds).min(self.retry_max_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_overrides_and_keeps_defaults() {
        let settings = Settings::from_lookup(|name| match name {
            "WINDOW_DAYS_BACK" => Some("7".into()),
            "REQUEST_TIMEOUT_SECS" => Some("3".into()),
            "MIN_REQUEST_INTERVAL_MS" => Some("nonsense".into()),
            _ => None,
        });
        assert_eq!(settings.window_days_back, 7);
        assert_eq!(settings.window_days_ahead, 28);
        assert_eq!(settings.request_timeout_ms, 3000);
        assert_eq!(settings.min_request_interval_ms, 1000);
    }

    #[test]
    fn backs_off_exponentially_up_to_a_cap() {
        let settings = Settings::default();
        assert_eq!(settings.retry_delay_seconds(0), 30);
        assert_eq!(settings.retry_delay_seconds(30), 30);
        assert_eq!(settings.retry_delay_seconds(60), 60);
        assert_eq!(settings.retry_delay_seconds(125), 125);
        assert_eq!(settings.retry_delay_seconds(100_000), 900);
    }
}

//! Non-secret settings from `[vars]` (and secrets such as `ADMIN_TOKEN`), read
//! once per invocation into plain values.

#[derive(Debug, Clone, PartialEq)]
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
    /// `workers_ai`, `openai` (any chat-completions endpoint) or `extractive`.
    pub summary_provider: crate::summarise::ProviderKind,
    pub summary_model: String,
    /// Base URL of the chat-completions endpoint, e.g. `http://127.0.0.1:8080/v1`.
    pub openai_base_url: String,
    /// Input tokens one meeting's summary may use.
    pub meeting_token_budget: usize,
    /// Model tokens (input and output) one council may use in a calendar month.
    pub council_monthly_token_budget: usize,
    pub max_output_tokens: u32,
    /// Send the answer's JSON schema with each request (JSON mode), for
    /// providers that hold the model to it; off for servers that refuse it.
    pub model_json_schema: bool,
    pub model_timeout_ms: u64,
    pub prices: crate::summarise::Prices,
    /// Wait after a meeting changes before summarising, so its documents are read first.
    pub summary_delay_seconds: u32,
    /// How far back a council's first refresh lists meetings.
    pub backfill_days: i64,
    /// A run or document with no progress for this long is taken up by the reaper.
    pub stale_after_minutes: i64,
    /// Fetch-log rows and finished runs are kept this long.
    pub retention_days: i64,
    /// A document that failed for a transient cause is read again after this long.
    pub document_retry_hours: i64,
    /// Committees whose meetings one listing message reads, so that a slow
    /// council's refresh is spread over several invocations.
    pub committees_per_part: usize,
    /// Points in the jobs that fail once each (tests of recovery only; empty in production).
    pub fault_points: Vec<String>,
    /// The speech model that transcribes webcasts without captions
    /// (`SPEECH_MODEL`); `None`, the default, leaves them untranscribed.
    pub speech_model: Option<String>,
    /// Its REST form's base URL (`…/ai/run/<model>` is posted to); empty:
    /// the Workers AI binding.
    pub speech_base_url: String,
    /// How long each chunk of a webcast's sound sent to it is.
    pub speech_chunk_seconds: u64,
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
            summary_provider: crate::summarise::ProviderKind::Extractive,
            summary_model: crate::summarise::DEFAULT_MODEL.to_string(),
            openai_base_url: String::new(),
            meeting_token_budget: 24_000,
            council_monthly_token_budget: 2_000_000,
            max_output_tokens: 2_000,
            model_json_schema: true,
            model_timeout_ms: 120_000,
            prices: crate::summarise::DEFAULT_PRICES,
            summary_delay_seconds: 120,
            backfill_days: 90,
            stale_after_minutes: 60,
            retention_days: 30,
            document_retry_hours: 24,
            committees_per_part: 6,
            fault_points: Vec::new(),
            speech_model: None,
            speech_base_url: String::new(),
            speech_chunk_seconds: 600,
        }
    }
}

impl Settings {
    /// Reads each setting by name; missing or unparsable values keep their defaults.
    /// The settings from a worker's vars.
    pub fn from_env(env: &worker::Env) -> Self {
        Self::from_lookup(|name| env.var(name).ok().map(|v| v.to_string()))
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let defaults = Self::default();
        let number = |name: &str, default: u64| -> u64 {
            lookup(name).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(default)
        };
        let summary_model =
            lookup("SUMMARY_MODEL").filter(|v| !v.trim().is_empty()).unwrap_or(defaults.summary_model.clone());
        let known = crate::summarise::models::facts(&summary_model);
        // A model in the table brings its list price; prices set in config win.
        let known_prices = known.map_or(defaults.prices, |m| m.prices);
        let max_output_tokens = number("MAX_OUTPUT_TOKENS", u64::from(defaults.max_output_tokens)) as u32;
        let requested_budget = number("MEETING_TOKEN_BUDGET", defaults.meeting_token_budget as u64) as usize;
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
            summary_provider: lookup("SUMMARY_PROVIDER")
                .map_or(defaults.summary_provider, |v| crate::summarise::ProviderKind::parse(&v)),
            summary_model,
            openai_base_url: lookup("OPENAI_BASE_URL").unwrap_or_default(),
            // Never more than the model's window can take beside its answer.
            meeting_token_budget: known.map_or(requested_budget, |m| {
                crate::summarise::models::fitting_budget(requested_budget, m.context_window, max_output_tokens)
            }),
            council_monthly_token_budget: number(
                "COUNCIL_MONTHLY_TOKEN_BUDGET",
                defaults.council_monthly_token_budget as u64,
            ) as usize,
            max_output_tokens,
            model_json_schema: lookup("MODEL_JSON_SCHEMA")
                .map_or(defaults.model_json_schema, |v| !matches!(v.trim(), "0" | "false" | "off" | "no")),
            model_timeout_ms: number("MODEL_TIMEOUT_SECS", defaults.model_timeout_ms / 1000).max(1) * 1000,
            prices: crate::summarise::Prices {
                input_per_million: lookup("PRICE_INPUT_PER_MILLION")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(known_prices.input_per_million),
                output_per_million: lookup("PRICE_OUTPUT_PER_MILLION")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(known_prices.output_per_million),
            },
            summary_delay_seconds: number("SUMMARY_DELAY_SECONDS", u64::from(defaults.summary_delay_seconds)) as u32,
            backfill_days: number("BACKFILL_DAYS", defaults.backfill_days as u64).min(3650) as i64,
            stale_after_minutes: number("STALE_AFTER_MINUTES", defaults.stale_after_minutes as u64)
                .clamp(1, 7 * 24 * 60) as i64,
            retention_days: number("RETENTION_DAYS", defaults.retention_days as u64).clamp(1, 3650) as i64,
            document_retry_hours: number("DOCUMENT_RETRY_HOURS", defaults.document_retry_hours as u64).clamp(1, 24 * 90)
                as i64,
            committees_per_part: number("COMMITTEES_PER_PART", defaults.committees_per_part as u64).clamp(1, 100)
                as usize,
            fault_points: lookup("FAULT_POINTS")
                .map(|v| v.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect())
                .unwrap_or_default(),
            speech_model: lookup("SPEECH_MODEL")
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty() && !matches!(v.as_str(), "off" | "none" | "false")),
            speech_base_url: lookup("SPEECH_BASE_URL").map(|v| v.trim().to_string()).unwrap_or_default(),
            // Whisper hears 30 seconds at a time; one chunk is at most twenty minutes.
            speech_chunk_seconds: number("SPEECH_CHUNK_SECONDS", defaults.speech_chunk_seconds).clamp(10, 1200),
        }
    }

    /// Backoff for a message first sent `age_seconds` ago: wait as long as it has
    /// already waited (at least the base), so delays double with each retry.
    pub fn retry_delay_seconds(&self, age_seconds: u64) -> u32 {
        let age = u32::try_from(age_seconds).unwrap_or(u32::MAX);
        age.max(self.retry_base_seconds).min(self.retry_max_seconds)
    }
}

/// Whether the worker runs in local development (`LOCAL_DEVELOPMENT = "true"`,
/// set only in the configs' local vars): then a webhook endpoint on this
/// machine is allowed. Deployed, the variable is absent.
pub fn local_development(env: &worker::Env) -> bool {
    env.var("LOCAL_DEVELOPMENT").is_ok_and(|v| v.to_string().trim() == "true")
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
    fn a_known_model_brings_its_price_and_caps_the_budget_to_its_window() {
        let settings = Settings::from_lookup(|name| match name {
            "SUMMARY_MODEL" => Some("@cf/meta/llama-3.3-70b-instruct-fp8-fast".into()),
            _ => None,
        });
        assert_eq!(settings.meeting_token_budget, 18_700, "24,000 would not fit its 24,000-token window");
        assert_eq!(settings.prices.output_per_million, 2.253);
        let priced = Settings::from_lookup(|name| match name {
            "SUMMARY_MODEL" => Some("@cf/meta/llama-3.3-70b-instruct-fp8-fast".into()),
            "PRICE_OUTPUT_PER_MILLION" => Some("1.5".into()),
            "MEETING_TOKEN_BUDGET" => Some("8000".into()),
            _ => None,
        });
        assert_eq!((priced.prices.output_per_million, priced.meeting_token_budget), (1.5, 8000));
        let local = Settings::from_lookup(|name| (name == "SUMMARY_MODEL").then(|| "llama3:8b".to_string()));
        assert_eq!(local.meeting_token_budget, 24_000, "a model not in the table keeps the budget asked for");
        assert_eq!(Settings::default().summary_model, crate::summarise::DEFAULT_MODEL);
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

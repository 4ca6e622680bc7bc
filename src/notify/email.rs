//! Emails, the parts that need no runtime: the message (a plain-text part and
//! an HTML part rendered from one body, council text escaped), the one-click
//! unsubscribe headers (RFC 8058), and the request each provider's HTTP API
//! takes, with how its answer is read.

use askama::Template;
use serde_json::{json, Value};

/// One email as we compose it, before a provider's request is made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub headers: Vec<(String, String)>,
    /// Our delivery id: a provider that takes an idempotency key sends a retried request once.
    pub idempotency_key: String,
}

/// What an email says, rendered as text and as HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailBody {
    /// The line mail programs show beside the subject.
    pub preheader: String,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub sections: Vec<EmailSection>,
    /// The main link: (label, address).
    pub action: Option<(String, String)>,
    /// Small print under the content (how the text was made).
    pub notes: Vec<String>,
    /// Why this email came, and the manage and unsubscribe links.
    pub footer: String,
    pub footer_links: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailSection {
    pub title: String,
    pub text: String,
    pub items: Vec<String>,
    pub link: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "email.html")]
struct HtmlEmail<'a> {
    body: &'a EmailBody,
}

impl EmailBody {
    pub fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.heading);
        for paragraph in &self.paragraphs {
            out.push_str(&format!("{paragraph}\n\n"));
        }
        for section in &self.sections {
            out.push_str(&format!("## {}\n", section.title));
            if !section.text.is_empty() {
                out.push_str(&format!("{}\n", section.text));
            }
            for item in &section.items {
                out.push_str(&format!("- {item}\n"));
            }
            if let Some((label, url)) = &section.link {
                out.push_str(&format!("{label}: {url}\n"));
            }
            out.push('\n');
        }
        if let Some((label, url)) = &self.action {
            out.push_str(&format!("{label}: {url}\n\n"));
        }
        for note in &self.notes {
            out.push_str(&format!("{note}\n"));
        }
        out.push_str(&format!("\n-- \n{}\n", self.footer));
        for (label, url) in &self.footer_links {
            out.push_str(&format!("{label}: {url}\n"));
        }
        out
    }

    pub fn html(&self) -> Result<String, String> {
        HtmlEmail { body: self }.render().map_err(|e| format!("email template: {e}"))
    }
}

/// A subject line: one line, no control characters, at most 150 characters.
pub fn subject_line(text: &str) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let words: Vec<&str> = flat.split_whitespace().collect();
    let mut subject = words.join(" ");
    if subject.chars().count() > 150 {
        subject = subject.chars().take(149).collect::<String>() + "…";
    }
    subject
}

/// A council's link, kept only if it is http(s).
pub fn safe_link(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.trim().to_string())
}

/// Text cut to about `limit` characters at a word boundary.
pub fn shorten(text: &str, limit: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once(char::is_whitespace).map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// The headers every alert carries so that mail programs offer one-click
/// unsubscribe (RFC 8058: an https address, answered by a POST).
pub fn unsubscribe_headers(unsubscribe_url: &str) -> Vec<(String, String)> {
    vec![
        ("List-Unsubscribe".into(), format!("<{unsubscribe_url}>")),
        ("List-Unsubscribe-Post".into(), "List-Unsubscribe=One-Click".into()),
    ]
}

/// Which transactional email HTTP API sends our emails (`EMAIL_PROVIDER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Resend's `POST /emails`.
    Resend,
    /// Postmark's `POST /email`.
    Postmark,
    /// Nothing is sent: the email's text is written to the log (local development).
    Log,
}

impl Provider {
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "resend" => Some(Self::Resend),
            "postmark" => Some(Self::Postmark),
            "log" | "" => Some(Self::Log),
            _ => None,
        }
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            Self::Resend => "https://api.resend.com",
            Self::Postmark => "https://api.postmarkapp.com",
            Self::Log => "",
        }
    }

    /// Whether the provider recognises a repeated request by its idempotency
    /// key and does not send it again (Resend keeps keys for 24 hours).
    /// Without that, an attempt whose answer was lost is not repeated: an
    /// email possibly sent is better than one sent twice.
    pub fn recognises_repeats(self) -> bool {
        matches!(self, Self::Resend)
    }
}

/// An HTTP request to a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub fn provider_request(
    provider: Provider,
    base_url: &str,
    api_key: &str,
    from: &str,
    email: &Email,
) -> ProviderRequest {
    let base = base_url.trim_end_matches('/');
    match provider {
        Provider::Resend | Provider::Log => {
            let headers: serde_json::Map<String, Value> =
                email.headers.iter().map(|(name, value)| (name.clone(), json!(value))).collect();
            ProviderRequest {
                url: format!("{base}/emails"),
                headers: vec![
                    ("Authorization".into(), format!("Bearer {api_key}")),
                    ("Content-Type".into(), "application/json".into()),
                    ("Idempotency-Key".into(), email.idempotency_key.clone()),
                ],
                body: json!({
                    "from": from, "to": [email.to], "subject": email.subject,
                    "text": email.text, "html": email.html, "headers": headers,
                })
                .to_string(),
            }
        }
        Provider::Postmark => {
            let headers: Vec<Value> =
                email.headers.iter().map(|(name, value)| json!({"Name": name, "Value": value})).collect();
            ProviderRequest {
                url: format!("{base}/email"),
                headers: vec![
                    ("X-Postmark-Server-Token".into(), api_key.to_string()),
                    ("Content-Type".into(), "application/json".into()),
                    ("Accept".into(), "application/json".into()),
                ],
                body: json!({
                    "From": from, "To": email.to, "Subject": email.subject, "TextBody": email.text,
                    "HtmlBody": email.html, "Headers": headers, "MessageStream": "outbound",
                })
                .to_string(),
            }
        }
    }
}

/// What became of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Accepted; the provider's message id when it gave one.
    Sent(Option<String>),
    /// Try again later (the provider busy, down, or refusing our key).
    Retry(String),
    /// Never try again (the address refused or unusable).
    Failed(String),
}

/// Reads a provider's answer. The address is taken out of any error kept,
/// since a provider may repeat it and errors are logged and stored.
pub fn read_answer(provider: Provider, status: u16, body: &str, address: &str) -> SendOutcome {
    let parsed: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let message = ["message", "Message", "error", "name"]
        .iter()
        .find_map(|field| parsed[field].as_str())
        .map(|m| shorten(m, 200))
        .unwrap_or_default();
    let said = |what: &str| {
        let text = if message.is_empty() { what.to_string() } else { format!("{what}: {message}") };
        scrub(&text, address)
    };
    match status {
        200..=299 => {
            let id = match provider {
                Provider::Postmark => parsed["MessageID"].as_str(),
                _ => parsed["id"].as_str(),
            };
            SendOutcome::Sent(id.map(str::to_string))
        }
        // Resend: this key was used before for a different body, which means
        // an email was sent with it; repeating it is useless.
        409 if parsed["name"] == "invalid_idempotent_request" => SendOutcome::Sent(None),
        401 | 403 => SendOutcome::Retry(said(&format!("the provider refused our key (HTTP {status})"))),
        408 | 409 | 429 => SendOutcome::Retry(said(&format!("the provider asked us to wait (HTTP {status})"))),
        400..=499 => SendOutcome::Failed(said(&format!("the provider refused the email (HTTP {status})"))),
        _ => SendOutcome::Retry(said(&format!("the provider failed (HTTP {status})"))),
    }
}

/// Text with every occurrence of the address (any case) replaced.
pub fn scrub(text: &str, address: &str) -> String {
    if address.is_empty() {
        return text.to_string();
    }
    let lower_text = text.to_lowercase();
    let lower_address = address.to_lowercase();
    // Lower-casing may change byte lengths outside ASCII: then replace exactly only.
    if lower_text.len() != text.len() {
        return text.replace(address, "<address>");
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    while let Some(found) = lower_text[rest..].find(&lower_address) {
        out.push_str(&text[rest..rest + found]);
        out.push_str("<address>");
        rest += found + lower_address.len();
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> EmailBody {
        EmailBody {
            preheader: "Cabinet, 3 March".into(),
            heading: "Cabinet <script>alert(1)</script>".into(),
            paragraphs: vec!["Fees & charges \"rise\"".into()],
            sections: vec![EmailSection {
                title: "5. Budget <b>".into(),
                text: "The budget of £2.4m was approved.".into(),
                items: vec!["Approved <img src=x onerror=alert(1)>".into()],
                link: Some(("Read more".into(), "https://council-digest.org/meetings/a-1".into())),
            }],
            action: Some(("Read the summary".into(), "https://council-digest.org/meetings/a-1?x=1&y=2".into())),
            notes: vec!["Machine-written.".into()],
            footer: "You follow Coventry.".into(),
            footer_links: vec![("Unsubscribe".into(), "https://council-digest.org/alerts/unsubscribe?token=t".into())],
        }
    }

    #[test]
    fn html_escapes_council_text_and_text_keeps_it_plain() {
        let body = sample();
        let html = body.html().unwrap();
        assert!(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b>"));
        assert!(html.contains("Cabinet &#60;script&#62;alert(1)&#60;/script&#62;"), "{html}");
        assert!(html.contains("Fees &#38; charges &#34;rise&#34;"));
        assert!(html.contains("href=\"https://council-digest.org/meetings/a-1?x=1&#38;y=2\""));
        let text = body.text();
        assert!(text.starts_with("Cabinet <script>alert(1)</script>\n"), "text is text: {text}");
        assert!(text.contains("## 5. Budget <b>\nThe budget of £2.4m was approved.\n- Approved"));
        assert!(text.contains("Unsubscribe: https://council-digest.org/alerts/unsubscribe?token=t"));
    }

    #[test]
    fn subjects_are_one_line_and_links_are_web_links() {
        assert_eq!(subject_line("Cabinet\r\nBcc: someone@example.org\t x"), "Cabinet Bcc: someone@example.org x");
        assert_eq!(subject_line(&"a ".repeat(200)).chars().count(), 150);
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(safe_link(" https://council.example/a "), Some("https://council.example/a".into()));
        assert_eq!(shorten("one two three four", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }

    #[test]
    fn provider_requests_carry_both_parts_and_the_unsubscribe_headers() {
        let email = Email {
            to: "ann@example.org".into(),
            subject: "Cabinet".into(),
            text: "text".into(),
            html: "<p>html</p>".into(),
            headers: unsubscribe_headers("https://council-digest.org/alerts/unsubscribe?token=t"),
            idempotency_key: "em_1".into(),
        };
        let resend =
            provider_request(Provider::Resend, "https://api.resend.com/", "re_key", "Alerts <a@x.org>", &email);
        assert_eq!(resend.url, "https://api.resend.com/emails");
        assert!(resend.headers.contains(&("Authorization".into(), "Bearer re_key".into())));
        assert!(resend.headers.contains(&("Idempotency-Key".into(), "em_1".into())));
        let body: Value = serde_json::from_str(&resend.body).unwrap();
        assert_eq!(body["to"], json!(["ann@example.org"]));
        assert_eq!(body["headers"]["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
        assert_eq!(body["headers"]["List-Unsubscribe"], "<https://council-digest.org/alerts/unsubscribe?token=t>");
        assert_eq!((body["text"].as_str(), body["html"].as_str()), (Some("text"), Some("<p>html</p>")));

        let postmark = provider_request(Provider::Postmark, "https://api.postmarkapp.com", "pm", "a@x.org", &email);
        assert_eq!(postmark.url, "https://api.postmarkapp.com/email");
        let body: Value = serde_json::from_str(&postmark.body).unwrap();
        assert_eq!(body["To"], "ann@example.org");
        assert_eq!(body["Headers"][1], json!({"Name": "List-Unsubscribe-Post", "Value": "List-Unsubscribe=One-Click"}));
        assert_eq!(Provider::parse("Postmark"), Some(Provider::Postmark));
        assert_eq!(Provider::parse("carrier-pigeon"), None);
    }

    #[test]
    fn answers_are_read_and_the_address_never_kept() {
        let address = "Ann@Example.org";
        assert_eq!(
            read_answer(Provider::Resend, 200, r#"{"id":"re_1"}"#, address),
            SendOutcome::Sent(Some("re_1".into()))
        );
        assert_eq!(
            read_answer(Provider::Postmark, 200, r#"{"MessageID":"pm_1","ErrorCode":0}"#, address),
            SendOutcome::Sent(Some("pm_1".into()))
        );
        assert!(matches!(read_answer(Provider::Resend, 429, "{}", address), SendOutcome::Retry(_)));
        // Already sent under this key (with another body): delivered, not failed.
        let repeated = r#"{"name":"invalid_idempotent_request","message":"This idempotency key has already been used on a request that had a different payload."}"#;
        assert_eq!(read_answer(Provider::Resend, 409, repeated, address), SendOutcome::Sent(None));
        // Another attempt with the key still in flight: wait and ask again.
        let concurrent = r#"{"name":"concurrent_idempotent_requests","message":"in progress"}"#;
        assert!(matches!(read_answer(Provider::Resend, 409, concurrent, address), SendOutcome::Retry(_)));
        assert!(Provider::Resend.recognises_repeats() && !Provider::Postmark.recognises_repeats());
        assert!(matches!(read_answer(Provider::Resend, 503, "oops", address), SendOutcome::Retry(_)));
        let SendOutcome::Failed(error) = read_answer(
            Provider::Postmark,
            422,
            r#"{"ErrorCode":406,"Message":"ann@example.org is inactive"}"#,
            address,
        ) else {
            panic!("a refused address is not retried")
        };
        assert_eq!(error, "the provider refused the email (HTTP 422): <address> is inactive");
        assert_eq!(scrub("to ANN@example.org and ann@example.org.", "ann@example.org"), "to <address> and <address>.");
    }
}

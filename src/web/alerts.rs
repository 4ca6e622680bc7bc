//! The email alert pages: subscribe to a council, confirm (double opt-in),
//! change what you get, unsubscribe (one click, RFC 8058) and delete
//! everything about your address. Every page is uncached, sent with no
//! referrer, and never shows an address; links carry signed, expiring tokens
//! (`notify::alerts`). Confirmation emails go out on this worker's emails
//! queue (`mail::send_to_subscriber`).

use askama::Template;
use worker::{Env, Request, Response, Result};

use super::routes::{query_value, Route};
use crate::mail::{EmailMessage, EmailSettings};
use crate::notify::alerts::{
    address_key, check_address, delivery_id, parse_keywords, subscription_id, verify_token, Frequency, Preferences,
    Purpose, TokenError, CONFIRMATIONS_PER_ADDRESS_PER_DAY,
};
use crate::storage::alerts::{ConfirmationCaps, SubscriptionRecord};
use crate::storage::Store;
use crate::time::{now_utc, stamp};

/// The largest form accepted.
const MAX_FORM_BYTES: usize = 16 * 1024;

pub struct CommitteeChoice {
    pub id: String,
    pub title: String,
    pub checked: bool,
}

#[derive(Template, Default)]
#[template(path = "alerts.html")]
pub struct AlertsPage {
    pub canonical: String,
    pub search_query: String,
    /// subscribe | manage | button (one button: confirm, unsubscribe) | done
    pub mode: &'static str,
    pub heading: String,
    pub notice: String,
    pub error: String,
    pub paragraphs: Vec<String>,
    pub council_name: String,
    pub action: String,
    pub button: String,
    pub email: String,
    pub frequency: String,
    pub keywords: String,
    pub committees: Vec<CommitteeChoice>,
    pub unsubscribe_action: String,
    pub delete_action: String,
    pub links: Vec<(String, String)>,
}

fn respond(page: &AlertsPage, status: u16) -> Result<Response> {
    let body = page.render().map_err(|e| worker::Error::RustError(format!("template: {e}")))?;
    let response = super::with_headers(Response::ok(body)?.with_status(status), "text/html; charset=utf-8")?;
    // Links with tokens must not leak to other sites, and nothing here is cached.
    response.headers().set("Referrer-Policy", "no-referrer")?;
    response.headers().set("Cache-Control", "no-store")?;
    Ok(response)
}

fn message(
    canonical: &str,
    heading: &str,
    paragraphs: &[&str],
    links: Vec<(String, String)>,
    status: u16,
) -> Result<Response> {
    let page = AlertsPage {
        canonical: canonical.to_string(),
        mode: "done",
        heading: heading.to_string(),
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
        links,
        ..AlertsPage::default()
    };
    respond(&page, status)
}

/// 503: too many confirmation emails asked for in the last hour, by anyone.
fn busy(canonical: &str) -> Result<Response> {
    let response = message(
        canonical,
        "Please try again later",
        &["Far more people than usual are asking for email alerts just now, so we have paused new requests for a while. Please try again in an hour."],
        vec![],
        503,
    )?;
    response.headers().set("Retry-After", "3600")?;
    Ok(response)
}

/// Whether a form POST came from our own pages. Browsers say where a request
/// comes from (`Sec-Fetch-Site`; older ones only `Origin`); a request with
/// neither header is not a browser's and cannot carry a visitor's browser
/// elsewhere, so it passes (RFC 8058 one-click posts from mail providers).
pub fn same_site_post(sec_fetch_site: Option<&str>, origin: Option<&str>, ours: &[&str]) -> bool {
    match (sec_fetch_site.map(str::trim), origin.map(str::trim)) {
        (Some(site), _) => matches!(site, "same-origin" | "none"),
        (None, Some(origin)) => ours.iter().any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(origin)),
        (None, None) => true,
    }
}

/// The alert routes.
pub async fn handle(mut req: Request, env: &Env, route: Route, origin: &str) -> Result<Response> {
    let url = req.url()?;
    let canonical = format!("{origin}{}", url.path());
    let post = req.inner().method() == "POST";
    let settings = match EmailSettings::from_env(env, Some(origin)) {
        Ok(settings) => settings,
        Err(error) => {
            worker::console_error!("email alerts are off: {error}");
            return message(
                &canonical,
                "Email alerts are not available",
                &["Email alerts are not switched on here yet."],
                vec![],
                503,
            );
        }
    };
    if post {
        let header = |name: &str| req.headers().get(name).ok().flatten();
        let own = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default())
            + &url.port().map(|p| format!(":{p}")).unwrap_or_default();
        if !same_site_post(header("Sec-Fetch-Site").as_deref(), header("Origin").as_deref(), &[origin, &own]) {
            return message(
                &canonical,
                "This form was sent from another site",
                &["For your safety, alert forms are only accepted from council-digest's own pages. Nothing was changed. If you meant to do this, open the page on council-digest and send the form from there."],
                vec![("Go to council-digest".to_string(), "/".to_string())],
                403,
            );
        }
    }
    let store = Store::new(env.d1("DB")?);
    let form = if post {
        match super::body::read_capped(&mut req, MAX_FORM_BYTES).await {
            Ok(body) => {
                url::form_urlencoded::parse(body.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
            }
            Err(super::body::BodyError::TooLarge { .. }) => {
                return message(
                    &canonical,
                    "Too much sent",
                    &["That form was far larger than any of ours; nothing was changed."],
                    vec![],
                    413,
                )
            }
            Err(super::body::BodyError::Unreadable) => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let token = query_value(url.query(), "token").unwrap_or_default();
    let context = Context { store: &store, env, settings: &settings, canonical: &canonical };
    match route {
        Route::AlertsForm(council_id) => context.subscribe_form(&council_id).await,
        Route::Subscribe(council_id) => context.subscribe(&council_id, &form).await,
        Route::AlertsConfirm => context.confirm(&token, post).await,
        Route::AlertsManage => context.manage(&token, post.then_some(form.as_slice())).await,
        Route::AlertsUnsubscribe => context.unsubscribe(&token, post).await,
        Route::AlertsDelete => context.delete_everything(&token).await,
        _ => message(&canonical, "Not found", &["There is no page here."], vec![], 404),
    }
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

struct Context<'a> {
    store: &'a Store,
    env: &'a Env,
    settings: &'a EmailSettings,
    canonical: &'a str,
}

/// What a form asked for, or what is wrong with it.
fn read_preferences(form: &[(String, String)], known: &[(String, String)]) -> std::result::Result<Preferences, String> {
    let frequency = Frequency::parse(field(form, "frequency")).ok_or("choose how often")?;
    let keywords = parse_keywords(field(form, "keywords"))?;
    let mut committees: Vec<String> = Vec::new();
    for (name, value) in form {
        if name == "committee" {
            if !known.iter().any(|(id, _)| id == value) {
                return Err("one of the committees is not this council's".into());
            }
            if !committees.contains(value) {
                committees.push(value.clone());
            }
        }
    }
    Ok(Preferences { committees, keywords, frequency })
}

impl Context<'_> {
    async fn committees(&self, council_id: &str) -> Result<Vec<(String, String)>> {
        let rows = self.store.council_committees(council_id).await?;
        Ok(rows.into_iter().filter(|c| c.is_deleted != 1 && c.is_expired != 1).map(|c| (c.id, c.title)).collect())
    }

    fn not_found(&self) -> Result<Response> {
        message(self.canonical, "Not found", &["No council has that id."], vec![], 404)
    }

    fn bad_link(&self, error: TokenError) -> Result<Response> {
        match error {
            TokenError::Expired => message(
                self.canonical,
                "This link has expired",
                &["Links in our emails work for a limited time. Use the link in a more recent email, or ask for alerts again from the council's page: if you already have them, we email you a new link to change or stop them."],
                vec![("All councils".into(), "/".into())],
                410,
            ),
            TokenError::Invalid => message(
                self.canonical,
                "This link does not work",
                &["The link is incomplete or was changed. Copy the whole link from the email and try again."],
                vec![],
                400,
            ),
        }
    }

    /// A page whose one button POSTs to `action`.
    fn button_page(&self, (heading, text): (String, String), action: &str, button: &str) -> Result<Response> {
        let page = AlertsPage {
            canonical: self.canonical.to_string(),
            mode: "button",
            heading,
            paragraphs: vec![text],
            action: action.to_string(),
            button: button.to_string(),
            ..AlertsPage::default()
        };
        respond(&page, 200)
    }

    fn gone(&self) -> Result<Response> {
        message(
            self.canonical,
            "These alerts no longer exist",
            &["They were stopped, deleted, or never confirmed. Nothing more will be sent for them."],
            vec![("All councils".into(), "/".into())],
            404,
        )
    }

    async fn form_page(
        &self,
        council_id: &str,
        council_name: &str,
        (form, error): (&[(String, String)], String),
        status: u16,
    ) -> Result<Response> {
        let chosen: Vec<&str> = form.iter().filter(|(k, _)| k == "committee").map(|(_, v)| v.as_str()).collect();
        let frequency = match field(form, "frequency") {
            "weekly" => "weekly",
            _ => "immediate",
        };
        let page = AlertsPage {
            canonical: self.canonical.to_string(),
            mode: "subscribe",
            heading: format!("Email alerts for {council_name}"),
            error,
            paragraphs: vec![format!(
                "Get an email when {council_name} publishes an agenda or a summary of a meeting, or once a week."
            )],
            council_name: council_name.to_string(),
            action: format!("/councils/{council_id}/alerts"),
            button: "Send me a confirmation email".into(),
            email: field(form, "email").to_string(),
            frequency: frequency.into(),
            keywords: field(form, "keywords").to_string(),
            committees: self
                .committees(council_id)
                .await?
                .into_iter()
                .map(|(id, title)| CommitteeChoice { checked: chosen.contains(&id.as_str()), id, title })
                .collect(),
            links: vec![(format!("Back to {council_name}"), format!("/councils/{council_id}"))],
            ..AlertsPage::default()
        };
        respond(&page, status)
    }

    async fn subscribe_form(&self, council_id: &str) -> Result<Response> {
        let Some(council) = self.store.council(council_id).await? else { return self.not_found() };
        self.form_page(council_id, &council.name, (&[], String::new()), 200).await
    }

    /// A subscription request. The answer is the same whether or not the
    /// address is known, so nobody can learn who follows what.
    async fn subscribe(&self, council_id: &str, form: &[(String, String)]) -> Result<Response> {
        let Some(council) = self.store.council(council_id).await? else { return self.not_found() };
        let known = self.committees(council_id).await?;
        let checked = check_address(field(form, "email"))
            .and_then(|address| read_preferences(form, &known).map(|preferences| (address, preferences)));
        let (address, preferences) = match checked {
            Ok(checked) => checked,
            Err(error) => return self.form_page(council_id, &council.name, (form, error), 422).await,
        };
        let key = address_key(&self.settings.secret, &address);
        let now = now_utc();
        let hour_ago = stamp(now - chrono::Duration::hours(1));
        if self.store.confirmations_to_anyone_since(&hour_ago).await? >= self.settings.confirmations_per_hour {
            // Far more asking than residents do: refused for everyone until the
            // hour passes, and shown to operators in /admin/status.
            worker::console_error!("confirmation emails are over their hourly ceiling; subscribing is refused");
            return busy(self.canonical);
        }
        let random = crate::random::random_secret().map_err(worker::Error::RustError)?;
        let (id, status) = self
            .store
            .request_subscription(
                (&subscription_id(&random[..16]), &address, &key),
                council_id,
                &preferences,
                &stamp(now),
            )
            .await?;
        let kind = if status == "active" { "manage" } else { "confirmation" };
        let email_id = delivery_id(&id, kind, &stamp(now));
        let caps = ConfirmationCaps {
            now: &stamp(now),
            hour_ago: &hour_ago,
            day_ago: &stamp(now - chrono::Duration::hours(24)),
            per_mailbox_per_day: CONFIRMATIONS_PER_ADDRESS_PER_DAY,
            per_hour_to_anyone: self.settings.confirmations_per_hour,
        };
        // Claimed (recorded under every cap at once) before it is queued.
        if self.store.claim_subscriber_email(&email_id, &id, kind, &caps).await? {
            let message = EmailMessage::new(council_id, &email_id, Some(&self.settings.origin));
            self.env.queue("EMAILS")?.send(message).await?;
        }
        message(
            self.canonical,
            "Check your email",
            &[
                &format!("If the address can receive email, a message from council-digest is on its way with a link to confirm your alerts for {}. Nothing else is sent until you follow it.", council.name),
                "We send at most one such message an hour; if it has not arrived, check your spam folder or try again later.",
            ],
            vec![(format!("Back to {}", council.name), format!("/councils/{council_id}"))],
            200,
        )
    }

    async fn subscription(
        &self,
        token: &str,
        purpose: Purpose,
    ) -> std::result::Result<SubscriptionRecord, Result<Response>> {
        let id =
            verify_token(&self.settings.secret, token, purpose, now_utc().timestamp()).map_err(|e| self.bad_link(e))?;
        match self.store.subscription(&id).await {
            Ok(Some(subscription)) => Ok(subscription),
            Ok(None) => Err(self.gone()),
            Err(error) => Err(Err(error)),
        }
    }

    /// GET shows a button and POST confirms: a link scanner that fetches
    /// every link in an email does not subscribe anyone.
    async fn confirm(&self, token: &str, post: bool) -> Result<Response> {
        let subscription = match self.subscription(token, Purpose::Confirm).await {
            Ok(subscription) => subscription,
            Err(response) => return response,
        };
        let name = subscription.council_name.clone();
        if !post {
            let heading = format!("Confirm your alerts for {name}");
            let text = format!("Press the button to start your email alerts for {name}.");
            return self.button_page((heading, text), &format!("/alerts/confirm?token={token}"), "Confirm my alerts");
        }
        self.store.confirm_subscription(&subscription.id, &stamp(now_utc())).await?;
        let manage = self.settings.link(Purpose::Manage, &subscription.id);
        message(
            self.canonical,
            "Your alerts are on",
            &[&format!("You will get email alerts for {name}. Every email has a link to change them or stop them.")],
            vec![
                ("Change what you get".into(), manage),
                (format!("Back to {name}"), format!("/councils/{}", subscription.council_id)),
            ],
            200,
        )
    }

    async fn manage(&self, token: &str, form: Option<&[(String, String)]>) -> Result<Response> {
        let subscription = match self.subscription(token, Purpose::Manage).await {
            Ok(subscription) if subscription.status == "active" => subscription,
            Ok(_) => return self.gone(),
            Err(response) => return response,
        };
        let known = self.committees(&subscription.council_id).await?;
        let (mut preferences, mut notice, mut error, mut status) =
            (subscription.preferences(), String::new(), String::new(), 200);
        if let Some(form) = form {
            match read_preferences(form, &known) {
                Ok(chosen) => {
                    self.store.update_subscription(&subscription.id, &chosen).await?;
                    preferences = chosen;
                    notice = "Saved.".into();
                }
                Err(problem) => {
                    error = problem;
                    status = 422;
                }
            }
        }
        let name = subscription.council_name.clone();
        let page = AlertsPage {
            canonical: self.canonical.to_string(),
            mode: "manage",
            heading: format!("Your email alerts for {name}"),
            notice,
            error,
            council_name: name.clone(),
            action: format!("/alerts/manage?token={token}"),
            button: "Save".into(),
            frequency: preferences.frequency.as_str().into(),
            keywords: preferences.keywords.join(", "),
            committees: known
                .into_iter()
                .map(|(id, title)| CommitteeChoice { checked: preferences.committees.contains(&id), id, title })
                .collect(),
            unsubscribe_action: format!(
                "/alerts/unsubscribe?token={}",
                self.settings.token(Purpose::Unsubscribe, &subscription.id)
            ),
            delete_action: format!("/alerts/delete?token={token}"),
            links: vec![(format!("Back to {name}"), format!("/councils/{}", subscription.council_id))],
            ..AlertsPage::default()
        };
        respond(&page, status)
    }

    /// POST (a mail program's one-click request, or the button) unsubscribes;
    /// GET shows the button. Asked again, the link finds nothing and says so.
    async fn unsubscribe(&self, token: &str, post: bool) -> Result<Response> {
        let subscription = match self.subscription(token, Purpose::Unsubscribe).await {
            Ok(subscription) => subscription,
            Err(response) => return response,
        };
        let name = subscription.council_name.clone();
        if !post {
            let heading = format!("Stop your alerts for {name}");
            let text = format!("Press the button to stop every email alert for {name}.");
            return self.button_page((heading, text), &format!("/alerts/unsubscribe?token={token}"), "Unsubscribe");
        }
        self.store.delete_subscription(&subscription.id).await?;
        message(
            self.canonical,
            "You are unsubscribed",
            &[&format!("Your alerts for {name} are stopped and deleted. Nothing more will be sent for them.")],
            vec![(format!("Back to {name}"), format!("/councils/{}", subscription.council_id))],
            200,
        )
    }

    async fn delete_everything(&self, token: &str) -> Result<Response> {
        let subscription = match self.subscription(token, Purpose::Manage).await {
            Ok(subscription) => subscription,
            Err(response) => return response,
        };
        self.store.delete_address(&subscription.id).await?;
        message(
            self.canonical,
            "Everything is deleted",
            &["Every alert for your address, for every council, and the record of each email we sent you are deleted. We hold nothing about you now."],
            vec![("All councils".into(), "/".into())],
            200,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn forms_are_read_into_choices() {
        let known = vec![("c-1".to_string(), "Cabinet".to_string()), ("c-2".to_string(), "Planning".to_string())];
        let chosen = read_preferences(
            &form(&[("frequency", "weekly"), ("committee", "c-2"), ("committee", "c-2"), ("keywords", "Parking, HS2")]),
            &known,
        )
        .unwrap();
        assert_eq!(chosen.committees, vec!["c-2"]);
        assert_eq!(chosen.keywords, vec!["parking", "hs2"]);
        assert_eq!(chosen.frequency, Frequency::Weekly);
        assert!(read_preferences(&form(&[("frequency", "hourly")]), &known).is_err());
        assert!(read_preferences(&form(&[("frequency", "weekly"), ("committee", "other-9")]), &known).is_err());
    }

    #[test]
    fn pages_escape_what_was_typed_and_show_no_address_once_subscribed() {
        let page = AlertsPage {
            mode: "subscribe",
            heading: "Email alerts for <Council>".into(),
            email: "\"><script>alert(1)</script>".into(),
            keywords: "<b>parking</b>".into(),
            frequency: "immediate".into(),
            ..AlertsPage::default()
        };
        let html = page.render().unwrap();
        assert!(!html.contains("<script>alert") && !html.contains("<b>parking"));
        assert!(html.contains("value=\"immediate\" checked"));
        let manage = AlertsPage { mode: "manage", heading: "Your email alerts".into(), ..AlertsPage::default() };
        assert!(!manage.render().unwrap().contains("name=\"email\""), "the manage page has no address field");
    }
}

//! Civica ModernGov: the XML web service first, the HTML pages as fallback.

pub mod decisions;
pub mod html;
mod platform;
pub mod urls;
pub mod votes;
pub mod xml;

pub use crate::sources::platform::MeetingFetch;
pub use platform::{CommitteeGroup, ModernGov};

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Committee, Councillor, DecisionDetail, DecisionListing, MeetingDetail, MeetingListing};
use crate::net::{Fetcher, HttpRequest, HttpResponse, Validators};
use crate::sources::detect::decode_text;
use crate::sources::partial::FailedPart;
use crate::sources::{get_text, SourceError};

/// How a council's data is read: its web service, or its HTML pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    WebService,
    Html,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WebService => "web_service",
            Self::Html => "html",
        }
    }

    /// The mode a run recorded (`Plan::read_as`); the web service unless it said the pages.
    pub fn parse(text: &str) -> Self {
        match text {
            "html" => Self::Html,
            _ => Self::WebService,
        }
    }
}

/// The council's `web_service` setting: try it and fall back (`auto`), or force one mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebServiceSetting {
    Auto,
    On,
    Off,
}

impl WebServiceSetting {
    pub fn parse(text: &str) -> Self {
        match text {
            "on" => Self::On,
            "off" => Self::Off,
            _ => Self::Auto,
        }
    }
}

/// A council's committees, and how they were read.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitteeList {
    pub mode: Mode,
    pub committees: Vec<Committee>,
    /// Why the web service was not used, when the HTML pages were.
    pub web_service_error: Option<SourceError>,
}

impl CommitteeList {
    /// The committees whose meetings are listed: current ones from the web
    /// service (it flags deleted and expired ones), every one from the pages.
    pub fn to_read(&self) -> Vec<Committee> {
        match self.mode {
            Mode::WebService => active(&self.committees).cloned().collect(),
            Mode::Html => self.committees.clone(),
        }
    }
}

/// The meetings some committees list in a date range.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingLists {
    pub meetings: Vec<MeetingListing>,
    /// Committees whose meeting list could not be read this time.
    pub committee_errors: Vec<(String, SourceError)>,
}

/// A refresh that could not even list the council's meetings.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshError {
    pub web_service: Option<SourceError>,
    pub html: Option<SourceError>,
}

impl RefreshError {
    pub fn is_transient(&self) -> bool {
        self.html.as_ref().or(self.web_service.as_ref()).is_some_and(SourceError::is_transient)
    }
}

impl fmt::Display for RefreshError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.web_service, &self.html) {
            (Some(ws), Some(html)) => write!(f, "web service: {ws}; HTML pages: {html}"),
            (Some(ws), None) => write!(f, "web service: {ws}"),
            (None, Some(html)) => write!(f, "HTML pages: {html}"),
            (None, None) => write!(f, "unknown failure"),
        }
    }
}

/// The council's councillors by ward, from the web service (the HTML pages
/// are not read for them).
pub async fn list_councillors<F: Fetcher>(fetcher: &F, base_url: &str) -> Result<Vec<Councillor>, SourceError> {
    let text = get_text(fetcher, &urls::get_councillors_by_ward(base_url)).await?;
    xml::parse_councillors(&text, base_url)
}

/// The decisions registers for `[from, to]`: delegated and executive decisions,
/// and officer decisions where the council publishes them (a council that
/// does not answers 404 there, which is no error).
pub async fn list_decisions<F: Fetcher>(
    fetcher: &F,
    base_url: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<(Vec<DecisionListing>, Vec<DecisionListing>), SourceError> {
    let delegated = get_text(fetcher, &urls::delegated_decisions(base_url, from, to))
        .await
        .and_then(|text| decisions::parse_decision_list(&text))?;
    let officer = match get_text(fetcher, &urls::officer_decisions(base_url, from, to)).await {
        Ok(text) => decisions::parse_decision_list(&text)?,
        Err(SourceError::Http { status: 404 }) => Vec::new(),
        Err(error) => return Err(error),
    };
    Ok((delegated, officer))
}

pub async fn fetch_decision<F: Fetcher>(
    fetcher: &F,
    base_url: &str,
    decision_id: &str,
) -> Result<DecisionDetail, SourceError> {
    let url = urls::decision_page(base_url, decision_id);
    let text = get_text(fetcher, &url).await?;
    decisions::parse_decision(&text, &url, decision_id)
}

/// Committees worth asking for meetings: current ones.
fn active(committees: &[Committee]) -> impl Iterator<Item = &Committee> {
    committees.iter().filter(|c| !c.is_deleted && !c.is_expired)
}

/// Lists the council's committees: from the web service, or from the HTML
/// pages when the web service is off or answers with anything but data.
pub async fn list_committees<F: Fetcher>(
    fetcher: &F,
    base_url: &str,
    setting: WebServiceSetting,
) -> Result<CommitteeList, RefreshError> {
    let web_service_error = match setting {
        WebServiceSetting::Off => None,
        _ => {
            let listed =
                get_text(fetcher, &urls::get_committees(base_url)).await.and_then(|text| xml::parse_committees(&text));
            match listed {
                Ok(committees) => {
                    return Ok(CommitteeList { mode: Mode::WebService, committees, web_service_error: None })
                }
                Err(error) if setting == WebServiceSetting::On || !error.suggests_no_web_service() => {
                    return Err(RefreshError { web_service: Some(error), html: None })
                }
                Err(error) => Some(error),
            }
        }
    };
    let listed = get_text(fetcher, &urls::committee_list_page(base_url))
        .await
        .and_then(|text| html::parse_committee_list(&text));
    match listed {
        Ok(committees) => Ok(CommitteeList { mode: Mode::Html, committees, web_service_error }),
        Err(error) => Err(RefreshError { web_service: web_service_error, html: Some(error) }),
    }
}

/// Reads each committee's meetings in `[from, to]`. A committee whose list
/// fails is recorded and skipped; if every one fails, that is the error.
pub async fn list_meetings<F: Fetcher>(
    fetcher: &F,
    base_url: &str,
    mode: Mode,
    committee_ids: &[String],
    (from, to): (NaiveDate, NaiveDate),
) -> Result<MeetingLists, SourceError> {
    let mut lists = MeetingLists { meetings: Vec::new(), committee_errors: Vec::new() };
    let mut successes = 0;
    for committee_id in committee_ids {
        let listed = match mode {
            Mode::WebService => get_text(fetcher, &urls::get_meetings(base_url, committee_id, from, to))
                .await
                .and_then(|text| xml::parse_meetings(&text)),
            Mode::Html => get_text(fetcher, &urls::meeting_list_page(base_url, committee_id))
                .await
                .and_then(|text| html::parse_meeting_list(&text, committee_id)),
        };
        match listed {
            Ok(listings) => {
                successes += 1;
                lists.meetings.extend(listings.into_iter().filter(|m| m.date >= from && m.date <= to));
            }
            Err(error) => lists.committee_errors.push((committee_id.clone(), error)),
        }
    }
    match (successes, lists.committee_errors.first()) {
        (0, Some((_, error))) => Err(error.clone()),
        _ => Ok(lists),
    }
}

/// The URLs one meeting's details come from, in the given mode.
pub fn meeting_urls(base_url: &str, mode: Mode, committee_id: &str, meeting_id: &str) -> Vec<String> {
    let page = urls::meeting_page(base_url, committee_id, meeting_id);
    match mode {
        Mode::WebService => vec![urls::get_meeting(base_url, meeting_id), page],
        Mode::Html => vec![page],
    }
}

/// Fetches a meeting: GetMeeting for the agenda, items, documents and
/// attendance, plus the meeting page for meeting-level documents (the
/// frontsheet, reports pack, minutes and supplements), or the page alone in
/// HTML mode. Conditional requests use `known` validators; when only some
/// sources changed, the unchanged ones are fetched again in full.
pub async fn fetch_meeting<F: Fetcher>(
    fetcher: &F,
    base_url: &str,
    mode: Mode,
    committee_id: &str,
    meeting_id: &str,
    known: &HashMap<String, Validators>,
) -> Result<MeetingFetch, SourceError> {
    let urls = meeting_urls(base_url, mode, committee_id, meeting_id);
    let page_url = urls.last().expect("a meeting always has a page URL").clone();
    // In web-service mode the page is secondary: its failure is kept, not fatal.
    let secondary_page = mode == Mode::WebService;
    let mut responses: Vec<Result<HttpResponse, SourceError>> = Vec::with_capacity(urls.len());
    for url in &urls {
        let validators = known.get(url).cloned().unwrap_or_default();
        let response = fetcher.get(&HttpRequest { url: url.clone(), validators, range: None }).await;
        if response.is_err() && !(secondary_page && *url == page_url) {
            return Err(response.expect_err("checked"));
        }
        responses.push(response);
    }
    if responses.iter().all(|r| r.as_ref().is_ok_and(HttpResponse::not_modified)) {
        return Ok(MeetingFetch::NotModified);
    }
    for (url, response) in urls.iter().zip(responses.iter_mut()) {
        if response.as_ref().is_ok_and(HttpResponse::not_modified) {
            *response = fetcher.get(&HttpRequest::get(url)).await;
            if response.is_err() && !(secondary_page && *url == page_url) {
                return Err(response.as_ref().err().cloned().expect("checked"));
            }
        }
    }
    let page = match responses.last().expect("one response per URL") {
        Ok(response) => {
            decode_text(&response.body).and_then(|text| html::parse_meeting_page(text, &page_url, meeting_id))
        }
        Err(error) => Err(error.clone()),
    };
    let (detail, failed_part) = match (mode, page) {
        (Mode::Html, page) => (page?, None),
        (Mode::WebService, page) => {
            let answer = responses[0].as_ref().map_err(Clone::clone)?;
            let mut detail = xml::parse_meeting(decode_text(&answer.body)?, base_url)?;
            match page {
                Ok(page) => {
                    merge_page_into_detail(&mut detail, page);
                    (detail, None)
                }
                Err(error) => (detail, Some((FailedPart::MeetingPage, format!("meeting page unavailable ({error})")))),
            }
        }
    };
    let mut detail = detail;
    read_vote_pages(fetcher, &mut detail).await?;
    let validators = urls
        .into_iter()
        .zip(responses)
        .filter_map(|(url, r)| r.ok().filter(|r| !r.validators.is_empty()).map(|r| (url, r.validators)))
        .collect();
    Ok(MeetingFetch::Fetched { detail, validators, failed_part })
}

/// Reads the voting record pages the meeting page links (at most
/// `MAX_VOTE_PAGES`). A page that cannot be read is a gap of the read, never
/// an empty record; a transient failure retries the meeting.
async fn read_vote_pages<F: Fetcher>(fetcher: &F, detail: &mut MeetingDetail) -> Result<(), SourceError> {
    let total = detail.vote_pages.len();
    let mut failures = Vec::new();
    for page in detail.vote_pages.iter().take(votes::MAX_VOTE_PAGES) {
        match get_text(fetcher, &page.url).await {
            Ok(text) => match votes::parse_voting_record(&text, page.item_source_id.as_deref()) {
                Ok(votes) => detail.recorded_votes.extend(votes),
                Err(error) => failures.push(format!("{}: {error}", page.url)),
            },
            Err(error) if error.is_transient() => return Err(error),
            Err(error) => failures.push(format!("{}: {error}", page.url)),
        }
    }
    let read = total.min(votes::MAX_VOTE_PAGES) - failures.len();
    if read < total {
        let mut why = failures;
        if total > votes::MAX_VOTE_PAGES {
            why.push(format!("only the first {} pages are read", votes::MAX_VOTE_PAGES));
        }
        detail.gaps.push(crate::model::ReadGap {
            part: "recorded votes".into(),
            read: read as u32,
            total: total as u32,
            why: why.join("; "),
        });
    }
    Ok(())
}

/// The web service lacks the page heading and meeting-level document links.
fn merge_page_into_detail(detail: &mut MeetingDetail, page: MeetingDetail) {
    detail.heading = page.heading;
    detail.vote_pages = page.vote_pages;
    detail.webcasts = page.webcasts;
    // Minutes count as published when the web service says so or the printed minutes are linked.
    detail.minutes_published |= page.documents.iter().any(|d| d.kind == crate::model::DocumentKind::PrintedMinutes);
    if detail.location.is_none() {
        detail.location = page.location;
    }
    crate::sources::html::add_documents(&mut detail.documents, page.documents);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MeetingStatus;
    use crate::net::testing::CannedFetcher;

    const BASE: &str = "http://127.0.0.1:9/moderngov";

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/moderngov/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
        futures_util::FutureExt::now_or_never(future).expect("canned fetches never wait")
    }

    #[test]
    fn plans_with_the_web_service_and_skips_expired_committees() {
        let (from, to) = (day(2026, 1, 1), day(2026, 3, 1));
        let fetcher = CannedFetcher::default()
            .ok(&urls::get_committees(BASE), fixture("manchester_GetCommittees_excerpt.xml"))
            .ok(&urls::get_meetings(BASE, "144", from, to), fixture("manchester_GetMeetings_audit-committee-144.xml"))
            .ok(
                &urls::get_meetings(BASE, "163", from, to),
                "<getmeetings><meetingscount>0</meetingscount></getmeetings>",
            );
        let list = block_on(list_committees(&fetcher, BASE, WebServiceSetting::Auto)).unwrap();
        assert_eq!(list.mode, Mode::WebService);
        assert_eq!(list.committees.len(), 3);
        let ids: Vec<String> = list.to_read().into_iter().map(|c| c.source_id).collect();
        let plan = block_on(list_meetings(&fetcher, BASE, list.mode, &ids, (from, to))).unwrap();
        assert_eq!(plan.meetings.len(), 2);
        assert_eq!(plan.meetings[0].status, MeetingStatus::Cancelled);
        assert!(plan.committee_errors.is_empty());
        assert!(
            !fetcher.requested.borrow().iter().any(|u| u.contains("lCommitteeId=312")),
            "expired committee skipped"
        );
    }

    #[test]
    fn falls_back_to_html_when_the_web_service_is_off() {
        let (from, to) = (day(2016, 1, 1), day(2016, 2, 1));
        let list = "<html><body><div id=modgov><a href=\"mgCommitteeDetails.aspx?ID=516\">Audit Committee</a></div></body></html>";
        let meetings = "<html><body><div id=modgov><ul class=mgBulletList>\
            <li><a href=\"ieListDocuments.aspx?CId=516&amp;MId=6937&amp;Ver=4\">27 Jan 2016 7.00 pm</a></li>\
            <li><a href=\"ieListDocuments.aspx?CId=516&amp;MId=6000&amp;Ver=4\">1 Jun 2015 7.00 pm</a></li></ul></div></body></html>";
        let fetcher = CannedFetcher::default()
            .ok(
                &urls::get_committees(BASE),
                fixture("leeds_GetCouncillorsByWard_wrong-host-sharepoint-error-page.html"),
            )
            .ok(&urls::committee_list_page(BASE), list)
            .ok(&urls::meeting_list_page(BASE, "516"), meetings);
        let list = block_on(list_committees(&fetcher, BASE, WebServiceSetting::Auto)).unwrap();
        assert_eq!(list.mode, Mode::Html);
        assert!(matches!(list.web_service_error, Some(SourceError::HtmlInsteadOfXml { .. })));
        let ids: Vec<String> = list.to_read().into_iter().map(|c| c.source_id).collect();
        let plan = block_on(list_meetings(&fetcher, BASE, list.mode, &ids, (from, to))).unwrap();
        assert_eq!(plan.meetings.len(), 1, "meetings outside the window are dropped");
        // A committee whose list fails is recorded; only when every one fails is it an error.
        let two = vec!["516".to_string(), "999".to_string()];
        let plan = block_on(list_meetings(&fetcher, BASE, Mode::Html, &two, (from, to))).unwrap();
        assert_eq!(plan.committee_errors, vec![("999".to_string(), SourceError::Http { status: 404 })]);
        let none = block_on(list_meetings(&fetcher, BASE, Mode::Html, &two[1..], (from, to))).unwrap_err();
        assert_eq!(none, SourceError::Http { status: 404 });
    }

    #[test]
    fn reports_both_failures_for_a_garbage_site() {
        let stub = fixture("denbighshire_GetCouncillorsByWard_http-js-redirect-stub.html");
        let fetcher = CannedFetcher::default()
            .ok(&urls::get_committees(BASE), stub.clone())
            .ok(&urls::committee_list_page(BASE), stub);
        let error = block_on(list_committees(&fetcher, BASE, WebServiceSetting::Auto)).unwrap_err();
        assert_eq!(error.web_service, Some(SourceError::JavaScriptRedirectStub));
        assert_eq!(error.html, Some(SourceError::JavaScriptRedirectStub));
        assert!(!error.is_transient());
        assert_eq!(error.to_string(), "web service: a JavaScript redirect stub instead of data; HTML pages: a JavaScript redirect stub instead of data");
    }

    #[test]
    fn timeouts_are_transient_and_do_not_fall_back() {
        let fetcher = CannedFetcher::default().fail(&urls::get_committees(BASE), SourceError::Timeout { seconds: 30 });
        let error = block_on(list_committees(&fetcher, BASE, WebServiceSetting::Auto)).unwrap_err();
        assert!(error.is_transient());
        assert_eq!(fetcher.requested.borrow().len(), 1);
    }

    #[test]
    fn fetches_a_meeting_from_both_sources() {
        let fetcher = CannedFetcher::default()
            .ok(
                &urls::get_meeting(BASE, "6937"),
                fixture("manchester_GetMeeting_4967_with-minutes.xml").replace("4967", "6937"),
            )
            .ok(
                &urls::meeting_page(BASE, "516", "6937"),
                fixture("redbridge_ieListDocuments_CId516_MId6937_bs4-prettified.html"),
            );
        let result = block_on(fetch_meeting(&fetcher, BASE, Mode::WebService, "516", "6937", &HashMap::new())).unwrap();
        let MeetingFetch::Fetched { detail, .. } = result else { panic!("expected data") };
        assert_eq!(detail.items.len(), 2, "items come from the web service");
        assert_eq!(detail.documents.len(), 3, "meeting documents come from the page");
        assert!(detail.documents[0].url.starts_with("http://127.0.0.1:9/moderngov/documents/g6860/"));
        assert_eq!(detail.heading.as_deref(), Some("Audit Committee - Wednesday, 27th January, 2016 7.00 p.m."));
    }

    #[test]
    fn voting_records_are_read_with_the_meeting_and_one_that_fails_is_a_gap() {
        let links = "<p><a href=\"mgListRecordedVotesShort.aspx?AIID=18833&amp;MID=6937\">Voting record</a> \
            <a href=\"mgListRecordedVotesShort.aspx?AIID=18831&amp;MID=6937\">Voting record</a></p></body>";
        let page =
            fixture("redbridge_ieListDocuments_CId516_MId6937_bs4-prettified.html").replacen("</body>", links, 1);
        let record = std::fs::read_to_string(format!(
            "{}/tests/fixtures/moderngov/derived_mgListRecordedVotesShort_budget-amendment-and-motion.html",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let fetcher = CannedFetcher::default()
            .ok(&urls::get_meeting(BASE, "6937"), fixture("manchester_GetMeeting_4967_with-minutes.xml"))
            .ok(&urls::meeting_page(BASE, "516", "6937"), page)
            .ok(&format!("{BASE}/mgListRecordedVotesShort.aspx?AIID=18833&MID=6937"), record);
        let result = block_on(fetch_meeting(&fetcher, BASE, Mode::WebService, "516", "6937", &HashMap::new())).unwrap();
        let MeetingFetch::Fetched { detail, .. } = result else { panic!("expected data") };
        assert_eq!(detail.recorded_votes.len(), 2, "both votes of the page that answered");
        assert!(detail.recorded_votes.iter().all(|v| v.item_source_id.as_deref() == Some("18833")));
        let gap = detail.gaps.iter().find(|g| g.part == "recorded votes").expect("the page that failed is a gap");
        assert_eq!((gap.read, gap.total), (1, 2));
        assert!(gap.why.contains("AIID=18831") && gap.why.contains("404"), "{}", gap.why);
    }

    #[test]
    fn a_failing_meeting_page_keeps_what_the_web_service_said() {
        let xml = fixture("manchester_GetMeeting_4967_with-minutes.xml");
        for failure in
            [SourceError::Http { status: 404 }, SourceError::Http { status: 500 }, SourceError::Timeout { seconds: 3 }]
        {
            let fetcher = CannedFetcher::default()
                .ok(&urls::get_meeting(BASE, "4967"), xml.clone())
                .fail(&urls::meeting_page(BASE, "144", "4967"), failure.clone());
            let result =
                block_on(fetch_meeting(&fetcher, BASE, Mode::WebService, "144", "4967", &HashMap::new())).unwrap();
            let MeetingFetch::Fetched { detail, failed_part, .. } = result else { panic!("expected data") };
            assert_eq!(detail.items.len(), 2, "items come from the web service");
            assert_eq!(failed_part, Some((FailedPart::MeetingPage, format!("meeting page unavailable ({failure})"))));
        }
        // In HTML mode the page is the only source: its failure is the meeting's.
        let fetcher =
            CannedFetcher::default().fail(&urls::meeting_page(BASE, "144", "4967"), SourceError::Http { status: 500 });
        let error = block_on(fetch_meeting(&fetcher, BASE, Mode::Html, "144", "4967", &HashMap::new())).unwrap_err();
        assert_eq!(error, SourceError::Http { status: 500 });
    }

    #[test]
    fn a_broken_meeting_answer_is_an_error_not_data() {
        let xml = fixture("manchester_GetMeeting_4967_with-minutes.xml");
        let fetcher = CannedFetcher::default().ok(&urls::get_meeting(BASE, "1"), &xml.as_bytes()[..xml.len() / 3]).ok(
            &urls::meeting_page(BASE, "2", "1"),
            fixture("redbridge_ieListDocuments_CId516_MId6937_bs4-prettified.html"),
        );
        let error = block_on(fetch_meeting(&fetcher, BASE, Mode::WebService, "2", "1", &HashMap::new())).unwrap_err();
        assert!(matches!(error, SourceError::TruncatedXml(_)), "{error:?}");
    }

    /// Every real ModernGov fixture goes through every parser: the ones that are
    /// that kind of answer parse, everything else is a clean error, nothing panics.
    #[test]
    fn every_fixture_through_every_parser() {
        let dir = format!("{}/tests/fixtures/moderngov", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".xml") || n.ends_with(".html"))
            .collect();
        names.sort();
        assert_eq!(names.len(), 19, "{names:?}");
        for name in names {
            let bytes = std::fs::read(format!("{dir}/{name}")).unwrap();
            let text = decode_text(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            let committees = xml::parse_committees(text);
            let meetings = xml::parse_meetings(text);
            let meeting = xml::parse_meeting(text, BASE);
            let page = html::parse_meeting_page(text, "https://x.gov.uk/ieListDocuments.aspx?CId=1&MId=2", "2");
            let committee_list = html::parse_committee_list(text);
            assert_eq!(committees.is_ok(), name.contains("GetCommittees"), "{name}: {committees:?}");
            assert_eq!(meetings.is_ok(), name.contains("GetMeetings_"), "{name}: {meetings:?}");
            assert_eq!(meeting.is_ok(), name.contains("GetMeeting_"), "{name}");
            // A voting record page heads itself with its meeting's dated heading, as a meeting page does.
            let dated_heading = name.contains("ieListDocuments") || name.contains("mgListRecordedVotes");
            assert_eq!(page.is_ok(), dated_heading, "{name}: {:?}", page.err());
            let votes = votes::parse_voting_record(text, None);
            assert_eq!(votes.is_ok(), name.contains("mgListRecordedVotes"), "{name}: {votes:?}");
            // Decision pages link to their committee, so they read as a committee list; nothing else does.
            let links_committees = text.contains("mgCommitteeDetails.aspx");
            assert_eq!(committee_list.is_ok(), links_committees, "{name}");
            let _ = html::parse_meeting_list(text, "1");
        }
    }
}

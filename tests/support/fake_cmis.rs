//! A Civica CMIS site on 127.0.0.1 built from Birmingham's real pages
//! (tests/fixtures/cmis): the calendar page, month views, two meeting pages
//! (with their attendance grid's further pages) and `Document.ashx` files,
//! dated around today as the ModernGov fake is. It misbehaves where a test
//! asks: a month answered with DotNetNuke's error page, a meeting page cut
//! short, a meeting page replaced by a login page.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use super::http::{bind, serve_listener, Answer, Request};

use chrono::{Datelike, NaiveDate};

/// The meeting whose page is Birmingham's full page of 4 November 2025.
pub const FULL_MEETING: u32 = 14834;
/// The meeting whose page is the 8 April 2025 page (items 7a and 7b, an exempt appendix).
pub const ITEMS_MEETING: u32 = 14080;
/// A Planning meeting whose page is the summary excerpt: no agenda yet.
pub const UPCOMING_MEETING: u32 = 15099;
/// A meeting whose page is always cut short.
pub const CUT_MEETING: u32 = 15028;
const DNN_ERROR: &str = "<html><head><title>Error</title></head><body><div class=\"dnnFormMessage dnnFormError\">An error has occurred.</div></body></html>";
const LOGIN: &str = "<html><body><form action=\"/birmingham/Home/tabid/36/ctl/Login/Default.aspx\"><input name=\"dnn$ctr$Login$txtPassword\" type=\"password\"></form></body></html>";

#[derive(Clone, Default)]
pub struct CmisSite {
    /// Months (their first day) whose calendar answers with the error page.
    pub broken_months: HashSet<NaiveDate>,
    /// Meetings whose page is now the login page.
    pub login_pages: HashSet<u32>,
    /// Meetings the calendar links on another host (`localhost` for `127.0.0.1`).
    pub foreign_links: HashSet<u32>,
    /// The reports pack (`Document.ashx?…ZkHeYHXv…`) answers only after this long.
    pub slow_pack: Duration,
}

/// One meeting in the fake calendar.
struct Entry {
    id: u32,
    committee: u32,
    title: &'static str,
    days_from_today: i64,
    time: &'static str,
}

const ENTRIES: [Entry; 5] = [
    Entry {
        id: FULL_MEETING,
        committee: 39,
        title: "Meeting of the City Council",
        days_from_today: -10,
        time: "14:00",
    },
    Entry {
        id: ITEMS_MEETING,
        committee: 39,
        title: "Meeting of the City Council",
        days_from_today: -3,
        time: "14:00",
    },
    Entry { id: CUT_MEETING, committee: 6, title: "Licensing Sub-Committee A", days_from_today: -2, time: "10:00" },
    Entry { id: UPCOMING_MEETING, committee: 4, title: "Planning Committee", days_from_today: 5, time: "14:00" },
    // Beyond any listing window: on the calendar, never read.
    Entry { id: 15115, committee: 38, title: "Standards Committee", days_from_today: 120, time: "14:00" },
];

#[derive(Clone)]
pub struct FakeCmis {
    pub port: u16,
    sites: Arc<Mutex<HashMap<String, CmisSite>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/cmis/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

fn pdf(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"))).expect("pdf fixture")
}

fn today() -> NaiveDate {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
}

fn entry_date(entry: &Entry) -> NaiveDate {
    today() + chrono::Duration::days(entry.days_from_today)
}

/// "4 Nov 2025", as CMIS writes a meeting's date.
fn short_date(date: NaiveDate) -> String {
    format!("{} {}", date.day(), date.format("%b %Y"))
}

impl FakeCmis {
    pub fn start() -> Self {
        let (listener, port) = bind(0);
        let server = Self { port, sites: Arc::default(), requests: Arc::default() };
        let handler = server.clone();
        serve_listener(listener, move |request| handler.handle(request));
        server
    }

    /// Adds a site under `/{prefix}/`; answers the calendar page the council is registered with.
    pub fn add_site(&self, prefix: &str, site: CmisSite) -> String {
        self.sites.lock().unwrap().insert(prefix.to_string(), site);
        format!("http://127.0.0.1:{}/{prefix}/birmingham/Meetings.aspx", self.port)
    }

    pub fn change(&self, prefix: &str, change: impl FnOnce(&mut CmisSite)) {
        change(self.sites.lock().unwrap().get_mut(prefix).expect("site"));
    }

    /// Requests whose path contains `needle`.
    pub fn requests_for(&self, needle: &str) -> usize {
        self.requests.lock().unwrap().iter().filter(|r| r.contains(needle)).count()
    }

    pub fn meeting_date(id: u32) -> NaiveDate {
        entry_date(ENTRIES.iter().find(|e| e.id == id).expect("meeting"))
    }

    /// The site's own host written as the fake's: absolute links and root-relative ones.
    fn localise(&self, page: &str, prefix: &str) -> String {
        let root = format!("http://127.0.0.1:{}/{prefix}/birmingham/", self.port);
        page.replace("https://birmingham.cmis.uk.com/birmingham/", &root)
            .replace("http://birmingham.cmis.uk.com/birmingham/", &root)
            .replace("\"/Birmingham/", &format!("\"/{prefix}/birmingham/"))
            .replace("\"/birmingham/", &format!("\"/{prefix}/birmingham/"))
    }

    fn month_page(&self, prefix: &str, month: NaiveDate, foreign: &HashSet<u32>) -> String {
        let mut rows = String::new();
        for entry in ENTRIES.iter().filter(|e| {
            let date = entry_date(e);
            date.year() == month.year() && date.month() == month.month()
        }) {
            let date = entry_date(entry);
            rows.push_str(&format!(
                "<tr class=\"rgRow\"><td class=\"SimpleCalendarDate\">{}</td><td><p class=\"Meeting\"><a href=\"https://birmingham.cmis.uk.com/birmingham/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/{}/Committee/{}/SelectedTab/Documents/Default.aspx\">{} {}</a></p></td></tr>\n",
                date.format("%A, %-d %B"),
                entry.id,
                entry.committee,
                entry.time,
                entry.title
            ));
        }
        // The real month excerpt's frame, its rows replaced by this month's.
        let frame = fixture("birmingham_MeetingCalendarPublicNoJava_month_excerpt.html");
        let start = frame.find("<tr").expect("rows");
        let end = frame.rfind("</tr>").expect("rows") + "</tr>".len();
        let mut page = self.localise(&format!("{}{rows}{}", &frame[..start], &frame[end..]), prefix);
        for id in foreign {
            let link = format!(
                "http://127.0.0.1:{}/{prefix}/birmingham/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/{id}/",
                self.port
            );
            page = page.replace(&link, &link.replace("127.0.0.1", "localhost"));
        }
        page
    }

    fn meeting_page(&self, prefix: &str, id: u32) -> Option<String> {
        let entry = ENTRIES.iter().find(|e| e.id == id)?;
        let date = short_date(entry_date(entry));
        let page = match id {
            FULL_MEETING => fixture("birmingham_ViewMeetingPublic_city-council-2025-11-04_full_rendered.html")
                .replace("4 Nov 2025", &date),
            // The April meeting, its apologies list paged only by postback (a derived fixture).
            ITEMS_MEETING => {
                fixture("derived_ViewMeetingPublic_apologies-paged-by-postback.html").replace("8 Apr 2025", &date)
            }
            CUT_MEETING => {
                let full =
                    fixture("birmingham_ViewMeetingPublic_city-council-2025-04-08_items-with-documents_rendered.html");
                full[..full.len() / 3].to_string()
            }
            _ => fixture("birmingham_ViewMeetingPublic_summary_excerpt.html").replace("3 Aug 2026", &date),
        };
        Some(self.localise(&page, prefix))
    }

    fn answer(&self, path: &str, query: &str) -> (u16, &'static str, Vec<u8>) {
        let Some((prefix, rest)) = path.trim_start_matches('/').split_once('/') else {
            return (404, "text/html", b"<html><body>Not found</body></html>".to_vec());
        };
        let Some(site) = self.sites.lock().unwrap().get(prefix).cloned() else {
            return (404, "text/html", b"<html><body>Not found</body></html>".to_vec());
        };
        let html = |body: String| (200, "text/html; charset=utf-8", body.into_bytes());
        let lower = rest.to_ascii_lowercase();
        if lower.contains("document.ashx") {
            if query.contains("ZkHeYHXv") {
                thread::sleep(site.slow_pack);
            }
            let body = if query.contains("ZkHeYHXv") {
                pdf("kent_cabinet-2025-03-13_public-reports-pack.pdf")
            } else {
                pdf("kent_cabinet-2025-01-30_item-report-24-00109.pdf")
            };
            return (200, "application/pdf", body);
        }
        let month_asked = if lower == "birmingham/meetings.aspx" && query.contains("ctl=MeetingCalendarPublicNoJava") {
            query.split('&').find_map(|p| p.strip_prefix("Date=")).map(str::to_string)
        } else {
            lower.split("/ctl/meetingcalendarpublicnojava/mid/397/date/").nth(1).map(str::to_string)
        };
        if let Some(day) = month_asked {
            let Some(month) = day.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else {
                return (404, "text/html", b"<html></html>".to_vec());
            };
            if site.broken_months.contains(&month) {
                return html(DNN_ERROR.to_string());
            }
            return html(self.month_page(prefix, month, &site.foreign_links));
        }
        if lower == "birmingham/meetings.aspx" {
            // The calendar page: its module's controls and this month's meetings.
            let page = fixture("birmingham_MeetingCalendarPublic_view-actions_excerpt.html")
                .replace("</body>", &format!("{}</body>", self.month_page(prefix, today(), &site.foreign_links)));
            return html(self.localise(&page, prefix));
        }
        if lower.contains("/ctl/viewmeetingpublic/") {
            let id: Option<u32> =
                lower.split("/meeting/").nth(1).and_then(|m| m.split('/').next()).and_then(|m| m.parse().ok());
            let Some(id) = id else { return (404, "text/html", b"<html></html>".to_vec()) };
            if site.login_pages.contains(&id) {
                return html(LOGIN.to_string());
            }
            if let Some(page) =
                query.split('&').find_map(|p| p.strip_prefix("dnn_ctr397_ViewMeetingPublic_gridAttendedChangePage="))
            {
                // Page 2 of the grid is the April page's grid (page 2 of its own); page 4 fails.
                return match page.split('_').next() {
                    Some("4") => html(DNN_ERROR.to_string()),
                    _ => html(self.localise(
                        &fixture(
                            "birmingham_ViewMeetingPublic_city-council-2025-04-08_items-with-documents_rendered.html",
                        ),
                        prefix,
                    )),
                };
            }
            return match self.meeting_page(prefix, id) {
                Some(page) => html(page),
                None => (404, "text/html", b"<html><body>Not found</body></html>".to_vec()),
            };
        }
        (404, "text/html", b"<html><body>Not found</body></html>".to_vec())
    }

    fn handle(&self, request: Request) -> Answer {
        self.requests.lock().unwrap().push(request.path.clone());
        let (path, query) = request.path_and_query();
        let (status, content_type, reply) = self.answer(path, query);
        Answer::new(status, content_type, reply)
    }
}

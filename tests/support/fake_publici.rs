//! A fake Public-i webcast portal on 127.0.0.1, built from the three answers
//! public code documents (see tests/fixtures/SOURCES.md: constructed, not
//! captured): `/pi/core/portal/magic_rss` (the form with the council's
//! `ds_id`), `/pi/core/data/<ds_id>/archived/1/agenda/1` (RSS, one item per
//! webcast with `pi:activity`, `pi:liveDate` and `pi:agenda` points) and
//! `/assets/<activity>.vtt` (captions: 404 until published).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::http::{serve, Answer};

pub const DS_ID: &str = "271";

#[derive(Debug, Clone)]
pub struct FakeWebcast {
    pub activity: u32,
    pub title: String,
    /// RFC 2822, as `pi:liveDate` writes it.
    pub live_date: String,
    /// (agenda text, agenda time) as the feed writes them.
    pub points: Vec<(String, String)>,
}

#[derive(Default)]
struct State {
    webcasts: Vec<FakeWebcast>,
    captions: HashMap<u32, Vec<u8>>,
    /// Each webcast's media (an MP4 file), served in byte ranges.
    media: HashMap<u32, Vec<u8>>,
    requests: Vec<String>,
    /// The `Range` header of each media request.
    ranges: Vec<String>,
}

#[derive(Clone)]
pub struct FakePublicI {
    pub port: u16,
    state: Arc<Mutex<State>>,
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/publici/{name}", env!("CARGO_MANIFEST_DIR"))).expect("a Public-i fixture")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

impl FakePublicI {
    pub fn start() -> Self {
        let state: Arc<Mutex<State>> = Arc::default();
        let kept = Arc::clone(&state);
        let port = serve(move |request| {
            let mut state = kept.lock().unwrap();
            let (path, _) = request.path_and_query();
            let path = path.to_string();
            state.requests.push(path.clone());
            if path == "/pi/core/portal/magic_rss" {
                let page = String::from_utf8(fixture("magic_rss.html")).unwrap().replace("{{DS_ID}}", DS_ID);
                return Answer::new(200, "text/html; charset=utf-8", page);
            }
            if path == format!("/pi/core/data/{DS_ID}/archived/1/agenda/1") {
                return Answer::new(200, "application/rss+xml; charset=utf-8", feed(&state.webcasts));
            }
            if let Some(activity) = path.strip_prefix("/media/").and_then(|p| p.strip_suffix(".mp4")) {
                let range = request.header("range").unwrap_or_default().to_string();
                state.ranges.push(range.clone());
                let Some(body) = activity.parse::<u32>().ok().and_then(|a| state.media.get(&a)) else {
                    return Answer::new(404, "text/html", "<html><body>Not found</body></html>");
                };
                return ranged(body, &range);
            }
            if let Some(activity) = path.strip_prefix("/assets/").and_then(|p| p.strip_suffix(".vtt")) {
                return match activity.parse::<u32>().ok().and_then(|a| state.captions.get(&a)) {
                    Some(body) => Answer::new(200, "text/vtt; charset=utf-8", body.clone()),
                    None => Answer::new(404, "text/html", "<html><body>Not found</body></html>"),
                };
            }
            Answer::new(404, "text/html", "<html><body>Not found</body></html>")
        });
        Self { port, state }
    }

    /// What a council registers as its webcast portal and captions.
    pub fn site(&self) -> String {
        format!("http://127.0.0.1:{}/pi", self.port)
    }

    pub fn captions_template(&self) -> String {
        format!("http://127.0.0.1:{}/assets/{{activity}}.vtt", self.port)
    }

    pub fn media_template(&self) -> String {
        format!("http://127.0.0.1:{}/media/{{activity}}.mp4", self.port)
    }

    /// Serves a webcast's media file.
    pub fn publish_media(&self, activity: u32, body: Vec<u8>) {
        self.state.lock().unwrap().media.insert(activity, body);
    }

    /// The `Range` headers media requests carried.
    pub fn media_ranges(&self) -> Vec<String> {
        self.state.lock().unwrap().ranges.clone()
    }

    pub fn add_webcast(&self, webcast: FakeWebcast) {
        self.state.lock().unwrap().webcasts.push(webcast);
    }

    /// Publishes (or replaces) a webcast's captions.
    pub fn publish_captions(&self, activity: u32, body: Vec<u8>) {
        self.state.lock().unwrap().captions.insert(activity, body);
    }

    pub fn captions_fixture(name: &str) -> Vec<u8> {
        fixture(name)
    }

    /// How many requests asked for a path.
    pub fn requests_for(&self, path: &str) -> usize {
        self.state.lock().unwrap().requests.iter().filter(|p| *p == path).count()
    }
}

/// One byte range of a file (`bytes=a-b`, `bytes=a-`), as 206 with
/// `Content-Range`; the whole file as 200 when no range is asked; 416 past the end.
fn ranged(body: &[u8], range: &str) -> Answer {
    let Some(spec) = range.strip_prefix("bytes=") else {
        let mut answer = Answer::new(200, "video/mp4", body.to_vec());
        answer.headers.push(("Accept-Ranges", "bytes".into()));
        return answer;
    };
    let (first, last) = spec.split_once('-').unwrap_or((spec, ""));
    let first: usize = first.trim().parse().unwrap_or(0);
    let last: usize = last.trim().parse().unwrap_or(usize::MAX).min(body.len().saturating_sub(1));
    if first >= body.len() || first > last {
        let mut answer = Answer::new(416, "text/plain", "range not satisfiable");
        answer.headers.push(("Content-Range", format!("bytes */{}", body.len())));
        return answer;
    }
    let mut answer = Answer::new(206, "video/mp4", body[first..=last].to_vec());
    answer.headers.push(("Content-Range", format!("bytes {first}-{last}/{}", body.len())));
    answer.headers.push(("Accept-Ranges", "bytes".into()));
    answer
}

/// The archived feed, in the shape public code reads.
fn feed(webcasts: &[FakeWebcast]) -> String {
    let mut items = String::new();
    for webcast in webcasts {
        let points: String = webcast
            .points
            .iter()
            .enumerate()
            .map(|(n, (text, time))| {
                format!(
                    "<pi:agenda_item><pi:agenda_id>{}</pi:agenda_id><pi:agenda_text>{}</pi:agenda_text><pi:agenda_time>{}</pi:agenda_time></pi:agenda_item>",
                    n + 1,
                    escape(text),
                    escape(time)
                )
            })
            .collect();
        items.push_str(&format!(
            "<item><title>{title}</title><description>{title}</description>\
             <guid isPermaLink=\"true\">https://fake.public-i.tv/core/portal/webcast_interactive/{id}</guid>\
             <pi:activity>{id}</pi:activity><pi:liveDate>{live}</pi:liveDate><pi:tags>Committee</pi:tags>\
             <pi:agenda>{points}</pi:agenda></item>\n",
            title = escape(&webcast.title),
            id = webcast.activity,
            live = escape(&webcast.live_date),
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:pi=\"http://www.public-i.tv/rss\">\n\
         <channel><title>Archived webcasts</title><link>https://fake.public-i.tv/</link><description>Archived</description>\n{items}</channel></rss>\n"
    )
}

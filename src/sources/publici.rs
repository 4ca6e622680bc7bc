//! Public-i, the webcast platform most UK councils use
//! (`https://<council>.public-i.tv`). Three answers are read, none behind a
//! login: the `magic_rss` page (an HTML form whose hidden `ds_id` is the
//! council's id on the platform), the archived feed (RSS, one item per
//! webcast: its activity id, live date, title and agenda points with their
//! times) and each webcast's captions (WebVTT, machine-made). Parsing and
//! matching are pure; the job that fetches is `jobs::webcasts`.
//!
//! Known only from the field names public code reads, not from captured
//! answers: the unit of `pi:agenda_time` (read as seconds from the start,
//! a clock reading, or a date and time) and the player's deep link
//! (`/start_time/<milliseconds>`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::webcasts::AgendaPoint;

/// The platform's name, as webcasts record it.
pub const PLATFORM: &str = "public-i";

/// Where captions are by default: one host for every council, the account
/// (the portal's first host label) in the path; `{activity}` is the webcast.
pub const CAPTIONS_TEMPLATE: &str = "https://cl-assets.public-i.tv/{account}/subtitles/{account}_{activity}_en_GB.vtt";

/// The portal's page that carries the council's id.
pub fn magic_rss_url(site: &str) -> String {
    format!("{}/core/portal/magic_rss", site.trim_end_matches('/'))
}

/// The archived webcasts with their agenda points.
pub fn archived_feed_url(site: &str, ds_id: &str) -> String {
    format!("{}/core/data/{ds_id}/archived/1/agenda/1", site.trim_end_matches('/'))
}

/// The player's page of a webcast.
pub fn player_url(site: &str, activity: &str) -> String {
    format!("{}/core/portal/webcast_interactive/{activity}", site.trim_end_matches('/'))
}

/// The player at a moment of the webcast.
pub fn player_at(player: &str, ms: u64) -> String {
    format!("{}/start_time/{ms}", player.trim_end_matches('/'))
}

/// The captions' address for a webcast: the council's template (or the
/// platform's, for the portal's account) with the activity filled in.
pub fn captions_url(template: Option<&str>, site: &str, activity: &str) -> Option<String> {
    let template = match template.filter(|t| !t.trim().is_empty()) {
        Some(own) => own.to_string(),
        None => {
            let host = url::Url::parse(site).ok()?.host_str()?.to_ascii_lowercase();
            let account = host.strip_suffix(".public-i.tv")?;
            CAPTIONS_TEMPLATE.replace("{account}", account)
        }
    };
    Some(template.replace("{activity}", activity))
}

/// Whether a registered captions template is one: an http(s) URL with `{activity}` in it.
pub fn valid_captions_template(template: &str) -> bool {
    template.contains("{activity}")
        && url::Url::parse(&template.replace("{activity}", "1")).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// The council's id on the platform, from the `magic_rss` page: digits only
/// (it goes into the feed's path).
pub fn parse_ds_id(html: &str) -> Result<String, String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("input[name=ds_id]").expect("a valid selector");
    let value = document
        .select(&selector)
        .next()
        .and_then(|input| input.value().attr("value"))
        .map(str::trim)
        .ok_or("the magic_rss page has no ds_id")?;
    if value.is_empty() || value.len() > 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "the magic_rss page's ds_id is not a number: {:?}",
            value.chars().take(20).collect::<String>()
        ));
    }
    Ok(value.to_string())
}

/// One webcast of the archived feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebcastListing {
    /// The platform's webcast id (`pi:activity`), digits.
    pub activity: String,
    pub title: String,
    pub live_at: Option<DateTime<Utc>>,
    /// Its agenda points with a time that could be read, in time order.
    pub points: Vec<AgendaPoint>,
    /// Points whose time could not be read.
    pub points_unread: usize,
}

/// The archived feed's webcasts; items without an activity id are left out
/// and counted.
pub fn parse_archived_feed(xml: &str) -> Result<(Vec<WebcastListing>, usize), String> {
    let document = roxmltree::Document::parse(xml).map_err(|e| format!("the archived feed is not XML: {e}"))?;
    let channel =
        document.descendants().find(|n| n.has_tag_name("channel")).ok_or("the archived feed has no RSS channel")?;
    let child_text = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(|t| t.trim().to_string())
    };
    let mut webcasts = Vec::new();
    let mut left_out = 0;
    for item in channel.children().filter(|c| c.is_element() && c.tag_name().name() == "item") {
        let activity = child_text(item, "activity")
            .or_else(|| child_text(item, "guid").and_then(|g| g.rsplit('/').next().map(str::to_string)))
            .filter(|a| !a.is_empty() && a.len() <= 12 && a.bytes().all(|b| b.is_ascii_digit()));
        let Some(activity) = activity else {
            left_out += 1;
            continue;
        };
        let live_at = child_text(item, "liveDate")
            .and_then(|d| DateTime::parse_from_rfc2822(&d).ok())
            .map(|d| d.with_timezone(&Utc));
        let mut points = Vec::new();
        let mut points_unread = 0;
        for point in item.descendants().filter(|n| n.is_element() && n.tag_name().name() == "agenda_item") {
            let text = child_text(point, "agenda_text").unwrap_or_default();
            let at = child_text(point, "agenda_time").and_then(|t| point_offset_ms(&t, live_at));
            match at {
                Some(at_ms) if !text.is_empty() => points.push(AgendaPoint { text, at_ms }),
                _ => points_unread += 1,
            }
        }
        points.sort_by_key(|p| p.at_ms);
        webcasts.push(WebcastListing {
            activity,
            title: child_text(item, "title").unwrap_or_default(),
            live_at,
            points,
            points_unread,
        });
    }
    Ok((webcasts, left_out))
}

/// A point's time as milliseconds from the webcast's start: seconds (a
/// number), a clock reading (`h:mm:ss`) or a date and time (less the start).
pub fn point_offset_ms(text: &str, live_at: Option<DateTime<Utc>>) -> Option<u64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds.is_finite() && (0.0..86_400.0).contains(&seconds)).then(|| (seconds * 1000.0).round() as u64);
    }
    let parts: Vec<&str> = text.split(':').collect();
    if (2..=3).contains(&parts.len()) && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        let numbers: Vec<u64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        let seconds = numbers.iter().fold(0, |total, n| total * 60 + n);
        return Some(seconds * 1000);
    }
    let at =
        DateTime::parse_from_rfc2822(text).or_else(|_| DateTime::parse_from_rfc3339(text)).ok()?.with_timezone(&Utc);
    let offset = (at - live_at?).num_milliseconds();
    (0..86_400_000).contains(&offset).then_some(offset as u64)
}

/// One of our meetings, as webcasts are matched to it.
#[derive(Debug, Clone)]
pub struct MeetingRef {
    pub id: String,
    pub committee: String,
    /// In the council's own time.
    pub date: NaiveDate,
    pub starts_at: Option<DateTime<Utc>>,
}

fn title_words(text: &str) -> Vec<String> {
    const COMMON: [&str; 6] = ["the", "of", "and", "committee", "meeting", "council"];
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() > 1 && !COMMON.contains(&w.as_str()) && !w.bytes().all(|b| b.is_ascii_digit()))
        .collect()
}

/// The meeting a webcast is of: on the same day where the council is, whose
/// committee's name the webcast's title carries (most of its words), and of
/// several such, the one whose start is nearest the webcast's. A webcast
/// matching none is kept unmatched; one never guesses.
pub fn match_meeting(webcast: &WebcastListing, local_date: NaiveDate, meetings: &[MeetingRef]) -> Option<usize> {
    let said = title_words(&webcast.title);
    meetings
        .iter()
        .enumerate()
        .filter(|(_, m)| m.date == local_date)
        .filter(|(_, m)| {
            let committee = title_words(&m.committee);
            let shared = committee.iter().filter(|w| said.contains(w)).count();
            !committee.is_empty() && shared * 3 >= committee.len() * 2
        })
        .min_by_key(|(_, m)| match (m.starts_at, webcast.live_at) {
            (Some(start), Some(live)) => (start - live).num_minutes().abs(),
            _ => i64::MAX,
        })
        .map(|(at, _)| at)
}

/// Webcast links on a council's meeting page (ModernGov and CMIS link the
/// player): each link's portal, and the webcast's activity where the link
/// names one (`webcast_interactive/<id>`; Birmingham's `home/<n>` links name
/// the portal only, with the council's own meeting id).
pub fn linked_webcasts(html: &str, page_url: &str) -> Vec<(String, Option<String>)> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("a[href]").expect("a valid selector");
    let base = url::Url::parse(page_url).ok();
    let mut found: Vec<(String, Option<String>)> = Vec::new();
    for link in document.select(&selector) {
        let href = link.value().attr("href").unwrap_or_default();
        let Some(url) = base.as_ref().and_then(|b| b.join(href).ok()).or_else(|| url::Url::parse(href).ok()) else {
            continue;
        };
        if !url.host_str().is_some_and(|h| h.ends_with(".public-i.tv")) {
            continue;
        }
        let segments: Vec<&str> = url.path_segments().map(|s| s.collect()).unwrap_or_default();
        let activity = segments
            .windows(2)
            .find(|w| w[0] == "webcast_interactive")
            .map(|w| w[1])
            .filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string);
        let site = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
        if !found.iter().any(|(s, a)| *s == site && *a == activity) {
            found.push((site, activity));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:pi="http://www.public-i.tv/rss">
<channel><title>Archived webcasts</title>
<item>
  <title>Cabinet - 30 January 2025</title>
  <guid>https://coventry.public-i.tv/core/portal/webcast_interactive/912345</guid>
  <pi:activity>912345</pi:activity>
  <pi:liveDate>Thu, 30 Jan 2025 14:00:00 +0000</pi:liveDate>
  <pi:agenda>
    <pi:agenda_item><pi:agenda_id>1</pi:agenda_id><pi:agenda_text>1 Apologies</pi:agenda_text><pi:agenda_time>65</pi:agenda_time></pi:agenda_item>
    <pi:agenda_item><pi:agenda_id>2</pi:agenda_id><pi:agenda_text>4 Budget</pi:agenda_text><pi:agenda_time>0:12:30</pi:agenda_time></pi:agenda_item>
    <pi:agenda_item><pi:agenda_id>3</pi:agenda_id><pi:agenda_text>5 Plan</pi:agenda_text><pi:agenda_time>Thu, 30 Jan 2025 15:00:00 +0000</pi:agenda_time></pi:agenda_item>
    <pi:agenda_item><pi:agenda_id>4</pi:agenda_id><pi:agenda_text>6 Later</pi:agenda_text><pi:agenda_time>soon</pi:agenda_time></pi:agenda_item>
  </pi:agenda>
</item>
<item><title>No id</title><guid>https://x.public-i.tv/core/portal/home</guid></item>
</channel></rss>"#;

    #[test]
    fn the_archived_feed_gives_webcasts_and_their_points() {
        let (webcasts, left_out) = parse_archived_feed(FEED).unwrap();
        assert_eq!((webcasts.len(), left_out), (1, 1));
        let webcast = &webcasts[0];
        assert_eq!(webcast.activity, "912345");
        assert_eq!(webcast.live_at.unwrap().to_rfc3339(), "2025-01-30T14:00:00+00:00");
        let points: Vec<(&str, u64)> = webcast.points.iter().map(|p| (p.text.as_str(), p.at_ms)).collect();
        assert_eq!(points, [("1 Apologies", 65_000), ("4 Budget", 750_000), ("5 Plan", 3_600_000)]);
        assert_eq!(webcast.points_unread, 1);
        assert!(parse_archived_feed("<html><body>Service unavailable").is_err());
        assert!(parse_archived_feed("<rss><nochannel/></rss>").is_err());
    }

    #[test]
    fn the_council_id_comes_from_the_magic_rss_form() {
        let page = r#"<html><body><form><input type="hidden" name="ds_id" value=" 271 "><input name="x"></form></body></html>"#;
        assert_eq!(parse_ds_id(page).unwrap(), "271");
        assert!(parse_ds_id("<html><input name=ds_id value='../../etc'></html>").is_err());
        assert!(parse_ds_id("<html><p>Moved</p></html>").is_err());
    }

    #[test]
    fn addresses() {
        let site = "https://coventry.public-i.tv/";
        assert_eq!(archived_feed_url(site, "271"), "https://coventry.public-i.tv/core/data/271/archived/1/agenda/1");
        assert_eq!(
            captions_url(None, site, "912345").unwrap(),
            "https://cl-assets.public-i.tv/coventry/subtitles/coventry_912345_en_GB.vtt"
        );
        assert_eq!(captions_url(None, "http://127.0.0.1:9/pi", "1"), None, "no account without the platform's host");
        assert_eq!(
            captions_url(Some("http://127.0.0.1:9/c/{activity}.vtt"), "http://127.0.0.1:9/pi", "7").unwrap(),
            "http://127.0.0.1:9/c/7.vtt"
        );
        assert!(valid_captions_template("https://a.example/{activity}.vtt"));
        assert!(!valid_captions_template("https://a.example/fixed.vtt"));
        assert!(!valid_captions_template("javascript:{activity}"));
        let player = player_url(site, "912345");
        assert_eq!(
            player_at(&player, 750_000),
            "https://coventry.public-i.tv/core/portal/webcast_interactive/912345/start_time/750000"
        );
    }

    #[test]
    fn webcasts_match_the_meeting_of_their_committee_that_day() {
        let day = NaiveDate::from_ymd_opt(2025, 1, 30).unwrap();
        let at = |h: u32| Some(day.and_hms_opt(h, 0, 0).unwrap().and_utc());
        let meetings = vec![
            MeetingRef { id: "a".into(), committee: "Cabinet".into(), date: day, starts_at: at(10) },
            MeetingRef { id: "b".into(), committee: "Planning Committee".into(), date: day, starts_at: at(14) },
            MeetingRef { id: "c".into(), committee: "Cabinet".into(), date: day, starts_at: at(18) },
            MeetingRef { id: "d".into(), committee: "Cabinet".into(), date: day.succ_opt().unwrap(), starts_at: None },
        ];
        let webcast = |title: &str, hour: u32| WebcastListing {
            activity: "1".into(),
            title: title.into(),
            live_at: at(hour),
            points: vec![],
            points_unread: 0,
        };
        assert_eq!(match_meeting(&webcast("Cabinet - 30 January 2025", 17), day, &meetings), Some(2));
        assert_eq!(match_meeting(&webcast("Cabinet", 9), day, &meetings), Some(0));
        assert_eq!(match_meeting(&webcast("Planning Committee - 30/01/2025", 14), day, &meetings), Some(1));
        assert_eq!(match_meeting(&webcast("Full Council", 14), day, &meetings), None);
    }

    #[test]
    fn meeting_pages_link_their_webcasts() {
        let page = r#"<a href="https://coventry.public-i.tv/core/portal/webcast_interactive/912345">Watch</a>
            <a href="https://birmingham.public-i.tv/core/portal/home/77">Webcast</a>
            <a href="https://example.com/core/portal/webcast_interactive/1">Not the platform</a>
            <a href="/ieListDocuments.aspx?MId=1">Papers</a>"#;
        let found = linked_webcasts(page, "https://edemocracy.coventry.gov.uk/ieListDocuments.aspx?MId=1");
        assert_eq!(
            found,
            [
                ("https://coventry.public-i.tv".to_string(), Some("912345".to_string())),
                ("https://birmingham.public-i.tv".to_string(), None)
            ]
        );
    }
}

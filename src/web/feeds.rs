//! RSS 2.0 of summaries and iCalendar (RFC 5545) of meetings, built from rows.

use chrono::{DateTime, NaiveDate, Utc};

use super::html::escape;
use crate::storage::rows::{CalendarMeeting, FeedItem};

fn rfc2822(stamp: &str) -> String {
    DateTime::parse_from_rfc3339(stamp).map(|t| t.to_rfc2822()).unwrap_or_default()
}

/// An RSS 2.0 channel of summaries and decisions (a decision's headline is its text).
pub fn rss(site: &str, title: &str, link_path: &str, items: &[FeedItem]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>");
    out.push_str(&format!(
        "<title>{}</title><link>{}{}</link><description>{}</description><language>en-gb</language>",
        escape(title),
        escape(site),
        escape(link_path),
        escape(&format!("Meeting summaries: {title}"))
    ));
    for item in items {
        let (link, guid, item_title, description) = match item {
            FeedItem::Summary(summary) => (
                format!("{site}/meetings/{}", summary.meeting_id),
                format!("{}-v{}", summary.meeting_id, summary.version),
                summary.title.clone(),
                summary.headline.clone().unwrap_or_default(),
            ),
            FeedItem::Decision(decision) => (
                format!("{site}/decisions/{}", decision.decision_id),
                format!("{}-decision", decision.decision_id),
                format!("Decision: {}", decision.title),
                excerpt(&decision.headline, 400),
            ),
        };
        out.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"false\">{}</guid><pubDate>{}</pubDate><description>{}</description></item>",
            escape(&item_title),
            escape(&link),
            escape(&guid),
            rfc2822(item.created_at()),
            escape(&description),
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// The first `limit` characters of a text, cut at a word, with an ellipsis when cut.
fn excerpt(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// Escapes a TEXT value (RFC 5545 3.3.11). Every line break (CR LF, bare CR
/// or bare LF) becomes `\n`, and other control characters are dropped, so no
/// council text can end the line and start a property of its own.
fn ical_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a character (RFC 5545 3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut length = 0;
    for c in line.chars() {
        if length + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            length = 1;
        }
        out.push(c);
        length += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

fn utc_stamp(stamp: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(stamp).ok().map(|t| t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string())
}

/// A calendar of meetings.
pub fn ical(site: &str, name: &str, meetings: &[CalendarMeeting]) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//council-digest//meetings//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", ical_text(name)),
    ] {
        out.push_str(&fold(&line));
    }
    for meeting in meetings {
        let id = &meeting.id;
        let mut lines = vec![
            "BEGIN:VEVENT".to_string(),
            format!("UID:{id}@council-digest"),
            format!("DTSTAMP:{}", utc_stamp(&meeting.updated_at).unwrap_or_else(|| "20000101T000000Z".to_string())),
        ];
        match meeting.starts_at_utc.as_deref().and_then(utc_stamp) {
            Some(start) => {
                lines.push(format!("DTSTART:{start}"));
                if let Ok(begin) = DateTime::parse_from_rfc3339(meeting.starts_at_utc.as_deref().unwrap_or_default()) {
                    let end = begin.with_timezone(&Utc) + chrono::Duration::hours(2);
                    lines.push(format!("DTEND:{}", end.format("%Y%m%dT%H%M%SZ")));
                }
            }
            None => {
                if let Ok(date) = NaiveDate::parse_from_str(&meeting.local_date, "%Y-%m-%d") {
                    lines.push(format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")));
                }
            }
        }
        lines.push(format!("SUMMARY:{}", ical_text(&meeting.title)));
        if let Some(location) = &meeting.location {
            lines.push(format!("LOCATION:{}", ical_text(location)));
        }
        lines.push(format!("URL:{site}/meetings/{id}"));
        lines.push(format!("STATUS:{}", if meeting.status == "cancelled" { "CANCELLED" } else { "CONFIRMED" }));
        lines.push("END:VEVENT".to_string());
        for line in lines {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::rows::{DecisionFeedRow, SummaryFeedRow};

    fn meeting(title: &str, status: &str, location: &str) -> CalendarMeeting {
        CalendarMeeting {
            id: "coventry-1".into(),
            title: title.into(),
            local_date: "2026-01-05".into(),
            starts_at_utc: Some("2026-01-05T10:00:00Z".into()),
            status: status.into(),
            location: Some(location.into()),
            updated_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    fn summary(title: &str, headline: &str, version: i64) -> FeedItem {
        FeedItem::Summary(SummaryFeedRow {
            meeting_id: "coventry-1".into(),
            version,
            created_at: "2026-01-05T10:00:00Z".into(),
            title: title.into(),
            headline: Some(headline.into()),
        })
    }

    #[test]
    fn council_text_cannot_start_a_calendar_property() {
        assert_eq!(ical_text("Planning\rDTSTART:19700101T000000Z"), "Planning\\nDTSTART:19700101T000000Z");
        assert_eq!(ical_text("a\r\nb\nc\u{b}d\u{0}e"), "a\\nb\\ncde");
        assert_eq!(ical_text("x;y,z\\"), "x\\;y\\,z\\\\");
        let cal = ical("http://x", "Test", &[meeting("Cabinet\rSTATUS:CANCELLED\u{1}", "confirmed", "Room\r\n1")]);
        assert!(cal.lines().all(|l| !l.starts_with("STATUS:CANCELLED")), "{cal}");
        assert!(!cal.contains('\u{1}'));
        assert!(cal.split("\r\n").all(|l| !l.contains('\r') && !l.contains('\n')), "{cal:?}");
    }

    #[test]
    fn rss_drops_characters_xml_does_not_allow() {
        let feed = rss("http://x", "Test", "/councils/c", &[summary("Budget\u{1}", "Agreed\u{b} \u{FFFF}£24m", 1)]);
        assert!(feed.chars().all(crate::web::html::xml_allowed), "{feed:?}");
        assert!(feed.contains("Agreed £24m"));
    }

    #[test]
    fn escapes_and_folds_calendar_lines() {
        let cal = ical(
            "https://cd.example",
            "Coventry",
            &[meeting("Cabinet, budget; and more \\ things", "cancelled", "Council House, Coventry")],
        );
        assert!(cal.contains("UID:coventry-1@council-digest\r\n"));
        assert!(cal.contains("DTSTART:20260105T100000Z\r\n"));
        assert!(cal.contains("STATUS:CANCELLED\r\n"));
        assert!(cal.contains("SUMMARY:Cabinet\\, budget\\; and more \\\\ things"));
        assert!(cal.lines().all(|l| l.len() <= 75));
        let long = fold(&"é".repeat(100));
        assert!(long.split("\r\n").all(|l| l.len() <= 75));
    }

    #[test]
    fn decisions_are_feed_items_of_their_own() {
        let decision = FeedItem::Decision(DecisionFeedRow {
            decision_id: "k-d13149".into(),
            title: "Admission of the Public".into(),
            headline:
                "That approval be given to enable the contractor to consult on alternative processing arrangements."
                    .into(),
            created_at: "2026-11-20T10:00:00Z".into(),
        });
        let feed = rss("https://cd.example", "Kirklees", "/councils/k", &[decision]);
        assert!(feed.contains("<title>Decision: Admission of the Public</title>"), "{feed}");
        assert!(feed.contains("<link>https://cd.example/decisions/k-d13149</link>"));
        assert!(feed.contains("<guid isPermaLink=\"false\">k-d13149-decision</guid>"));
        assert_eq!(excerpt("one two three", 8), "one two …");
        assert_eq!(excerpt("short", 8), "short");
    }

    #[test]
    fn writes_rss_items() {
        let feed =
            rss("https://cd.example", "Coventry & friends", "/councils/coventry", &[summary("Cabinet <b>", "x", 2)]);
        assert!(feed.contains("<title>Coventry &amp; friends</title>"));
        assert!(feed.contains("<guid isPermaLink=\"false\">coventry-1-v2</guid>"));
        assert!(feed.contains("Mon, 5 Jan 2026 10:00:00 +0000"));
        assert!(!feed.contains("<b>"));
    }
}

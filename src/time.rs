//! Dates and times as councils write them, and their conversion to instants.
//!
//! ModernGov writes dates as `dd/mm/yyyy` and times as `10.00 am`; meeting pages
//! write `Wednesday, 27th January, 2016 7.00 p.m.`. Councils meet in local time
//! (Europe/London), so we keep the local date and time and the UTC instant.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::London;

/// The current instant. On wasm32 `SystemTime` panics, so ask the JS clock.
pub fn now_utc() -> DateTime<Utc> {
    #[cfg(target_arch = "wasm32")]
    {
        let millis = worker::Date::now().as_millis() as i64;
        DateTime::from_timestamp_millis(millis).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        DateTime::<Utc>::from(std::time::SystemTime::now())
    }
}

/// RFC 3339 with seconds and a `Z`, the one timestamp format stored in D1.
pub fn stamp(instant: DateTime<Utc>) -> String {
    instant.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A stored timestamp (RFC 3339) as an instant.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

pub fn parse_time_zone(name: &str) -> Tz {
    name.parse().unwrap_or(DEFAULT_TIME_ZONE)
}

/// `dd/mm/yyyy`, as the web service writes dates. A trailing time is ignored.
pub fn parse_uk_date(text: &str) -> Option<NaiveDate> {
    let date_part = text.trim().split([' ', ',']).next()?;
    NaiveDate::parse_from_str(date_part, "%d/%m/%Y").ok()
}

pub fn format_uk_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Times such as `10.00 am`, `7.00 p.m.`, `2pm`, `14:30`, `noon`.
pub fn parse_clock_time(text: &str) -> Option<NaiveTime> {
    let lower = text.trim().to_ascii_lowercase().replace(['.', ' '], "");
    if lower.is_empty() {
        return None;
    }
    if lower == "noon" || lower == "midday" || lower == "12noon" {
        return NaiveTime::from_hms_opt(12, 0, 0);
    }
    let (digits, meridiem) = if let Some(rest) = lower.strip_suffix("am") {
        (rest, Some(false))
    } else if let Some(rest) = lower.strip_suffix("pm") {
        (rest, Some(true))
    } else {
        (lower.as_str(), None)
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 4 {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<u32>().ok()?, 0),
        _ => {
            let split = digits.len() - 2;
            (digits[..split].parse().ok()?, digits[split..].parse().ok()?)
        }
    };
    let hours = match meridiem {
        Some(true) if hours < 12 => hours + 12,
        Some(false) if hours == 12 => 0,
        Some(_) if hours > 12 => return None,
        _ => hours,
    };
    NaiveTime::from_hms_opt(hours, minutes, 0)
}

/// The UTC instant of a local wall-clock time. In the autumn overlap the first
/// occurrence is taken; a time inside the spring gap moves forward an hour.
pub fn local_to_utc(date: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let local = NaiveDateTime::new(date, time);
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(instant) => instant.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => zone
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map(|instant| instant.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local)),
    }
}

pub fn local_date(instant: DateTime<Utc>, zone: Tz) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

fn ordinal_suffix(day: u32) -> &'static str {
    match (day % 10, day % 100) {
        (1, n) if n != 11 => "st",
        (2, n) if n != 12 => "nd",
        (3, n) if n != 13 => "rd",
        _ => "th",
    }
}

/// A date as residents read it in prose: `Sunday 15 November 2026` (a text
/// that is not a `YYYY-MM-DD` date is given back as it is).
pub fn prose_date(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_or_else(|_| date.to_string(), |d| d.format("%A %-d %B %Y").to_string())
}

/// A stored instant as residents read it, in the zone's local time:
/// `Sunday 6 December 2026, 2pm`, `…, 2.05pm` (an unreadable text is given back).
pub fn prose_instant(stamp: &str, zone: Tz) -> String {
    let Some(local) = DateTime::parse_from_rfc3339(stamp).ok().map(|t| t.with_timezone(&zone)) else {
        return stamp.to_string();
    };
    let clock = local.format("%-I.%M%P").to_string().replace(".00", "");
    format!("{}, {clock}", local.format("%A %-d %B %Y"))
}

/// ModernGov's long date: `Wednesday, 26th June, 2024`.
pub fn long_date(date: NaiveDate) -> String {
    format!(
        "{}, {}{} {}, {}",
        date.format("%A"),
        date.day(),
        ordinal_suffix(date.day()),
        date.format("%B"),
        date.year()
    )
}

/// A meeting's title in the council's own style:
/// `Scrutiny Co-ordination Committee - Wednesday, 26th June, 2024 11.00 am`.
pub fn meeting_title(committee: &str, date: NaiveDate, time_text: Option<&str>) -> String {
    match time_text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(time) => format!("{} - {} {}", committee.trim(), long_date(date), time),
        None => format!("{} - {}", committee.trim(), long_date(date)),
    }
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Finds a date (and a time, when present) in free text such as
/// `Wednesday, 27th January, 2016 7.00 p.m.` or `27 Jan 2016 10.00 am`.
pub fn find_date_time(text: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let tokens: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    for (index, token) in tokens.iter().enumerate() {
        if let Some(date) = parse_uk_date(token) {
            let time = tokens.get(index + 1).and_then(|t| time_from_tokens(t, tokens.get(index + 2)));
            return Some((date, time));
        }
        let Some(month) = MONTHS.iter().position(|m| token.starts_with(m)) else {
            continue;
        };
        let day = index
            .checked_sub(1)
            .and_then(|i| tokens.get(i))
            .and_then(|t| t.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse::<u32>().ok());
        let year = tokens.get(index + 1).and_then(|t| t.parse::<i32>().ok());
        if let (Some(day), Some(year)) = (day, year) {
            let date = NaiveDate::from_ymd_opt(year, month as u32 + 1, day)?;
            let time = tokens.get(index + 2).and_then(|t| time_from_tokens(t, tokens.get(index + 3)));
            return Some((date, time));
        }
    }
    None
}

fn time_from_tokens(first: &str, second: Option<&String>) -> Option<NaiveTime> {
    let with_meridiem =
        second.filter(|s| matches!(s.replace('.', "").as_str(), "am" | "pm")).map(|s| format!("{first} {s}"));
    parse_clock_time(with_meridiem.as_deref().unwrap_or(first))
}

/// ISO week (`2026-W05`) into its Monday.
pub fn parse_iso_week(text: &str) -> Option<NaiveDate> {
    let (year, week) = text.split_once("-W")?;
    let year: i32 = year.parse().ok()?;
    let week: u32 = week.parse().ok()?;
    NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)
}

pub fn iso_week_label(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_read_in_the_councils_zone() {
        assert_eq!(prose_instant("2026-06-26T10:00:00Z", DEFAULT_TIME_ZONE), "Friday 26 June 2026, 11am");
        assert_eq!(prose_instant("2026-12-06T14:05:00Z", DEFAULT_TIME_ZONE), "Sunday 6 December 2026, 2.05pm");
        assert_eq!(prose_instant("soon", DEFAULT_TIME_ZONE), "soon");
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_web_service_dates_and_times() {
        assert_eq!(parse_uk_date("10/02/2026"), Some(date(2026, 2, 10)));
        assert_eq!(parse_uk_date(" 26/10/2017, 03:45"), Some(date(2017, 10, 26)));
        assert_eq!(parse_uk_date("2026-02-10"), None);
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_clock_time("10.00 am"), t(10, 0));
        assert_eq!(parse_clock_time("7.00 p.m."), t(19, 0));
        assert_eq!(parse_clock_time("12.30 pm"), t(12, 30));
        assert_eq!(parse_clock_time("12.15 am"), t(0, 15));
        assert_eq!(parse_clock_time("2pm"), t(14, 0));
        assert_eq!(parse_clock_time("14:30"), t(14, 30));
        assert_eq!(parse_clock_time("Noon"), t(12, 0));
        assert_eq!(parse_clock_time("13.00 pm"), None);
        assert_eq!(parse_clock_time("tbc"), None);
        assert_eq!(parse_clock_time(""), None);
    }

    #[test]
    fn converts_london_time_across_daylight_saving() {
        let winter = local_to_utc(date(2026, 2, 10), NaiveTime::from_hms_opt(10, 0, 0).unwrap(), DEFAULT_TIME_ZONE);
        assert_eq!(stamp(winter), "2026-02-10T10:00:00Z");
        let summer = local_to_utc(date(2024, 6, 26), NaiveTime::from_hms_opt(11, 0, 0).unwrap(), DEFAULT_TIME_ZONE);
        assert_eq!(stamp(summer), "2024-06-26T10:00:00Z");
        // 01:30 on 2026-03-29 does not exist in London; it moves to 02:30 BST.
        let gap = local_to_utc(date(2026, 3, 29), NaiveTime::from_hms_opt(1, 30, 0).unwrap(), DEFAULT_TIME_ZONE);
        assert_eq!(stamp(gap), "2026-03-29T01:30:00Z");
        // 01:30 on 2026-10-25 happens twice; the first (BST) is taken.
        let overlap = local_to_utc(date(2026, 10, 25), NaiveTime::from_hms_opt(1, 30, 0).unwrap(), DEFAULT_TIME_ZONE);
        assert_eq!(stamp(overlap), "2026-10-25T00:30:00Z");
    }

    #[test]
    fn writes_titles_in_the_councils_style() {
        assert_eq!(
            meeting_title("Scrutiny Co-ordination Committee", date(2024, 6, 26), Some("11.00 am")),
            "Scrutiny Co-ordination Committee - Wednesday, 26th June, 2024 11.00 am"
        );
        assert_eq!(long_date(date(2026, 1, 1)), "Thursday, 1st January, 2026");
        assert_eq!(prose_date("2026-11-15"), "Sunday 15 November 2026");
        assert_eq!(prose_date("2026-01-05"), "Monday 5 January 2026");
        assert_eq!(prose_date("soon"), "soon", "not a date: given back");
        assert_eq!(long_date(date(2026, 1, 12)), "Monday, 12th January, 2026");
        assert_eq!(long_date(date(2026, 1, 22)), "Thursday, 22nd January, 2026");
        assert_eq!(meeting_title("Cabinet", date(2026, 1, 23), None), "Cabinet - Friday, 23rd January, 2026");
    }

    #[test]
    fn finds_dates_in_page_text() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(
            find_date_time("Audit Committee Wednesday, 27th January, 2016 7.00 p.m."),
            Some((date(2016, 1, 27), t(19, 0)))
        );
        assert_eq!(find_date_time("27 Jan 2016 10.00 am"), Some((date(2016, 1, 27), t(10, 0))));
        assert_eq!(find_date_time("3 Sep 2026"), Some((date(2026, 9, 3), None)));
        assert_eq!(find_date_time("Meeting 10/02/2026 2.00 pm"), Some((date(2026, 2, 10), t(14, 0))));
        assert_eq!(find_date_time("no date here"), None);
        assert_eq!(find_date_time("31 Feb 2026"), None);
    }

    #[test]
    fn iso_weeks_round_trip() {
        assert_eq!(parse_iso_week("2026-W05"), Some(date(2026, 1, 26)));
        assert_eq!(iso_week_label(date(2026, 1, 1)), "2026-W01");
        assert_eq!(iso_week_label(date(2027, 1, 1)), "2026-W53");
        assert_eq!(parse_iso_week("2026-05"), None);
    }
}

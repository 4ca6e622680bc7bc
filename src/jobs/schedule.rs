//! What each refresh visits. Listing a council's meetings is cheap; reading a
//! meeting (GetMeeting and its page) is not, so a refresh every two hours reads
//! only the meetings that are due: soon and recent ones often, past meetings
//! still waiting for minutes daily and then weekly, settled ones never.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// How far back a meeting without minutes keeps being revisited.
pub const LATE_MINUTES_DAYS: i64 = 180;

/// A refresh may run a little early or late; a visit this close to due counts as due.
const SLACK_MINUTES: i64 = 15;

/// What the schedule needs to know of a stored meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitState {
    pub date: NaiveDate,
    /// When its details were last read; `None` if never.
    pub visited_at: Option<DateTime<Utc>>,
    pub minutes_published: bool,
    pub cancelled: bool,
}

/// How often a meeting is read again, or `None` when it is settled.
/// `Some(Duration::zero())` means at every refresh.
pub fn revisit_every(state: &VisitState, today: NaiveDate) -> Option<Duration> {
    let days_ahead = (state.date - today).num_days();
    if days_ahead >= 0 {
        // Upcoming: agendas and reports are published in the last week or two.
        return Some(if days_ahead <= 14 { Duration::zero() } else { Duration::hours(24) });
    }
    let days_ago = -days_ahead;
    if state.cancelled {
        return None;
    }
    if state.minutes_published {
        // Minutes out: corrections and late documents settle within a few weeks.
        return (days_ago <= 28).then(|| Duration::hours(24));
    }
    // Waiting for minutes, which usually appear four to eight weeks later.
    match days_ago {
        0..=7 => Some(Duration::hours(6)),
        8..=90 => Some(Duration::hours(24)),
        91..=LATE_MINUTES_DAYS => Some(Duration::days(7)),
        _ => None,
    }
}

/// Whether a refresh at `now` should read the meeting. A `full` visit reads
/// everything the schedule still tracks, due or not.
pub fn is_due(state: &VisitState, today: NaiveDate, now: DateTime<Utc>, full: bool) -> bool {
    let Some(visited_at) = state.visited_at else { return true };
    let Some(every) = revisit_every(state, today) else { return false };
    full || visited_at + every - Duration::minutes(SLACK_MINUTES) <= now
}

/// The dates a refresh lists from the council: the rolling window, reaching
/// back `backfill_days` on a council's first refresh so residents see history.
pub fn listing_window(
    today: NaiveDate,
    days_back: i64,
    days_ahead: i64,
    first_refresh: bool,
    backfill_days: i64,
) -> (NaiveDate, NaiveDate) {
    let back = if first_refresh { days_back.max(backfill_days) } else { days_back };
    (today - Duration::days(back), today + Duration::days(days_ahead))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn status_pages_count_as_awaiting_minutes_what_the_schedule_still_revisits() {
        assert_eq!(crate::health::AWAITING_MINUTES_DAYS, LATE_MINUTES_DAYS);
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
    }

    fn meeting(days_from_today: i64, hours_since_visit: Option<i64>, minutes: bool) -> VisitState {
        VisitState {
            date: today() + Duration::days(days_from_today),
            visited_at: hours_since_visit.map(|h| now() - Duration::hours(h)),
            minutes_published: minutes,
            cancelled: false,
        }
    }

    #[test]
    fn a_meeting_never_read_is_always_due() {
        assert!(is_due(&meeting(-170, None, true), today(), now(), false));
        assert!(is_due(&meeting(-400, None, false), today(), now(), false));
    }

    #[test]
    fn soon_and_recent_meetings_are_read_at_every_refresh_or_every_few_hours() {
        assert!(is_due(&meeting(3, Some(2), false), today(), now(), false));
        assert!(is_due(&meeting(0, Some(1), false), today(), now(), false));
        assert!(!is_due(&meeting(20, Some(2), false), today(), now(), false));
        assert!(is_due(&meeting(20, Some(24), false), today(), now(), false));
        assert!(!is_due(&meeting(-3, Some(2), false), today(), now(), false));
        assert!(is_due(&meeting(-3, Some(6), false), today(), now(), false));
    }

    #[test]
    fn late_minutes_are_looked_for_daily_then_weekly_then_no_more() {
        assert!(!is_due(&meeting(-45, Some(4), false), today(), now(), false));
        assert!(is_due(&meeting(-45, Some(24), false), today(), now(), false));
        // A refresh that runs a little before the day is up still counts.
        let almost_a_day =
            VisitState { visited_at: Some(now() - Duration::minutes(23 * 60 + 50)), ..meeting(-45, None, false) };
        assert!(is_due(&almost_a_day, today(), now(), false));
        let half_a_day = VisitState { visited_at: Some(now() - Duration::hours(12)), ..meeting(-45, None, false) };
        assert!(!is_due(&half_a_day, today(), now(), false));
        assert!(!is_due(&meeting(-120, Some(48), false), today(), now(), false));
        assert!(is_due(&meeting(-120, Some(7 * 24), false), today(), now(), false));
        assert_eq!(revisit_every(&meeting(-181, Some(1), false), today()), None);
        assert!(!is_due(&meeting(-200, Some(24 * 30), false), today(), now(), false));
    }

    #[test]
    fn settled_meetings_are_left_alone_unless_never_read() {
        assert!(is_due(&meeting(-10, Some(24), true), today(), now(), false));
        assert!(!is_due(&meeting(-40, Some(24 * 10), true), today(), now(), false));
        let cancelled = VisitState { cancelled: true, ..meeting(-5, Some(48), false) };
        assert!(!is_due(&cancelled, today(), now(), false));
        let upcoming_cancelled = VisitState { cancelled: true, ..meeting(5, Some(2), false) };
        assert!(is_due(&upcoming_cancelled, today(), now(), false));
    }

    #[test]
    fn a_full_visit_reads_everything_still_tracked() {
        assert!(is_due(&meeting(20, Some(1), false), today(), now(), true));
        assert!(is_due(&meeting(-120, Some(1), false), today(), now(), true));
        assert!(!is_due(&meeting(-40, Some(1), true), today(), now(), true), "settled is settled");
    }

    #[test]
    fn the_first_refresh_reaches_back_for_history() {
        let (from, to) = listing_window(today(), 28, 28, true, 90);
        assert_eq!((today() - from).num_days(), 90);
        assert_eq!((to - today()).num_days(), 28);
        assert_eq!((today() - listing_window(today(), 28, 28, false, 90).0).num_days(), 28);
        assert_eq!((today() - listing_window(today(), 120, 28, true, 90).0).num_days(), 120);
    }
}

//! Councillors' attendance as residents read it: meetings attended and
//! missed in the last twelve months, and the committees seen. Pure.

use serde::Serialize;

use crate::storage::rows::Attended;

/// What an attendance record says about being there: `Some(true)` attended,
/// `Some(false)` missed, `None` neither (expected, or not recorded).
pub fn attended(attendance: Option<&str>) -> Option<bool> {
    let status = attendance?.trim().to_ascii_lowercase();
    if status.starts_with("present") || status.starts_with("in attendance") || status.starts_with("attended") {
        Some(true)
    } else if status.starts_with("apolog") || status.starts_with("absent") {
        Some(false)
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttendanceRecord {
    pub since: String,
    pub attended: usize,
    pub missed: usize,
    /// Attended out of attended and missed; `None` with neither.
    pub rate: Option<f64>,
    /// Committees of the meetings in the record, by title, each once.
    pub committees: Vec<CommitteeSeen>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitteeSeen {
    pub id: String,
    pub title: String,
}

/// The record over attendance rows (`PERSON_ATTENDANCE`).
pub fn attendance_record(rows: &[Attended], since: &str) -> AttendanceRecord {
    let outcomes: Vec<bool> = rows.iter().filter_map(|r| attended(r.attendance.as_deref())).collect();
    let attended_count = outcomes.iter().filter(|a| **a).count();
    let missed = outcomes.len() - attended_count;
    let mut committees: Vec<CommitteeSeen> = Vec::new();
    for row in rows {
        if !committees.iter().any(|c| c.id == row.committee_id) {
            committees.push(CommitteeSeen { id: row.committee_id.clone(), title: row.committee_title.clone() });
        }
    }
    committees.sort_by(|a, b| a.title.cmp(&b.title));
    AttendanceRecord {
        since: since.to_string(),
        attended: attended_count,
        missed,
        rate: (!outcomes.is_empty()).then(|| attended_count as f64 / outcomes.len() as f64),
        committees,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendance_words_are_read() {
        assert_eq!(attended(Some("Present")), Some(true));
        assert_eq!(attended(Some("Present as substitute")), Some(true));
        assert_eq!(attended(Some("In attendance")), Some(true));
        assert_eq!(attended(Some("Apologies")), Some(false));
        assert_eq!(attended(Some("Apologies, sent substitute")), Some(false));
        assert_eq!(attended(Some("Absent")), Some(false));
        assert_eq!(attended(Some("Expected")), None);
        assert_eq!(attended(None), None);
    }

    #[test]
    fn a_record_counts_attended_and_missed_and_lists_committees() {
        let row = |attendance: &str, committee: &str, title: &str| Attended {
            meeting_id: "kent-1".into(),
            role: None,
            attendance: Some(attendance.into()),
            title: "A meeting".into(),
            local_date: "2026-01-05".into(),
            status: "confirmed".into(),
            committee_id: committee.into(),
            committee_title: title.into(),
        };
        let rows = vec![
            row("Present", "c-101", "Cabinet"),
            row("Apologies", "c-101", "Cabinet"),
            row("Present", "c-103", "Audit"),
            row("Expected", "c-104", "Planning"),
        ];
        let record = attendance_record(&rows, "2025-11-28");
        assert_eq!((record.attended, record.missed), (2, 1));
        assert!((record.rate.unwrap() - 2.0 / 3.0).abs() < 1e-9);
        let titles: Vec<&str> = record.committees.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Audit", "Cabinet", "Planning"]);
        assert_eq!(attendance_record(&[], "2025-11-28").rate, None);
    }
}

//! Councillors' attendance as residents read it: meetings attended and
//! missed in the last twelve months, and the committees seen. Pure.

use serde::Serialize;
use serde_json::Value;

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
pub fn attendance_record(rows: &[Value], since: &str) -> AttendanceRecord {
    let outcomes: Vec<bool> = rows.iter().filter_map(|r| attended(r["attendance"].as_str())).collect();
    let attended_count = outcomes.iter().filter(|a| **a).count();
    let missed = outcomes.len() - attended_count;
    let mut committees: Vec<CommitteeSeen> = Vec::new();
    for row in rows {
        let (Some(id), Some(title)) = (row["committee_id"].as_str(), row["committee_title"].as_str()) else {
            continue;
        };
        if !committees.iter().any(|c| c.id == id) {
            committees.push(CommitteeSeen { id: id.to_string(), title: title.to_string() });
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
    use serde_json::json;

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
        let rows = vec![
            json!({"attendance": "Present", "committee_id": "c-101", "committee_title": "Cabinet"}),
            json!({"attendance": "Apologies", "committee_id": "c-101", "committee_title": "Cabinet"}),
            json!({"attendance": "Present", "committee_id": "c-103", "committee_title": "Audit"}),
            json!({"attendance": "Expected", "committee_id": "c-104", "committee_title": "Planning"}),
        ];
        let record = attendance_record(&rows, "2025-11-28");
        assert_eq!((record.attended, record.missed), (2, 1));
        assert!((record.rate.unwrap() - 2.0 / 3.0).abs() < 1e-9);
        let titles: Vec<&str> = record.committees.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Audit", "Cabinet", "Planning"]);
        assert_eq!(attendance_record(&[], "2025-11-28").rate, None);
    }
}

//! A council's week: every meeting from Monday to Sunday (Europe/London) with
//! its summary's headline, linked to the meeting. Built only from published
//! meeting summaries, so it adds nothing that was not already checked.

use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;

pub const DIGEST_VERSION: &str = "digest-v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekMeeting {
    pub meeting_id: String,
    pub title: String,
    pub committee: String,
    pub local_date: String,
    pub status: String,
    /// The latest summary's headline and method, when there is a summary.
    pub headline: Option<String>,
    pub method: Option<String>,
    pub decisions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestPoint {
    pub meeting_id: String,
    pub url: String,
    pub title: String,
    pub committee: String,
    pub local_date: String,
    pub text: String,
    pub decisions: Vec<String>,
}

/// A decision from the register published in the week, in the council's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekDecision {
    pub decision_id: String,
    pub title: String,
    pub decision_maker: Option<String>,
    pub listed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub council: String,
    pub week: String,
    pub headline: String,
    pub points: Vec<DigestPoint>,
    /// "Decided this week": the register's decisions (digests made before it existed have none).
    #[serde(default)]
    pub decided: Vec<WeekDecision>,
}

pub fn input_hash(council: &str, week: &str, meetings: &[WeekMeeting], decided: &[WeekDecision]) -> String {
    let material = serde_json::json!({
        "version": DIGEST_VERSION, "council": council, "week": week, "meetings": meetings, "decided": decided,
    });
    sha256_hex(material.to_string().as_bytes())
}

pub fn build(council: &str, week: &str, meetings: &[WeekMeeting], decided: &[WeekDecision]) -> Digest {
    let held: Vec<&WeekMeeting> = meetings.iter().filter(|m| m.status != "cancelled").collect();
    let cancelled = meetings.len() - held.len();
    let decisions: usize = held.iter().map(|m| m.decisions.len()).sum();
    let mut headline = match held.len() {
        0 => format!("No {council} meetings took place in {week}."),
        1 => format!("One {council} meeting in {week}: {}.", held[0].committee),
        n => {
            let mut committees: Vec<&str> = held.iter().map(|m| m.committee.as_str()).collect();
            committees.dedup();
            format!("{n} {council} meetings in {week}: {}.", committees.join(", "))
        }
    };
    if decisions > 0 {
        headline.push_str(&format!(" {decisions} recorded decision{}.", if decisions == 1 { "" } else { "s" }));
    }
    if cancelled > 0 {
        headline.push_str(&format!(" {cancelled} cancelled."));
    }
    match decided.len() {
        0 => {}
        1 => headline.push_str(" 1 decision published in the decisions register."),
        n => headline.push_str(&format!(" {n} decisions published in the decisions register.")),
    }
    let points = meetings
        .iter()
        .map(|m| DigestPoint {
            meeting_id: m.meeting_id.clone(),
            url: format!("/meetings/{}", m.meeting_id),
            title: m.title.clone(),
            committee: m.committee.clone(),
            local_date: m.local_date.clone(),
            text: match (&m.headline, m.status.as_str()) {
                (_, "cancelled") => "This meeting was cancelled.".to_string(),
                (Some(headline), _) => headline.clone(),
                (None, _) => "No summary yet: the papers have not been read.".to_string(),
            },
            decisions: m.decisions.clone(),
        })
        .collect();
    Digest { council: council.to_string(), week: week.to_string(), headline, points, decided: decided.to_vec() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(id: &str, committee: &str, status: &str, headline: Option<&str>) -> WeekMeeting {
        WeekMeeting {
            meeting_id: id.into(),
            title: format!("{committee} - Monday"),
            committee: committee.into(),
            local_date: "2026-01-05".into(),
            status: status.into(),
            headline: headline.map(str::to_string),
            method: Some("extractive".into()),
            decisions: vec!["Approved the budget".into()],
        }
    }

    #[test]
    fn summarises_the_week_and_links_every_meeting() {
        let meetings = vec![
            meeting("c-1", "Cabinet", "confirmed", Some("Cabinet approved the budget.")),
            meeting("c-2", "Planning Committee", "cancelled", None),
        ];
        let digest = build("Coventry", "2026-W02", &meetings, &[]);
        assert_eq!(digest.headline, "One Coventry meeting in 2026-W02: Cabinet. 1 recorded decision. 1 cancelled.");
        assert_eq!(digest.points.len(), 2);
        assert_eq!(digest.points[0].url, "/meetings/c-1");
        assert_eq!(digest.points[1].text, "This meeting was cancelled.");
        assert_ne!(
            input_hash("Coventry", "2026-W02", &meetings, &[]),
            input_hash("Coventry", "2026-W03", &meetings, &[])
        );
    }

    #[test]
    fn the_registers_decisions_are_part_of_the_week() {
        let decided = vec![WeekDecision {
            decision_id: "k-d13149".into(),
            title: "Admission of the Public".into(),
            decision_maker: Some("Strategic Director for Environment".into()),
            listed_on: "2026-01-06".into(),
        }];
        let digest = build("Kirklees", "2026-W02", &[], &decided);
        assert_eq!(
            digest.headline,
            "No Kirklees meetings took place in 2026-W02. 1 decision published in the decisions register."
        );
        assert_eq!(digest.decided, decided);
        assert_ne!(input_hash("Kirklees", "2026-W02", &[], &decided), input_hash("Kirklees", "2026-W02", &[], &[]));
    }
}

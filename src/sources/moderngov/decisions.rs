//! ModernGov's decisions register: the list of executive and delegated
//! decisions for a date range (`mgDelegatedDecisions.aspx`), officer decisions
//! (`mgListOfficerDecisions.aspx`) and each decision's page
//! (`ieDecisionDetails.aspx?ID=`). Only ModernGov's own markup is relied on
//! (`mgTabTable`, `mgLabel`, `mgSubSubTitleTxt`, `mgWordPara`).

use scraper::{ElementRef, Html};

use super::urls::{absolute_url, id_param};
use crate::model::{DecisionDetail, DecisionListing, Document, DocumentKind};
use crate::sources::detect::expect_html;
use crate::sources::html::{selector, text};
use crate::sources::text::{collapse_whitespace, element_text, non_empty};
use crate::sources::SourceError;
use crate::time::parse_uk_date;

/// The rows of a decisions table that link to a decision's page; other rows
/// (issue histories, headers) are left out. Either list page.
pub fn parse_decision_list(page: &str) -> Result<Vec<DecisionListing>, SourceError> {
    expect_html(page)?;
    let html = Html::parse_document(page);
    let Some(table) = html.select(&selector("table.mgTabTable")).next() else {
        // A register with nothing in the range still has its table; no table is not the register.
        return Err(SourceError::UnexpectedPage("no decisions table (mgTabTable)".into()));
    };
    let hide = selector(".mgHide");
    let mut decisions: Vec<DecisionListing> = Vec::new();
    for row in table.select(&selector("tbody tr")) {
        let cells: Vec<ElementRef<'_>> = row.select(&selector("td")).collect();
        let Some(link) = cells.first().and_then(|c| c.select(&selector("a[href]")).next()) else {
            continue;
        };
        let href = link.value().attr("href").unwrap_or_default();
        if !href.to_ascii_lowercase().contains("iedecisiondetails.aspx") {
            continue;
        }
        let Some(source_id) = id_param(href, "ID") else { continue };
        // The link carries a hidden " ref: 13567" for screen readers.
        let hidden: Vec<String> = link.select(&hide).map(text).collect();
        let mut title = text(link);
        for part in hidden {
            title = title.replace(&part, "");
        }
        let Some(title) = non_empty(&collapse_whitespace(&title)) else { continue };
        if decisions.iter().any(|d| d.source_id == source_id) {
            continue;
        }
        decisions.push(DecisionListing {
            source_id,
            title,
            date: cells.get(1).and_then(|c| parse_uk_date(&text(*c))),
            call_in: cells.get(3).and_then(|c| non_empty(&text(*c))),
        });
    }
    Ok(decisions)
}

fn yes_no(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// One decision's page.
pub fn parse_decision(page: &str, page_url: &str, source_id: &str) -> Result<DecisionDetail, SourceError> {
    expect_html(page)?;
    let html = Html::parse_document(page);
    let content = html
        .select(&selector("div.mgContent"))
        .next()
        .ok_or_else(|| SourceError::UnexpectedPage("no decision content (mgContent)".into()))?;
    let title = html
        .select(&selector("h2.mgSubTitleTxt"))
        .next()
        .map(text)
        .and_then(|t| non_empty(&t))
        .ok_or_else(|| SourceError::UnexpectedPage("no decision title (mgSubTitleTxt)".into()))?;

    // "Label: value" paragraphs.
    let mut labelled: Vec<(String, String, Option<String>)> = Vec::new();
    for paragraph in content.select(&selector("p")) {
        let Some(label) = paragraph.select(&selector(".mgLabel")).next() else { continue };
        let label_text = text(label).trim_end_matches(':').trim().to_ascii_lowercase();
        let whole = text(paragraph);
        let value = whole.split_once(':').map(|(_, v)| v.trim().to_string()).unwrap_or_default();
        let href =
            paragraph.select(&selector("a[href]")).next().and_then(|a| a.value().attr("href")).map(str::to_string);
        labelled.push((label_text, value, href));
    }
    let field = |name: &str| {
        labelled.iter().find(|(label, _, _)| label.starts_with(name)).and_then(|(_, value, _)| non_empty(value))
    };

    // "Purpose:" and "Decision:" headings, each followed by its text.
    let mut sections: Vec<(String, String)> = Vec::new();
    for heading in content.select(&selector("h3.mgSubSubTitleTxt")) {
        let name = text(heading).trim_end_matches(':').trim().to_ascii_lowercase();
        let body = heading
            .next_siblings()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "div")
            .map(|div| element_text(div))
            .unwrap_or_default();
        let paragraphs: Vec<String> = body.lines().map(collapse_whitespace).filter(|l| !l.is_empty()).collect();
        sections.push((name, paragraphs.join("\n\n")));
    }
    let section = |name: &str| sections.iter().find(|(n, _)| n == name).and_then(|(_, body)| non_empty(body));

    let meeting =
        labelled.iter().find(|(label, _, _)| label.starts_with("decided at meeting")).and_then(|(_, _, href)| {
            let href = href.as_deref()?;
            Some((id_param(href, "CId")?, id_param(href, "MID").or_else(|| id_param(href, "MId"))?))
        });
    let documents = content
        .select(&selector("ul.mgBulletList a[href]"))
        .filter_map(|link| {
            let href = link.value().attr("href")?;
            let url = absolute_url(page_url, href)?;
            let size = link.select(&selector(".mgFileSize")).map(text).collect::<String>();
            let title = non_empty(text(link).replace(&size, "").trim())?;
            Some(Document {
                source_id: None,
                url,
                kind: DocumentKind::DecisionDocument,
                title,
                published_on: None,
                is_restricted: false,
            })
        })
        .collect();

    Ok(DecisionDetail {
        source_id: source_id.to_string(),
        title,
        decision_maker: field("decision maker"),
        status: field("decision status"),
        is_key: field("is key decision").and_then(|v| yes_no(&v)),
        subject_to_call_in: field("is subject to call in").and_then(|v| yes_no(&v)),
        call_in_deadline: field("call-in deadline")
            .or_else(|| field("call in deadline"))
            .and_then(|v| parse_uk_date(&v)),
        purpose: section("purpose"),
        decision: section("decision"),
        published_on: field("publication date").and_then(|v| parse_uk_date(&v)),
        decided_on: field("date of decision").and_then(|v| parse_uk_date(&v)),
        meeting,
        documents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/moderngov/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    const PAGE: &str = "https://democracy.kirklees.gov.uk/ieDecisionDetails.aspx?ID=1";

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn the_delegated_decisions_list_keeps_only_decisions() {
        let decisions = parse_decision_list(&fixture("kirklees_mgDelegatedDecisions_list_excerpt.html")).unwrap();
        assert_eq!(decisions.len(), 2, "the issue-history row is not a decision: {decisions:#?}");
        assert_eq!(decisions[0].source_id, "13567");
        assert_eq!(
            decisions[0].title,
            "Settlement Agreement with Network Rail Infrastructure Limited (NRIL) in respect of land adjacent to the George Hotel, Railway Street, Huddersfield"
        );
        assert_eq!(decisions[0].date, day(2025, 4, 1));
        assert_eq!(decisions[0].call_in.as_deref(), Some("Not for call-in"));
        assert_eq!(decisions[1].title, "Admission of the Public");
    }

    #[test]
    fn the_officer_decisions_list_is_read() {
        let decisions = parse_decision_list(&fixture("kirklees_mgListOfficerDecisions_list_excerpt.html")).unwrap();
        assert_eq!(decisions.len(), 1);
        assert_eq!((decisions[0].source_id.as_str(), decisions[0].date), ("13149", day(2025, 11, 3)));
        assert_eq!(decisions[0].call_in, None);
    }

    #[test]
    fn a_decision_with_a_document_and_a_meeting() {
        let d = parse_decision(&fixture("kirklees_ieDecisionDetails_with-document_excerpt.html"), PAGE, "1").unwrap();
        assert_eq!(d.title, "Minutes of Previous Meeting");
        assert_eq!(d.status.as_deref(), Some("Recommendations Approved"));
        assert_eq!((d.is_key, d.subject_to_call_in), (Some(false), Some(false)));
        assert_eq!(
            d.decision.as_deref(),
            Some("The Minutes of the Policy Committee meeting on 23 September 2015 were approved as a correct record.")
        );
        assert_eq!((d.published_on, d.decided_on), (day(2015, 10, 22), day(2015, 10, 19)));
        assert_eq!(d.meeting, Some(("151".to_string(), "4832".to_string())));
        assert_eq!(d.documents.len(), 1);
        assert_eq!(d.documents[0].title, "polc2 - 23.09.2015");
        assert!(d.documents[0].url.starts_with("https://democracy.kirklees.gov.uk/documents/s7942/"));
    }

    #[test]
    fn a_decision_with_a_maker_and_a_purpose() {
        let d = parse_decision(&fixture("kirklees_ieDecisionDetails_no-documents_excerpt.html"), PAGE, "2").unwrap();
        assert_eq!(d.decision_maker.as_deref(), Some("Strategic Director for Environment"));
        assert_eq!((d.is_key, d.subject_to_call_in), (Some(true), Some(true)));
        assert_eq!(d.purpose.as_deref(), Some("To seek approval for alternative processing arrangements."));
        assert!(d.decision.as_deref().unwrap().starts_with("That approval be given"));
        assert!(d.documents.is_empty() && d.meeting.is_none());
        assert_eq!(
            d.title,
            "To enable the Council's waste treatment contractor to consult on alternative processing arrangements"
        );
    }

    #[test]
    fn a_multi_paragraph_decision_keeps_its_paragraphs() {
        let d = parse_decision(&fixture("kirklees_ieDecisionDetails_multi-paragraph_excerpt.html"), PAGE, "3").unwrap();
        assert_eq!(d.decision_maker.as_deref(), Some("Service Director - Homes & Neighbourhoods"));
        let decision = d.decision.unwrap();
        assert_eq!(decision.split("\n\n").count(), 2, "{decision:?}");
        assert!(decision.ends_with("at its meeting on Tuesday, 27 July 2021."));
        assert_eq!(d.decided_on, day(2021, 7, 27));
    }

    #[test]
    fn pages_that_are_not_decisions_are_errors() {
        let stub = fixture("denbighshire_GetCouncillorsByWard_http-js-redirect-stub.html");
        assert_eq!(parse_decision_list(&stub).unwrap_err(), SourceError::JavaScriptRedirectStub);
        let error_page = fixture("leeds_GetCouncillorsByWard_wrong-host-sharepoint-error-page.html");
        assert!(matches!(parse_decision_list(&error_page), Err(SourceError::UnexpectedPage(_))));
        assert!(matches!(parse_decision(&error_page, PAGE, "1"), Err(SourceError::UnexpectedPage(_))));
    }
}

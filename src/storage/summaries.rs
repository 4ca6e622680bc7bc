//! D1 access for summaries, model usage and weekly digests.

use serde::Deserialize;
use serde_json::Value;
use worker::Result;

use super::queries as q;
use super::text::TextStore;
use super::Param::{Int, OptText, Text};
use super::Store;
use crate::documents::structure::pdf_page_for_printed;
use crate::summarise::digest::WeekMeeting;
use crate::summarise::input::{ItemInput, MeetingInput, SourcePage};

/// One version of a meeting summary, ready to store.
#[derive(Debug, Clone)]
pub struct SummaryVersion<'a> {
    pub method: &'a str,
    pub provider: &'a str,
    pub model: Option<&'a str>,
    pub prompt_version: &'a str,
    pub input_hash: &'a str,
    pub input_tokens: usize,
    pub output_tokens: usize,
    pub naive_tokens: usize,
    pub estimated_cost_usd: f64,
    pub model_calls: usize,
    pub quotes_kept: usize,
    pub quotes_dropped: usize,
    pub decisions_dropped: usize,
    pub sentences_dropped: usize,
    /// JSON: why each left-out sentence was left out.
    pub dropped_reasons: Option<&'a str>,
    pub claims_checked: bool,
    /// Sentences of the model's prose checked, and those left out by the kind of claim not found.
    pub sentences_checked: usize,
    pub dropped_by_kind: &'a std::collections::BTreeMap<String, usize>,
    pub sections_extractive: usize,
    pub notes: Option<&'a str>,
    pub updated_reason: Option<&'a str>,
    pub body: &'a str,
}

impl Store {
    pub async fn pending_documents(&self, meeting_id: &str) -> Result<i64> {
        #[derive(Deserialize)]
        struct Row {
            pending: i64,
        }
        Ok(self.row::<Row>(q::PENDING_DOCUMENTS, &[Text(meeting_id)]).await?.map_or(0, |r| r.pending))
    }

    /// What a summary of the meeting is made from: its items' text and, for each
    /// item, its own documents' pages and its pages of the reports pack.
    pub async fn summary_input(&self, meeting_id: &str, texts: &TextStore<'_>) -> Result<Option<MeetingInput>> {
        let Some(meeting) = self.row::<Value>(q::GET_MEETING, &[Text(meeting_id)]).await? else {
            return Ok(None);
        };
        #[derive(Deserialize)]
        struct ItemRow {
            id: String,
            number: Option<String>,
            title: String,
            agenda_text: Option<String>,
            minutes_text: Option<String>,
            is_restricted: i64,
        }
        #[derive(Deserialize)]
        struct DocumentRow {
            document_id: String,
            document_title: String,
            url: String,
            kind: String,
            agenda_item_id: Option<String>,
            text_key: String,
        }
        struct PageRow {
            document_id: String,
            document_title: String,
            url: String,
            kind: String,
            agenda_item_id: Option<String>,
            page_number: u32,
            printed_page: Option<u32>,
            text: String,
        }
        #[derive(Deserialize)]
        struct RangeRow {
            agenda_item_id: String,
            first_printed_page: u32,
            last_printed_page: u32,
        }
        let items: Vec<ItemRow> = self.rows(q::SUMMARY_ITEMS, &[Text(meeting_id)]).await?;
        let documents: Vec<DocumentRow> = self.rows(q::SUMMARY_DOCUMENTS, &[Text(meeting_id)]).await?;
        // Readable, first-read pages only: a duplicate's text is read where it was first found.
        let mut pages: Vec<PageRow> = Vec::new();
        for document in documents {
            let stored = texts.pages(&document.text_key).await?.unwrap_or_default();
            for page in stored.into_iter().filter(|p| p.duplicate_of.is_none() && p.chars > 0) {
                pages.push(PageRow {
                    document_id: document.document_id.clone(),
                    document_title: document.document_title.clone(),
                    url: document.url.clone(),
                    kind: document.kind.clone(),
                    agenda_item_id: document.agenda_item_id.clone(),
                    page_number: page.number,
                    printed_page: page.printed,
                    text: page.text,
                });
            }
        }
        let ranges: Vec<RangeRow> = self.rows(q::ITEM_PAGE_RANGES, &[Text(meeting_id)]).await?;
        let pack_numbers: Vec<(u32, u32)> = pages
            .iter()
            .filter(|p| p.kind == "reports_pack")
            .filter_map(|p| Some((p.page_number, p.printed_page?)))
            .collect();
        let text = |key: &str| meeting[key].as_str().unwrap_or_default().to_string();
        // The platform's own voting records are read beside the item's papers (minutes' votes are in their text).
        let votes = self.meeting_votes(meeting_id).await?;
        let voting_records: Vec<(&str, SourcePage)> = votes
            .iter()
            .filter(|v| v.source == crate::votes::FROM_VOTING_RECORDS)
            .filter_map(|v| {
                let page = SourcePage {
                    document_id: v.id.clone(),
                    document_title: "Voting record".into(),
                    url: text("web_url"),
                    page: 1,
                    text: crate::votes::record_text(&v.motion, v.result.as_deref(), &v.counts, &v.choices),
                };
                Some((v.agenda_item_id.as_deref()?, page))
            })
            .collect();
        // What was said, from the newest webcast with a transcript, cut by its agenda points.
        let webcasts: Vec<super::rows::MeetingWebcast> = self.rows(q::MEETING_WEBCASTS, &[Text(meeting_id)]).await?;
        let mut webcast = None;
        let mut segments = Vec::new();
        if let Some((row, key)) = webcasts.iter().find_map(|w| Some((w, w.transcript_key.as_deref()?))) {
            if let Some(transcript) = super::webcasts::transcript(texts.bucket(), key).await? {
                let refs: Vec<crate::webcasts::ItemRef<'_>> = items
                    .iter()
                    .map(|i| crate::webcasts::ItemRef { id: &i.id, number: i.number.as_deref(), title: &i.title })
                    .collect();
                segments = crate::webcasts::cut(&transcript.cues, &row.agenda_points(), &refs);
                webcast = Some(crate::summarise::input::WebcastInput {
                    player_url: row.player_url.clone(),
                    made_from: transcript.made_from,
                });
            }
        }
        let said_of = |item_id: &str| -> Vec<crate::webcasts::Passage> {
            segments
                .iter()
                .filter(|s| s.item_id.as_deref() == Some(item_id))
                .flat_map(|s| crate::webcasts::passages(&s.cues, crate::summarise::input::PASSAGE_CHARS))
                .collect()
        };
        let items = items
            .into_iter()
            .map(|item| {
                let range = ranges.iter().find(|r| r.agenda_item_id == item.id).and_then(|r| {
                    Some((
                        pdf_page_for_printed(&pack_numbers, r.first_printed_page)?,
                        pdf_page_for_printed(&pack_numbers, r.last_printed_page)?,
                    ))
                });
                let own_pages = pages
                    .iter()
                    .filter(|p| {
                        p.agenda_item_id.as_deref() == Some(item.id.as_str())
                            || (p.kind == "reports_pack"
                                && range.is_some_and(|(first, last)| p.page_number >= first && p.page_number <= last))
                    })
                    .map(|p| SourcePage {
                        document_id: p.document_id.clone(),
                        document_title: p.document_title.clone(),
                        url: p.url.clone(),
                        page: p.page_number,
                        text: p.text.clone(),
                    })
                    .chain(voting_records.iter().filter(|(id, _)| *id == item.id).map(|(_, page)| page.clone()))
                    .collect();
                let said = said_of(&item.id);
                ItemInput {
                    said,
                    item_id: item.id,
                    number: item.number,
                    title: item.title,
                    is_restricted: item.is_restricted != 0,
                    minutes_text: item.minutes_text,
                    agenda_text: item.agenda_text,
                    pages: own_pages,
                }
            })
            .collect();
        Ok(Some(MeetingInput {
            meeting_id: meeting_id.to_string(),
            title: text("title"),
            committee: text("committee_title"),
            council: text("council_name"),
            date: text("local_date"),
            web_url: text("web_url"),
            items,
            webcast,
        }))
    }

    pub async fn council_committees(&self, council_id: &str) -> Result<Vec<super::rows::CouncilCommittee>> {
        self.rows(q::COUNCIL_COMMITTEES, &[Text(council_id)]).await
    }

    /// One page of meetings matching the filters, after `cursor` = (date, id).
    #[allow(clippy::too_many_arguments)]
    pub async fn find_meetings(
        &self,
        council: Option<&str>,
        committee: Option<&str>,
        range: (&str, &str),
        status: Option<&str>,
        cursor: (&str, &str),
        limit: usize,
    ) -> Result<Vec<super::rows::FoundMeeting>> {
        // A committee id begins with its council's id, so a committee filter
        // alone still reads one council's slice of the index.
        let council = council.or_else(|| committee.and_then(|c| c.rsplit_once('-')).map(|(council, _)| council));
        let query = if council.is_some() { q::FIND_COUNCIL_MEETINGS } else { q::FIND_MEETINGS };
        self.rows(
            query,
            &[
                OptText(council),
                OptText(committee),
                Text(range.0),
                Text(range.1),
                OptText(status),
                Text(cursor.0),
                Text(cursor.1),
                Int(limit as i64),
            ],
        )
        .await
    }

    pub async fn latest_summary(&self, meeting_id: &str) -> Result<Option<Value>> {
        Ok(self.row::<Value>(q::LATEST_SUMMARY, &[Text(meeting_id)]).await?.map(published))
    }

    /// The body of an earlier version made from these inputs, if there is one.
    pub async fn summary_with_hash(&self, meeting_id: &str, input_hash: &str) -> Result<Option<String>> {
        #[derive(Deserialize)]
        struct Row {
            body: String,
        }
        let row: Option<Row> = self.row(q::SUMMARY_WITH_HASH, &[Text(meeting_id), Text(input_hash)]).await?;
        Ok(row.map(|r| r.body))
    }

    /// Publishes the version made from these inputs again, as the newest, with its search text.
    pub async fn republish_summary(
        &self,
        meeting_id: &str,
        council_id: &str,
        search: (&str, &str),
        input_hash: &str,
        reason: &str,
        now: &str,
    ) -> Result<()> {
        let [search_row, search_text] =
            self.search_statements(meeting_id, council_id, "summary", search.0, search.1)?;
        self.batch(vec![
            self.statement(q::DELETE_SUMMARY_SEARCH_TEXT, &[Text(meeting_id)])?,
            self.statement(q::DELETE_SUMMARY_SEARCH_ROWS, &[Text(meeting_id)])?,
            search_row,
            search_text,
            self.statement(q::REPUBLISH_SUMMARY, &[Text(meeting_id), Text(input_hash), Text(reason), Text(now)])?,
            self.statement(q::CLEAR_CONTENT_CHANGED, &[Text(meeting_id)])?,
        ])
        .await
    }

    pub async fn meeting_change_note(&self, meeting_id: &str) -> Result<Option<String>> {
        #[derive(Deserialize)]
        struct Row {
            change_note: Option<String>,
        }
        Ok(self.row::<Row>(q::MEETING_CHANGE_NOTE, &[Text(meeting_id)]).await?.and_then(|r| r.change_note))
    }

    /// The public record of the claim checks, per council.
    pub async fn claim_record(&self) -> Result<Vec<super::rows::ClaimRecord>> {
        self.rows(q::CLAIM_RECORD, &[]).await
    }

    /// Stores a new version (ignored if one with the same inputs exists) and
    /// clears the meeting's changed flag.
    pub async fn save_summary(
        &self,
        meeting_id: &str,
        council_id: &str,
        search: (&str, &str),
        version: &SummaryVersion<'_>,
        now: &str,
    ) -> Result<()> {
        let [search_row, search_text] =
            self.search_statements(meeting_id, council_id, "summary", search.0, search.1)?;
        let by_kind = (!version.dropped_by_kind.is_empty())
            .then(|| serde_json::to_string(version.dropped_by_kind))
            .transpose()
            .map_err(|e| worker::Error::RustError(e.to_string()))?;
        // The council's record counts the version only if it was stored now (see RECORD_SUMMARY).
        let mut record = vec![self.statement(
            q::RECORD_SUMMARY,
            &[
                Text(council_id),
                Text(meeting_id),
                Text(version.input_hash),
                Text(version.method),
                Int(version.sentences_checked as i64),
                Int(version.sentences_dropped as i64),
                Int(version.sections_extractive as i64),
                Int(version.quotes_kept as i64),
                Int(version.quotes_dropped as i64),
                Int(version.decisions_dropped as i64),
                Text(now),
            ],
        )?];
        for (kind, dropped) in version.dropped_by_kind {
            record.push(self.statement(
                q::RECORD_DROPS,
                &[
                    Text(council_id),
                    Text(meeting_id),
                    Text(version.input_hash),
                    Text(kind),
                    Int(*dropped as i64),
                    Text(now),
                ],
            )?);
        }
        let mut statements = vec![
            self.statement(q::DELETE_SUMMARY_SEARCH_TEXT, &[Text(meeting_id)])?,
            self.statement(q::DELETE_SUMMARY_SEARCH_ROWS, &[Text(meeting_id)])?,
            search_row,
            search_text,
            self.statement(
                q::INSERT_SUMMARY,
                &[
                    Text(meeting_id),
                    Text(version.method),
                    Text(version.provider),
                    OptText(version.model),
                    Text(version.prompt_version),
                    Text(version.input_hash),
                    Int(version.input_tokens as i64),
                    Int(version.output_tokens as i64),
                    Int(version.naive_tokens as i64),
                    super::Param::Real(version.estimated_cost_usd),
                    Int(version.model_calls as i64),
                    Int(version.quotes_kept as i64),
                    Int(version.quotes_dropped as i64),
                    Int(version.decisions_dropped as i64),
                    OptText(version.notes),
                    OptText(version.updated_reason),
                    Text(version.body),
                    Text(now),
                    Int(version.sentences_dropped as i64),
                    OptText(version.dropped_reasons),
                    Int(i64::from(version.claims_checked)),
                    Int(version.sentences_checked as i64),
                    OptText(by_kind.as_deref()),
                    Int(version.sections_extractive as i64),
                ],
            )?,
            self.statement(q::CLEAR_CONTENT_CHANGED, &[Text(meeting_id)])?,
        ];
        statements.extend(record);
        self.batch(statements).await
    }

    /// The latest summary is current for the meeting as it stands.
    pub async fn clear_content_changed(&self, meeting_id: &str) -> Result<()> {
        self.run(q::CLEAR_CONTENT_CHANGED, &[Text(meeting_id)]).await
    }

    pub async fn month_tokens(&self, council_id: &str, month: &str) -> Result<i64> {
        #[derive(Deserialize)]
        struct Row {
            tokens: i64,
        }
        Ok(self.row::<Row>(q::MONTH_USAGE, &[Text(council_id), Text(month)]).await?.map_or(0, |r| r.tokens))
    }

    pub async fn add_usage(
        &self,
        council_id: &str,
        month: &str,
        input: usize,
        output: usize,
        cost: f64,
        calls: usize,
    ) -> Result<()> {
        self.run(
            q::ADD_USAGE,
            &[
                Text(council_id),
                Text(month),
                Int(input as i64),
                Int(output as i64),
                super::Param::Real(cost),
                Int(calls as i64),
            ],
        )
        .await
    }

    pub async fn week_meetings(&self, council_id: &str, from: &str, to: &str) -> Result<Vec<WeekMeeting>> {
        let rows: Vec<Value> = self.rows(q::WEEK_MEETINGS, &[Text(council_id), Text(from), Text(to)]).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let summary: Option<Value> = row["summary"].as_str().and_then(|b| serde_json::from_str(b).ok());
                let text = |key: &str| row[key].as_str().unwrap_or_default().to_string();
                WeekMeeting {
                    meeting_id: text("meeting_id"),
                    title: text("title"),
                    committee: text("committee"),
                    local_date: text("local_date"),
                    status: text("status"),
                    headline: summary.as_ref().and_then(|s| s["headline"].as_str().map(str::to_string)),
                    method: row["method"].as_str().map(str::to_string),
                    decisions: summary
                        .as_ref()
                        .and_then(|s| s["sections"].as_array())
                        .map(|sections| {
                            sections
                                .iter()
                                .flat_map(|s| s["decisions"].as_array().cloned().unwrap_or_default())
                                .filter_map(|d| d["text"].as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect())
    }

    pub async fn latest_digest(&self, council_id: &str, week: &str) -> Result<Option<Value>> {
        Ok(self.row::<Value>(q::LATEST_DIGEST, &[Text(council_id), Text(week)]).await?.map(published))
    }

    pub async fn save_digest(
        &self,
        council_id: &str,
        week: &str,
        input_hash: &str,
        body: &str,
        now: &str,
    ) -> Result<()> {
        self.run(
            q::INSERT_DIGEST,
            &[Text(council_id), Text(week), Text(input_hash), Text("composed"), Text(body), Text(now)],
        )
        .await
    }
}

/// A summary row (or a digest's) as it is served: its JSON columns parsed,
/// and without the left-out sentences' reasons (for operators only: a
/// left-out sentence may name someone the papers do not).
pub fn published(mut row: Value) -> Value {
    for field in ["body", "dropped_by_kind"] {
        if let Some(parsed) = row[field].as_str().and_then(|b| serde_json::from_str::<Value>(b).ok()) {
            row[field] = parsed;
        }
    }
    if let Some(object) = row.as_object_mut() {
        object.remove("dropped_reasons");
    }
    row
}

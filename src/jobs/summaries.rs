//! Summarising a meeting once its documents are read, and composing weekly digests.

use serde_json::{json, Value};
use worker::Result;

use super::context::{now, JobContext};
use super::fault;
use super::{Job, JobOutcome};
use crate::storage::{Store, SummaryVersion};
use crate::summarise::input::{build_prompt, input_hash, plan, PromptPlan, PROMPT_VERSION};
use crate::summarise::providers::{ChatModel, ChatRequest, ModelError, OpenAiCompatible, WorkersAi};
use crate::summarise::schema::{answer_schema, publish, validate, PublishedSummary};
use crate::summarise::{digest, extractive, input::MeetingInput, ProviderKind};
use crate::time::{now_utc, parse_iso_week};

/// Asks for a summary after `delay` seconds (0: now).
pub async fn request_summary(ctx: &JobContext<'_>, council_id: &str, meeting_id: &str, delay: u32) -> Result<()> {
    let job = Job::SummariseMeeting { council_id: council_id.to_string(), meeting_id: meeting_id.to_string() };
    ctx.queue.send(worker::MessageBuilder::new(job).delay_seconds(delay).build()).await
}

/// The model outcome: a checked summary, or why the extractive one was used instead.
struct ModelRun {
    summary: Option<PublishedSummary>,
    input_tokens: usize,
    output_tokens: usize,
    calls: usize,
    notes: Vec<String>,
}

async fn run_model<M: ChatModel>(
    model: &M,
    meeting: &MeetingInput,
    plan: &PromptPlan,
    settings: &crate::config::Settings,
) -> std::result::Result<ModelRun, String> {
    let (system, user) = build_prompt(meeting, plan);
    let mut run = ModelRun { summary: None, input_tokens: 0, output_tokens: 0, calls: 0, notes: Vec::new() };
    let schema = settings.model_json_schema.then(|| answer_schema(meeting, plan));
    let mut request = ChatRequest { system, user: user.clone(), max_output_tokens: settings.max_output_tokens, schema };
    for attempt in 1..=2 {
        let answer = match model.complete(&request).await {
            Ok(answer) => answer,
            // Like a malformed answer: counted, tried once more, then the extractive summary.
            Err(error @ ModelError::SchemaNotMet(_)) => {
                run.calls += 1;
                run.input_tokens += plan.input_tokens;
                run.notes.push(format!("attempt {attempt}: {error}"));
                continue;
            }
            Err(ModelError::Unreachable(why)) => return Err(why),
        };
        run.calls += 1;
        run.input_tokens += answer.input_tokens.unwrap_or(plan.input_tokens);
        run.output_tokens +=
            answer.output_tokens.unwrap_or_else(|| crate::summarise::input::estimate_tokens(&answer.text));
        match validate(&answer.text, meeting, plan) {
            Ok(valid) => {
                run.summary = Some(publish(valid, meeting, plan));
                return Ok(run);
            }
            Err(error) => {
                run.notes.push(format!("attempt {attempt}: invalid model output ({error})"));
                request.user = format!(
                    "{user}\n\nYour previous answer was rejected: {error}. Answer again with only the JSON object described."
                );
            }
        }
    }
    run.notes.push("no valid model output in two attempts: extractive summary used".into());
    Ok(run)
}

/// Summarises a meeting if its inputs changed. `model_unreachable` carries why
/// the model is not to be tried (it stayed unreachable through every retry):
/// the summary is then extractive, says so, and the model is tried again at
/// the next change.
pub async fn summarise_meeting(
    ctx: &JobContext<'_>,
    council_id: &str,
    meeting_id: &str,
    model_unreachable: Option<&str>,
) -> Result<JobOutcome> {
    let store: &Store = ctx.store;
    let settings = ctx.settings;
    let Some(council) = store.council(council_id).await? else { return Ok(JobOutcome::Done) };
    if store.pending_documents(meeting_id).await? > 0 {
        // The last document to finish asks again.
        return Ok(JobOutcome::Done);
    }
    let texts = crate::storage::text::TextStore::new(ctx.bucket);
    let Some(meeting) = store.summary_input(meeting_id, &texts).await? else { return Ok(JobOutcome::Done) };
    if meeting.items.is_empty() {
        return Ok(JobOutcome::Done);
    }
    let plan = plan(&meeting, settings.meeting_token_budget);
    let hash = input_hash(&meeting, &plan);
    let latest = store.latest_summary(meeting_id).await?;
    if latest.as_ref().and_then(|l| l["input_hash"].as_str()) == Some(hash.as_str()) {
        // The meeting changed in ways its summary does not read (a room, the
        // attendance): the summary is current, so nothing is owed any more.
        // Its announcement is told again, in case an earlier try failed after
        // the summary was saved (the deliveries' ids keep it from being sent twice).
        store.clear_content_changed(meeting_id).await?;
        crate::storage::version::bump(ctx.env, council_id).await;
        if let Some(latest) = latest.as_ref().filter(|l| recently_made(l)) {
            announce_summary(ctx, council_id, meeting_id, latest, &hash).await?;
        }
        return Ok(JobOutcome::Done);
    }
    if let Some(earlier) = store.summary_with_hash(meeting_id, &hash).await? {
        // The inputs went back to what an earlier version was made from: that
        // summary is published again, without asking the model.
        if let Ok(summary) = serde_json::from_str::<PublishedSummary>(&earlier) {
            let reason = store.meeting_change_note(meeting_id).await?.map_or_else(
                || "the meeting's papers are back as before".to_string(),
                |note| format!("{note} (back as before)"),
            );
            store
                .republish_summary(
                    meeting_id,
                    council_id,
                    (&meeting.title, &search_body(&summary)),
                    &hash,
                    &reason,
                    &now(),
                )
                .await?;
            crate::storage::version::bump(ctx.env, council_id).await;
            announce_latest(ctx, council_id, meeting_id, &format!("{hash}:again")).await?;
            return Ok(JobOutcome::Done);
        }
    }

    let month = now_utc().format("%Y-%m").to_string();
    let mut notes: Vec<String> = Vec::new();
    fault::point(ctx.env, settings, council_id, "model_call").await?;
    let use_model = if let Some(reason) = model_unreachable {
        notes.push(format!("{reason}: extractive summary"));
        false
    } else if council.coverage != "supported" {
        notes.push("council not supported: extractive summary".into());
        false
    } else if settings.summary_provider == ProviderKind::Extractive {
        false
    } else if store.month_tokens(council_id, &month).await? as usize + plan.input_tokens
        > settings.council_monthly_token_budget
    {
        notes.push("monthly token budget reached: extractive summary".into());
        false
    } else {
        true
    };

    let mut model_run = None;
    let mut model_name = None;
    if use_model {
        let result = match settings.summary_provider {
            ProviderKind::WorkersAi => {
                let model = WorkersAi { ai: ctx.env.ai("AI")?, model: settings.summary_model.clone() };
                model_name = Some(model.model().to_string());
                run_model(&model, &meeting, &plan, settings).await
            }
            _ => {
                let model = OpenAiCompatible {
                    base_url: settings.openai_base_url.clone(),
                    model: settings.summary_model.clone(),
                    api_key: ctx.env.secret("OPENAI_API_KEY").ok().map(|s| s.to_string()),
                    timeout_ms: settings.model_timeout_ms,
                };
                model_name = Some(model.model().to_string());
                run_model(&model, &meeting, &plan, settings).await
            }
        };
        match result {
            Ok(run) => model_run = Some(run),
            // The model could not be reached: try again later rather than publish less.
            Err(error) => return Ok(JobOutcome::Retry(format!("summary of {meeting_id}: {error}"))),
        }
    }

    let (summary, method, provider, model, input_tokens, output_tokens, calls) = match model_run {
        Some(ModelRun { summary: Some(summary), input_tokens, output_tokens, calls, notes: run_notes }) => {
            notes.extend(run_notes);
            (summary, "model", settings.summary_provider.as_str(), model_name, input_tokens, output_tokens, calls)
        }
        Some(ModelRun { summary: None, input_tokens, output_tokens, calls, notes: run_notes }) => {
            notes.extend(run_notes);
            (
                extractive::summarise(&meeting, &plan),
                "extractive",
                "extractive",
                None,
                input_tokens,
                output_tokens,
                calls,
            )
        }
        None => (extractive::summarise(&meeting, &plan), "extractive", "extractive", None, 0, 0, 0),
    };
    let cost = settings.prices.cost(input_tokens, output_tokens);
    if calls > 0 {
        store.add_usage(council_id, &month, input_tokens, output_tokens, cost, calls).await?;
    }
    let label = match (method, &model) {
        ("model", Some(model)) => format!("AI generated by {model}, checked against the council's documents"),
        _ => extractive::LABEL.to_string(),
    };
    let updated_reason = if latest.is_some() {
        Some(store.meeting_change_note(meeting_id).await?.unwrap_or_else(|| "the source documents changed".into()))
    } else {
        None
    };
    let mut body = serde_json::to_value(&summary)?;
    body["method"] = json!(method);
    body["label"] = json!(label);
    let body = body.to_string();
    let notes = (!notes.is_empty()).then(|| notes.join("; "));
    let search_body = search_body(&summary);
    let dropped_reasons = (!summary.dropped.is_empty()).then(|| serde_json::to_string(&summary.dropped)).transpose()?;
    store
        .save_summary(
            meeting_id,
            council_id,
            (&meeting.title, &search_body),
            &SummaryVersion {
                method,
                provider,
                model: model.as_deref(),
                prompt_version: PROMPT_VERSION,
                input_hash: &hash,
                input_tokens,
                output_tokens,
                naive_tokens: plan.naive_tokens,
                estimated_cost_usd: cost,
                model_calls: calls,
                quotes_kept: summary.quotes_kept,
                quotes_dropped: summary.quotes_dropped,
                decisions_dropped: summary.decisions_dropped,
                sentences_dropped: summary.sentences_dropped,
                dropped_reasons: dropped_reasons.as_deref(),
                claims_checked: summary.claims_checked,
                sentences_checked: summary.sentences_checked,
                dropped_by_kind: &summary.dropped_by_kind(),
                sections_extractive: summary.sections_extractive(),
                notes: notes.as_deref(),
                updated_reason: updated_reason.as_deref(),
                body: &body,
            },
            &now(),
        )
        .await?;
    crate::storage::version::bump(ctx.env, council_id).await;
    announce_latest(ctx, council_id, meeting_id, &hash).await?;
    Ok(JobOutcome::Done)
}

/// Tells webhook endpoints that the meeting's latest summary (as stored, read
/// again after a save) is published.
async fn announce_latest(ctx: &JobContext<'_>, council_id: &str, meeting_id: &str, key: &str) -> Result<()> {
    match ctx.store.latest_summary(meeting_id).await? {
        Some(latest) => announce_summary(ctx, council_id, meeting_id, &latest, key).await,
        None => Ok(()),
    }
}

/// Tells webhook endpoints and email subscribers that `latest` is published;
/// `key` names this publication, so telling it again delivers nothing twice.
async fn announce_summary(
    ctx: &JobContext<'_>,
    council_id: &str,
    meeting_id: &str,
    latest: &Value,
    key: &str,
) -> Result<()> {
    let data = json!({
        "council_id": council_id, "meeting_id": meeting_id, "version": latest["version"], "method": latest["method"],
        "headline": latest["body"]["headline"], "updated_reason": latest["updated_reason"],
        "url": super::webhooks::public_link(ctx, &format!("/meetings/{meeting_id}")),
    });
    super::webhooks::emit(ctx, council_id, ("summary.published", &format!("{meeting_id}:{key}")), data).await?;
    match latest["version"].as_i64() {
        Some(version) => super::alerts::summary_published(ctx, council_id, meeting_id, version).await,
        None => Ok(()),
    }
}

/// A summary saved this recently may have been saved by a try that failed
/// before announcing it: a later try tells it again (and only then, so that
/// the frequent "nothing changed" visits do no webhook work).
const RETELL_WITHIN_MINUTES: i64 = 60;

pub(super) fn recently_made(latest: &Value) -> bool {
    latest["created_at"].as_str().and_then(|made| chrono::DateTime::parse_from_rfc3339(made).ok()).is_some_and(|made| {
        now_utc() - made.with_timezone(&chrono::Utc) < chrono::Duration::minutes(RETELL_WITHIN_MINUTES)
    })
}

/// What search finds a summary by: its headline and each section's title and text.
fn search_body(summary: &PublishedSummary) -> String {
    std::iter::once(summary.headline.clone())
        .chain(summary.sections.iter().map(|s| format!("{} {}", s.title, s.summary)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Composes (or keeps, when nothing changed) a council's digest for an ISO
/// week; answers it, and whether it is a new version.
pub async fn make_digest(store: &Store, council_id: &str, week: &str) -> Result<(Option<Value>, bool)> {
    let Some(monday) = parse_iso_week(week) else { return Ok((None, false)) };
    let Some(council) = store.council(council_id).await? else { return Ok((None, false)) };
    let sunday = monday + chrono::Duration::days(6);
    let meetings = store
        .week_meetings(council_id, &monday.format("%Y-%m-%d").to_string(), &sunday.format("%Y-%m-%d").to_string())
        .await?;
    let decided = store
        .week_decisions(council_id, &monday.format("%Y-%m-%d").to_string(), &sunday.format("%Y-%m-%d").to_string())
        .await?;
    let name = council.name.trim_end_matches(" Council").trim_end_matches(" City").to_string();
    let hash = digest::input_hash(&name, week, &meetings, &decided);
    let latest = store.latest_digest(council_id, week).await?;
    let new = latest.as_ref().and_then(|d| d["input_hash"].as_str()) != Some(hash.as_str());
    if new {
        let built = digest::build(&name, week, &meetings, &decided);
        store.save_digest(council_id, week, &hash, &serde_json::to_string(&built)?, &now()).await?;
    }
    Ok((store.latest_digest(council_id, week).await?, new))
}

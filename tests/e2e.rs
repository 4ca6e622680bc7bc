//! End to end in workerd: the real worker under `wrangler dev` with local D1
//! and Queues, scraping a fake ModernGov council on 127.0.0.1.

mod support;

use std::time::{Duration, Instant};

use council_digest::jobs::{REFRESH_CRON, WEEKLY_CRON};
use serde_json::{json, Value};
use support::fake_council::FakeCouncil;
use support::fake_council::{
    coventry_like, with_meeting_count, Behaviour, CouncillorsAnswer, BAD_DOCUMENTS_MEETING, HOSTILE_TEXT,
    HOSTILE_TITLE, INJECTED_FIGURE, INJECTED_LINK, MEETINGS_IN_WINDOW, TRUNCATED_MEETING, WINDOWS_1252_MEETING,
    XML_FORBIDDEN,
};
use support::fake_llm::FABRICATED_QUOTE;
use support::harness::{fault_council, Harness, FAULT_POINTS, MIN_REQUEST_INTERVAL_MS, PUBLIC_ORIGIN, RUN_TIMEOUT};

/// Reads `path` until `done` holds for the answer, and returns that answer.
fn poll_until(h: &Harness, path: &str, timeout: Duration, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + timeout;
    loop {
        let answer = h.get(path).json();
        if done(&answer) {
            return answer;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never got there: {}\n{answer:#}\n{}",
            brief(h, &answer),
            h.log_tail()
        );
        std::thread::sleep(Duration::from_millis(400));
    }
}

/// What a failed wait on a meeting most needs to show, first (long output is cut in the middle):
/// its summary versions as stored and its documents' states.
fn brief(h: &Harness, answer: &Value) -> String {
    let Some(id) = answer["id"].as_str().filter(|_| answer.get("agenda_items").is_some()) else {
        return String::new();
    };
    let id = id.replace('\'', "");
    let summaries = h.sql(&format!(
        "SELECT version, input_hash, method, updated_reason, created_at FROM summaries WHERE meeting_id = '{id}' ORDER BY version"
    ));
    let documents =
        h.sql(&format!("SELECT id, text_status, fetched_at, progress_at FROM documents WHERE meeting_id = '{id}'"));
    format!(
        "content_changed {}, changed_at {}; summaries {}; documents {}",
        answer["content_changed"],
        answer["changed_at"],
        Value::from(summaries),
        Value::from(documents)
    )
}

fn count(run: &Value, field: &str) -> i64 {
    run[field].as_i64().unwrap_or_else(|| panic!("{field} missing in {run:#}"))
}

#[test]
fn cron_scrape_fills_d1_and_pages_read_it_back() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("", coventry_like(Behaviour::Healthy));
    // Coventry is seeded by migration; point it at the fake site (root path).
    let council = h.register("coventry", &base, json!({"name": "Coventry City Council", "coverage": "supported"}));
    assert_eq!(council["coverage"], "supported");

    let reply = h.trigger_cron(REFRESH_CRON);
    assert_eq!(reply.status, 200, "scheduled handler failed: {}\n{}", reply.body, h.log_tail());
    let deadline = Instant::now() + Duration::from_secs(30);
    let run_id = loop {
        if let Some(id) = h.status_of("coventry")["last_run_id"].as_str() {
            break id.to_string();
        }
        assert!(Instant::now() < deadline, "the cron made no run for coventry\n{}", h.log_tail());
        std::thread::sleep(Duration::from_millis(200));
    };
    let run = h.wait_for_run(&run_id, Duration::from_secs(120));
    assert_eq!(run["trigger"], "cron");
    assert_eq!(run["status"], "succeeded", "{run:#}");
    assert_eq!(run["mode"], "web_service");
    assert_eq!(count(&run, "meetings_planned"), MEETINGS_IN_WINDOW as i64);
    assert_eq!(count(&run, "meetings_new"), MEETINGS_IN_WINDOW as i64);
    assert!(run["fetches"].as_array().unwrap().len() > MEETINGS_IN_WINDOW, "fetches are logged");

    let meetings = h.meetings("coventry");
    assert_eq!(meetings.len(), MEETINGS_IN_WINDOW);
    let cancelled: Vec<&Value> = meetings.iter().filter(|m| m["status"] == "cancelled").collect();
    assert_eq!(cancelled.len(), 1);
    let with_minutes: Vec<&Value> = meetings.iter().filter(|m| m["minutes_published"] == 1).collect();
    assert_eq!(with_minutes.len(), 1);

    let id = with_minutes[0]["id"].as_str().unwrap();
    let meeting = h.get(&format!("/api/v1/meetings/{id}")).json();
    assert!(meeting["title"].as_str().unwrap().starts_with("Cabinet - "), "{}", meeting["title"]);
    assert_eq!(meeting["agenda_items"].as_array().unwrap().len(), 2);
    assert!(meeting["agenda_items"][0]["minutes_text"].as_str().unwrap().contains("as a correct record"));
    let kinds: Vec<&str> =
        meeting["documents"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["agenda_frontsheet", "reports_pack", "printed_minutes"]);
    assert_eq!(meeting["attendance"][0]["name"], "Councillor Basil Curley");
    assert!(meeting["starts_at_utc"].as_str().unwrap().ends_with('Z'));

    let page = h.get(&format!("/meetings/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("Work Programme"));
    assert!(page.body.contains("View on council website"));
    let council_page = h.get("/councils/coventry");
    assert!(council_page.body.contains(&format!("/meetings/{id}")));
}

#[test]
fn a_second_scrape_changes_nothing() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("idem", coventry_like(Behaviour::Healthy));
    // Supported, so that summaries come from the model and a call avoided is seen.
    h.register("idem", &base, json!({"coverage": "supported"}));
    let first = h.scrape("idem");
    assert_eq!(count(&first, "meetings_new"), MEETINGS_IN_WINDOW as i64, "{first:#}");
    // Summaries follow the first scrape on their own; let them land before comparing.
    settled_summaries(h, "idem", MEETINGS_IN_WINDOW - 1, Duration::from_secs(120));
    settled_documents(h, "idem", Duration::from_secs(120));
    let before = h.meetings("idem");
    let documents_before = h.fake.document_requests("idem");
    let model_calls_before = h.model.calls();

    // A plain rerun visits only what is due: the meetings of the next two weeks.
    let due = h.scrape("idem");
    assert_eq!(due["status"], "succeeded", "{due:#}");
    assert!(count(&due, "meetings_planned") < MEETINGS_IN_WINDOW as i64, "{due:#}");
    assert_eq!(count(&due, "meetings_planned") + count(&due, "meetings_skipped"), MEETINGS_IN_WINDOW as i64);
    assert_eq!(count(&due, "meetings_unchanged"), count(&due, "meetings_planned"));

    // A full rerun reads every meeting again. The site's pages carry no
    // validators (as real ModernGov's do not), so every read is a full answer
    // and only the content hash recognises that nothing changed.
    let second = h.scrape_full("idem");
    assert_eq!(second["status"], "succeeded", "{second:#}");
    assert_eq!(count(&second, "meetings_new"), 0);
    assert_eq!(count(&second, "meetings_changed"), 0);
    assert_eq!(count(&second, "meetings_unchanged"), MEETINGS_IN_WINDOW as i64);
    let fetches = second["fetches"].as_array().unwrap();
    let meeting_reads = fetches.iter().filter(|f| f["url"].as_str().unwrap().contains("GetMeeting?")).count();
    assert_eq!(meeting_reads, MEETINGS_IN_WINDOW, "{fetches:#?}");
    assert!(fetches.iter().all(|f| f["outcome"] == "ok" && f["status"] == 200), "{fetches:#?}");
    let after = h.meetings("idem");
    assert_eq!(before, after, "a rerun must not alter stored meetings");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(h.fake.document_requests("idem"), documents_before, "no document is downloaded again");
    assert_eq!(h.model.calls(), model_calls_before, "no model call is made again");

    // A meeting moved to another room has changed, so it is summarised again;
    // its papers have not, so the summary's input hash stops the model call.
    let moved = h.fake.meetings("idem")[3].id;
    h.fake.move_meeting("idem", moved);
    let third = h.scrape("idem");
    assert_eq!(count(&third, "meetings_changed"), 1, "{third:#}");
    let meeting_id = format!("idem-{moved}");
    // The changed flag is cleared only once the summary job has run.
    let path = format!("/api/v1/meetings/{meeting_id}");
    let meeting = poll_until(h, &path, Duration::from_secs(60), |m| m["content_changed"] == 0);
    assert_eq!(meeting["location"], "Committee Room 2, Level 2, Town Hall Extension", "{meeting:#}");
    assert_eq!(meeting["summary"]["version"], 1, "the summary is not remade: {meeting:#}");
    assert_eq!(h.model.calls(), model_calls_before, "the input hash kept the model from being called");
}

#[test]
fn requests_to_one_host_are_spaced_across_invocations() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    // A host of its own, shared by two councils whose work runs side by side.
    let host = FakeCouncil::start();
    let councils = ["polite-a", "polite-b"];
    for council in councils {
        let mut site = coventry_like(Behaviour::Healthy);
        site.serve_documents = true;
        let base = host.add_site(council, site);
        h.register(council, &base, json!({}));
    }
    let runs: Vec<String> = councils.iter().map(|c| h.start_scrape(c)).collect();
    for run in &runs {
        let run = h.wait_for_run(run, Duration::from_secs(180));
        assert_eq!(run["status"], "succeeded", "{run:#}");
    }
    for council in councils {
        settled_documents(h, council, Duration::from_secs(180));
    }
    let arrivals = host.arrivals();
    let documents = arrivals.iter().filter(|(_, target)| target.contains("documents/")).count();
    assert!(arrivals.len() >= 2 * MEETINGS_IN_WINDOW * 2, "{} requests", arrivals.len());
    assert!(documents > 4, "document downloads (documents queue) ran too: {documents}");
    let gaps: Vec<(u128, &str)> =
        arrivals.windows(2).map(|pair| (pair[1].0.duration_since(pair[0].0).as_millis(), pair[1].1.as_str())).collect();
    let closest = gaps.iter().min_by_key(|(gap, _)| *gap).unwrap();
    assert!(
        closest.0 >= u128::from(MIN_REQUEST_INTERVAL_MS),
        "two requests {} ms apart (before {}); the least allowed is {MIN_REQUEST_INTERVAL_MS} ms",
        closest.0,
        closest.1
    );
}

/// What a council's ingestion ended with, comparable between councils.
fn end_state(h: &Harness, council: &str, run: &Value, summaries: usize) -> Value {
    let documents = settled_documents(h, council, Duration::from_secs(240));
    // Which of two copies of a page keeps the text depends on which document
    // finished first; how many pages are kept as pointers does not.
    let mut pointers = 0;
    let mut documents: Vec<Value> = documents
        .iter()
        .map(|d| {
            let text = h.get(&format!("/api/v1/documents/{}", d["id"].as_str().unwrap())).json();
            let pages = text["pages"].as_array().cloned().unwrap_or_default();
            pointers += pages.iter().filter(|p| p["duplicate_of_document"].is_string()).count();
            json!({
                "title": d["title"], "kind": d["kind"], "text_status": d["text_status"], "page_count": d["page_count"],
                "pages_stored": pages.len(),
            })
        })
        .collect();
    documents.sort_by_key(|d| d.to_string());
    let summaries = settled_summaries(h, council, summaries, Duration::from_secs(240));
    let versions: Vec<Value> = summaries.iter().map(|m| m["summary"]["version"].clone()).collect();
    json!({
        "run": {
            "status": run["status"], "planned": run["meetings_planned"], "done": run["meetings_done"],
            "new": run["meetings_new"], "changed": run["meetings_changed"], "unchanged": run["meetings_unchanged"],
            "failed": run["meetings_failed"],
        },
        "meetings": h.meetings(council).len(),
        "documents": documents,
        "pointers": pointers,
        "summary_versions": versions,
    })
}

#[test]
fn every_injected_fault_ends_as_a_clean_run_does() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let mut councils = vec!["fault-clean".to_string()];
    councils.extend(FAULT_POINTS.iter().map(|p| fault_council(p)));
    let mut runs = Vec::new();
    // Four Cabinet meetings with their documents (one with minutes): every kind of work, kept small.
    let meetings = 4;
    for council in &councils {
        let mut site = coventry_like(Behaviour::Healthy);
        site.meetings.truncate(meetings);
        site.serve_documents = true;
        let base = h.fake.add_site(council, site);
        h.register(council, &base, json!({}));
        runs.push(h.start_scrape(council));
    }
    let finished: Vec<Value> = runs.iter().map(|r| h.wait_for_run(r, Duration::from_secs(240))).collect();
    let clean = end_state(h, "fault-clean", &finished[0], meetings);
    assert_eq!(clean["run"]["new"], meetings as i64, "{clean:#}");
    assert!(clean["summary_versions"].as_array().unwrap().iter().all(|v| v == 1), "{clean:#}");
    let documents = clean["documents"].as_array().unwrap();
    let extracted = documents.iter().filter(|d| d["text_status"] == "extracted").count();
    assert!(extracted + 1 >= documents.len() && extracted > 8, "the clean run reads the documents: {clean:#}");
    assert!(clean["pointers"].as_u64().unwrap() > 0, "and finds repeated pages: {clean:#}");
    for (council, run) in councils.iter().zip(&finished).skip(1) {
        let state = end_state(h, council, run, meetings);
        assert_eq!(state, clean, "{council} ended differently from a clean run");
    }
    // Every fault did fire, once, for its own council.
    let fired = h.admin("GET", "/admin/faults", None).json();
    for point in FAULT_POINTS {
        let entry = format!("{point}@{}", fault_council(point));
        assert!(fired["fired"].as_array().unwrap().iter().any(|f| f == entry.as_str()), "{entry} never fired: {fired}");
    }
}

#[test]
fn upkeep_closes_stuck_work_and_prunes_old_records() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let mut site = coventry_like(Behaviour::Healthy);
    site.meetings.truncate(2);
    site.serve_documents = true;
    let base = h.fake.add_site("upkeep", site);
    h.register("upkeep", &base, json!({}));
    let old_run = h.scrape("upkeep")["id"].as_str().unwrap().to_string();
    let documents = settled_documents(h, "upkeep", Duration::from_secs(120));
    let latest_run = h.scrape_full("upkeep")["id"].as_str().unwrap().to_string();
    let document = documents.iter().find(|d| d["text_status"] == "extracted").expect("an extracted document");
    let document_id = document["id"].as_str().unwrap().to_string();

    // As a year of running leaves things: a run and its fetch log from long ago,
    // a run whose worker died two hours ago, a document whose reading stopped.
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    let long_ago = stamp(now - chrono::Duration::days(40));
    let hours_ago = stamp(now - chrono::Duration::hours(2));
    h.sql(&format!(
        "UPDATE councils SET enabled = 0; \
         UPDATE scrape_runs SET started_at = '{long_ago}', finished_at = '{long_ago}' WHERE id = '{old_run}'; \
         UPDATE fetch_log SET fetched_at = '{long_ago}' \
           WHERE id <= (SELECT MAX(id) FROM fetch_log WHERE run_id = '{old_run}'); \
         INSERT INTO scrape_runs (id, council_id, trigger, status, started_at, progress_at) \
           VALUES ('upkeep-stuck', 'upkeep', 'cron', 'fetching', '{hours_ago}', '{hours_ago}'); \
         UPDATE documents SET text_status = 'partial', pages_done = 0, progress_at = '{hours_ago}' WHERE id = '{document_id}';"
    ));
    let old_log = h.sql(&format!("SELECT COUNT(*) AS n FROM fetch_log WHERE run_id = '{old_run}'"));
    assert!(old_log[0]["n"].as_i64().unwrap() > 0);

    assert_eq!(h.trigger_cron(REFRESH_CRON).status, 200);
    let stuck = h.admin("GET", "/admin/runs/upkeep-stuck", None).json();
    assert_eq!(stuck["status"], "failed", "{stuck:#}");
    assert!(stuck["error"].as_str().unwrap().contains("closed by the reaper"), "{stuck:#}");
    assert_eq!(h.admin("GET", &format!("/admin/runs/{old_run}"), None).status, 404, "the old run is pruned");
    let old_log = h.sql(&format!("SELECT COUNT(*) AS n FROM fetch_log WHERE run_id = '{old_run}'"));
    assert_eq!(old_log[0]["n"], 0, "and its fetch log");
    let kept = h.admin("GET", &format!("/admin/runs/{latest_run}"), None);
    assert_eq!(kept.status, 200, "the council's latest run is kept");
    // The stuck document is taken up again and read to the end.
    let path = format!("/api/v1/documents/{document_id}");
    let again = poll_until(h, &path, Duration::from_secs(120), |d| d["text_status"] == "extracted");
    assert_eq!(again["page_count"], document["page_count"]);
    assert!(!again["pages"].as_array().unwrap().is_empty());
}

#[test]
fn one_run_per_council_at_a_time() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("slowpoke", coventry_like(Behaviour::Hang));
    h.register("slowpoke", &base, json!({}));
    let first = h.start_scrape("slowpoke");
    let second = h.admin("POST", "/admin/councils/slowpoke/scrape", None);
    assert_eq!(second.status, 409, "{}", second.body);
    assert!(second.content_type.starts_with("application/problem+json"));
    assert!(second.body.contains(&first), "the answer names the running run: {}", second.body);
    // The cron skips it too: no second run appears while the first is open.
    assert_eq!(h.trigger_cron(REFRESH_CRON).status, 200);
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(h.status_of("slowpoke")["last_run_id"], first.as_str());
    // Once the run has ended, a new one may start.
    h.wait_for_run(&first, Duration::from_secs(120));
    h.admin(
        "POST",
        "/admin/councils",
        Some(&json!({"id": "slowpoke", "name": "Slowpoke", "base_url": base, "enabled": false})),
    );
    let third = h.admin("POST", "/admin/councils/slowpoke/scrape", None);
    assert_eq!(third.status, 202, "{}", third.body);
}

#[test]
fn late_minutes_are_collected_and_the_summary_remade() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let mut site = coventry_like(Behaviour::Healthy);
    // A Cabinet meeting seven weeks ago, still without minutes: outside the
    // 28-day window, inside the first refresh's backfill.
    let late_id = 5900;
    site.meetings.push(support::fake_council::FakeMeeting {
        id: late_id,
        committee_id: 101,
        date: chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
            - chrono::Duration::days(50),
        cancelled: false,
        with_minutes: false,
    });
    let base = h.fake.add_site("latemins", site);
    h.register("latemins", &base, json!({"coverage": "supported"}));
    let first = h.scrape("latemins");
    assert_eq!(count(&first, "meetings_new"), MEETINGS_IN_WINDOW as i64 + 1, "backfill reaches it: {first:#}");
    let late = format!("latemins-{late_id}");
    let meeting = h.get(&format!("/api/v1/meetings/{late}")).json();
    assert_eq!(meeting["minutes_published"], 0, "{meeting:#}");
    settled_summaries(h, "latemins", MEETINGS_IN_WINDOW, Duration::from_secs(120));
    let first_summary = h.get(&format!("/api/v1/meetings/{late}")).json()["summary"].clone();
    assert_eq!(first_summary["version"], 1, "{first_summary:#}");

    // Weeks later the council publishes the minutes; a refresh that visits it collects them.
    h.fake.publish_minutes("latemins", late_id);
    let later = h.scrape_full("latemins");
    assert_eq!(count(&later, "meetings_changed"), 1, "{later:#}");
    let meeting = h.get(&format!("/api/v1/meetings/{late}")).json();
    assert_eq!(meeting["minutes_published"], 1, "{meeting:#}");
    let path = format!("/api/v1/meetings/{late}");
    let remade = poll_until(h, &path, Duration::from_secs(120), |m| m["summary"]["version"] == 2)["summary"].clone();
    let reason = remade["updated_reason"].as_str().unwrap_or_default().to_lowercase();
    assert!(reason.contains("minutes"), "the new version says why: {remade:#}");
}

#[test]
fn late_minutes_are_stored_while_the_meeting_page_fails() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    // One Cabinet meeting six weeks ago without minutes, read in full once
    // (alone on its site: the test reads its documents and summaries).
    let mut site = with_meeting_count(Behaviour::Healthy, 0);
    let late_id = 5901;
    site.meetings.push(support::fake_council::FakeMeeting {
        id: late_id,
        committee_id: 101,
        date: chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
            - chrono::Duration::days(43),
        cancelled: false,
        with_minutes: false,
    });
    site.serve_documents = true;
    let base = h.fake.add_site("pagefails", site);
    h.register("pagefails", &base, json!({"coverage": "supported"}));
    let first = h.scrape("pagefails");
    assert_eq!(count(&first, "meetings_new"), 1, "the backfill reaches it: {first:#}");
    let late = format!("pagefails-{late_id}");
    let path = format!("/api/v1/meetings/{late}");
    let before = h.get(&path).json();
    assert_eq!(before["minutes_published"], 0, "{before:#}");
    let kinds = |meeting: &Value| -> Vec<String> {
        meeting["documents"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(kinds(&before), ["agenda_frontsheet", "reports_pack"], "the page's documents: {before:#}");
    settled_documents(h, "pagefails", Duration::from_secs(180));
    settled_summaries(h, "pagefails", 1, Duration::from_secs(120));
    assert_eq!(h.get(&path).json()["summary"]["version"], 1);
    let frontsheet = h.get(&path).json()["documents"][0].clone();
    assert_eq!(frontsheet["text_status"], "extracted", "{frontsheet:#}");

    // The meeting's page now answers 404 while the web service publishes the
    // minutes, and its documents can no longer be downloaded.
    h.fake.fail_meeting_page("pagefails", late_id, true);
    h.fake.serve_documents("pagefails", false);
    h.fake.publish_minutes("pagefails", late_id);
    let later = h.scrape_full("pagefails");
    assert_eq!(count(&later, "meetings_changed"), 1, "the web service's minutes are a change: {later:#}");
    assert_eq!(later["status"], "partial", "the failed page is the run's error: {later:#}");
    let meeting = h.get(&path).json();
    assert_eq!(meeting["minutes_published"], 1, "{meeting:#}");
    assert!(meeting["agenda_items"][0]["minutes_text"].as_str().unwrap_or_default().contains("as a correct record"));
    assert_eq!(meeting["title"], before["title"], "the page's heading is kept");
    assert_eq!(kinds(&meeting), ["agenda_frontsheet", "reports_pack"], "the page's documents are kept: {meeting:#}");
    let error = meeting["read_error"].as_str().unwrap_or_default();
    assert!(error.contains("meeting page unavailable") && error.contains("404"), "{meeting:#}");
    let page = h.get(&format!("/meetings/{late}"));
    assert!(page.body.contains("could not be read from the council"), "the page says it is partial");
    let remade = poll_until(h, &path, Duration::from_secs(120), |m| m["summary"]["version"] == 2)["summary"].clone();
    let reason = remade["updated_reason"].as_str().unwrap_or_default().to_lowercase();
    assert!(reason.contains("minutes"), "the new version says why: {remade:#}");
    // A document read before whose download now fails keeps its text.
    let again = poll_until(h, &path, Duration::from_secs(120), |m| m["documents"][0]["text_error"].is_string());
    assert_eq!(again["documents"][0]["text_status"], "extracted", "{again:#}");
    h.fake.serve_documents("pagefails", true);

    // The page answers again: the next plain refresh reads it, though the
    // meeting is past the window and its minutes are in.
    h.fake.fail_meeting_page("pagefails", late_id, false);
    let mended = h.scrape("pagefails");
    assert_eq!(mended["status"], "succeeded", "{mended:#}");
    let meeting = h.get(&path).json();
    assert!(meeting["read_error"].is_null(), "{meeting:#}");
    assert_eq!(kinds(&meeting), ["agenda_frontsheet", "reports_pack", "printed_minutes"], "{meeting:#}");
}

#[test]
fn an_edited_agenda_marks_exactly_that_meeting_changed() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("edit", coventry_like(Behaviour::Healthy));
    h.register("edit", &base, json!({"coverage": "supported"}));
    h.scrape("edit");
    // Today's Cabinet: upcoming meetings are read at every refresh, so a plain refresh sees the edit.
    let edited = h.fake.meetings("edit")[3].id;
    let path = format!("/api/v1/meetings/edit-{edited}");
    let first = poll_until(h, &path, RUN_TIMEOUT, |m| m["summary"]["version"] == 1)["summary"].clone();
    h.fake.edit_agenda("edit", edited);

    let run = h.scrape("edit");
    assert_eq!(count(&run, "meetings_changed"), 1, "{run:#}");
    assert_eq!(count(&run, "meetings_new"), 0);
    // The changed flag is consumed once the meeting is summarised again; the change record stays.
    let changed: Vec<String> = h
        .meetings("edit")
        .iter()
        .map(|m| h.get(&format!("/api/v1/meetings/{}", m["id"].as_str().unwrap())).json())
        .filter(|m| !m["changed_at"].is_null())
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(changed, vec![format!("edit-{edited}")]);
    let meeting = h.get(&format!("/api/v1/meetings/edit-{edited}")).json();
    let note = meeting["change_note"].as_str().unwrap();
    assert!(note.contains("Work Programme (revised)"), "{note}");
    assert!(meeting["agenda_items"].as_array().unwrap().iter().any(|i| i["title"] == "Work Programme (revised)"));

    // The council puts the agenda back as it was (A, B, A): the first
    // summary is published again as the newest version, not made anew.
    let second = poll_until(h, &path, RUN_TIMEOUT, |m| m["summary"]["version"] == 2)["summary"].clone();
    assert_ne!(second["input_hash"], first["input_hash"]);
    h.fake.revert_agenda("edit", edited);
    h.scrape("edit");
    let third = poll_until(h, &path, RUN_TIMEOUT, |m| m["summary"]["version"] == 3)["summary"].clone();
    assert_eq!(third["id"], first["id"], "the same stored summary, so no model call was made for it");
    assert_eq!((&third["input_hash"], &third["body"]), (&first["input_hash"], &first["body"]));
    assert!(third["updated_reason"].as_str().is_some_and(|r| r.contains("as before")), "{third:#}");
}

#[test]
fn meetings_that_disappear_are_marked_not_deleted() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("vanish", coventry_like(Behaviour::Healthy));
    h.register("vanish", &base, json!({}));
    h.scrape("vanish");
    let gone = h.fake.meetings("vanish")[4].id;
    h.fake.remove_meeting("vanish", gone);
    // A full refresh reads every listed meeting, so every one but the vanished is planned.
    let run = h.scrape_full("vanish");
    assert_eq!(count(&run, "meetings_missing"), 1, "{run:#}");
    assert_eq!(count(&run, "meetings_planned"), MEETINGS_IN_WINDOW as i64 - 1);
    let meetings = h.meetings("vanish");
    assert_eq!(meetings.len(), MEETINGS_IN_WINDOW, "nothing is deleted");
    let missing: Vec<&Value> = meetings.iter().filter(|m| m["listed"] == 0).collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0]["id"], format!("vanish-{gone}"));
    let meeting = h.get(&format!("/api/v1/meetings/vanish-{gone}")).json();
    assert!(meeting["missing_since"].is_string());
    assert!(!meeting["agenda_items"].as_array().unwrap().is_empty(), "its agenda is kept");
}

#[test]
fn broken_councils_do_not_stop_a_healthy_one() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let healthy = h.fake.add_site("healthy", coventry_like(Behaviour::Healthy));
    let hang = h.fake.add_site("hang", coventry_like(Behaviour::Hang));
    let stub = h.fake.add_site("stub", coventry_like(Behaviour::JsRedirectStub));
    let wrong = h.fake.add_site("wronghost", coventry_like(Behaviour::WrongHost));
    let failing = h.fake.add_site("failing", coventry_like(Behaviour::ServerError));
    for (id, base) in
        [("hang", &hang), ("stub", &stub), ("wronghost", &wrong), ("failing", &failing), ("healthy", &healthy)]
    {
        h.register(id, base, json!({}));
    }
    let runs: Vec<(String, String)> = ["hang", "stub", "wronghost", "failing", "healthy"]
        .iter()
        .map(|id| (id.to_string(), h.start_scrape(id)))
        .collect();

    let healthy_run = h.wait_for_run(&runs[4].1, Duration::from_secs(120));
    assert_eq!(healthy_run["status"], "succeeded", "{healthy_run:#}");
    assert_eq!(count(&healthy_run, "meetings_new"), MEETINGS_IN_WINDOW as i64);

    let stub_run = h.wait_for_run(&runs[1].1, Duration::from_secs(60));
    assert_eq!(stub_run["status"], "failed");
    assert!(stub_run["error"].as_str().unwrap().contains("JavaScript redirect stub"), "{stub_run:#}");
    let wrong_run = h.wait_for_run(&runs[2].1, Duration::from_secs(60));
    assert!(wrong_run["error"].as_str().unwrap().contains("HTML page (\"Error\")"), "{wrong_run:#}");

    // Errors are visible in /admin/status while the hanging and failing councils keep retrying.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let hang_error = h.status_of("hang")["last_error"].as_str().unwrap_or_default().to_string();
        let failing_error = h.status_of("failing")["last_error"].as_str().unwrap_or_default().to_string();
        if hang_error.contains("no complete answer within 3 s") && failing_error.contains("HTTP status 500") {
            break;
        }
        assert!(Instant::now() < deadline, "errors not reported: hang={hang_error:?} failing={failing_error:?}");
        std::thread::sleep(Duration::from_millis(500));
    }
    assert_eq!(h.meetings("stub").len(), 0, "a garbage answer is never stored as data");
    assert_eq!(h.meetings("hang").len(), 0);

    // Everyone can see which councils are being read and which are broken.
    let stub_status = h.get("/api/v1/councils/stub/status").json();
    assert_eq!(stub_status["state"], "failing", "{stub_status:#}");
    assert_eq!(stub_status["last_read_at"], Value::Null);
    let failures = stub_status["failures"].as_array().unwrap();
    assert!(
        failures.iter().any(|f| f["kind"] == "page moved or gone"
            && f["error"].as_str().unwrap_or_default().contains("JavaScript redirect stub")),
        "{stub_status:#}"
    );
    let healthy_status = h.get("/api/v1/councils/healthy/status").json();
    assert_eq!(healthy_status["state"], "healthy", "{healthy_status:#}");
    assert!(healthy_status["last_read_at"].is_string());
    // Its documents the fake site does not serve are failures it shows, but not of its reads.
    let healthy_failures = healthy_status["failures"].as_array().unwrap();
    assert!(
        healthy_failures.iter().all(|f| f["place"].as_str().unwrap().starts_with("document")),
        "{healthy_status:#}"
    );
    assert_eq!(h.get("/api/v1/status?sort=nonsense").status, 400, "programs are told their mistake");
    let everyone = h.get("/status").body;
    let place = |id: &str| everyone.find(&format!("/councils/{id}/status")).unwrap_or_else(|| panic!("{id} listed"));
    assert!(place("stub") < place("healthy"), "failing councils are listed first");
    let by_name = h.get("/status?sort=name").body;
    let place_by_name = |id: &str| by_name.find(&format!("/councils/{id}/status")).unwrap();
    assert!(place_by_name("healthy") < place_by_name("stub"), "sorted by name when asked");
    let stub_page = h.get("/councils/stub/status").body;
    assert!(stub_page.contains("<strong>failing</strong>") && stub_page.contains("page moved or gone"), "{stub_page}");
    assert_eq!(h.get("/api/v1/councils/no-such-council/status").status, 404);

    // Three days of failures are told to operators once: flagged in
    // /admin/status and sent as council.failing to the webhooks that follow it.
    let receiver = support::fake_receiver::FakeReceiver::start();
    let hook = json!({"url": receiver.url("/told"), "council_id": "stub", "events": ["council.failing"]});
    assert_eq!(h.admin("POST", "/admin/webhooks", Some(&hook)).status, 201);
    h.trigger_cron(REFRESH_CRON);
    std::thread::sleep(Duration::from_secs(3));
    assert!(receiver.received("/told").is_empty(), "not told before three days");
    h.sql(
        "UPDATE scrape_runs SET started_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-4 days'), \
         finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-4 days') \
         WHERE council_id = 'stub' AND finished_at IS NOT NULL",
    );
    h.trigger_cron(REFRESH_CRON);
    // Deliveries share one queue with other tests' slow receivers: the wait is a run's.
    let deadline = Instant::now() + RUN_TIMEOUT;
    while receiver.received("/told").is_empty() {
        assert!(Instant::now() < deadline, "council.failing not delivered");
        std::thread::sleep(Duration::from_millis(300));
    }
    let told = receiver.received("/told");
    let event: Value = serde_json::from_str(&told[0].body).unwrap();
    assert_eq!(event["type"], "council.failing", "{event:#}");
    assert_eq!(event["data"]["council_id"], "stub");
    assert!(event["data"]["failing_days"].as_i64().is_some_and(|d| d >= 3), "{event:#}");
    let admin = h.admin("GET", "/admin/status", None).json();
    assert_eq!(admin["flagged"], json!(["stub"]), "{:#}", admin["health"]);
    h.trigger_cron(REFRESH_CRON);
    std::thread::sleep(Duration::from_secs(3));
    let recorded = h.sql("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE event = 'council.failing'");
    assert_eq!(recorded[0]["n"], 1, "told once per run of failures");
    assert_eq!(h.get("/api/v1/councils/stub/status").json()["flagged"], true);
}

#[test]
fn html_fallback_reads_a_council_without_web_service() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("htmlonly", coventry_like(Behaviour::HtmlOnly));
    h.register("htmlonly", &format!("{base}/"), json!({}));
    let run = h.scrape("htmlonly");
    assert_eq!(run["mode"], "html", "{run:#}");
    assert_eq!(run["status"], "succeeded", "{run:#}");
    assert_eq!(count(&run, "meetings_new"), MEETINGS_IN_WINDOW as i64);
    let meetings = h.meetings("htmlonly");
    assert_eq!(meetings.len(), MEETINGS_IN_WINDOW);
    assert_eq!(meetings.iter().filter(|m| m["status"] == "cancelled").count(), 1);
    let open = meetings.iter().find(|m| m["status"] == "confirmed").unwrap();
    let meeting = h.get(&format!("/api/v1/meetings/{}", open["id"].as_str().unwrap())).json();
    assert!(meeting["agenda_items"].as_array().unwrap().len() >= 10);
    assert_eq!(meeting["agenda_items"][0]["title"], "Apologies for Absence (AC/01/270116)");
    assert_eq!(meeting["location"], "Committee Room 1, Town Hall, Ilford, Essex, IG1 1DD");

    let second = h.scrape_full("htmlonly");
    assert_eq!(count(&second, "meetings_unchanged"), MEETINGS_IN_WINDOW as i64, "{second:#}");
}

#[test]
fn bad_meeting_answers_are_recorded_and_others_stored() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("quirks", coventry_like(Behaviour::Quirks));
    h.register("quirks", &base, json!({}));
    let run = h.scrape("quirks");
    assert_eq!(run["status"], "partial", "{run:#}");
    assert_eq!(count(&run, "meetings_failed"), 2);
    assert_eq!(count(&run, "meetings_new"), MEETINGS_IN_WINDOW as i64 - 2);
    let errors: Vec<String> =
        run["fetches"].as_array().unwrap().iter().filter_map(|f| f["error"].as_str().map(str::to_string)).collect();
    let status_error = h.status_of("quirks")["last_error"].as_str().unwrap_or_default().to_string();
    let all = format!("{} {status_error} {errors:?}", run["error"]);
    assert!(
        all.contains(&format!("meeting {TRUNCATED_MEETING}"))
            || all.contains(&format!("meeting {WINDOWS_1252_MEETING}")),
        "{all}"
    );
    let meeting = h.get(&format!("/api/v1/meetings/quirks-{TRUNCATED_MEETING}")).json();
    assert!(meeting["detail_fetched_at"].is_null(), "a truncated answer is never stored");
}

#[test]
fn registration_validates_and_admin_routes_need_the_token() {
    let h = Harness::shared();
    let anonymous = h.request("GET", "/admin/status", None, None).unwrap();
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.content_type, "application/problem+json");
    let wrong = h.request("POST", "/admin/councils/coventry/scrape", None, Some("wrong-token")).unwrap();
    assert_eq!(wrong.status, 401);
    let bad = h.admin(
        "POST",
        "/admin/councils",
        Some(&json!({"id": "Bad Id", "name": "x", "base_url": "http://127.0.0.1:1"})),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    let garbled = h.request("POST", "/admin/councils", None, Some(support::harness::ADMIN_TOKEN)).unwrap();
    assert_eq!(garbled.status, 400);
    let prefixed = h.register("prefixed", "http://127.0.0.1:9/democracy/", json!({"web_service": "off"}));
    assert_eq!(prefixed["base_url"], "http://127.0.0.1:9/democracy");
    assert_eq!(prefixed["web_service"], "off");
}

#[test]
fn unknown_ids_answer_404() {
    let h = Harness::shared();
    let api = h.get("/api/v1/meetings/no-such-meeting");
    assert_eq!(api.status, 404);
    assert_eq!(api.content_type, "application/problem+json");
    assert_eq!(api.json()["status"], 404);
    let page = h.get("/meetings/no-such-meeting");
    assert_eq!(page.status, 404);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("Not found"));
    let bad_dates = h.get("/api/v1/councils/coventry/meetings?from=yesterday");
    assert_eq!(bad_dates.status, 400);
}

/// Councillors are read on registration, listed by ward, linked to the
/// attendance of the meetings read later, kept when a later answer is not a
/// list of councillors, and marked former (not deleted) when the council's
/// list stops naming them.
#[test]
fn councillors_are_read_kept_and_linked_to_attendance() {
    let h = Harness::shared();
    let mut site = coventry_like(Behaviour::Healthy);
    site.coventry_attendee = true;
    site.voting_records = true;
    site.minutes_with_votes = true;
    let base = h.fake.add_site("people", site);
    h.register("people", &base, json!({}));
    let path = "/api/v1/councils/people/councillors";
    let listed =
        poll_until(h, path, Duration::from_secs(90), |b| b["councillors"].as_array().is_some_and(|c| c.len() == 53));
    assert!(listed["read_error"].is_null(), "{listed:#}");
    let councillors = listed["councillors"].as_array().unwrap();
    let birdi = councillors.iter().find(|c| c["id"] == "people-m1726").expect("member 1726 listed");
    assert_eq!(birdi["name"], "Councillor Jaswant Singh Birdi");
    assert_eq!(birdi["ward"], "Bablake");
    assert_eq!(birdi["party"], "Conservative");
    assert_eq!(birdi["email"], "jaswant.birdi@coventry.gov.uk");
    let page = h.get("/councils/people/councillors");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h2>Bablake</h2>") && page.body.contains("Councillor Jaswant Singh Birdi"));

    // The meetings read afterwards list member 1726: present at the one with minutes.
    let run = h.scrape("people");
    assert_eq!(run["status"], "succeeded", "{run:#}");
    let councillor = h.get("/api/v1/councillors/people-m1726").json();
    assert_eq!(councillor["current"], true, "{councillor:#}");
    assert_eq!(councillor["attendance"]["attended"], 1, "{councillor:#}");
    assert_eq!(councillor["attendance"]["missed"], 0);
    assert_eq!(councillor["attendance"]["rate"], 1.0);
    assert!(councillor["meetings"].as_array().unwrap().len() >= 10, "{councillor:#}");
    let committees: Vec<&str> = councillor["attendance"]["committees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert!(committees.contains(&"Cabinet"), "{committees:?}");
    let page = h.get("/councillors/people-m1726");
    assert!(page.body.contains("Attended 1 and missed 0"), "{}", page.body);

    // Recorded votes: the voting record the meeting page links (read with the
    // meeting) and the votes printed in its minutes (read with their text).
    let held = h.fake.meetings("people").iter().find(|m| m.with_minutes).expect("a meeting with minutes").id;
    let votes_path = format!("/api/v1/meetings/people-{held}/votes");
    let from_minutes = |answer: &Value| {
        answer["votes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["source"]["kind"] == "minutes")
            .cloned()
            .collect::<Vec<_>>()
    };
    let answer = poll_until(h, &votes_path, RUN_TIMEOUT, |a| !from_minutes(a).is_empty());
    let events = answer["votes"].as_array().unwrap();
    let platform: Vec<&Value> = events.iter().filter(|v| v["source"]["kind"] == "recorded_votes_page").collect();
    assert_eq!(platform.len(), 2, "{answer:#}");
    assert_eq!((&platform[0]["result"], &platform[1]["result"]), (&json!("Rejected"), &json!("Carried")));
    assert_eq!(platform[0]["agenda_item_id"], format!("people-i{held}2"));
    let voter = |event: &Value, name: &str| {
        event["votes"].as_array().unwrap().iter().find(|v| v["voter_name"] == name).cloned().expect(name)
    };
    assert_eq!(voter(platform[0], "Councillor Jaswant Singh Birdi")["voter_id"], "people-m1726");
    assert_eq!(voter(platform[0], "Councillor Marcus Lapsa")["voter_id"], "people-m529", "unlinked, matched by name");
    let minutes = from_minutes(&answer);
    assert_eq!(minutes.len(), 8, "Kent's budget meeting records eight votes");
    let names: usize = minutes.iter().map(|v| v["votes"].as_array().unwrap().len()).sum();
    assert_eq!(names, 465);
    // Kent's members are not this council's people: a printed name is matched
    // only where exactly one of them fits it (the one Thomas), never guessed.
    let matched: std::collections::BTreeSet<(String, String)> = minutes
        .iter()
        .flat_map(|v| v["votes"].as_array().unwrap())
        .filter(|v| !v["voter_id"].is_null())
        .map(|v| (v["voter_name"].as_str().unwrap().to_string(), v["voter_id"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(matched, [("Mr Thomas".to_string(), "people-m135".to_string())].into(), "{matched:?}");
    assert_eq!(minutes[0]["source"]["page"], 3);
    // Councillor Crookes voted with most of the Conservative group both times.
    let crookes = h.get("/api/v1/councillors/people-m175/votes").json();
    assert_eq!(crookes["party_line"], json!({"votes_counted": 2, "with_majority": 2}), "{crookes:#}");
    assert_eq!(crookes["votes"][0]["party_majority"], "against", "the substantive motion, newest by id");
    let first = h.get("/api/v1/councillors/people-m175/votes?limit=1").json();
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = h.get(&format!("/api/v1/councillors/people-m175/votes?limit=1&cursor={cursor}")).json();
    assert_ne!(first["votes"][0]["vote_id"], second["votes"][0]["vote_id"]);
    assert!(second["next_cursor"].is_null());
    let noonan = h.get("/councillors/people-m162").body;
    assert!(noonan.contains("in 0 of 2 recorded votes"), "{noonan}");
    let meeting_page = h.get(&format!("/meetings/people-{held}")).body;
    assert!(meeting_page.contains("<a href=\"/councillors/people-m1726\">Councillor Jaswant Singh Birdi</a>"));
    assert!(meeting_page.contains("(not matched to a councillor)") && meeting_page.contains("page 3"));

    // Answers that are not a list of councillors are recorded; the list stays.
    for (answer, reason) in [
        (CouncillorsAnswer::EmptyWards, "no councillors"),
        (CouncillorsAnswer::RedirectStub, "JavaScript redirect stub"),
        (CouncillorsAnswer::WrongHostErrorPage, "HTML page"),
    ] {
        h.fake.set_councillors("people", answer);
        h.register("people", &base, json!({}));
        let kept = poll_until(h, path, Duration::from_secs(60), |b| {
            b["read_error"].as_str().is_some_and(|e| e.contains(reason))
        });
        let councillors = kept["councillors"].as_array().unwrap();
        assert_eq!(councillors.len(), 53, "{reason}: the list read before stays");
        assert!(councillors.iter().all(|c| c["former_since"].is_null()), "{reason}");
    }
    let page = h.get("/councils/people/councillors");
    assert!(page.body.contains("could not be read the last time") && page.body.contains("Bablake"));

    // A councillor the list stops naming becomes former, and keeps their attendance.
    h.fake.set_councillors("people", CouncillorsAnswer::CoventryWithout(1726));
    h.register("people", &base, json!({}));
    let after = poll_until(h, path, Duration::from_secs(60), |b| b["read_error"].is_null());
    let birdi = after["councillors"].as_array().unwrap().iter().find(|c| c["id"] == "people-m1726").cloned();
    assert!(birdi.as_ref().is_some_and(|b| b["former_since"].is_string()), "{after:#}");
    let former = h.get("/api/v1/councillors/people-m1726").json();
    assert_eq!(former["current"], false);
    assert_eq!(former["attendance"]["attended"], 1, "attendance outlives the listing");
    assert!(h.get("/councils/people/councillors").body.contains("Former councillors"));
    assert_eq!(h.get("/api/v1/councillors/people-m999999").status, 404);
}

/// The decisions register is read with the meetings: each decision's page in
/// the council's own words, linked to our meeting when it was taken at one,
/// listed with filters; a council without a register has that recorded.
#[test]
fn decisions_are_read_listed_and_filtered() {
    let h = Harness::shared();
    // Exclusive: its council's documents are read, and other tests count theirs exactly.
    let _guard = h.exclusive();
    let mut site = coventry_like(Behaviour::Healthy);
    site.decisions = true;
    site.serve_documents = true;
    let base = h.fake.add_site("decide", site);
    h.register("decide", &base, json!({}));
    let run = h.scrape("decide");
    assert_eq!(run["status"], "succeeded", "{run:#}");
    let path = "/api/v1/councils/decide/decisions";
    let listed = poll_until(h, path, Duration::from_secs(90), |b| {
        b["decisions"].as_array().is_some_and(|d| d.len() == 2 && d.iter().all(|d| d["status"].is_string()))
    });
    assert!(listed["read_error"].is_null(), "{listed:#}");
    let ids: Vec<&str> = listed["decisions"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["decide-d13567", "decide-d13149"], "newest first, the issue-history row left out");

    let taken = h.get("/api/v1/decisions/decide-d13567").json();
    assert_eq!(taken["title"], "Minutes of Previous Meeting");
    assert_eq!(
        taken["decision"],
        "The Minutes of the Policy Committee meeting on 23 September 2015 were approved as a correct record."
    );
    assert_eq!(taken["meeting_id"], format!("decide-{}", h.fake.meetings("decide")[1].id), "{taken:#}");
    assert_eq!(taken["documents"][0]["title"], "polc2 - 23.09.2015");
    assert!(taken["documents"][0]["url"].as_str().unwrap().starts_with(&format!("{base}/documents/s7942/")));
    // Its document goes through the document reader, like a meeting's.
    let taken = poll_until(h, "/api/v1/decisions/decide-d13567", Duration::from_secs(90), |b| {
        b["documents"][0]["text_status"] == "extracted"
    });
    let document_id = taken["documents"][0]["id"].as_str().unwrap().to_string();
    let document = h.get(&format!("/api/v1/documents/{document_id}")).json();
    assert_eq!((document["decision_id"].as_str(), document["meeting_id"].as_str()), (Some("decide-d13567"), None));
    assert_eq!(document["kind"], "decision_document");
    assert!(document["pages"].as_array().is_some_and(|p| !p.is_empty() && p[0]["text"].as_str().unwrap().len() > 100));
    let page = h.get("/decisions/decide-d13567");
    assert!(page.body.contains("text read: ") && page.body.contains(&format!("/api/v1/documents/{document_id}")));
    let officer = h.get("/api/v1/decisions/decide-d13149").json();
    assert_eq!(officer["decision_maker"], "Strategic Director for Environment");
    assert_eq!((officer["is_key"].as_i64(), officer["subject_to_call_in"].as_i64()), (Some(1), Some(1)));

    let key = h.get(&format!("{path}?key=1")).json();
    assert_eq!(key["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(key["decisions"][0]["id"], "decide-d13149");
    let by_maker = h.get(&format!("{path}?maker=Strategic+Director+for+Environment")).json();
    assert_eq!(by_maker["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(h.get(&format!("{path}?key=maybe")).status, 400);
    assert_eq!(h.get(&format!("{path}?key=")).status, 400, "present but empty is no listed value");
    let long_ago = h.get(&format!("{path}?from=2001-01-01&to=2001-12-31")).json();
    assert_eq!(long_ago["decisions"], json!([]));

    let page = h.get("/councils/decide/decisions");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Settlement Agreement with Network Rail")
            || page.body.contains("Minutes of Previous Meeting")
    );
    assert!(page.body.contains("key decision"));
    let page = h.get("/decisions/decide-d13149");
    assert!(page.body.contains("Strategic Director for Environment") && page.body.contains("That approval be given"));
    let page = h.get("/decisions/decide-d13567");
    assert!(page.body.contains(&format!("href=\"/meetings/decide-{}\"", h.fake.meetings("decide")[1].id)));
    assert_eq!(h.get("/api/v1/decisions/decide-d1").status, 404);

    // In the week's digest ("decided this week"), and on its page.
    let week = {
        use chrono::Datelike;
        let day = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
            - chrono::Duration::days(3);
        format!("{}-W{:02}", day.iso_week().year(), day.iso_week().week())
    };
    let digest = h.admin("POST", &format!("/admin/councils/decide/digest?week={week}"), None);
    assert_eq!(digest.status, 200, "{}", digest.body);
    let decided: Vec<Value> = digest.json()["body"]["decided"].as_array().cloned().unwrap_or_default();
    assert!(decided.iter().any(|d| d["decision_id"] == "decide-d13567"), "{}", digest.body);
    let page = h.get(&format!("/councils/decide/weeks/{week}"));
    assert!(page.body.contains("Decided this week") && page.body.contains("/decisions/decide-d13567"), "{}", page.body);

    // In the council's feed, and in search.
    let feed = h.get("/councils/decide/feed.xml");
    assert!(feed.body.contains("/decisions/decide-d13149") && feed.body.contains("Decision: "), "{}", feed.body);
    let found = h.get("/api/v1/search?q=alternative+processing&council=decide").json();
    let urls: Vec<&str> = found["results"].as_array().unwrap().iter().map(|r| r["url"].as_str().unwrap()).collect();
    assert!(urls.contains(&"/decisions/decide-d13149"), "{found:#}");

    // A council that publishes no register: recorded, nothing invented.
    let base = h.fake.add_site("noregister", coventry_like(Behaviour::Healthy));
    h.register("noregister", &base, json!({}));
    h.scrape("noregister");
    let none = poll_until(h, "/api/v1/councils/noregister/decisions", Duration::from_secs(60), |b| {
        b["read_error"].is_string()
    });
    assert!(none["read_error"].as_str().unwrap().contains("HTTP status 404"), "{none:#}");
    assert_eq!(none["decisions"], json!([]));
}

/// A postcode's answer names the councillors of its ward, from the council's
/// own list (St Michael's, Coventry, for the Council House).
#[test]
fn a_postcode_names_its_wards_councillors() {
    let h = Harness::shared();
    // Coventry is seeded; point it at the fake site, as the cron test does, and
    // leave it disabled again so that no other test's cron refreshes it.
    let _guard = h.exclusive();
    let base = h.fake.add_site("", coventry_like(Behaviour::Healthy));
    let coventry = json!({"name": "Coventry City Council", "coverage": "supported"});
    h.register("coventry", &base, coventry.clone());
    let answer = poll_until(h, "/api/v1/postcodes/CV1%205RR", Duration::from_secs(90), |b| {
        b["councillors"].as_array().is_some_and(|c| !c.is_empty())
    });
    let mut disabled = coventry;
    disabled["enabled"] = json!(false);
    h.register("coventry", &base, disabled);
    let councillors = answer["councillors"].as_array().unwrap();
    assert_eq!(councillors.len(), 3, "{answer:#}");
    assert!(councillors.iter().all(|c| c["ward"] == "St Michael's" && c["council_id"] == "coventry"), "{answer:#}");
    assert!(councillors.iter().all(|c| c["id"].as_str().unwrap().starts_with("coventry-m")));
    let page = h.get("/postcode?q=cv15rr");
    assert!(page.body.contains("Your councillors"), "{}", page.body);
    assert!(page.body.contains(&format!("href=\"/councillors/{}\"", councillors[0]["id"].as_str().unwrap())));
}

/// A resident types a postcode (any case and spacing) and is shown the councils
/// that govern it, matched to the registry by GSS code (by name for an
/// outcode), and the ward; answers are kept, failures are not, and what cannot
/// be a postcode is refused without asking the service.
#[test]
fn residents_find_their_councils_by_postcode_and_name() {
    let h = Harness::shared();
    let ids = |body: &Value| -> Vec<String> {
        body["councils"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
    };
    let two_tier = h.get("/api/v1/postcodes/me141xq");
    assert_eq!(two_tier.status, 200, "{}", two_tier.body);
    let body = two_tier.json();
    assert_eq!(body["postcode"], "ME14 1XQ");
    assert_eq!(ids(&body), ["maidstone", "kent"]);
    assert_eq!(
        (body["councils"][0]["kind"].as_str(), body["councils"][1]["kind"].as_str()),
        (Some("district"), Some("county"))
    );
    assert_eq!(body["councils"][1]["url"], format!("{PUBLIC_ORIGIN}/councils/kent"));
    assert_eq!(body["wards"][0]["name"], "High Street");
    assert_eq!(ids(&h.get("/api/v1/postcodes/CV1%205RR").json()), ["coventry"]);
    let outcode = h.get("/api/v1/postcodes/cv7").json();
    assert_eq!(outcode["outcode"], true);
    assert_eq!(ids(&outcode), ["north-warwickshire", "coventry", "nuneaton-and-bedworth", "warwickshire"]);

    // Asked again, however typed, the answer is the kept one.
    // (At least once: a first asking that timed out behind the local database lock is asked again.)
    let asked = h.postcodes.requests_for("ME14 1XQ");
    assert!(asked >= 1, "the first asking went to the service");
    assert_eq!(ids(&h.get("/api/v1/postcodes/ME14%201XQ").json()), ["maidstone", "kent"]);
    assert_eq!(h.postcodes.requests_for("ME14 1XQ"), asked, "a known postcode is answered from KV");

    // Not a postcode: refused, and the service is not asked.
    for typed in ["hello", "CV1%205R", "%3Cscript%3E"] {
        let reply = h.get(&format!("/api/v1/postcodes/{typed}"));
        assert_eq!(reply.status, 400, "{typed}: {}", reply.body);
        assert_eq!(reply.content_type, "application/problem+json");
    }
    let page = h.get("/postcode?q=not+a+postcode");
    assert_eq!(page.status, 400);
    assert!(page.body.contains("That is not a UK postcode"));
    for typed in ["hello", "script", "NOTAPOSTCODE"] {
        assert_eq!(h.postcodes.requests_for(typed), 0, "nothing is looked up for {typed:?}");
    }
    let unknown = h.get("/api/v1/postcodes/ZZ99%209ZZ");
    assert_eq!(unknown.status, 404, "{}", unknown.body);

    // The service failing: said so, with the council list offered, and not kept.
    h.postcodes.set_failing(true);
    let failed = h.get("/api/v1/postcodes/CV34%204RL");
    assert_eq!(failed.status, 503, "{}", failed.body);
    assert_eq!(failed.header("Retry-After"), Some("60"));
    let failed_page = h.get("/postcode?q=CV34+4RL");
    assert_eq!(failed_page.status, 503);
    assert!(failed_page.body.contains("Choose your council from the list"), "{}", failed_page.body);
    h.postcodes.set_failing(false);
    let recovered = h.get("/api/v1/postcodes/cv344rl");
    assert_eq!(recovered.status, 200, "a failure is never kept: {}", recovered.body);
    assert_eq!(ids(&recovered.json()), ["warwick", "warwickshire"]);

    let page = h.get("/postcode?q=me14+1xq");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Maidstone Borough Council") && page.body.contains("Kent County Council"));
    assert!(page.body.contains("county council") && page.body.contains("High Street"));

    // By name: the API over the whole registry, the home page over councils followed.
    let named = h.get("/api/v1/councils?q=warwick").json();
    let names: Vec<&str> = named["councils"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Warwickshire County Council") && names.contains(&"Warwick District Council"), "{names:?}");
    assert!(names.iter().all(|n| n.to_lowercase().contains("warwick")), "{names:?}");
    h.register("postcodeshire", "http://127.0.0.1:9", json!({"name": "Postcodeshire Test Council"}));
    let home = h.get("/?q=postcodeshire");
    assert!(home.body.contains("Postcodeshire Test Council"), "{}", home.body);
    assert!(!home.body.contains("href=\"/councils/coventry\""));
}

/// The site worker serves only public reads, the ingest worker only admin
/// routes; list reads are bounded; a client over its limit is told to wait.
#[test]
fn the_public_edge_is_bounded_and_rate_limited() {
    let h = Harness::shared();
    for path in ["/admin/status", "/admin/faults", "/admin/runs/x"] {
        let reply = ureq::get(&format!("{}{path}", h.base_url)).set("Authorization", "Bearer x").call();
        let status = match reply {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("{path}: {e}"),
        };
        assert_eq!(status, 404, "the site worker must not answer {path}");
    }
    let public_on_ingest = ureq::get(&format!("{}/councils/coventry", h.ingest_url)).call();
    assert!(matches!(public_on_ingest, Err(ureq::Error::Status(404, _))), "the ingest worker serves no pages");
    assert_eq!(h.get("/healthz").status, 200);

    // A list covers at most 366 days: a longer range is cut, and the answer says so.
    for (path, from, to) in [
        ("/api/v1/councils/coventry/meetings?from=2000-01-01&to=2100-01-01", "2000-01-01", "2001-01-01"),
        ("/api/v1/meetings?from=2024-01-01&to=2025-06-01", "2024-01-01", "2025-01-01"),
        ("/api/v1/councils/coventry/meetings?from=2025-01-01&to=2026-01-02", "2025-01-01", "2026-01-02"),
    ] {
        let reply = h.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        let body = reply.json();
        assert_eq!((body["from"].as_str(), body["to"].as_str()), (Some(from), Some(to)), "{path}");
    }
    let backwards = h.get("/api/v1/councils/coventry/meetings?from=2026-02-01&to=2026-01-01").json();
    assert_eq!(backwards["meetings"], json!([]));
    for path in ["/api/v1/councils/coventry/meetings?limit=1001", "/api/v1/meetings?limit=201"] {
        let reply = h.get(path);
        assert_eq!(reply.status, 400, "{path}: {}", reply.body);
        assert_eq!(reply.content_type, "application/problem+json");
    }

    // Pages that only change with a release are kept by browsers and the CDN for a day.
    for path in ["/about", "/api/v1/openapi.json"] {
        let first = h.get(path);
        assert_eq!(first.header("Cache-Control"), Some("public, max-age=86400, stale-while-revalidate=604800"));
        let again = h.get(path);
        assert_eq!(again.header("Cache-Control"), first.header("Cache-Control"), "{path}");
        assert!(again.header("ETag").is_some());
    }

    // Words under three characters are not searched for: nothing is found, and the answer says why.
    let short = h.get("/api/v1/search?q=of+an");
    assert_eq!(short.status, 200, "{}", short.body);
    assert_eq!(short.json()["results"], json!([]));
    assert!(short.json()["notice"].as_str().unwrap().contains("at least 3"));
    assert!(h.get("/search?q=of+an").body.contains("at least three letters or digits"));

    // Searches are limited most strictly (30 a minute): one client runs out,
    // is answered 429 with Retry-After, on the API and on the search page;
    // another client is unaffected.
    // The limiter counts in fixed one-minute windows: a burst that straddles a
    // window's end starts counting again, so it is tried again from a new client.
    let mut burst = 0;
    let greedy = loop {
        burst += 1;
        let greedy = format!("203.0.113.{}", 76 + burst);
        // Asked until refused and a few times more: on a busy machine a burst
        // may span two windows, so up to twice the limit may be answered.
        let mut statuses = Vec::new();
        for n in 0..70 {
            statuses.push(h.get_as(&greedy, &format!("/api/v1/search?q=budget{n}")).status);
            if statuses.iter().rev().take(3).filter(|s| **s == 429).count() == 3 {
                break;
            }
        }
        let first_refusal = statuses.iter().position(|s| *s == 429).expect("search was never rate limited");
        assert!(first_refusal >= 25, "refused too early: {statuses:?}");
        let refused = h.get_as(&greedy, "/api/v1/search?q=budget");
        let page = h.get_as(&greedy, "/search?q=budget");
        let held = statuses[first_refusal..].iter().all(|s| *s == 429) && refused.status == 429 && page.status == 429;
        if !held {
            assert!(burst < 3, "the limit did not hold within a window: {statuses:?}");
            continue;
        }
        assert_eq!(refused.content_type, "application/problem+json");
        assert_eq!(refused.header("Retry-After"), Some("60"));
        assert_eq!(refused.json()["status"], 429);
        assert!(page.content_type.starts_with("text/html"));
        assert_eq!(page.header("Retry-After"), Some("60"));
        assert!(page.body.contains("Too many requests"));
        break greedy;
    };
    // Browsing is counted apart from searching.
    assert_eq!(h.get_as(&greedy, "/about").status, 200);
    assert_eq!(h.get_as("203.0.113.99", "/api/v1/search?q=budget").status, 200);

    // A cached page never reaches D1, so it is not counted: one client asks
    // for it past the page limit (300 a minute) and is always answered.
    while h.get("/about").header("X-Cache") != Some("hit") {
        std::thread::sleep(Duration::from_millis(300));
    }
    let reader = "203.0.113.200";
    let refused = (0..320).filter(|_| h.get_as(reader, "/about").status == 429).count();
    assert_eq!(refused, 0, "cached pages were counted against the page limit");
}

/// Every document of every meeting of a council, once none is still being read.
fn settled_documents(h: &Harness, council: &str, timeout: Duration) -> Vec<Value> {
    let deadline = Instant::now() + timeout;
    loop {
        let documents: Vec<Value> = h
            .meetings(council)
            .iter()
            .flat_map(|m| {
                let meeting = h.get(&format!("/api/v1/meetings/{}", m["id"].as_str().unwrap())).json();
                let mut all: Vec<Value> = meeting["documents"].as_array().cloned().unwrap_or_default();
                for item in meeting["agenda_items"].as_array().cloned().unwrap_or_default() {
                    all.extend(item["documents"].as_array().cloned().unwrap_or_default());
                }
                all
            })
            .collect();
        let pending = documents.iter().filter(|d| d["text_status"].is_null() || d["text_status"] == "partial").count();
        if pending == 0 {
            return documents;
        }
        assert!(Instant::now() < deadline, "{pending} documents still unread\n{}", h.log_tail());
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn documents_are_fetched_read_and_served_once() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let mut site = coventry_like(Behaviour::Healthy);
    site.serve_documents = true;
    let base = h.fake.add_site("docs", site);
    h.register("docs", &base, json!({}));
    h.scrape("docs");
    let documents = settled_documents(h, "docs", Duration::from_secs(240));
    // 13 meetings with an agenda: frontsheet, reports pack and 2 item documents each,
    // and printed minutes for the one meeting that has them.
    assert_eq!(documents.len(), 13 * 4 + 1, "{documents:#?}");
    let status = |d: &Value| d["text_status"].as_str().unwrap_or_default().to_string();
    let failed: Vec<&Value> = documents.iter().filter(|d| status(d) == "failed").collect();
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert!(failed[0]["text_error"].as_str().unwrap().contains("not a PDF (an HTML page)"), "{:#?}", failed[0]);
    assert!(failed[0]["id"].as_str().unwrap().starts_with(&format!("docs-a{BAD_DOCUMENTS_MEETING}")));
    let scanned: Vec<&Value> = documents.iter().filter(|d| status(d) == "no_text_layer").collect();
    assert_eq!(scanned.len(), 1);
    assert_eq!(documents.iter().filter(|d| status(d) == "extracted").count(), 13 * 4 + 1 - 2);

    let meeting = h.get(&format!("/api/v1/meetings/docs-{}", h.fake.meetings("docs")[1].id)).json();
    let by_kind =
        |kind: &str| meeting["documents"].as_array().unwrap().iter().find(|d| d["kind"] == kind).unwrap().clone();
    let frontsheet =
        h.get(&format!("/api/v1/documents/{}", by_kind("agenda_frontsheet")["id"].as_str().unwrap())).json();
    assert_eq!(frontsheet["page_count"], 2);
    assert!(frontsheet["pages"][0]["text"]
        .as_str()
        .unwrap()
        .contains("Minutes of the Meeting held on 9th January 2025 (Pages 1 - 10)"));
    let minutes = h.get(&format!("/api/v1/documents/{}", by_kind("printed_minutes")["id"].as_str().unwrap())).json();
    assert_eq!(minutes["pages"].as_array().unwrap().len(), 17);
    assert!(minutes["pages"][4]["text"].as_str().unwrap().contains("Katie Lam"));
    assert_eq!(minutes["pages"][4]["printed_page"], 5);
    // The reports pack repeats an item's report: its pages are read once.
    let pack = h.get(&format!("/api/v1/documents/{}", by_kind("reports_pack")["id"].as_str().unwrap())).json();
    let item_report_id = meeting["agenda_items"][1]["documents"][0]["id"].as_str().unwrap().to_string();
    let item_report = h.get(&format!("/api/v1/documents/{item_report_id}")).json();
    let duplicated = |doc: &Value| {
        doc["pages"].as_array().unwrap().iter().filter(|p| p["duplicate_of_document"].is_string()).count()
    };
    assert_eq!(
        duplicated(&pack) + duplicated(&item_report),
        9,
        "one of the two copies points at the other, page by page"
    );
    // The frontsheet's page ranges are attached to the agenda items they name.
    let ranges = pack["agenda_item_pages"].as_array().unwrap();
    assert!(
        ranges.iter().any(|r| r["number"] == "9" && r["first_printed_page"] == 461 && r["last_printed_page"] == 610),
        "{ranges:#?}"
    );

    let restricted = h.get("/api/v1/documents/no-such-document");
    assert_eq!(restricted.status, 404);

    let requests_before = h.fake.document_requests("docs");
    let rerun = h.scrape_full("docs");
    assert_eq!(count(&rerun, "meetings_unchanged"), MEETINGS_IN_WINDOW as i64);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(h.fake.document_requests("docs"), requests_before, "an unchanged rerun fetches no document");
}

/// A document is fetched only from the council's own host or a host it
/// declares, and a redirect elsewhere is refused the same way; both are
/// recorded on the document, and the council's other documents are read.
#[test]
fn documents_come_only_from_the_councils_own_or_declared_hosts() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let refused = h.admin(
        "POST",
        "/admin/councils",
        Some(&json!({"id": "badhosts", "name": "x", "base_url": "http://127.0.0.1:1", "document_hosts": ["https://x.example/"]})),
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    for (council, declared) in [("foreign", json!([])), ("declared", json!(["localhost"]))] {
        let mut site = with_meeting_count(Behaviour::Healthy, 2);
        site.serve_documents = true;
        site.foreign_documents = true;
        let base = h.fake.add_site(council, site);
        h.register(council, &base, json!({"document_hosts": declared}));
        h.scrape(council);
    }
    let status = |d: &Value| d["text_status"].as_str().unwrap_or_default().to_string();
    let foreign = settled_documents(h, "foreign", Duration::from_secs(120));
    let elsewhere: Vec<&Value> =
        foreign.iter().filter(|d| d["url"].as_str().unwrap().contains("mgConvert2PDF")).collect();
    assert_eq!(elsewhere.len(), 4, "{foreign:#?}");
    for document in &elsewhere {
        assert_eq!(status(document), "failed", "{document:#?}");
        let error = document["text_error"].as_str().unwrap();
        assert!(error.contains("on localhost, which is not the council's host"), "{error}");
    }
    let read_here = foreign.iter().filter(|d| status(d) == "extracted").count();
    assert_eq!(read_here, foreign.len() - 4, "{foreign:#?}");
    // Declared, the same links (one of them through the redirect) are read.
    let declared = settled_documents(h, "declared", Duration::from_secs(120));
    assert!(declared.iter().all(|d| status(d) == "extracted"), "{declared:#?}");
    assert_eq!(declared.len(), foreign.len());
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace(['\u{201c}', '\u{201d}'], "\"")
}

/// Latest summaries of every meeting with an agenda, once all are made.
fn settled_summaries(h: &Harness, council: &str, expected: usize, timeout: Duration) -> Vec<Value> {
    let deadline = Instant::now() + timeout;
    loop {
        let meetings: Vec<Value> = h
            .meetings(council)
            .iter()
            .map(|m| h.get(&format!("/api/v1/meetings/{}", m["id"].as_str().unwrap())).json())
            .filter(|m| !m["summary"].is_null())
            .collect();
        if meetings.len() >= expected {
            return meetings;
        }
        assert!(Instant::now() < deadline, "{} of {expected} summaries made\n{}", meetings.len(), h.log_tail());
        std::thread::sleep(Duration::from_millis(700));
    }
}

#[test]
fn summaries_publish_only_verified_quotes_and_are_not_remade_for_nothing() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let mut site = coventry_like(Behaviour::Healthy);
    site.serve_documents = true;
    site.hostile = true;
    let base = h.fake.add_site("summ", site);
    h.register("summ", &base, json!({"coverage": "supported"}));
    h.scrape("summ");
    settled_documents(h, "summ", Duration::from_secs(240));
    let meetings = settled_summaries(h, "summ", 13, Duration::from_secs(240));

    let mut kept = 0;
    let mut dropped = 0;
    for meeting in &meetings {
        let summary = &meeting["summary"];
        assert_eq!(summary["method"], "model", "{summary:#}");
        assert_eq!(summary["model"], "fake-llama");
        assert_eq!(summary["prompt_version"], "meeting-v2");
        assert!(summary["input_tokens"].as_i64().unwrap() > 0);
        assert!(summary["estimated_cost_usd"].as_f64().unwrap() > 0.0);
        let body = &summary["body"];
        assert!(body["label"].as_str().unwrap().starts_with("AI generated by fake-llama"));
        // The fake model obeys the instructions in the agenda text and states
        // figures, a date, a name and a vote no source holds (Planning): none
        // of it is published.
        let published = body.to_string();
        for wrong in [INJECTED_FIGURE, "987.6", "Quackenbush", "2031", "11 for"] {
            assert!(!published.contains(wrong), "{wrong:?} was published: {published}");
        }
        assert_eq!(summary["claims_checked"], 1);
        assert!(summary.get("dropped_reasons").is_none(), "why sentences went is not served");
        kept += summary["quotes_kept"].as_i64().unwrap();
        dropped += summary["quotes_dropped"].as_i64().unwrap();
        // Every published quote is verbatim in the text its footnote cites.
        for section in body["sections"].as_array().unwrap() {
            for quote in section["quotes"].as_array().unwrap() {
                let text = quote["text"].as_str().unwrap();
                assert!(!text.contains(FABRICATED_QUOTE));
                let footnote = &body["footnotes"][quote["footnote"].as_u64().unwrap() as usize - 1];
                let source = match footnote["document_id"].as_str() {
                    Some(document) => {
                        let doc = h.get(&format!("/api/v1/documents/{document}")).json();
                        let page = footnote["page"].as_u64().unwrap() as usize;
                        assert!(footnote["url"].as_str().unwrap().ends_with(&format!("#page={page}")));
                        doc["pages"][page - 1]["text"].as_str().unwrap().to_string()
                    }
                    None => {
                        let item = meeting["agenda_items"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .find(|i| i["id"] == section["item_id"])
                            .unwrap();
                        format!(
                            "{} {}",
                            item["agenda_text"].as_str().unwrap_or_default(),
                            item["minutes_text"].as_str().unwrap_or_default()
                        )
                    }
                };
                assert!(squash(&source).contains(&squash(text)), "quote {text:?} not in its source");
            }
        }
    }
    assert!(kept >= 13, "{kept} quotes kept");
    let cabinet_meetings =
        meetings.iter().filter(|m| m["title"].as_str().unwrap().starts_with("Cabinet")).count() as i64;
    assert_eq!(dropped, cabinet_meetings, "each fabricated quote was dropped");
    let scrutiny = meetings.iter().find(|m| m["title"].as_str().unwrap().starts_with("Scrutiny")).unwrap();
    assert!(scrutiny["summary"]["notes"].as_str().unwrap().contains("attempt 1: invalid model output"));
    assert_eq!(scrutiny["summary"]["model_calls"], 2, "one retry after the malformed answer");
    // Markup from the council and the model is escaped on the page.
    let page = h.get(&format!("/meetings/{}", meetings[0]["id"].as_str().unwrap()));
    assert!(!page.body.contains(HOSTILE_TEXT) && !page.body.contains(HOSTILE_TITLE), "raw markup reached the page");
    assert!(page.body.contains("&#60;img src=x onerror=alert(2)&#62;"), "the hostile title is shown as text");

    // What a model that obeys injected instructions can and cannot do: its
    // headline is published as machine-written text, its link is text and
    // never a link, its quote is the council's words shown as text, its
    // figure is dropped.
    assert!(h.model.schema_requests() > 0, "the answer's schema is sent with the request");
    let obeyed =
        meetings.iter().filter(|m| m["summary"]["body"]["headline"] == "Council scraps all parking charges.").count();
    assert!(obeyed > 0, "the fake model obeyed the injected headline somewhere");
    for meeting in &meetings {
        let page = h.get(&format!("/meetings/{}", meeting["id"].as_str().unwrap()));
        assert!(page.body.contains("AI generated by fake-llama"), "the page labels the text as machine-written");
        assert!(!page.body.contains(&format!("href=\"{INJECTED_LINK}")), "a model link became a link");
        assert!(!page.body.contains("<b>free parking") && !page.body.contains("<script>alert(1)"));
        assert!(!page.body.contains(INJECTED_FIGURE) && !page.body.contains("Quackenbush"));
    }
    let feed = h.get("/councils/summ/feed.xml").body;
    assert!(!feed.contains(INJECTED_FIGURE) && !feed.contains("Quackenbush") && !feed.contains("<script>"), "{feed}");
    // Planning: the provider refused the schema once, then every wrong sentence went and was counted.
    for planning in meetings.iter().filter(|m| m["title"].as_str().unwrap().starts_with("Planning")) {
        let summary = &planning["summary"];
        assert_eq!(summary["model_calls"], 2, "{summary:#}");
        assert!(summary["notes"].as_str().unwrap().contains("could not meet the schema"), "{summary:#}");
        let sections = summary["body"]["sections"].as_array().unwrap().len() as i64;
        let dropped = summary["sentences_dropped"].as_i64().unwrap();
        assert!(dropped > 3 * sections, "{dropped} sentences dropped over {sections} sections");
        // The rest is published: each section keeps the model's sentences the sources bear out.
        for section in summary["body"]["sections"].as_array().unwrap() {
            assert_eq!(section["extractive"], false, "{section:#}");
            let text = section["summary"].as_str().unwrap();
            assert!(
                text.starts_with("The committee discussed:") || text.starts_with("Nothing was published"),
                "{text}"
            );
        }
        let page = h.get(&format!("/meetings/{}", planning["id"].as_str().unwrap()));
        assert!(page.body.contains("was found in the council&#39;s documents"), "the checked note is shown");
    }

    let calls = h.model.calls();
    let rerun = h.scrape_full("summ");
    assert_eq!(count(&rerun, "meetings_unchanged"), MEETINGS_IN_WINDOW as i64);
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(h.model.calls(), calls, "an unchanged rerun makes no model call");

    let week = h.meetings("summ")[0]["local_date"]
        .as_str()
        .map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap())
        .map(|d| {
            use chrono::Datelike;
            let w = d.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        })
        .unwrap();
    let digest = h.admin("POST", &format!("/admin/councils/summ/digest?week={week}"), None);
    assert_eq!(digest.status, 200, "{}", digest.body);
    let digest = digest.json();
    assert_eq!(digest["version"], 1);
    let points = digest["body"]["points"].as_array().unwrap();
    assert!(!points.is_empty());
    assert!(points.iter().all(|p| p["url"].as_str().unwrap().starts_with("/meetings/summ-")));
    let again = h.admin("POST", &format!("/admin/councils/summ/digest?week={week}"), None).json();
    assert_eq!(again["version"], 1, "an unchanged week keeps its digest");
    let read = h.get(&format!("/api/v1/councils/summ/weeks/{week}"));
    assert_eq!(read.status, 200);
    assert_eq!(read.json()["body"], digest["body"]);

    // The weekly cron makes last week's digest for every enabled council.
    let last_week = {
        use chrono::Datelike;
        let day = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
            - chrono::Duration::days(7);
        format!("{}-W{:02}", day.iso_week().year(), day.iso_week().week())
    };
    assert_eq!(h.trigger_cron(WEEKLY_CRON).status, 200);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let reply = h.get(&format!("/api/v1/councils/summ/weeks/{last_week}"));
        if reply.status == 200 {
            assert!(!reply.json()["body"]["points"].as_array().unwrap().is_empty());
            break;
        }
        assert!(Instant::now() < deadline, "the weekly cron made no digest for {last_week}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn pages_feeds_search_and_caching() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("pages", coventry_like(Behaviour::Healthy));
    h.register("pages", &base, json!({"name": "Pages Borough Council"}));
    h.scrape("pages");
    let meetings = settled_summaries(h, "pages", 13, Duration::from_secs(300));
    let meeting = &meetings[0];
    let id = meeting["id"].as_str().unwrap();
    assert_eq!(meeting["summary"]["body"]["label"], "extractive, not AI-generated");

    let week = {
        use chrono::Datelike;
        let day = chrono::NaiveDate::parse_from_str(meeting["local_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        format!("{}-W{:02}", day.iso_week().year(), day.iso_week().week())
    };
    assert_eq!(h.admin("POST", &format!("/admin/councils/pages/digest?week={week}"), None).status, 200);
    let committee = meeting["committee_id"].as_str().unwrap();
    for (path, expected) in [
        ("/".to_string(), "Pages Borough Council"),
        ("/about".to_string(), "How summaries are made and checked"),
        ("/councils/pages".to_string(), "Request support for Pages"),
        (format!("/councils/pages/committees/{committee}"), meeting["committee_title"].as_str().unwrap()),
        (format!("/meetings/{id}"), "extractive, not AI-generated"),
        (format!("/meetings/{id}"), "application/ld+json"),
        (format!("/councils/pages/weeks/{week}"), "week"),
        ("/search?q=work+programme".to_string(), "Work Programme"),
    ] {
        let reply = h.get(&path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.content_type.starts_with("text/html"), "{path}");
        assert!(reply.body.contains(expected), "{path} lacks {expected:?}");
        assert!(reply.header("Content-Security-Policy").unwrap().contains("default-src 'none'"));
    }
    // Absolute links come from the configured origin, never from the request.
    let page = h.get(&format!("/meetings/{id}"));
    assert!(page.body.contains(&format!("<link rel=\"canonical\" href=\"{PUBLIC_ORIGIN}/meetings/{id}\">")));
    assert!(!page.body.contains(&h.base_url), "the request's host leaked into the page");
    assert_eq!(h.get("/councils/nope").status, 404);
    assert_eq!(h.get("/councils/pages/committees/pages-c999").status, 404);
    let problem = h.get("/api/v1/councils/nope");
    assert_eq!((problem.status, problem.content_type.as_str()), (404, "application/problem+json"));

    // Repeated views come from the edge cache; a write makes the next view fresh.
    // (Bumps a second apart are folded into one KV write, and pages rendered in
    // that second are not cached: wait it out, so this test sees a cached copy
    // and a bump that is written.)
    std::thread::sleep(std::time::Duration::from_millis(1_600));
    let mut cached = false;
    for _ in 0..5 {
        h.get("/councils/pages");
        if h.get("/councils/pages").header("X-Cache") == Some("hit") {
            cached = true;
            break;
        }
    }
    assert!(cached, "a repeated view was not served from the cache");
    // Parameters no public read understands, in any order, share the cached copy.
    assert_eq!(h.get("/councils/pages?utm_source=mail&x=1").header("X-Cache"), Some("hit"));
    // A write to another council leaves this council's pages cached.
    h.register("pages-neighbour", &base, json!({"name": "Neighbour District Council", "enabled": false}));
    assert_eq!(h.get("/councils/pages").header("X-Cache"), Some("hit"), "another council's write evicted this page");
    h.register("pages", &base, json!({"name": "Pages Borough Council", "notes": "renamed"}));
    assert_eq!(h.get("/councils/pages").header("X-Cache"), Some("miss"), "a write invalidates cached pages");

    // Conditional requests answer 304.
    let first = h.get(&format!("/meetings/{id}"));
    let etag = first.header("ETag").unwrap().to_string();
    let agent = ureq::AgentBuilder::new().build();
    let again = agent.get(&format!("{}/meetings/{id}", h.base_url)).set("If-None-Match", &etag).call();
    let status = match again {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(status, 304);

    // Search API: ranked matches with snippets.
    let results = h.get("/api/v1/search?q=work%20programme&council=pages").json();
    assert!(!results["results"].as_array().unwrap().is_empty(), "{results:#}");
    assert!(results["results"][0]["snippet"].is_string());
    assert_eq!(h.get("/api/v1/search").status, 400);

    // The meetings API pages through results with a cursor.
    let mut seen: Vec<String> = Vec::new();
    let mut path = "/api/v1/meetings?council=pages&limit=5".to_string();
    loop {
        let page = h.get(&path).json();
        let rows = page["meetings"].as_array().unwrap();
        assert!(rows.len() <= 5);
        seen.extend(rows.iter().map(|m| m["id"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/meetings?council=pages&limit=5&cursor={cursor}"),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (MEETINGS_IN_WINDOW, MEETINGS_IN_WINDOW));
    let cancelled = h.get("/api/v1/meetings?council=pages&status=cancelled").json();
    assert_eq!(cancelled["meetings"].as_array().unwrap().len(), 1);
    assert_eq!(h.get("/api/v1/meetings?limit=0").status, 400);
    assert_eq!(h.get("/api/v1/meetings?cursor=garbage").status, 400);
    let committees = h.get("/api/v1/councils/pages/committees").json();
    assert_eq!(committees["committees"].as_array().unwrap().len(), 4);

    // The OpenAPI document validates.
    let dir = h.state_dir.join("feeds");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("openapi.json"), h.get("/api/v1/openapi.json").body).unwrap();
    let validated = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(dir.join("openapi.json"))
        .output()
        .unwrap();
    assert!(validated.status.success(), "{}", String::from_utf8_lossy(&validated.stdout));

    // Feeds parse in real clients.
    let rss = h.get("/councils/pages/feed.xml");
    assert!(rss.content_type.starts_with("application/rss+xml"));
    let ics = h.get("/councils/pages/meetings.ics");
    assert!(ics.content_type.starts_with("text/calendar"));
    std::fs::write(dir.join("feed.xml"), &rss.body).unwrap();
    std::fs::write(dir.join("meetings.ics"), &ics.body).unwrap();
    let output = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/check_feeds.py"))
        .arg(dir.join("feed.xml"))
        .arg(dir.join("meetings.ics"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["feed_version"], "rss20");
    assert_eq!(report["entries"], 13);
    assert_eq!(report["events"], MEETINGS_IN_WINDOW);
    assert_eq!(report["cancelled"], 1);
    assert_eq!(report["utc_starts"], MEETINGS_IN_WINDOW);
    assert!(report["uids"].as_array().unwrap().iter().all(|u| u.as_str().unwrap().ends_with("@council-digest")));
    // The Planning Committee's headings carry characters XML forbids: the control
    // character is dropped as the page is read; the noncharacter reaches the title,
    // and the feeds drop it.
    let titles: Vec<String> = h.meetings("pages").iter().map(|m| m["title"].as_str().unwrap().to_string()).collect();
    assert!(titles.iter().any(|t| t.contains('\u{FFFE}')) && !titles.iter().any(|t| t.contains('\u{1}')));
    assert!(XML_FORBIDDEN.contains('\u{1}') && XML_FORBIDDEN.contains('\u{FFFE}'));
    assert!(rss.body.contains("Planning Committee") && !rss.body.contains('\u{1}') && !rss.body.contains('\u{FFFE}'));
    assert!(!ics.body.contains('\u{1}'));
    let committee_feed = h.get(&format!("/councils/pages/committees/{committee}/feed.xml"));
    assert_eq!(committee_feed.status, 200);
    assert_eq!(h.get(&format!("/councils/pages/committees/{committee}/meetings.ics")).status, 200);
}

/// ChromeDriver on a free loopback port, stopped when dropped.
struct ChromeDriver {
    child: std::process::Child,
    url: String,
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn webdriver(method: &str, url: &str, body: Option<Value>) -> Value {
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).build();
    let request = agent.request(method, url);
    let response = match body {
        Some(body) => request.send_json(body),
        None => request.call(),
    };
    match response {
        Ok(r) => r.into_json().unwrap(),
        Err(ureq::Error::Status(code, r)) => {
            panic!("webdriver {method} {url}: {code} {}", r.into_string().unwrap_or_default())
        }
        Err(e) => panic!("webdriver {method} {url}: {e}"),
    }
}

/// A headless Chromium driven over WebDriver: the driver (stopped when dropped) and the session's address.
fn chromium(h: &Harness) -> (ChromeDriver, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let driver = ChromeDriver {
        child: std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver)"),
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while ureq::get(&format!("{}/status", driver.url)).call().is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(200));
    }
    let profile = h.state_dir.join(format!("chromium-profile-{port}"));
    let session = webdriver(
        "POST",
        &format!("{}/session", driver.url),
        Some(json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--user-data-dir={}", profile.display())]
        }}}})),
    );
    let session_url = format!("{}/session/{}", driver.url, session["value"]["sessionId"].as_str().unwrap());
    (driver, session_url)
}

/// The serious and critical violations of WCAG 2.1 A and AA rules axe-core
/// (npm `axe-core`) finds on the page at `url`, in the browser session.
fn axe_violations(session_url: &str, url: &str) -> Vec<Value> {
    let axe = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/node_modules/axe-core/axe.min.js"))
        .expect("axe-core (npm, installed by scripts/setup.sh)");
    webdriver("POST", &format!("{session_url}/url"), Some(json!({"url": url})));
    webdriver("POST", &format!("{session_url}/execute/sync"), Some(json!({"script": axe, "args": []})));
    let script = "const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
          .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html)}))))
          .catch(e => done([{rule: 'axe failed', help: String(e)}]));";
    let answer =
        webdriver("POST", &format!("{session_url}/execute/async"), Some(json!({"script": script, "args": []})));
    answer["value"].as_array().cloned().unwrap_or_else(|| panic!("axe answered {answer:#}"))
}

#[test]
fn hostile_text_is_inert_in_a_real_browser() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let mut site = coventry_like(Behaviour::Healthy);
    site.hostile = true;
    // A decisions register too, so that every kind of page has something to show.
    site.decisions = true;
    let base = h.fake.add_site("browser", site);
    h.register("browser", &base, json!({}));
    h.scrape("browser");
    let meetings = settled_summaries(h, "browser", 13, Duration::from_secs(300));
    let id = meetings[0]["id"].as_str().unwrap();

    let (driver, session_url) = chromium(h);
    webdriver("POST", &format!("{session_url}/url"), Some(json!({"url": format!("{}/meetings/{id}", h.base_url)})));
    // Any alert() from the payloads would leave an open dialog and fail this call.
    let report = webdriver(
        "POST",
        &format!("{session_url}/execute/sync"),
        Some(json!({"script": "return {
            onerror: document.querySelectorAll('[onerror]').length,
            scripts: Array.from(document.scripts).filter(s => s.type !== 'application/ld+json').length,
            images: document.images.length,
            text: document.body.innerText,
            title: document.title
        };", "args": []})),
    )["value"]
        .clone();

    // Every kind of page is clean under axe-core's WCAG 2.1 A and AA rules
    // (the hostile council's own text included), and usable 320 px wide.
    let councillor = h.get("/api/v1/councils/browser/councillors").json()["councillors"][0]["id"].clone();
    let decision = poll_until(h, "/api/v1/councils/browser/decisions", RUN_TIMEOUT, |d| {
        d["decisions"].as_array().is_some_and(|d| !d.is_empty())
    })["decisions"][0]["id"]
        .clone();
    let committee = meetings[0]["committee_id"].as_str().unwrap().to_string();
    let week = iso_week_of(meetings[0]["local_date"].as_str().unwrap());
    let pages = [
        "/".to_string(),
        "/about".into(),
        "/search?q=budget".into(),
        "/postcode?q=CV1%205RR".into(),
        "/councils/browser".into(),
        format!("/councils/browser/committees/{committee}"),
        format!("/councils/browser/weeks/{week}"),
        format!("/meetings/{id}"),
        "/councils/browser/decisions".into(),
        format!("/decisions/{}", decision.as_str().unwrap()),
        "/councils/browser/councillors".into(),
        format!("/councillors/{}", councillor.as_str().unwrap()),
        "/councils/browser/alerts".into(),
        "/meetings/browser-999999".into(),
        "/status".into(),
        "/councils/browser/status".into(),
        "/data".into(),
    ];
    // Every public read is one round trip to D1 (a batch), page or API.
    let document = h.get(&format!("/api/v1/meetings/{id}")).json()["documents"][0]["id"].clone();
    let reads = [
        "/councils/browser/feed.xml".to_string(),
        "/councils/browser/meetings.ics".into(),
        "/status".into(),
        "/councils/browser/status".into(),
        "/api/v1/councils".into(),
        "/api/v1/councils/browser".into(),
        "/api/v1/councils/browser/committees".into(),
        "/api/v1/councils/browser/meetings".into(),
        format!("/api/v1/councils/browser/weeks/{week}"),
        "/api/v1/councils/browser/decisions".into(),
        "/api/v1/councils/browser/councillors".into(),
        format!("/api/v1/meetings/{id}"),
        format!("/api/v1/meetings/{id}/votes"),
        "/api/v1/meetings?council=browser".into(),
        format!("/api/v1/councillors/{}", councillor.as_str().unwrap()),
        format!("/api/v1/councillors/{}/votes", councillor.as_str().unwrap()),
        format!("/api/v1/decisions/{}", decision.as_str().unwrap()),
        format!("/api/v1/documents/{}", document.as_str().unwrap_or("browser-a1")),
        "/api/v1/search?q=budget".into(),
        "/api/v1/checks".into(),
        "/api/v1/status".into(),
        "/api/v1/councils/browser/status".into(),
    ];
    let mut many = Vec::new();
    for path in pages.iter().filter(|p| !p.starts_with("/postcode") && !p.ends_with("/alerts")).chain(&reads) {
        let reply = h.get(path);
        assert!(reply.status == 200 || path.contains("/weeks/") || path.contains("999999"), "{path}: {}", reply.status);
        match reply.header("X-D1-Round-Trips") {
            Some("1") => {}
            other => many.push(format!("{path}: {other:?} (tried again {:?})", reply.header("X-D1-Retries"))),
        }
    }
    assert!(many.is_empty(), "public reads that are not one round trip to D1: {many:#?}");

    // The check can fail: a page with an image and no text for it is reported.
    let control = axe_violations(&session_url, "data:text/html,<html lang=en><title>t</title><img src=a.png></html>");
    assert!(control.iter().any(|v| v["rule"] == "image-alt"), "axe reports what it should: {control:#?}");
    let mut found = Vec::new();
    for page in &pages {
        let violations = axe_violations(&session_url, &format!("{}{page}", h.base_url));
        if !violations.is_empty() {
            found.push(json!({"page": page, "violations": violations}));
        }
    }
    webdriver("POST", &format!("{session_url}/window/rect"), Some(json!({"width": 320, "height": 800})));
    webdriver("POST", &format!("{session_url}/url"), Some(json!({"url": format!("{}/meetings/{id}", h.base_url)})));
    let overflow = webdriver(
        "POST",
        &format!("{session_url}/execute/sync"),
        Some(json!({"script": "return document.documentElement.scrollWidth - document.documentElement.clientWidth;", "args": []})),
    )["value"]
        .clone();
    webdriver("DELETE", &session_url, None);
    drop(driver);
    assert!(found.is_empty(), "serious or critical accessibility violations: {:#}", Value::from(found));
    assert!(overflow.as_i64().is_some_and(|o| o <= 0), "the meeting page scrolls sideways at 320 px: {overflow}");
    assert_eq!(report["onerror"], 0, "{report:#}");
    assert_eq!(report["scripts"], 0, "{report:#}");
    assert_eq!(report["images"], 0, "{report:#}");
    let text = report["text"].as_str().unwrap();
    assert!(text.contains(HOSTILE_TITLE), "the title's markup is shown as text");
    assert!(text.contains("<script>alert(1)</script>"), "the agenda's markup is shown as text");
}

/// The ISO week (`2026-W49`) of a `YYYY-MM-DD` date.
fn iso_week_of(date: &str) -> String {
    use chrono::Datelike;
    let week = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap().iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

#[test]
fn the_api_conforms_to_its_openapi_document() {
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("schema", coventry_like(Behaviour::Healthy));
    h.register("schema", &base, json!({}));
    h.scrape("schema");
    let output = std::process::Command::new("schemathesis")
        .args(["run", &format!("{}/api/v1/openapi.json", h.base_url)])
        .args(["--url", &format!("{}/api/v1", h.base_url)])
        .args(["--checks", "all", "--max-examples", "25", "--phases", "examples,coverage,fuzzing", "--no-color"])
        .env("SCHEMATHESIS_HOOKS", "schemathesis_hooks")
        .env("PYTHONPATH", concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support"))
        .output()
        .expect("schemathesis (PyPI)");
    let report = format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "schemathesis found problems:\n{report}");
    assert!(!report.contains("500 Internal Server Error"), "{report}");
    assert!(!report.contains("Rate limited"), "the run met the rate limits and tested nothing behind them:\n{report}");
}

/// A CMIS council, registered through the admin route, is read end to end
/// from a site built of Birmingham's real pages: the calendar a month at a
/// time, each meeting's numbered items, documents and attendance (every page
/// of the grid), its summary on its page and in its feed; and every bad answer
/// is recorded without losing what was stored.
#[test]
fn a_cmis_council_is_read_like_a_moderngov_one() {
    use support::fake_cmis::{CmisSite, FakeCmis, CUT_MEETING, FULL_MEETING, ITEMS_MEETING, UPCOMING_MEETING};
    let h = Harness::shared();
    let _guard = h.exclusive();
    // A month of the backfill (two months back, no meetings of ours) answers with DotNetNuke's error page.
    let broken_month = {
        use chrono::Datelike;
        let today = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive();
        (today - chrono::Duration::days(60)).with_day(1).unwrap()
    };
    let site = CmisSite { broken_months: [broken_month].into(), ..CmisSite::default() };
    let base = h.cmis.add_site("bham", site);
    let council = h.register("bham", &base, json!({"platform": "cmis", "coverage": "supported"}));
    assert_eq!(council["platform"], "cmis");
    let run = h.scrape("bham");
    assert_eq!(run["status"], "partial", "{run:#}");
    // Its meeting pages link its webcast portal: kept on the council for an operator to register.
    let council = h.get("/api/v1/councils/bham").json();
    assert_eq!(council["webcast_site_linked"], "https://birmingham.public-i.tv", "{council:#}");
    assert!(council["webcast_site"].is_null(), "found, not registered");
    let errors = run["errors"].to_string();
    assert!(errors.contains("its error page"), "the broken month is recorded: {run:#}");
    assert!(errors.contains(&format!("meeting {CUT_MEETING}")) && errors.contains("cut short"), "{run:#}");
    assert_eq!(count(&run, "meetings_failed"), 1, "the page cut short: {run:#}");

    // Listed for the window (the meeting four months ahead is not).
    let ids: Vec<String> = h.meetings("bham").iter().map(|m| m["id"].as_str().unwrap().to_string()).collect();
    for id in [FULL_MEETING, ITEMS_MEETING, CUT_MEETING, UPCOMING_MEETING] {
        assert!(ids.contains(&format!("bham-{id}")), "{id} not listed: {ids:?}");
    }
    assert_eq!(ids.len(), 4, "{ids:?}");

    // One meeting in full: numbered items, documents, attendance from every page of the grid.
    let meeting = h.get(&format!("/api/v1/meetings/bham-{FULL_MEETING}")).json();
    assert_eq!(meeting["local_date"], FakeCmis::meeting_date(FULL_MEETING).to_string());
    assert_eq!(meeting["local_time"], "14:00");
    assert_eq!(meeting["location"], "Council Chamber");
    assert_eq!(meeting["committee_title"], "Meeting of the City Council");
    let numbers: Vec<&str> =
        meeting["agenda_items"].as_array().unwrap().iter().map(|i| i["number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]);
    let decided = meeting["agenda_items"].as_array().unwrap().iter().filter(|i| i["decision_url"].is_string()).count();
    assert_eq!(decided, 5, "items link the council's decision records");
    let attendance = meeting["attendance"].as_array().unwrap();
    let present = attendance.iter().filter(|a| a["attendance"] == "Present").count();
    assert!(present > 40, "{present}: pages 1 and 2 of the grid (page 3 repeats page 2, page 4 fails)");
    assert_eq!(attendance.iter().filter(|a| a["attendance"] == "Apologies").count(), 13);
    let person = attendance.iter().find(|a| a["name"] == "Akhlaq Ahmed").unwrap();
    assert_eq!(person["person_id"], "bham-m1005", "linked by the council's member id");
    let items_meeting = h.get(&format!("/api/v1/meetings/bham-{ITEMS_MEETING}")).json();
    let numbers: Vec<&str> =
        items_meeting["agenda_items"].as_array().unwrap().iter().map(|i| i["number"].as_str().unwrap()).collect();
    assert!(numbers.contains(&"7a") && numbers.contains(&"7b"), "{numbers:?}");
    // Lists the page holds only in part (the rest behind form postbacks) are recorded and shown as such.
    let gaps = items_meeting["read_gaps"].as_array().expect("read gaps are recorded");
    let said: Vec<(&str, u64, u64)> = gaps
        .iter()
        .map(|g| (g["part"].as_str().unwrap(), g["read"].as_u64().unwrap(), g["total"].as_u64().unwrap()))
        .collect();
    assert_eq!(said, [("attendance", 25, 88), ("apologies", 25, 104)], "{items_meeting:#}");
    let items_page = h.get(&format!("/meetings/bham-{ITEMS_MEETING}"));
    assert!(items_page.body.contains("Not read in full"), "{}", items_page.body);
    assert!(items_page.body.contains("attendance: 25 of 88 listed could be read"));
    assert!(items_page.body.contains("apologies: 25 of 104 listed could be read"));
    // The November meeting's grid lost a page: read in part, and said so.
    let full_gaps = meeting["read_gaps"].as_array().unwrap();
    assert!(
        full_gaps.iter().any(|g| g["part"] == "attendance" && g["total"] == 87 && g["read"].as_u64() < Some(87)),
        "{meeting:#}"
    );

    // Documents read; the summary made, on the page and in the feed.
    let documents = settled_documents(h, "bham", Duration::from_secs(240));
    assert_eq!(documents.len(), 13 + 16 + 1, "{documents:#?}");
    assert!(documents.iter().all(|d| d["text_status"] == "extracted"), "{documents:#?}");
    let path = format!("/api/v1/meetings/bham-{FULL_MEETING}");
    let summarised = poll_until(h, &path, Duration::from_secs(120), |m| m["summary"]["method"] == "model");
    assert!(summarised["summary"]["body"]["sections"].as_array().is_some_and(|s| !s.is_empty()));
    let page = h.get(&format!("/meetings/bham-{FULL_MEETING}"));
    assert!(page.body.contains("AI generated by fake-llama") && page.body.contains("Notice of Recording"));
    assert!(
        page.body.contains("the council&#39;s decision record") || page.body.contains("the council's decision record")
    );
    let feed = h.get("/councils/bham/feed.xml");
    assert!(feed.body.contains(&format!("/meetings/bham-{FULL_MEETING}")), "{}", feed.body);
    let council_page = h.get("/councils/bham");
    assert!(council_page.body.contains("Civica CMIS"), "the council page says where the data came from");

    // The meeting whose page was cut short is recorded, not stored as data.
    let cut = h.get(&format!("/api/v1/meetings/bham-{CUT_MEETING}")).json();
    assert_eq!(cut["agenda_items"], json!([]), "{cut:#}");

    // A page that turns into a login page later: recorded, and what was stored stays.
    h.cmis.change("bham", |site| {
        site.login_pages.insert(FULL_MEETING);
    });
    let again = h.scrape_full("bham");
    assert!(again["errors"].to_string().contains("asked for a login"), "{again:#}");
    let kept = h.get(&format!("/api/v1/meetings/bham-{FULL_MEETING}")).json();
    assert_eq!(kept["agenda_items"].as_array().unwrap().len(), 11, "the stored agenda is kept");
    assert_eq!(kept["summary"]["body"], summarised["summary"]["body"], "and so is its summary");
}

/// Each checked figure, date and name on a meeting page links to the page of
/// the council's document where it was found. In Chromium: the link's words
/// show when it has keyboard focus (hidden before), the link is the document
/// at a page, and that page's text holds the words the checks found there; and
/// the public record counts what was checked and left out, by kind.
fn claims_link_to_the_document_page_they_were_found_on(h: &Harness, council: &str, documents: &[Value]) {
    // A meeting whose summary has a claim found on a page of one of its documents
    // (a summary is made again once its documents' pages are read).
    let linked = |m: &Value| {
        let footnotes = m["summary"]["body"]["footnotes"].as_array().cloned().unwrap_or_default();
        let sections = m["summary"]["body"]["sections"].as_array().cloned().unwrap_or_default();
        sections.iter().flat_map(|s| s["claims"].as_array().cloned().unwrap_or_default()).any(|c| {
            c["footnote"].as_u64().is_some_and(|n| footnotes.iter().any(|f| f["number"] == n && f["page"].is_u64()))
        })
    };
    let deadline = Instant::now() + Duration::from_secs(240);
    let meeting = loop {
        let found = h
            .meetings(council)
            .iter()
            .map(|m| h.get(&format!("/api/v1/meetings/{}", m["id"].as_str().unwrap())).json())
            .find(|m| linked(m));
        if let Some(meeting) = found {
            break meeting;
        }
        assert!(Instant::now() < deadline, "no summary has a claim linked to a document page\n{}", h.log_tail());
        std::thread::sleep(Duration::from_secs(2));
    };
    let id = meeting["id"].as_str().unwrap();
    let body = &meeting["summary"]["body"];
    let mut claims: Vec<Value> = body["headline_claims"].as_array().cloned().unwrap_or_default();
    for section in body["sections"].as_array().unwrap() {
        claims.extend(section["claims"].as_array().cloned().unwrap_or_default());
    }

    let (driver, session_url) = chromium(h);
    webdriver("POST", &format!("{session_url}/url"), Some(json!({"url": format!("{}/meetings/{id}", h.base_url)})));
    let run = |script: &str| {
        webdriver("POST", &format!("{session_url}/execute/sync"), Some(json!({"script": script, "args": []})))["value"]
            .clone()
    };
    let marks = run("return Array.from(document.querySelectorAll('a.claim')).map(a => {
        const tip = document.getElementById(a.getAttribute('aria-describedby'));
        return {href: a.href, text: a.textContent, tip: tip.textContent, hidden: getComputedStyle(tip).display,
                role: tip.getAttribute('role')};
    });");
    let marks = marks.as_array().cloned().unwrap_or_default();
    assert!(!marks.is_empty(), "the page marks its checked claims");
    // The keyboard reaches each claim with Tab, and its words show while it has focus.
    let mut shown_on_focus = 0;
    for _ in 0..400 {
        let tab = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": "\u{E004}"}, {"type": "keyUp", "value": "\u{E004}"}]}]});
        webdriver("POST", &format!("{session_url}/actions"), Some(tab));
        let focused = run("const a = document.activeElement;
            if (!a || !a.classList.contains('claim')) return null;
            return getComputedStyle(document.getElementById(a.getAttribute('aria-describedby'))).display;");
        if let Some(display) = focused.as_str() {
            assert_eq!(display, "block", "a focused claim shows the words found");
            shown_on_focus += 1;
            if shown_on_focus == marks.len() {
                break;
            }
        }
    }
    webdriver("DELETE", &session_url, None);
    drop(driver);
    assert_eq!(shown_on_focus, marks.len(), "every claim is reached by the keyboard");
    let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let mut on_pages = 0;
    for mark in &marks {
        assert_eq!((mark["hidden"].as_str(), mark["role"].as_str()), (Some("none"), Some("tooltip")), "{mark:#}");
        let href = mark["href"].as_str().unwrap();
        let tip = squash(mark["tip"].as_str().unwrap());
        let claim = claims
            .iter()
            .find(|c| c["text"] == mark["text"] && tip.contains(&squash(c["context"].as_str().unwrap())))
            .unwrap_or_else(|| panic!("the tooltip shows the words found: {mark:#}"));
        // Found in the item's text on the council's meeting page: the link is that page.
        let Some((url, page)) = href.split_once("#page=") else {
            assert_eq!(href, meeting["web_url"].as_str().unwrap(), "{mark:#}");
            continue;
        };
        on_pages += 1;
        let page: usize = page.parse().unwrap();
        let document = documents.iter().find(|d| d["url"] == url).unwrap_or_else(|| panic!("{url} is the meeting's"));
        let pages = h.get(&format!("/api/v1/documents/{}", document["id"].as_str().unwrap())).json();
        let text =
            pages["pages"].as_array().unwrap().iter().find(|p| p["page_number"] == page).unwrap()["text"].clone();
        let found = squash(claim["found"].as_str().unwrap());
        assert!(squash(text.as_str().unwrap()).contains(&found), "{found:?} is on page {page} of {url}");
        let file = ureq::get(url).call().unwrap();
        assert_eq!(file.content_type(), "application/pdf", "the link opens the council's document");
    }
    assert!(on_pages > 0, "some claim was found on a document's page: {marks:#?}");

    // The public record counts what was checked and what was left out, by kind, never the text.
    let record = h.get("/api/v1/checks").json();
    let ours = record["councils"].as_array().unwrap().iter().find(|c| c["council_id"] == council).unwrap().clone();
    assert!(ours["summaries"].as_i64() >= Some(13) && ours["sentences_checked"].as_i64() > Some(0), "{ours:#}");
    // Planning meetings' model states an amount, a name, a date and a vote no source makes.
    for kind in ["amount", "name", "date", "vote"] {
        assert!(ours["dropped_by_kind"][kind].as_i64() >= Some(1), "{kind}: {ours:#}");
    }
    assert!(record["service"]["sentences_checked"].as_i64() >= ours["sentences_checked"].as_i64());
    let text = record.to_string();
    assert!(!text.contains("Quackenbush") && !text.contains("987.6"), "no left-out sentence is shown");
    let about = h.get("/about");
    assert!(about.body.contains("The record of the checks") && about.body.contains(&format!("/councils/{council}\"")));
}

/// The MCP endpoint, driven by the official MCP Python SDK's client: it lists
/// the tools and calls each; every answer carries the council's own addresses.
/// The same council's meeting pages link their checked claims to where they
/// were found (`claims_link_to_the_document_page_they_were_found_on`).
#[test]
fn assistants_read_councils_through_the_mcp_endpoint() {
    let h = Harness::shared();
    // Exclusive: reading a council's documents is heavy, and other tests count theirs exactly.
    let _guard = h.exclusive();
    let mut site = coventry_like(Behaviour::Healthy);
    site.decisions = true;
    site.serve_documents = true;
    site.distinct_item_documents = true;
    let base = h.fake.add_site("mcpc", site);
    h.register("mcpc", &base, json!({"name": "Mcpc City Council", "coverage": "supported"}));
    h.scrape("mcpc");
    let documents = settled_documents(h, "mcpc", Duration::from_secs(240));
    let meetings = settled_summaries(h, "mcpc", 13, Duration::from_secs(240));
    let meeting_id = meetings[0]["id"].as_str().unwrap().to_string();
    let document_id =
        documents.iter().find(|d| d["text_status"] == "extracted").unwrap()["id"].as_str().unwrap().to_string();
    poll_until(h, "/api/v1/councils/mcpc/decisions", Duration::from_secs(90), |b| {
        b["decisions"].as_array().is_some_and(|d| !d.is_empty())
    });
    assert_eq!(h.get("/mcp").status, 405, "the endpoint answers POST only");

    let calls = json!([
        ["find_councils", {"query": "Mcpc"}],
        ["find_councils", {"postcode": "CV1 5RR"}],
        ["list_meetings", {"council_id": "mcpc"}],
        ["get_meeting", {"meeting_id": meeting_id}],
        ["search", {"query": "work programme", "council_id": "mcpc"}],
        ["get_document_pages", {"document_id": document_id, "from_page": 1, "to_page": 2}],
        ["list_decisions", {"council_id": "mcpc"}],
        ["get_meeting", {"meeting_id": "mcpc-0"}],
    ]);
    let output = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/mcp_client.py"))
        .arg(format!("{}/mcp", h.base_url))
        .arg(calls.to_string())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let session: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(session["server"], "council-digest");
    let tools: Vec<&str> = session["tools"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert_eq!(
        tools,
        [
            "find_councils",
            "list_meetings",
            "get_meeting",
            "search",
            "get_document_pages",
            "list_decisions",
            "list_votes",
            "get_transcript"
        ]
    );
    let calls = session["calls"].as_array().unwrap();
    for call in &calls[..7] {
        assert_eq!(call["is_error"], false, "{call:#}");
        eprintln!("mcp {}: {} bytes", call["name"], call["bytes"]);
    }
    let data = |n: usize| &calls[n]["data"];
    assert_eq!(data(0)["councils"][0]["id"], "mcpc");
    assert_eq!(data(0)["councils"][0]["source_url"], base.as_str(), "the council's own site");
    assert!(data(1)["councils"].as_array().is_some_and(|c| !c.is_empty()), "{:#}", data(1));
    assert!(data(2)["meetings"].as_array().is_some_and(|m| m.len() >= 13));
    let meeting = data(3);
    assert!(meeting["source_url"].as_str().unwrap().starts_with(&base), "{meeting:#}");
    assert!(meeting["summary"]["headline"].is_string() && meeting["summary"]["label"].is_string());
    assert!(meeting["documents"].as_array().unwrap().iter().all(|d| d["url"].as_str().unwrap().starts_with(&base)));
    assert!(data(4)["results"].as_array().is_some_and(|r| !r.is_empty()));
    let pages = data(5)["pages"].as_array().unwrap();
    assert!(!pages.is_empty() && pages.len() <= 2);
    assert!(pages[0]["source_url"].as_str().unwrap().ends_with("#page=1") && pages[0]["text"].is_string());
    assert!(data(6)["decisions"].as_array().is_some_and(|d| !d.is_empty()));
    assert_eq!(calls[7]["is_error"], true, "an unknown meeting is the tool's error, said to the model");
    assert!(calls[7]["text"].as_str().unwrap().contains("no meeting"));
    claims_link_to_the_document_page_they_were_found_on(h, "mcpc", &documents);
}

/// Integrators' webhooks: deliveries signed as Standard Webhooks says, retried
/// with backoff, an endpoint that keeps failing switched off with the reason,
/// deliveries listed and replayed.
#[test]
fn webhooks_are_signed_retried_disabled_and_replayed() {
    use council_digest::notify::webhooks::signature;
    use support::fake_receiver::FakeReceiver;
    let h = Harness::shared();
    let _guard = h.exclusive();
    let receiver = FakeReceiver::start();
    let base = h.fake.add_site("hooks", coventry_like(Behaviour::Healthy));
    h.register("hooks", &base, json!({}));
    let register = |path: &str, events: Value| {
        let reply = h.admin(
            "POST",
            "/admin/webhooks",
            Some(&json!({"url": receiver.url(path), "council_id": "hooks", "events": events})),
        );
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json()
    };
    let good = register("/ok", json!(["meeting.updated", "summary.published"]));
    let failing = register("/fail", json!(["meeting.updated"]));
    let flaky = register("/flaky", json!(["digest.published"]));
    let refused = h.admin("POST", "/admin/webhooks", Some(&json!({"url": "http://news.example/hook"})));
    assert_eq!(refused.status, 422, "plain http is for loopback only: {}", refused.body);
    let unknown =
        h.admin("POST", "/admin/webhooks", Some(&json!({"url": receiver.url("/ok"), "events": ["meeting.deleted"]})));
    assert_eq!(unknown.status, 422);

    h.scrape("hooks");
    settled_summaries(h, "hooks", 13, Duration::from_secs(240));
    // Every new meeting and every summary reaches the good endpoint, signed.
    let deadline = Instant::now() + Duration::from_secs(60);
    let delivered = loop {
        let delivered = receiver.received("/ok");
        let summaries = delivered.iter().filter(|r| r.body.contains("\"summary.published\"")).count();
        if delivered.len() >= MEETINGS_IN_WINDOW + 13 && summaries >= 13 {
            break delivered;
        }
        assert!(Instant::now() < deadline, "{} deliveries", delivered.len());
        std::thread::sleep(Duration::from_millis(300));
    };
    let secret = good["secret"].as_str().unwrap();
    for request in &delivered {
        let id = &request.headers["webhook-id"];
        let timestamp: i64 = request.headers["webhook-timestamp"].parse().unwrap();
        assert_eq!(
            signature(secret, id, timestamp, &request.body).as_deref(),
            Some(request.headers["webhook-signature"].as_str()),
            "signed over id.timestamp.body"
        );
        let event: Value = serde_json::from_str(&request.body).unwrap();
        assert_eq!(event["data"]["council_id"], "hooks");
        assert!(event["data"]["url"].as_str().unwrap().contains("/meetings/hooks-"));
    }
    assert!(!delivered.iter().any(|r| r.body.contains("secret")), "no secret in a payload");

    // The failing endpoint: tried, then switched off with the reason; its deliveries say so.
    let deadline = Instant::now() + Duration::from_secs(60);
    let endpoint = loop {
        let endpoints = h.admin("GET", "/admin/webhooks", None).json();
        let endpoint =
            endpoints["endpoints"].as_array().unwrap().iter().find(|e| e["id"] == failing["id"]).cloned().unwrap();
        if endpoint["enabled"] == 0 {
            break endpoint;
        }
        assert!(Instant::now() < deadline, "{endpoint:#}");
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(endpoint["disabled_reason"].as_str().unwrap().contains("HTTP 500"), "{endpoint:#}");
    assert!(endpoint.get("secret").is_none(), "secrets are never listed");
    let attempts = receiver.received("/fail").len();
    assert!((5..=MEETINGS_IN_WINDOW).contains(&attempts), "{attempts} attempts before it was switched off");
    let deliveries =
        h.admin("GET", &format!("/admin/webhooks/{}/deliveries", failing["id"].as_str().unwrap()), None).json();
    assert!(deliveries["deliveries"].as_array().unwrap().iter().all(|d| d["status"] != "delivered"));

    // The flaky endpoint: the weekly digest's event fails once and is delivered on the retry.
    assert_eq!(h.trigger_cron(WEEKLY_CRON).status, 200);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = receiver.received("/flaky");
        if got.iter().any(|r| r.status == 200) {
            let first = &got[0];
            assert_eq!(first.status, 500);
            let again: Vec<_> = got.iter().filter(|r| r.headers["webhook-id"] == first.headers["webhook-id"]).collect();
            assert!(again.len() >= 2, "the same message again");
            let last = again.last().unwrap();
            let timestamp: i64 = last.headers["webhook-timestamp"].parse().unwrap();
            let expected =
                signature(flaky["secret"].as_str().unwrap(), &last.headers["webhook-id"], timestamp, &last.body);
            assert_eq!(
                expected.as_deref(),
                Some(last.headers["webhook-signature"].as_str()),
                "each endpoint its own secret"
            );
            assert!(last.body.contains("\"digest.published\""));
            break;
        }
        assert!(Instant::now() < deadline, "{got:?}");
        std::thread::sleep(Duration::from_millis(300));
    }

    // The weekly digest told again within the hour (as a retried job does): nothing is sent twice.
    let digest_deliveries = |got: &[support::fake_receiver::Received]| {
        let mut ids: Vec<String> = got.iter().map(|r| r.headers["webhook-id"].clone()).collect();
        ids.sort();
        ids.dedup();
        ids.len()
    };
    assert_eq!(digest_deliveries(&receiver.received("/flaky")), 1);
    assert_eq!(h.trigger_cron(WEEKLY_CRON).status, 200);
    std::thread::sleep(Duration::from_secs(8));
    assert_eq!(digest_deliveries(&receiver.received("/flaky")), 1, "the same delivery, not a second");
    let ingest_log: String = std::fs::read_dir(&h.state_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("ingest"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(
        !ingest_log.contains("UNIQUE constraint failed: webhook_deliveries"),
        "telling an event again is not an error"
    );

    // A delivery replayed: the same message id arrives again.
    let listed = h.admin("GET", &format!("/admin/webhooks/{}/deliveries", good["id"].as_str().unwrap()), None).json();
    let one = listed["deliveries"][0]["id"].as_str().unwrap().to_string();
    let before = receiver.received("/ok").iter().filter(|r| r.headers["webhook-id"] == one).count();
    assert_eq!(h.admin("POST", &format!("/admin/webhooks/deliveries/{one}/replay"), None).status, 202);
    let deadline = Instant::now() + Duration::from_secs(30);
    while receiver.received("/ok").iter().filter(|r| r.headers["webhook-id"] == one).count() == before {
        assert!(Instant::now() < deadline, "the replay never arrived");
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!(
        "webhooks: {} deliveries to the good endpoint for {} meetings ({} summaries)",
        receiver.received("/ok").len(),
        MEETINGS_IN_WINDOW,
        13
    );
}

/// The signed link to an alert page in an email's text, as a path on the site.
fn email_link(text: &str, page: &str) -> String {
    let start = format!("{PUBLIC_ORIGIN}/alerts/{page}?token=");
    let at = text.find(&start).unwrap_or_else(|| panic!("no {page} link in:\n{text}"));
    let token: String = text[at + start.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .collect();
    format!("/alerts/{page}?token={token}")
}

#[test]
fn residents_follow_a_council_by_email_confirmed_changed_and_unsubscribed_in_one_click() {
    use support::harness::EMAIL_TOKEN_SECRET;
    let h = Harness::shared();
    let _guard = h.exclusive();
    let base = h.fake.add_site("mail", coventry_like(Behaviour::Healthy));
    h.register("mail", &base, json!({"coverage": "supported"}));
    h.scrape("mail");
    // Today's Cabinet: its agenda is edited later. Every summary is made before anyone subscribes.
    let edited = h.fake.meetings("mail")[3].id;
    let path = format!("/api/v1/meetings/mail-{edited}");
    settled_summaries(h, "mail", MEETINGS_IN_WINDOW - 1, Duration::from_secs(240));
    let cabinet = h.get(&path).json()["committee_id"].as_str().unwrap().to_string();

    let form = h.get("/councils/mail/alerts");
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("name=\"committee\"") && form.body.contains(&cabinet),
        "the council's committees to choose"
    );
    assert_eq!(form.header("Cache-Control"), Some("no-store"));
    assert!(h.get("/councils/mail").body.contains("/councils/mail/alerts"), "the council page links the alerts");

    // Per client: five requests a minute, then 429 (refused addresses count too).
    let greedy = h.fresh_client();
    for _ in 0..5 {
        let refused =
            h.post_form(&greedy, "/councils/mail/alerts", &[("email", "not an address"), ("frequency", "immediate")]);
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("enter an email address"));
    }
    let limited =
        h.post_form(&greedy, "/councils/mail/alerts", &[("email", "greedy@example.org"), ("frequency", "weekly")]);
    assert_eq!(limited.status, 429);

    let subscribe = |address: &str, extra: &[(&str, &str)]| {
        let mut pairs = vec![("email", address)];
        pairs.extend_from_slice(extra);
        let reply = h.post_form(&h.fresh_client(), "/councils/mail/alerts", &pairs);
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(reply.body.contains("Check your email"));
        assert!(!reply.body.to_lowercase().contains(&address.to_lowercase()), "the address is not shown back");
        reply
    };
    let resident = "Resident@Example.org";
    subscribe(resident, &[("frequency", "immediate"), ("committee", &cabinet)]);
    // The control: every committee, and its provider fails the first try of each email.
    let everyone = "flaky.everyone@example.org";
    subscribe(everyone, &[("frequency", "immediate")]);
    let zeppelin = "zeppelin@example.org";
    subscribe(zeppelin, &[("frequency", "immediate"), ("keywords", "zeppelin, airship")]);
    let weekly = "weekly@example.org";
    subscribe(weekly, &[("frequency", "weekly")]);
    let unconfirmed = "unconfirmed@example.org";
    subscribe(unconfirmed, &[("frequency", "immediate")]);

    let confirmation = h.email.wait_for(resident, 1, Duration::from_secs(30)).remove(0);
    assert_eq!(confirmation.subject, "Confirm your email alerts for mail council");
    assert!(confirmation.text.contains("Nothing more will be sent unless you confirm"));
    assert!(confirmation.html.contains("<html") && confirmation.html.contains("Confirm my alerts"));
    let confirm = email_link(&confirmation.text, "confirm");
    assert!(confirmation.html.contains(&confirm.replace('&', "&#38;")), "the same link in both parts");
    // Asking again within the hour sends nothing more.
    subscribe(resident, &[("frequency", "weekly")]);

    // The link's page asks for a press; fetching it (as a link scanner does) confirms nothing.
    let page = h.get(&confirm);
    assert_eq!((page.status, page.header("Referrer-Policy")), (200, Some("no-referrer")));
    assert!(page.body.contains("Confirm my alerts"));
    let status = |address: &str| {
        let key = council_digest::notify::alerts::address_key(EMAIL_TOKEN_SECRET.as_bytes(), address);
        h.sql(&format!(
            "SELECT status, frequency FROM email_subscriptions WHERE address_key = '{key}' AND council_id = 'mail'"
        ))
    };
    assert_eq!(status(resident)[0]["status"], "pending");
    assert_eq!(status(resident)[0]["frequency"], "weekly", "a pending request takes the latest choices");
    let tampered = confirm.replacen("token=sub_", "token=sub_0", 1);
    assert_eq!(h.post_form(&h.fresh_client(), &tampered, &[]).status, 400);
    let confirmed = h.post_form(&h.fresh_client(), &confirm, &[]);
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert!(confirmed.body.contains("Your alerts are on"));
    assert_eq!(status(resident)[0]["status"], "active");
    // Back to "as it happens", Cabinet only, through the manage page.
    let manage = email_link(&confirmed.body, "manage");
    let saved = h.post_form(&h.fresh_client(), &manage, &[("frequency", "immediate"), ("committee", &cabinet)]);
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains("Saved."));
    assert_eq!(status(resident)[0]["frequency"], "immediate");
    for address in [everyone, zeppelin, weekly] {
        let email = h.email.wait_for(address, 1, Duration::from_secs(60)).remove(0);
        let reply = h.post_form(&h.fresh_client(), &email_link(&email.text, "confirm"), &[]);
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let tries = h.email.requests().iter().filter(|r| r.to == everyone).count();
    assert!(tries >= 2, "the failed first try was tried again ({tries} tries)");

    // The council edits today's Cabinet agenda: one email to each follower.
    let changed_at = Instant::now();
    h.fake.edit_agenda("mail", edited);
    h.scrape("mail");
    poll_until(h, &path, Duration::from_secs(120), |m| m["summary"]["version"] == 2);
    let summarised_at = Instant::now();
    let alert = h.email.wait_for(resident, 2, Duration::from_secs(60)).remove(1);
    let latency = alert.at.duration_since(changed_at);
    let after_summary = alert.at.saturating_duration_since(summarised_at);
    assert!(alert.subject.starts_with("mail council: Cabinet, "), "{}", alert.subject);
    assert!(alert.subject.ends_with("(summary updated)"), "{}", alert.subject);
    assert!(alert.text.contains(&format!("{PUBLIC_ORIGIN}/meetings/mail-{edited}")));
    assert!(alert.text.contains("Work Programme"), "{}", alert.text);
    assert!(alert.html.contains("<html") && !alert.html.contains("<script"));
    let unsubscribe = alert.headers["List-Unsubscribe"].clone();
    assert!(unsubscribe.starts_with(&format!("<{PUBLIC_ORIGIN}/alerts/unsubscribe?token=")), "{unsubscribe}");
    assert_eq!(alert.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
    assert!(alert.text.contains("/alerts/manage?token=") && alert.html.contains("/alerts/manage?token="));
    h.email.wait_for(everyone, 2, Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(h.email.delivered_to(resident).len(), 2, "one email for one change");
    assert_eq!(h.email.delivered_to(zeppelin).len(), 1, "keywords that match nothing: the confirmation only");
    assert_eq!(h.email.delivered_to(unconfirmed).len(), 1, "unconfirmed: the confirmation only");
    assert_eq!(h.email.delivered_to(weekly).len(), 1, "weekly: nothing as it happens");

    // One click, as a mail program makes it: a POST to the header's address.
    let one_click = unsubscribe.trim_matches(['<', '>']).trim_start_matches(PUBLIC_ORIGIN).to_string();
    let gone = h.post_form(&h.fresh_client(), &one_click, &[("List-Unsubscribe", "One-Click")]);
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert!(status(resident).is_empty(), "the subscription is deleted");
    assert_eq!(h.post_form(&h.fresh_client(), &one_click, &[("List-Unsubscribe", "One-Click")]).status, 404);

    // The agenda goes back as it was: the control hears of it, the resident does not.
    h.fake.revert_agenda("mail", edited);
    h.scrape("mail");
    poll_until(h, &path, Duration::from_secs(120), |m| m["summary"]["version"] == 3);
    h.email.wait_for(everyone, 3, Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(h.email.delivered_to(resident).len(), 2, "nothing after unsubscribing");

    // The weekly digest reaches the weekly subscriber.
    assert_eq!(h.trigger_cron(WEEKLY_CRON).status, 200);
    let digest = h.email.wait_for(weekly, 2, Duration::from_secs(60)).remove(1);
    assert!(digest.subject.starts_with("mail council: the week of "), "{}", digest.subject);
    assert!(digest.headers.contains_key("List-Unsubscribe"));

    // Delete everything: every subscription and email record of the address.
    let manage = email_link(&digest.text, "manage");
    assert_eq!(h.post_form(&h.fresh_client(), &manage.replace("/manage?", "/delete?"), &[]).status, 200);
    assert!(status(weekly).is_empty());
    let key = council_digest::notify::alerts::address_key(EMAIL_TOKEN_SECRET.as_bytes(), weekly);
    assert!(h.sql(&format!("SELECT id FROM email_deliveries WHERE address_key = '{key}'")).is_empty());

    // No address in any page, answer or log.
    let meeting = h.get(&format!("/meetings/mail-{edited}")).body + &h.get(&path).body;
    let logs: String = std::fs::read_dir(&h.state_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "log"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    for address in [resident, everyone, zeppelin, weekly, unconfirmed] {
        assert!(!meeting.to_lowercase().contains(&address.to_lowercase()));
        assert!(!logs.to_lowercase().contains(&address.to_lowercase()), "{address} is in a log");
    }
    eprintln!(
        "email alerts: {} requests to the provider for 5 subscribers; the alert {} ms after the change was made \
         (scrape, summary, 1 s alert delay, queues), {} ms after its summary was seen",
        h.email.requests().len(),
        latency.as_millis(),
        after_summary.as_millis()
    );
}

/// An integrator with an API key registers, lists and removes its own
/// webhook endpoints on the site; deliveries reach it signed with the secret
/// it was shown once; another key sees none of it; a revoked key stops both.
#[test]
fn integrators_register_their_own_webhooks_with_an_api_key() {
    use council_digest::notify::webhooks::signature;
    use support::fake_receiver::FakeReceiver;
    let h = Harness::shared();
    let _guard = h.exclusive();
    let receiver = FakeReceiver::start();
    let base = h.fake.add_site("selfhook", coventry_like(Behaviour::Healthy));
    h.register("selfhook", &base, json!({}));
    let issue = |name: &str| {
        let reply = h.admin("POST", "/admin/api-keys", Some(&json!({"name": name, "max_endpoints": 2})));
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json()
    };
    let newsroom = issue("Local newsroom");
    let key = newsroom["key"].as_str().unwrap().to_string();
    let campaign = issue("Campaign group");
    let other_key = campaign["key"].as_str().unwrap().to_string();
    let keys = h.admin("GET", "/admin/api-keys", None);
    assert!(keys.body.contains("Local newsroom") && !keys.body.contains(&key), "keys are never listed");
    assert_eq!(h.request("GET", "/api/v1/webhooks/ep_x", None, None).unwrap().status, 405);

    let call = |method: &str, path: &str, body: Option<Value>, token: Option<&str>| {
        h.request(method, path, body.as_ref(), token).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    };
    assert_eq!(call("GET", "/api/v1/webhooks", None, None).status, 401);
    assert_eq!(call("GET", "/api/v1/webhooks", None, Some("cdk_not-a-key")).status, 401);
    let endpoint =
        |path: &str| json!({"url": receiver.url(path), "council_id": "selfhook", "events": ["meeting.updated"]});
    let registered = call("POST", "/api/v1/webhooks", Some(endpoint("/news")), Some(&key));
    assert_eq!(registered.status, 201, "{}", registered.body);
    assert_eq!(registered.header("Cache-Control"), Some("no-store"));
    let registered = registered.json();
    let secret = registered["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let refused = call("POST", "/api/v1/webhooks", Some(json!({"url": "http://news.example/hook"})), Some(&key));
    assert_eq!(refused.status, 422);
    let spare = call("POST", "/api/v1/webhooks", Some(endpoint("/spare")), Some(&key)).json();
    let over = call("POST", "/api/v1/webhooks", Some(endpoint("/third")), Some(&key));
    assert_eq!(over.status, 409, "two endpoints for this key: {}", over.body);

    let mine = call("GET", "/api/v1/webhooks", None, Some(&key));
    assert_eq!(mine.json()["endpoints"].as_array().unwrap().len(), 2);
    assert!(!mine.body.contains("whsec_"), "secrets are shown once");
    assert_eq!(call("GET", "/api/v1/webhooks", None, Some(&other_key)).json()["endpoints"], json!([]));
    let id = registered["id"].as_str().unwrap().to_string();
    let deliveries_path = format!("/api/v1/webhooks/{id}/deliveries");
    assert_eq!(call("GET", &deliveries_path, None, Some(&other_key)).status, 404);
    assert_eq!(call("DELETE", &format!("/api/v1/webhooks/{id}"), None, Some(&other_key)).status, 404);
    let spare_id = spare["id"].as_str().unwrap();
    assert_eq!(call("DELETE", &format!("/api/v1/webhooks/{spare_id}"), None, Some(&key)).status, 204);
    assert_eq!(call("GET", "/api/v1/webhooks", None, Some(&key)).json()["endpoints"].as_array().unwrap().len(), 1);

    h.scrape("selfhook");
    let deadline = Instant::now() + Duration::from_secs(60);
    while receiver.received("/news").len() < MEETINGS_IN_WINDOW {
        assert!(Instant::now() < deadline, "{} deliveries", receiver.received("/news").len());
        std::thread::sleep(Duration::from_millis(300));
    }
    for request in receiver.received("/news") {
        let timestamp: i64 = request.headers["webhook-timestamp"].parse().unwrap();
        let expected = signature(&secret, &request.headers["webhook-id"], timestamp, &request.body);
        assert_eq!(expected.as_deref(), Some(request.headers["webhook-signature"].as_str()));
        assert!(request.body.contains("\"meeting.updated\""));
    }
    assert!(receiver.received("/spare").is_empty(), "a removed endpoint gets nothing");
    let listed = call("GET", &deliveries_path, None, Some(&key)).json();
    assert!(listed["deliveries"].as_array().unwrap().iter().any(|d| d["status"] == "delivered"));

    // Revoked: the key opens nothing, and its endpoint is switched off saying why.
    let revoke = format!("/admin/api-keys/{}/revoke", newsroom["id"].as_str().unwrap());
    assert_eq!(h.admin("POST", &revoke, None).status, 200);
    assert_eq!(call("GET", "/api/v1/webhooks", None, Some(&key)).status, 401);
    let endpoints = h.admin("GET", "/admin/webhooks", None).json();
    let ours = endpoints["endpoints"].as_array().unwrap().iter().find(|e| e["id"] == json!(id)).cloned().unwrap();
    assert_eq!(
        (ours["enabled"].as_i64(), ours["disabled_reason"].as_str()),
        (Some(0), Some("its API key was revoked"))
    );
    assert_eq!(h.admin("POST", &revoke, None).status, 404, "revoked once");
}

// Attacks on the public surfaces: each must end as the rules say.

/// Emails the fake provider accepted for `mailbox` however its address was tagged.
fn accepted_for_mailbox(h: &Harness, mailbox: &str) -> usize {
    h.email
        .requests()
        .iter()
        .filter(|e| e.status == 200 && council_digest::notify::alerts::mailbox(&e.to) == mailbox)
        .map(|e| e.idempotency_key.clone())
        .collect::<std::collections::HashSet<_>>()
        .len()
}

#[test]
fn attack_an_email_cannon_stops_at_the_mailbox_cap() {
    use council_digest::notify::alerts::CONFIRMATIONS_PER_ADDRESS_PER_DAY;
    let h = Harness::shared();
    let councils: Vec<String> = (0..10).map(|n| format!("cannon{n}")).collect();
    for council in &councils {
        let base = h.fake.add_site(council, coventry_like(Behaviour::Healthy));
        h.register(council, &base, json!({}));
    }
    let subscribe = |client: String, council: String, address: String| {
        let path = format!("/councils/{council}/alerts");
        h.post_form(&client, &path, &[("email", address.as_str()), ("frequency", "immediate")]).status
    };
    // Ten addresses of one IPv6 /64, each for another council and another
    // `+tag` of the victim's address, all at once: one client to the limiter.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let asks: Vec<_> = councils
            .iter()
            .enumerate()
            .map(|(n, council)| {
                let client = format!("2001:db8:c0:1::{:x}", n + 1);
                let address = format!("victim+{n}@example.org");
                scope.spawn(move || subscribe(client, council.clone(), address))
            })
            .collect();
        asks.into_iter().map(|t| t.join().unwrap()).collect()
    });
    println!("attack: ten addresses of one /64 asked at once: {statuses:?}");
    assert!(statuses.iter().filter(|s| **s == 200).count() <= 5, "one /64 is one client: {statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
    // The same mailbox from ten IPv4 clients, for ten councils at once.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let asks: Vec<_> = councils
            .iter()
            .enumerate()
            .map(|(n, council)| {
                let client = h.fresh_client();
                let address = format!("Victim+again{n}@Example.org");
                scope.spawn(move || subscribe(client, council.clone(), address))
            })
            .collect();
        asks.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert!(statuses.iter().all(|s| *s == 200), "the same answer for every request: {statuses:?}");
    let cap = CONFIRMATIONS_PER_ADDRESS_PER_DAY as usize;
    let deadline = Instant::now() + Duration::from_secs(30);
    while accepted_for_mailbox(h, "victim@example.org") < cap && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(300));
    }
    std::thread::sleep(Duration::from_secs(5));
    println!(
        "attack: confirmations that reached one inbox: {} (cap {cap})",
        accepted_for_mailbox(h, "victim@example.org")
    );
    assert_eq!(accepted_for_mailbox(h, "victim@example.org"), cap, "at most the cap reaches one inbox");
    let status = h.admin("GET", "/admin/status", None).json();
    assert!(status["email"]["confirmations_last_hour"].as_i64().unwrap() >= cap as i64, "{:#}", status["email"]);
    assert_eq!(status["email"]["subscribing_paused"], false);
}

#[test]
fn attack_a_cross_site_form_is_refused() {
    let h = Harness::shared();
    let base = h.fake.add_site("csrf", coventry_like(Behaviour::Healthy));
    h.register("csrf", &base, json!({}));
    let form = [("email", "csrf-target@example.org"), ("frequency", "weekly")];
    for headers in
        [[("Origin", "https://evil.example")], [("Sec-Fetch-Site", "cross-site")], [("Sec-Fetch-Site", "same-site")]]
    {
        let refused = h.post_form_with(&h.fresh_client(), "/councils/csrf/alerts", &form, &headers);
        assert_eq!(refused.status, 403, "{headers:?}");
        assert!(refused.body.contains("sent from another site") && refused.body.contains("Nothing was changed"));
    }
    std::thread::sleep(Duration::from_secs(3));
    assert!(h.email.delivered_to("csrf-target@example.org").is_empty(), "a refused form sends nothing");
    // The same form from our own page goes through.
    let ours =
        h.post_form_with(&h.fresh_client(), "/councils/csrf/alerts", &form, &[("Sec-Fetch-Site", "same-origin")]);
    assert_eq!(ours.status, 200, "{}", ours.body);
    h.email.wait_for("csrf-target@example.org", 1, Duration::from_secs(30));
}

#[test]
fn attack_a_stalled_provider_delivers_an_email_exactly_once() {
    let h = Harness::shared();
    let base = h.fake.add_site("stalled", coventry_like(Behaviour::Healthy));
    h.register("stalled", &base, json!({}));
    let reply = h.post_form(
        &h.fresh_client(),
        "/councils/stalled/alerts",
        &[("email", "stall@example.org"), ("frequency", "weekly")],
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    // The provider accepts the first attempt, then answers only after our
    // timeout: the attempt fails as far as we know, and is tried again.
    let tries = |h: &Harness| -> Vec<support::fake_email::SentEmail> {
        h.email.requests().into_iter().filter(|e| e.to == "stall@example.org").collect()
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    while tries(h).len() < 2 {
        assert!(Instant::now() < deadline, "never tried again: {} tries", tries(h).len());
        std::thread::sleep(Duration::from_millis(300));
    }
    let recorded = |h: &Harness| {
        h.sql(
            "SELECT d.status, d.attempts, d.last_error FROM email_deliveries d \
             JOIN email_subscriptions s ON s.id = d.subscription_id WHERE s.address = 'stall@example.org'",
        )
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while recorded(h).first().is_none_or(|r| r["status"] == "queued") {
        assert!(Instant::now() < deadline, "{:?}", recorded(h));
        std::thread::sleep(Duration::from_millis(300));
    }
    let all = tries(h);
    println!(
        "attack: stalled provider: {} tries answered {:?}; recorded {:?}",
        all.len(),
        all.iter().map(|t| t.status).collect::<Vec<_>>(),
        recorded(h)
    );
    let first = &all[0];
    for again in &all[1..] {
        assert_eq!(again.status, 200, "a retry repeats the very same email, which the provider recognises");
        assert_eq!(
            (&again.idempotency_key, &again.subject, &again.text, &again.html),
            (&first.idempotency_key, &first.subject, &first.text, &first.html)
        );
    }
    assert_eq!(h.email.delivered_to("stall@example.org").len(), 1, "delivered once");
    let record = recorded(h);
    assert_eq!(record.len(), 1, "{record:?}");
    assert_eq!(record[0]["status"], "sent", "recorded as delivered: {record:?}");
}

#[test]
fn attack_hostile_webhook_receivers_end_as_the_rules_say() {
    use support::fake_receiver::FakeReceiver;
    let h = Harness::shared();
    let receiver = FakeReceiver::start();
    let base = h.fake.add_site("hostile", coventry_like(Behaviour::Healthy));
    h.register("hostile", &base, json!({}));
    let register = |path: &str| {
        let body = json!({"url": receiver.url(path), "council_id": "hostile", "events": ["meeting.updated"]});
        let reply = h.admin("POST", "/admin/webhooks", Some(&body));
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json()["id"].as_str().unwrap().to_string()
    };
    let trickle = register("/trickle/hooks");
    let redirect = register("/redirect/hooks");
    // Addresses into a network are refused, whatever the configuration.
    for address in ["https://10.0.0.7/hooks", "https://169.254.169.254/latest", "https://printer.local/hooks"] {
        let refused = h.admin("POST", "/admin/webhooks", Some(&json!({"url": address})));
        assert_eq!(refused.status, 422, "{address}: {}", refused.body);
    }
    let started = Instant::now();
    h.scrape("hostile");
    let deliveries =
        |id: &str| h.admin("GET", &format!("/admin/webhooks/{id}/deliveries"), None).json()["deliveries"].clone();
    let deadline = Instant::now() + Duration::from_secs(120);
    let trickled = loop {
        let all = deliveries(&trickle);
        let done = all.as_array().unwrap().iter().filter(|d| d["status"] == "delivered").count();
        if done == MEETINGS_IN_WINDOW {
            break all;
        }
        assert!(Instant::now() < deadline, "{all:#}");
        std::thread::sleep(Duration::from_millis(300));
    };
    // The 200 counts; its endless body is not read: each delivery ended long
    // before the trickle could, and little of it was ever sent.
    assert!(trickled.as_array().unwrap().iter().all(|d| d["last_status"] == 200), "{trickled:#}");
    println!("trickling receiver: {MEETINGS_IN_WINDOW} deliveries in {:?}", started.elapsed());
    println!("attack: trickling receiver: {} bytes of its 50 MB answers sent", receiver.trickled_bytes());
    assert!(receiver.trickled_bytes() < 4 * 1024 * 1024, "{} bytes trickled", receiver.trickled_bytes());
    // A redirect is a failed delivery, reported as what the endpoint said; it is not followed.
    let deadline = Instant::now() + Duration::from_secs(60);
    // Five failures in a row switch the endpoint off: deliveries still to be
    // tried are given up then, each keeping what its last attempt met.
    let failed = loop {
        let all = deliveries(&redirect);
        let reported = all.as_array().unwrap().iter().find(|d| d["last_status"] == 307 && d["status"] == "failed");
        if let Some(failed) = reported {
            break failed.clone();
        }
        assert!(Instant::now() < deadline, "{all:#}");
        std::thread::sleep(Duration::from_millis(300));
    };
    println!("attack: redirecting receiver: {} {}", failed["status"], failed["last_error"]);
    let error = failed["last_error"].as_str().unwrap();
    assert!(error.contains("HTTP 307") && error.contains("127.0.0.1") && error.contains("not followed"), "{error}");
    assert!(receiver.received("/ok/redirected").is_empty(), "the redirect was not followed");
}

#[test]
fn attack_oversized_bodies_are_refused_before_they_are_read() {
    let h = Harness::shared();
    let big = "x".repeat(2 * 1024 * 1024);
    let client = h.fresh_client();
    let mcp = ureq::post(&format!("{}/mcp", h.base_url))
        .set("CF-Connecting-IP", &client)
        .set("Content-Type", "application/json")
        .send_string(&big);
    assert!(matches!(mcp, Err(ureq::Error::Status(413, _))), "{:?}", mcp.map(|r| r.status()));
    let form = h.post_form(&h.fresh_client(), "/councils/coventry/alerts", &[("email", big.as_str())]);
    assert_eq!(form.status, 413);
    let hooks = ureq::post(&format!("{}/api/v1/webhooks", h.base_url))
        .set("CF-Connecting-IP", &h.fresh_client())
        .set("Authorization", "Bearer cdk_not_a_key")
        .send_string(&big);
    assert!(matches!(hooks, Err(ureq::Error::Status(401 | 413, _))));
    let admin = h.admin("POST", "/admin/webhooks", Some(&json!({"url": big})));
    assert_eq!(admin.status, 413);
}

#[test]
fn attack_a_calendar_link_to_another_host_is_not_fetched() {
    use support::fake_cmis::{CmisSite, UPCOMING_MEETING};
    let h = Harness::shared();
    let site = CmisSite { foreign_links: [UPCOMING_MEETING].into(), ..CmisSite::default() };
    let base = h.cmis.add_site("elsewhere", site);
    h.register("elsewhere", &base, json!({"platform": "cmis"}));
    let run = h.scrape("elsewhere");
    let errors = run["errors"].to_string();
    assert!(errors.contains(&format!("meeting {UPCOMING_MEETING}")) && errors.contains("localhost"), "{run:#}");
    assert_eq!(
        h.cmis.requests_for(&format!(
            "elsewhere/birmingham/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/{UPCOMING_MEETING}/"
        )),
        0
    );
    assert!(
        h.cmis.requests_for("elsewhere/birmingham/Meetings/tabid/70/ctl/ViewMeetingPublic") > 0,
        "the others were read"
    );
}

#[test]
fn attack_a_document_read_before_its_text_is_not_served_stale() {
    use support::fake_cmis::{CmisSite, FULL_MEETING};
    let h = Harness::shared();
    // Slow, within the request timeout: a quiet moment in which a read of the pending pack is cached.
    let site = CmisSite { slow_pack: Duration::from_millis(2500), ..CmisSite::default() };
    let base = h.cmis.add_site("docscope", site);
    h.register("docscope", &base, json!({"platform": "cmis"}));
    h.scrape("docscope");
    let meeting_path = format!("/api/v1/meetings/docscope-{FULL_MEETING}");
    let pack_of = |meeting: &Value| {
        meeting["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["title"].as_str().unwrap_or_default().contains("Agenda Document Pack"))
            .cloned()
            .unwrap_or_else(|| panic!("no pack: {meeting:#}"))
    };
    let pack = pack_of(&h.get(&meeting_path).json())["id"].as_str().unwrap().to_string();
    assert!(pack.starts_with("docscope-ac"), "a CMIS document's id: {pack}");
    let path = format!("/api/v1/documents/{pack}");
    // Read while the pack is still being downloaded, until that read is served from the edge cache.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let reply = h.get(&path);
        assert_ne!(
            reply.json()["text_status"],
            "extracted",
            "read before a pending copy was cached; try a slower pack"
        );
        if reply.header("X-Cache") == Some("hit") {
            break;
        }
        assert!(Instant::now() < deadline, "never cached: {}", reply.body);
        std::thread::sleep(Duration::from_millis(250));
    }
    // Once its meeting shows the pack read, the document's own read does too.
    poll_until(h, &meeting_path, Duration::from_secs(120), |m| pack_of(m)["text_status"] == "extracted");
    let document = h.get(&path).json();
    println!("attack: the document after its meeting shows it read: {}", document["text_status"]);
    assert_eq!(document["text_status"], "extracted", "a stale copy was served: {document:#}");
}

#[test]
fn attack_searches_through_the_mcp_endpoint_count_against_the_search_limit() {
    let h = Harness::shared();
    let client = h.fresh_client();
    let call = |n: usize| {
        let body = json!({"jsonrpc": "2.0", "id": n, "method": "tools/call",
                          "params": {"name": "search", "arguments": {"query": "budget"}}});
        match ureq::post(&format!("{}/mcp", h.base_url))
            .set("CF-Connecting-IP", &client)
            .set("Accept", "application/json, text/event-stream")
            .send_json(body)
        {
            Ok(reply) => reply.status(),
            Err(ureq::Error::Status(status, _)) => status,
            Err(error) => panic!("{error}"),
        }
    };
    // The search limit is 30 a minute per client (a burst may straddle two
    // of its windows); the API limit, 120, is not reached.
    let statuses: Vec<u16> = (0..70).map(call).collect();
    println!("attack: MCP searches from one client: first refused at {:?}", statuses.iter().position(|s| *s == 429));
    let refused = statuses.iter().position(|s| *s == 429).unwrap_or_else(|| panic!("never limited: {statuses:?}"));
    assert!((25..=60).contains(&refused), "limited after {refused} searches: {statuses:?}");
}

/// Lines of a gzipped JSON Lines file.
fn jsonl_gz_lines(bytes: &[u8]) -> Vec<Value> {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("gzip");
    text.lines().map(|line| serde_json::from_str(line).expect("one JSON object a line")).collect()
}

/// Today where the councils are, as `YYYY-MM-DD`.
fn meetings_today() -> String {
    council_digest::time::local_date(council_digest::time::now_utc(), council_digest::time::DEFAULT_TIME_ZONE)
        .format("%Y-%m-%d")
        .to_string()
}

/// An open-data manifest, once its set is written.
fn exported(h: &Harness, path: &str) -> Value {
    let deadline = Instant::now() + RUN_TIMEOUT;
    loop {
        let reply = h.get(path);
        if reply.status == 200 {
            return reply.json();
        }
        assert!(Instant::now() < deadline, "{path} not exported: {}\n{}", reply.status, h.log_tail());
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn open_data_is_exported_listed_and_served_in_ranges() {
    use council_digest::jobs::EXPORT_CRON;
    let h = Harness::shared();
    let _guard = h.exclusive();
    let mut site = coventry_like(Behaviour::Healthy);
    site.coventry_attendee = true;
    site.voting_records = true;
    site.decisions = true;
    let base = h.fake.add_site("opendata", site);
    h.register("opendata", &base, json!({}));
    poll_until(h, "/api/v1/councils/opendata/councillors", RUN_TIMEOUT, |b| {
        b["councillors"].as_array().is_some_and(|c| !c.is_empty())
    });
    h.scrape("opendata");
    let summarised = settled_summaries(h, "opendata", 13, RUN_TIMEOUT);
    poll_until(h, "/api/v1/councils/opendata/decisions", RUN_TIMEOUT, |d| {
        d["decisions"].as_array().is_some_and(|d| !d.is_empty())
    });
    let meetings = h.meetings("opendata");
    // Pages say plainly what a summary is made from, and lead with what is coming and what was decided.
    for meeting in &summarised {
        let page = h.get(&format!("/meetings/{}", meeting["id"].as_str().unwrap())).body;
        let held = meeting["local_date"].as_str().unwrap() < meetings_today().as_str();
        let basis = if held { "Made from the" } else { "Made from the agenda and reports, before the meeting" };
        assert!(page.contains(basis), "{}: {page}", meeting["id"]);
    }
    let council_page = h.get("/councils/opendata").body;
    let coming = council_page.find("<h2>Coming up</h2>").expect("coming up");
    let decided = council_page.find("<h2>Decided recently</h2>").expect("decided recently");
    assert!(coming < decided && decided < council_page.find("<h2>Other meetings held").expect("the rest"));

    // The daily cron writes each council's latest set, then its month sets.
    h.trigger_cron(EXPORT_CRON);
    let manifest = exported(h, "/data/opendata/latest/manifest.json");
    assert_eq!(manifest["schema_version"], 1, "{manifest:#}");
    assert_eq!(manifest["licences"]["summaries"]["licence"], "CC-BY-4.0");
    assert_eq!(manifest["licences"]["council_data"]["licence"], "OGL-UK-3.0");
    let entry = |name: &str| {
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let index = h.get("/data").body;
    assert!(index.contains("/data/opendata/latest/events.jsonl.gz"), "listed on /data");

    // Every file is what its manifest says: rows, bytes and SHA-256.
    let mut files = std::collections::HashMap::new();
    for name in
        ["events.jsonl.gz", "people.jsonl.gz", "vote_events.jsonl.gz", "decisions.jsonl.gz", "summaries.jsonl.gz"]
    {
        let (status, headers, bytes) = h.get_bytes(&format!("/data/opendata/latest/{name}"), &[]);
        assert_eq!(status, 200, "{name}");
        let header = |n: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| v.clone());
        assert_eq!(header("Content-Type").as_deref(), Some("application/gzip"));
        assert_eq!(header("Accept-Ranges").as_deref(), Some("bytes"));
        let described = entry(name);
        assert_eq!(described["bytes"], bytes.len(), "{name}");
        assert_eq!(described["sha256"], council_digest::hash::sha256_hex(&bytes), "{name}");
        let lines = jsonl_gz_lines(&bytes);
        assert_eq!(described["rows"], lines.len(), "{name}");
        assert_eq!(described["partial"], false);
        files.insert(name, (lines, header("ETag").expect("an ETag"), bytes));
    }
    let events = &files["events.jsonl.gz"].0;
    assert_eq!(events.len(), meetings.len(), "every meeting is an event");
    let with_minutes =
        events.iter().find(|e| e["extras"]["minutes_published"] == true).expect("a meeting with minutes");
    assert_eq!(with_minutes["classification"], "committee-meeting");
    assert!(with_minutes["agenda"].as_array().is_some_and(|a| !a.is_empty()), "{with_minutes:#}");
    assert!(with_minutes["participants"].as_array().unwrap().iter().any(|p| p["entity_id"] == "opendata-m1726"));
    assert!(events.iter().any(|e| e["documents"].as_array().is_some_and(|d| !d.is_empty())
        || e["agenda"].as_array().unwrap().iter().any(|i| !i["media"].as_array().unwrap().is_empty())));
    let people = &files["people.jsonl.gz"].0;
    let birdi = people.iter().find(|p| p["id"] == "opendata-m1726").expect("councillors are people");
    assert_eq!(birdi["roles"][0]["district"], "Bablake");
    assert_eq!(birdi["party"][0]["name"], "Conservative");
    let votes = &files["vote_events.jsonl.gz"].0;
    assert_eq!(votes.len(), 2, "the voting record's two votes");
    assert!(
        votes.iter().all(|v| v["counts"].as_array().is_some_and(|c| !c.is_empty())
            && v["votes"].as_array().is_some_and(|c| !c.is_empty())
            && ["pass", "fail"].contains(&v["result"].as_str().unwrap_or_default())),
        "{votes:#?}"
    );
    assert!(!files["decisions.jsonl.gz"].0.is_empty());
    let summaries = &files["summaries.jsonl.gz"].0;
    assert_eq!(summaries.len(), summarised.len(), "each summarised meeting's published summary");
    assert!(summaries
        .iter()
        .all(|s| s["provenance"]["method"].is_string() && s["checks"]["sentences_checked"].is_number()));

    // ETags and byte ranges.
    let (lines, etag, bytes) = &files["events.jsonl.gz"];
    assert!(!lines.is_empty());
    let path = "/data/opendata/latest/events.jsonl.gz";
    assert_eq!(h.get_bytes(path, &[("If-None-Match", etag)]).0, 304);
    let (status, headers, head) = h.get_bytes(path, &[("Range", "bytes=0-99")]);
    assert_eq!(status, 206);
    assert_eq!(head, bytes[..100]);
    let content_range = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("Content-Range")).unwrap().1.clone();
    assert_eq!(content_range, format!("bytes 0-99/{}", bytes.len()));
    let (status, _, tail) = h.get_bytes(path, &[("Range", "bytes=100-")]);
    assert_eq!(status, 206);
    assert_eq!([head, tail].concat(), *bytes, "two ranges make the file");
    assert_eq!(h.get_bytes(path, &[("Range", &format!("bytes={}-", bytes.len()))]).0, 416);
    assert_eq!(h.get_bytes(path, &[("Range", "bytes=0-9"), ("If-Range", "\"another\"")]).0, 200);
    assert_eq!(h.get("/data/opendata/latest/secrets.txt").status, 404);
    assert_eq!(h.get("/data/no-such-council/latest/manifest.json").status, 404);

    // Each month with meetings gets its own set, holding that month's meetings.
    let month = meetings[0]["local_date"].as_str().unwrap()[..7].to_string();
    let month_manifest = exported(h, &format!("/data/opendata/{month}/manifest.json"));
    let in_month = meetings.iter().filter(|m| m["local_date"].as_str().unwrap().starts_with(&month)).count();
    let month_events =
        month_manifest["files"].as_array().unwrap().iter().find(|f| f["name"] == "events.jsonl.gz").unwrap().clone();
    assert_eq!(month_events["rows"], in_month, "{month_manifest:#}");
    assert!(month_manifest["files"].as_array().unwrap().iter().all(|f| f["name"] != "people.jsonl.gz"));
    let (_, _, month_bytes) = h.get_bytes(&format!("/data/opendata/{month}/events.jsonl.gz"), &[]);
    assert!(jsonl_gz_lines(&month_bytes)
        .iter()
        .all(|e| e["extras"]["local_date"].as_str().unwrap().starts_with(&month)));
    let total: u64 = manifest["files"].as_array().unwrap().iter().map(|f| f["bytes"].as_u64().unwrap()).sum();
    println!("open data: latest set of {} meetings is {total} bytes gzipped", meetings.len());
}

/// The meeting's webcast record once a listing has reached it.
fn webcast_of(h: &Harness, meeting: &str, done: impl Fn(&Value) -> bool) -> Value {
    let path = format!("/api/v1/meetings/{meeting}");
    poll_until(h, &path, Duration::from_secs(120), |m| m["webcasts"].get(0).is_some_and(&done))["webcasts"][0].clone()
}

#[test]
fn webcast_captions_are_read_cut_by_item_and_quoted_with_their_moment() {
    use support::fake_publici::{FakePublicI, FakeWebcast};
    let h = Harness::shared();
    let _guard = h.exclusive();
    // Two Cabinet meetings with webcasts: one whose captions come later, one whose captions are unreadable.
    let mut site = with_meeting_count(Behaviour::Healthy, 0);
    let today = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive();
    for (id, days) in [(5902, 43), (5903, 36)] {
        site.meetings.push(support::fake_council::FakeMeeting {
            id,
            committee_id: 101,
            date: today - chrono::Duration::days(days),
            cancelled: false,
            with_minutes: false,
        });
    }
    let base = h.fake.add_site("webcasts", site);
    let portal = FakePublicI::start();
    let registered = h.register(
        "webcasts",
        &base,
        json!({"coverage": "supported", "webcast_site": portal.site(), "webcast_captions": portal.captions_template()}),
    );
    assert_eq!(registered["webcast_site"], portal.site(), "{registered:#}");
    h.scrape("webcasts");
    settled_summaries(h, "webcasts", 2, Duration::from_secs(180));
    let (late, broken) = ("webcasts-5902".to_string(), "webcasts-5903".to_string());
    let meeting = h.get(&format!("/api/v1/meetings/{late}")).json();
    assert_eq!(meeting["summary"]["version"], 1);
    // The portal lists both webcasts, titled as Public-i titles them, with
    // agenda points named by our items' numbers and titles, a minute apart.
    for (activity, id) in [(912345, &late), (912346, &broken)] {
        let meeting = h.get(&format!("/api/v1/meetings/{id}")).json();
        let starts = meeting["starts_at_utc"].as_str().expect("a start time");
        let live = chrono::DateTime::parse_from_rfc3339(starts).unwrap().to_rfc2822();
        let points = meeting["agenda_items"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(n, item)| {
                let label =
                    format!("{} {}", item["number"].as_str().unwrap_or_default(), item["title"].as_str().unwrap());
                (label, ((n + 1) * 60).to_string())
            })
            .collect();
        portal.add_webcast(FakeWebcast {
            activity,
            title: format!("Cabinet - {}", &starts[..10]),
            live_date: live,
            points,
        });
    }
    portal.publish_captions(912346, FakePublicI::captions_fixture("malformed.vtt"));
    let listing = h.admin("POST", "/admin/councils/webcasts/webcasts", None);
    assert_eq!(listing.status, 202, "{}", listing.body);
    let absent = webcast_of(h, &late, |w| w["captions_status"] == "absent");
    assert_eq!(absent["activity"], "912345");
    let failed = webcast_of(h, &broken, |w| w["captions_status"] == "error");
    let error = failed["captions_error"].as_str().unwrap_or_default();
    assert!(error.contains("no readable cue"), "a recorded error: {failed:#}");
    let page = h.get(&format!("/meetings/{broken}"));
    assert!(page.body.contains("Its captions could not be read"), "the page says so");

    // The captions are published: read, cut by item, and the summary made again from them.
    portal.publish_captions(912345, FakePublicI::captions_fixture("cabinet_en_GB.vtt"));
    assert_eq!(h.admin("POST", "/admin/councils/webcasts/webcasts", None).status, 202);
    let read = webcast_of(h, &late, |w| w["captions_status"] == "read");
    assert_eq!(read["made_from"], "captions");
    assert_eq!((read["cues"].as_i64(), read["skipped_cues"].as_i64()), (Some(8), Some(0)), "{read:#}");
    let path = format!("/api/v1/meetings/{late}");
    let remade = poll_until(h, &path, Duration::from_secs(120), |m| m["summary"]["version"] == 2);
    let summary = &remade["summary"];
    let reason = summary["updated_reason"].as_str().unwrap_or_default();
    assert!(reason.contains("captions were published"), "says why: {summary:#}");
    let sections = summary["body"]["sections"].as_array().unwrap();
    let spoken: Vec<&Value> = sections.iter().filter(|s| s["said"].as_str().is_some_and(|t| !t.is_empty())).collect();
    assert!(!spoken.is_empty(), "what was said is in the summary: {summary:#}");
    let quote = spoken
        .iter()
        .flat_map(|s| s["quotes"].as_array().unwrap())
        .find(|q| q["said_at"].is_u64())
        .unwrap_or_else(|| panic!("a quote of the webcast: {summary:#}"));
    let link = quote["link"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("{}/core/portal/webcast_interactive/912345/start_time/", portal.site())),
        "{link}"
    );
    assert!(link.ends_with(&format!("/start_time/{}", quote["said_at"])), "{quote:#}");

    // The item's transcript, from the API, holds the quote at its moment; it is paged.
    let item = spoken[0]["item_id"].as_str().unwrap();
    let transcript = h.get(&format!("/api/v1/meetings/{late}/transcript?item={item}")).json();
    assert_eq!(transcript["webcast"]["label"], "the webcast's automatic captions");
    let cues = transcript["cues"].as_array().unwrap();
    let said: String = cues.iter().map(|c| c["text"].as_str().unwrap()).collect::<Vec<_>>().join(" ");
    let words = |text: &str| -> String {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    assert!(words(&said).contains(&words(quote["text"].as_str().unwrap())), "{quote:#} in {said}");
    let first_cue = cues.iter().find(|c| {
        words(c["text"].as_str().unwrap())
            .contains(&words(quote["text"].as_str().unwrap()).split(' ').next().unwrap().to_string())
    });
    assert!(first_cue.is_some_and(|c| c["start_ms"] == quote["said_at"]), "the quote's moment is its cue's: {cues:#?}");
    let whole = h.get(&format!("/api/v1/meetings/{late}/transcript?limit=3")).json();
    assert_eq!((whole["cues"].as_array().unwrap().len(), whole["next_offset"].as_u64()), (3, Some(3)));
    assert!(whole["cues"][0]["text"].as_str().unwrap().starts_with("good afternoon everyone"), "{whole:#}");
    assert_eq!(whole["cues"][1]["text"], "we are being webcast today", "rolling captions are not repeated");
    let stretches = whole["stretches"].as_array().unwrap();
    assert!(stretches
        .iter()
        .any(|s| s["item_id"].as_str() == Some(item) && s["start_ms"].as_u64().unwrap() % 60_000 == 0));
    assert_eq!(h.get(&format!("/api/v1/meetings/{late}/transcript?item=nothing")).status, 404);
    // What anyone can send is bounded: pages of at most 500 cues, numbers that are numbers, ids never echoed as markup.
    let many = h.get(&format!("/api/v1/meetings/{late}/transcript?limit=1000000")).json();
    assert_eq!((many["cues"].as_array().unwrap().len(), many["next_offset"].clone()), (8, Value::Null));
    for bad in ["offset=-1", "offset=99999999999999999999999", "limit=abc"] {
        let refused = h.get(&format!("/api/v1/meetings/{late}/transcript?{bad}"));
        assert_eq!(refused.status, 400, "{bad}: {}", refused.body);
    }
    let far = h.get(&format!("/api/v1/meetings/{late}/transcript?offset=1000000")).json();
    assert_eq!((far["cues"].as_array().unwrap().len(), far["next_offset"].clone()), (0, Value::Null));
    let hostile = h.get(&format!("/api/v1/meetings/{late}/transcript?item=%3Cscript%3Ealert(1)%3C/script%3E"));
    assert_eq!(hostile.status, 404);
    assert!(!hostile.body.contains("<script>"), "{}", hostile.body);
    assert_eq!(h.get(&format!("/api/v1/meetings/{broken}/transcript")).status, 404);
    let page = h.get(&format!("/meetings/{late}")).body;
    for words in ["What was said", "from the webcast&#39;s automatic captions", "start_time/", "Webcast:"] {
        assert!(page.contains(words), "the meeting page shows {words:?}");
    }
    // What was said is checked as every page is: no serious or critical WCAG 2.1 A or AA
    // violation in a real browser, and nothing wider than a phone's screen.
    let (_driver, session_url) = chromium(h);
    let violations = axe_violations(&session_url, &format!("{}/meetings/{late}", h.base_url));
    assert!(violations.is_empty(), "the meeting page with what was said: {violations:#?}");
    webdriver("POST", &format!("{session_url}/window/rect"), Some(json!({"width": 320, "height": 800})));
    let overflow = webdriver(
        "POST",
        &format!("{session_url}/execute/sync"),
        Some(json!({"script": "return document.documentElement.scrollWidth - document.documentElement.clientWidth;", "args": []})),
    )["value"]
        .as_i64();
    assert_eq!(overflow, Some(0), "no sideways scrolling at 320 px");

    // Read again, the same captions make nothing new: the summary was remade once.
    let before = read["captions_read_at"].as_str().unwrap().to_string();
    assert_eq!(h.admin("POST", "/admin/councils/webcasts/webcasts?recheck=1", None).status, 202);
    webcast_of(h, &late, |w| w["captions_read_at"].as_str().is_some_and(|at| at > before.as_str()));
    std::thread::sleep(Duration::from_secs(5));
    let again = h.get(&path).json();
    assert_eq!(again["summary"]["version"], 2, "not remade for the same captions");
    let broken_meeting = h.get(&format!("/api/v1/meetings/{broken}")).json();
    assert_eq!(broken_meeting["summary"]["version"], 1, "unreadable captions leave the paper-based summary");
    assert!(portal.requests_for("/assets/912345.vtt") >= 3, "each listing asked for the captions");
}

#[test]
fn a_webcast_without_captions_is_heard_by_the_speech_model_in_chunks() {
    use support::fake_publici::{FakePublicI, FakeWebcast};
    let h = Harness::shared();
    let _guard = h.exclusive();
    // The test webcast: six sentences of a known script, one every ten seconds, in MP4.
    let media = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-webcast");
    let made = std::process::Command::new("bash")
        .arg(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/make_webcast_media.sh"))
        .arg(&media)
        .status()
        .unwrap();
    assert!(made.success());
    let script: Vec<String> =
        std::fs::read_to_string(media.join("script.txt")).unwrap().lines().map(str::to_string).collect();
    h.speech.set_reference(&media);

    let mut site = with_meeting_count(Behaviour::Healthy, 0);
    let today = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive();
    site.meetings.push(support::fake_council::FakeMeeting {
        id: 5904,
        committee_id: 101,
        date: today - chrono::Duration::days(29),
        cancelled: false,
        with_minutes: false,
    });
    let base = h.fake.add_site("speech", site);
    let portal = FakePublicI::start();
    h.register(
        "speech",
        &base,
        json!({"coverage": "supported", "webcast_site": portal.site(), "webcast_captions": portal.captions_template(),
               "webcast_media": portal.media_template()}),
    );
    h.scrape("speech");
    settled_summaries(h, "speech", 1, Duration::from_secs(180));
    let id = "speech-5904";
    let meeting = h.get(&format!("/api/v1/meetings/{id}")).json();
    let starts = meeting["starts_at_utc"].as_str().unwrap();
    let items = meeting["agenda_items"].as_array().unwrap();
    // The webcast's agenda points: the first item from the start, the second from 0:30.
    let points = items
        .iter()
        .zip(["0", "30"])
        .map(|(item, at)| {
            (
                format!("{} {}", item["number"].as_str().unwrap_or_default(), item["title"].as_str().unwrap()),
                at.to_string(),
            )
        })
        .collect();
    portal.add_webcast(FakeWebcast {
        activity: 912347,
        title: format!("Cabinet - {}", &starts[..10]),
        live_date: chrono::DateTime::parse_from_rfc3339(starts).unwrap().to_rfc2822(),
        points,
    });
    portal.publish_media(912347, std::fs::read(media.join("webcast.mp4")).unwrap());
    assert_eq!(h.admin("POST", "/admin/councils/speech/webcasts", None).status, 202);

    // No captions: the sound is planned in chunks of twenty seconds, each heard, then joined.
    let webcast = webcast_of(h, id, |w| w["speech_status"] == "done" || w["speech_status"] == "error");
    assert_eq!(webcast["speech_status"], "done", "{webcast:#}\n{:?}\n{}", h.speech.refused(), h.log_tail());
    assert_eq!((webcast["made_from"].as_str(), webcast["speech_chunks"].as_i64()), (Some("speech"), Some(3)));
    let heard = h.speech.heard();
    assert_eq!(heard.len(), 3, "one request a chunk: {heard:#?}");
    for chunk in &heard {
        assert_eq!((chunk.container.as_str(), chunk.codec.as_str()), ("aac", "aac"), "ADTS AAC: {chunk:?}");
        assert_eq!(chunk.model, "@cf/openai/whisper-large-v3-turbo");
    }
    let mut starts_found: Vec<u64> = heard.iter().map(|c| c.found_at_ms).collect();
    starts_found.sort();
    for (found, planned) in starts_found.iter().zip([0u64, 20_000, 40_000]) {
        assert!(
            found.abs_diff(planned) <= 300,
            "a chunk's sound is its stretch: found at {found} ms, planned {planned}"
        );
    }
    let lengths: u64 = heard.iter().map(|c| c.duration_ms).sum();
    assert!(lengths.abs_diff(60_000) <= 500, "the chunks hold the whole minute: {lengths} ms");
    let ranges = portal.media_ranges();
    assert!(!ranges.is_empty() && ranges.iter().all(|r| r.starts_with("bytes=")), "only byte ranges: {ranges:?}");

    // The joined transcript: the script's words, each at its time.
    let transcript = h.get(&format!("/api/v1/meetings/{id}/transcript?limit=50")).json();
    assert_eq!(transcript["webcast"]["label"], "the webcast's sound, transcribed automatically");
    let cues = transcript["cues"].as_array().unwrap();
    let texts: Vec<&str> = cues.iter().map(|c| c["text"].as_str().unwrap()).collect();
    assert_eq!(texts, script.iter().map(String::as_str).collect::<Vec<_>>());
    for (n, cue) in cues.iter().enumerate() {
        let at = cue["start_ms"].as_u64().unwrap();
        assert!(at.abs_diff(n as u64 * 10_000) <= 600, "sentence {n} at {at} ms: {cue:#}");
    }
    let second = items[1]["id"].as_str().unwrap();
    let item = h.get(&format!("/api/v1/meetings/{id}/transcript?item={second}")).json();
    assert_eq!(item["cues"].as_array().unwrap().len(), 3, "the second item's stretch: 0:30 to the end");
    let path = format!("/api/v1/meetings/{id}");
    let remade = poll_until(h, &path, Duration::from_secs(120), |m| m["summary"]["version"] == 2)["summary"].clone();
    assert!(remade["updated_reason"].as_str().unwrap_or_default().contains("sound was transcribed"), "{remade:#}");
    let page = h.get(&format!("/meetings/{id}")).body;
    assert!(
        page.contains("from the webcast&#39;s sound, transcribed automatically"),
        "quotes say whose words they are"
    );
    assert!(page.contains("what was said was transcribed from its sound"), "the webcast's note says so");
}

//! What the statements guarding email and webhooks do, run against the
//! schema the migrations build: a confirmation email is recorded only under
//! every cap at once (one per subscription an hour, a few per mailbox a day, a
//! ceiling per hour across everyone); unconfirmed subscriptions expire after
//! their latest confirmation email; an email is sent by one attempt at a
//! time; a replay never wakes a revoked key's endpoint; webhook records are
//! pruned; a fan-out reads every endpoint; a summary version is counted in
//! the public record of the claim checks once, and only if it was stored; a
//! meeting's attendance keeps a listed councillor's party; a person's recorded
//! votes page newest first with their party group's choices.

use std::io::Write;
use std::process::{Command, Stdio};

use council_digest::storage::queries as q;
use serde_json::{json, Value};

/// Runs the steps in order on a fresh database; answers each step's rows.
fn run(steps: &[Value]) -> Vec<Vec<Value>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut child = Command::new("python3")
        .arg(format!("{root}/tests/support/run_sql.py"))
        .arg(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs the statements");
    child.stdin.take().unwrap().write_all(Value::Array(steps.to_vec()).to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn subscription(id: &str, key: &str, council: &str, created_at: &str) -> Value {
    json!({"sql": "INSERT INTO email_subscriptions (id, address, address_key, council_id, frequency, created_at) \
                   VALUES (?1, ?2, ?3, ?4, 'immediate', ?5)",
           "params": [id, format!("{key}@example.org"), key, council, created_at]})
}

/// A claim at minute `minute` of the day (hour and day windows from there), with these caps.
fn claim(email: &str, subscription: &str, minute: u32, per_mailbox: i64, ceiling: i64) -> Value {
    let at = |m: u32| format!("2026-12-07T{:02}:{:02}:00Z", m / 60, m % 60);
    json!({"sql": q::CLAIM_SUBSCRIBER_EMAIL,
           "params": [email, subscription, "confirmation", at(minute + 600), at(minute + 540), "2026-12-06T10:00:00Z", per_mailbox, ceiling]})
}

fn claimed(rows: &[Value]) -> bool {
    !rows.is_empty()
}

#[test]
fn one_mailbox_gets_at_most_its_daily_confirmations_whatever_the_councils() {
    let councils = ["coventry", "birmingham", "kent", "leeds", "derby", "kirklees", "manchester"];
    let mut steps: Vec<Value> =
        councils.iter().map(|c| subscription(&format!("sub_{c}"), "victim", c, "2026-12-07T09:00:00Z")).collect();
    // Seven councils at once, for one mailbox: five pass.
    for (n, council) in councils.iter().enumerate() {
        steps.push(claim(&format!("em_{n}"), &format!("sub_{council}"), n as u32, 5, 1000));
    }
    // The first subscription asks again within the hour: refused whatever the daily count.
    steps.push(claim("em_again", "sub_coventry", 30, 50, 1000));
    let results = run(&steps);
    let claims: Vec<bool> = results[councils.len()..].iter().map(|rows| claimed(rows)).collect();
    assert_eq!(claims, [true, true, true, true, true, false, false, false]);
}

#[test]
fn confirmations_to_anyone_stop_at_the_hourly_ceiling() {
    let mut steps: Vec<Value> = (0..5)
        .map(|n| subscription(&format!("sub_{n}"), &format!("person{n}"), "coventry", "2026-12-07T09:00:00Z"))
        .collect();
    for n in 0..5 {
        steps.push(claim(&format!("em_{n}"), &format!("sub_{n}"), n, 5, 3));
    }
    steps.push(json!({"sql": q::CONFIRMATIONS_TO_ANYONE_SINCE, "params": ["2026-12-07T09:00:00Z"]}));
    let results = run(&steps);
    let claims: Vec<bool> = results[5..10].iter().map(|rows| claimed(rows)).collect();
    assert_eq!(claims, [true, true, true, false, false], "three people, then the ceiling");
    assert_eq!(results[10], vec![json!([3])], "what /admin/status reports");
}

#[test]
fn an_unconfirmed_subscription_lives_as_long_as_its_latest_confirmation_email() {
    let cutoff = "2026-12-05T10:00:00Z"; // 48 hours before 2026-12-07T10:00
    let steps = vec![
        // Asked for three days ago, and again an hour ago: its new link still works.
        subscription("sub_renewed", "renewed", "coventry", "2026-12-04T10:00:00Z"),
        json!({"sql": q::CONFIRMATION_SENT, "params": ["sub_renewed", "2026-12-07T09:00:00Z", "em_renewed"]}),
        json!({"sql": "INSERT INTO email_deliveries (id, subscription_id, address_key, kind, subject_id, created_at) \
                       VALUES ('em_renewed', 'sub_renewed', 'renewed', 'confirmation', 'sub_renewed', '2026-12-07T09:00:00Z')"}),
        json!({"sql": q::CONFIRMATION_SENT, "params": ["sub_renewed", "2026-12-07T09:00:00Z", "em_renewed"]}),
        // Asked for three days ago only.
        subscription("sub_stale", "stale", "coventry", "2026-12-04T10:00:00Z"),
        json!({"sql": "INSERT INTO email_deliveries (id, subscription_id, address_key, kind, subject_id, created_at) \
                       VALUES ('em_stale', 'sub_stale', 'stale', 'confirmation', 'sub_stale', '2026-12-04T10:00:00Z')"}),
        json!({"sql": q::EXPIRED_PENDING_DELIVERIES, "params": [cutoff]}),
        json!({"sql": q::EXPIRE_PENDING_SUBSCRIPTIONS, "params": [cutoff]}),
        json!({"sql": "SELECT id FROM email_subscriptions ORDER BY id"}),
        json!({"sql": "SELECT id FROM email_deliveries ORDER BY id"}),
    ];
    let results = run(&steps);
    assert_eq!(results[8], vec![json!(["sub_renewed"])]);
    assert_eq!(results[9], vec![json!(["em_renewed"])], "the stale one's records went with it");
}

#[test]
fn a_fan_out_told_again_queues_only_emails_never_tried() {
    let email = |id: &str, status: &str, attempts: i64, lease: Option<&str>| {
        json!({"sql": "INSERT INTO email_deliveries (id, subscription_id, address_key, kind, subject_id, status, attempts, sending_until, created_at) \
                       VALUES (?1, 'sub_a', 'a', 'meeting', 'm1', ?2, ?3, ?4, '2026-12-07T09:00:00Z')",
               "params": [id, status, attempts, lease]})
    };
    let steps = vec![
        subscription("sub_a", "a", "coventry", "2026-12-07T08:00:00Z"),
        email("em_new", "queued", 0, None),
        email("em_sent", "sent", 1, None),
        email("em_retrying", "queued", 1, None),
        email("em_sending", "queued", 0, Some("2026-12-07T09:01:00Z")),
        json!({"sql": q::EMAILS_TO_QUEUE, "params": [r#"["em_new","em_sent","em_retrying","em_sending","em_unknown"]"#]}),
        // One attempt holds an email; another finds it held until the lease ends.
        json!({"sql": q::CLAIM_EMAIL_SEND, "params": ["em_new", "2026-12-07T09:02:00Z", "2026-12-07T09:01:00Z"]}),
        json!({"sql": q::CLAIM_EMAIL_SEND, "params": ["em_new", "2026-12-07T09:02:30Z", "2026-12-07T09:01:30Z"]}),
        json!({"sql": q::CLAIM_EMAIL_SEND, "params": ["em_new", "2026-12-07T09:04:00Z", "2026-12-07T09:03:00Z"]}),
        json!({"sql": q::CLAIM_EMAIL_SEND, "params": ["em_sent", "2026-12-07T09:04:00Z", "2026-12-07T09:03:00Z"]}),
    ];
    let results = run(&steps);
    assert_eq!(results[5], vec![json!(["em_new"])], "a redelivered fan-out sends nothing new");
    let claims: Vec<bool> = results[6..10].iter().map(|rows| claimed(rows)).collect();
    assert_eq!(claims, [true, false, true, false], "held, then free once the lease ends; a sent one never");
}

fn endpoint(id: &str, key: Option<&str>) -> Value {
    json!({"sql": "INSERT INTO webhook_endpoints (id, url, events, secret, created_at, updated_at, api_key_id) \
                   VALUES (?1, 'https://hooks.example.org/' || ?1, '[]', 'whsec_x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?2)",
           "params": [id, key]})
}

fn delivery(id: &str, endpoint: &str, created_at: &str) -> Value {
    json!({"sql": "INSERT INTO webhook_deliveries (id, endpoint_id, event, payload, created_at) VALUES (?1, ?2, 'meeting.updated', '{}', ?3)",
           "params": [id, endpoint, created_at]})
}

#[test]
fn a_replay_never_switches_a_revoked_keys_endpoint_back_on() {
    let steps = vec![
        json!({"sql": "INSERT INTO api_keys (id, name, key_hash, max_endpoints, created_at, revoked_at) \
                       VALUES ('key_gone', 'gone', 'h1', 5, '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z')"}),
        endpoint("ep_revoked", Some("key_gone")),
        endpoint("ep_operator", None),
        delivery("msg_revoked", "ep_revoked", "2026-12-01T00:00:00Z"),
        delivery("msg_operator", "ep_operator", "2026-12-01T00:00:00Z"),
        json!({"sql": q::REPLAY_WEBHOOK_DELIVERY, "params": ["msg_revoked"]}),
        json!({"sql": q::REPLAY_WEBHOOK_DELIVERY, "params": ["msg_operator"]}),
    ];
    let results = run(&steps);
    assert!(results[5].is_empty(), "a revoked key's endpoint is not replayed");
    assert_eq!(results[6], vec![json!(["ep_operator"])]);
}

#[test]
fn webhook_records_and_revoked_keys_secrets_go_after_the_retention() {
    let cutoff = "2026-11-07T00:00:00Z";
    let steps = vec![
        json!({"sql": "INSERT INTO api_keys (id, name, key_hash, max_endpoints, created_at, revoked_at) VALUES \
                       ('key_old', 'old', 'h1', 5, '2026-01-01T00:00:00Z', '2026-10-01T00:00:00Z'), \
                       ('key_new', 'new', 'h2', 5, '2026-01-01T00:00:00Z', '2026-12-01T00:00:00Z'), \
                       ('key_live', 'live', 'h3', 5, '2026-01-01T00:00:00Z', NULL)"}),
        endpoint("ep_old", Some("key_old")),
        endpoint("ep_new", Some("key_new")),
        endpoint("ep_live", Some("key_live")),
        delivery("msg_1", "ep_live", "2026-10-01T00:00:00Z"),
        delivery("msg_2", "ep_live", "2026-10-02T00:00:00Z"),
        delivery("msg_3", "ep_live", "2026-10-03T00:00:00Z"),
        delivery("msg_4", "ep_live", "2026-12-01T00:00:00Z"),
        delivery("msg_5", "ep_old", "2026-12-01T00:00:00Z"),
        json!({"sql": q::DELETE_OLD_WEBHOOK_DELIVERIES, "params": [cutoff, 2]}),
        json!({"sql": "SELECT id FROM webhook_deliveries ORDER BY id"}),
        json!({"sql": q::DELETE_REVOKED_KEY_DELIVERIES, "params": [cutoff]}),
        json!({"sql": q::DELETE_REVOKED_KEY_ENDPOINTS, "params": [cutoff]}),
        json!({"sql": "SELECT id FROM webhook_endpoints ORDER BY id"}),
        json!({"sql": "SELECT id FROM webhook_deliveries ORDER BY id"}),
    ];
    let results = run(&steps);
    assert_eq!(results[10].len(), 3, "a batch of two old records went: {:?}", results[10]);
    assert_eq!(
        results[13],
        vec![json!(["ep_live"]), json!(["ep_new"])],
        "the long-revoked key's endpoint and secret went"
    );
    assert!(!results[14].contains(&json!(["msg_5"])));
}

#[test]
fn a_fan_out_reads_every_endpoint_in_pages() {
    let mut steps: Vec<Value> = (0..1203).map(|n| endpoint(&format!("ep_{n:05}"), None)).collect();
    let page =
        |after: &str| json!({"sql": q::ENDPOINTS_FOR_EVENT, "params": ["meeting.updated", "coventry", after, 500]});
    steps.push(page(""));
    steps.push(page("ep_00499"));
    steps.push(page("ep_00999"));
    let results = run(&steps);
    let pages: Vec<&Vec<Value>> = results[1203..].iter().collect();
    assert_eq!(pages.iter().map(|p| p.len()).collect::<Vec<_>>(), [500, 500, 203]);
    assert_eq!(pages[1][0], json!(["ep_00500"]), "in id order, after the last of the page before");
    assert_eq!(pages[2][202], json!(["ep_01202"]));
}

/// A summary version stored at `now` with these inputs, and its council's record counted in the same batch.
fn summary_stored(hash: &str, now: &str) -> Vec<Value> {
    vec![
        json!({"sql": q::INSERT_SUMMARY, "params": ["coventry-1", "model", "workers_ai", "m", "p1", hash, 10, 5, 20, 0.0, 1,
            1, 0, 0, null, null, "{}", now, 2, null, 1, 9, "{\"amount\":2}", 0]}),
        json!({"sql": q::RECORD_SUMMARY, "params": ["coventry", "coventry-1", hash, "model", 9, 2, 0, 1, 0, 0, now]}),
        json!({"sql": q::RECORD_DROPS, "params": ["coventry", "coventry-1", hash, "amount", 2, now]}),
    ]
}

#[test]
fn a_summary_version_is_counted_in_the_record_once_only_if_it_was_stored() {
    let mut steps = summary_stored("h1", "2026-12-07T09:00:00Z");
    // The same inputs again (a retried job): the insert is ignored, and so is its count.
    steps.extend(summary_stored("h1", "2026-12-07T09:05:00Z"));
    // New inputs: a new version, counted.
    steps.extend(summary_stored("h2", "2026-12-07T10:00:00Z"));
    steps.push(json!({"sql": "SELECT summaries, model_written, sentences_checked, sentences_dropped, quotes_kept FROM claim_record WHERE council_id = 'coventry'"}));
    steps.push(json!({"sql": "SELECT dropped FROM claim_drops WHERE council_id = 'coventry' AND kind = 'amount'"}));
    let results = run(&steps);
    let n = results.len();
    assert_eq!(results[n - 2], [json!([2, 1 + 1, 18, 4, 2])], "two versions stored, two counted");
    assert_eq!(results[n - 1], [json!([4])]);
}

#[test]
fn a_meetings_attendance_never_rewrites_the_party_the_councils_list_gives() {
    let upsert = |id: &str, name: &str, party: &str| json!({"sql": q::UPSERT_PERSON, "params": [id, "cov", name, party, "Bablake"]});
    let listed = json!({"sql": q::UPSERT_COUNCILLOR,
        "params": ["cov-m1726", "cov", "Councillor Jaswant Singh Birdi", "Conservative", "Bablake", null, null, null, "2026-12-01"]});
    let steps = vec![
        listed,
        upsert("cov-m1726", "Cllr J Birdi", "CON"),
        upsert("cov-m9", "Councillor Someone Else", "LAB"),
        upsert("cov-m9", "Councillor Someone Else", "Labour"),
        json!({"sql": "SELECT id, name, party FROM people ORDER BY id", "params": []}),
    ];
    let rows = run(&steps).pop().unwrap();
    assert_eq!(
        rows,
        [
            json!(["cov-m1726", "Councillor Jaswant Singh Birdi", "Conservative"]),
            json!(["cov-m9", "Councillor Someone Else", "Labour"]),
        ]
    );
}

#[test]
fn a_persons_votes_page_newest_first_with_their_party_groups_choices() {
    let person = |id: &str, party: &str| json!({"sql": q::UPSERT_PERSON, "params": [id, "cov", id, party, null]});
    let meeting = |id: &str, date: &str| {
        json!({"sql": "INSERT INTO meetings (id, council_id, committee_id, source_id, title, local_date, time_zone, web_url, \
                       first_seen_at, updated_at) VALUES (?1, 'cov', 'cov-c1', ?1, ?1, ?2, 'Europe/London', '', '', '')",
               "params": [id, date]})
    };
    let event = |id: &str, meeting: &str| {
        json!({"sql": q::INSERT_VOTE_EVENT,
               "params": [id, "cov", meeting, null, 0, format!("motion {id}"), "Carried", "{}", "minutes", null, null, null, "now"]})
    };
    let choice = |event: &str, position: i64, choice: &str, person: &str| json!({"sql": q::INSERT_VOTE_CHOICE, "params": [event, position, choice, person, person]});
    let mut steps = vec![
        person("cov-m1", "Labour"),
        person("cov-m2", "Labour"),
        person("cov-m3", "Labour"),
        person("cov-m4", "Green"),
        meeting("cov-10", "2026-11-01"),
        meeting("cov-11", "2026-12-01"),
        event("cov-10-v1", "cov-10"),
        event("cov-11-v1", "cov-11"),
        event("cov-11-v2", "cov-11"),
    ];
    for vote in ["cov-10-v1", "cov-11-v1", "cov-11-v2"] {
        steps.push(choice(vote, 0, "for", "cov-m1"));
        steps.push(choice(vote, 1, "against", "cov-m2"));
        steps.push(choice(vote, 2, "against", "cov-m3"));
        steps.push(choice(vote, 3, "for", "cov-m4"));
    }
    let page = |after: (&str, &str), limit: i64| json!({"sql": q::PERSON_VOTES, "params": ["cov-m1", after.0, after.1, limit]});
    steps.push(page(("", ""), 2));
    steps.push(page(("2026-12-01", "cov-11-v1"), 2));
    let mut results = run(&steps);
    let second = results.pop().unwrap();
    let first = results.pop().unwrap();
    // Columns: vote_id first, party_choices last.
    let ids = |rows: &[Value]| rows.iter().map(|r| r[0].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ["cov-11-v2", "cov-11-v1"]);
    assert_eq!(ids(&second), ["cov-10-v1"]);
    let group: Value = serde_json::from_str(first[0][10].as_str().unwrap()).unwrap();
    assert_eq!(group, json!({"for": 1, "against": 2}), "the Labour group only, them included");
    assert_eq!(council_digest::votes::party_majority(&group), Some("against"));
}

//! Every SQL statement the worker runs, planned by SQLite against the schema
//! the migrations build: none may read the whole of a table that grows.

use std::process::Command;

use serde_json::Value;

/// Tables whose size is fixed (the council registry, and the record of the
/// claim checks: a row per council, and per council and kind of claim) or set
/// by the operator (API keys issued by hand, and webhook endpoints, at most a
/// few per key) may be scanned.
const FIXED_TABLES: &[&str] = &["councils", "co", "webhook_endpoints", "api_keys", "claim_record", "r", "claim_drops"];

fn plans() -> serde_json::Map<String, Value> {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new("python3")
        .arg(format!("{root}/tests/support/query_plans.py"))
        .arg(root)
        .output()
        .expect("python3 runs the planner");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let plans: Value = serde_json::from_slice(&output.stdout).unwrap();
    plans.as_object().unwrap().clone()
}

/// Why a plan line reads a whole growing table, if it does.
fn full_scan(line: &str, sql_has_limit: bool, bounded: &[&str]) -> Option<String> {
    let rest = line.strip_prefix("SCAN ")?;
    let table = rest.split_whitespace().next().unwrap_or_default();
    // A materialised or co-routine subquery is as bounded as its own plan (checked on its own lines) and LIMIT.
    if bounded.contains(&table) {
        return None;
    }
    if FIXED_TABLES.contains(&table) || table == "json_each" || rest.starts_with("CONSTANT ROW") {
        return None;
    }
    if rest.contains("VIRTUAL TABLE INDEX") {
        // An FTS5 plan reads by rowid ("0:=") or by a MATCH ("M"); "0:" alone reads everything.
        return rest.trim_end().ends_with("INDEX 0:").then(|| format!("whole virtual table {table}"));
    }
    if rest.contains("USING") && sql_has_limit {
        // Walking an index in order and stopping at the LIMIT.
        return None;
    }
    Some(format!("scan of {table}"))
}

#[test]
fn no_query_reads_a_whole_growing_table() {
    let plans = plans();
    assert!(plans.len() > 80, "every statement was planned: {}", plans.len());
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/storage/queries.rs")).unwrap();
    let mut problems = Vec::new();
    for (name, lines) in &plans {
        let sql = source.split(&format!("pub const {name}: &str =")).nth(1).unwrap_or_default();
        let sql = &sql[..sql.find("\";").unwrap_or(sql.len())];
        let lines: Vec<&str> = lines.as_array().unwrap().iter().filter_map(Value::as_str).collect();
        // Subqueries materialised or run as co-routines: their own plan lines are checked.
        let materialised: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("MATERIALIZE ").or_else(|| l.strip_prefix("CO-ROUTINE ")))
            .collect();
        for line in &lines {
            if line.starts_with("ERROR") {
                problems.push(format!("{name}: {line}"));
            } else if let Some(why) = full_scan(line, sql.contains("LIMIT"), &materialised) {
                problems.push(format!("{name}: {why} ({line})"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_check_recognises_a_full_scan() {
    assert!(full_scan("SCAN m", false, &[]).is_some());
    assert!(full_scan("SCAN summaries USING INDEX summaries_by_created", false, &[]).is_some());
    assert_eq!(full_scan("SCAN summaries USING INDEX summaries_by_created", true, &[]), None);
    assert_eq!(full_scan("SEARCH m USING INDEX meetings_by_date (local_date>?)", false, &[]), None);
    assert_eq!(full_scan("SCAN councils", false, &[]), None);
    assert_eq!(full_scan("SCAN search_text VIRTUAL TABLE INDEX 0:=", false, &[]), None);
    assert!(full_scan("SCAN search_text VIRTUAL TABLE INDEX 0:", false, &[]).is_some());
    assert_eq!(full_scan("SCAN hits", false, &["hits"]), None);
    assert!(full_scan("SCAN meetings", false, &["hits"]).is_some());
}

/// Each typed read's row struct names exactly its query's columns: a column
/// renamed, added or dropped on one side only fails here, not as an empty
/// field on a page.
#[test]
fn every_typed_read_names_its_columns() {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new("python3")
        .arg(format!("{root}/tests/support/query_plans.py"))
        .arg(root)
        .arg("--columns")
        .output()
        .expect("python3 runs the planner");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let columns: Value = serde_json::from_slice(&output.stdout).unwrap();
    let reads = council_digest::storage::rows::typed_reads();
    assert!(reads.len() >= 8, "{reads:?}");
    for (query, fields) in reads {
        let mut columns: Vec<&str> = columns[query]
            .as_array()
            .unwrap_or_else(|| panic!("{query} is not a SELECT in queries.rs"))
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let mut fields = fields.to_vec();
        columns.sort_unstable();
        fields.sort_unstable();
        assert_eq!(columns, fields, "{query}: columns against the row struct's fields");
    }
}

//! A local stand-in for postcodes.io, answering as its documentation shows:
//! `GET /postcodes/{postcode}` with names and `codes` (GSS), `GET
//! /outcodes/{outcode}` with lists of names, and 404 with an error for
//! unknown ones. The postcodes are real council offices; districts and
//! counties carry their real GSS codes (`uk_councils.csv`). Ward codes are
//! illustrative.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::http::{bind, serve_listener, Answer, Request};

use serde_json::{json, Value};

/// Coventry's Council House: a metropolitan borough, no county.
pub const COVENTRY_POSTCODE: &str = "CV1 5RR";
/// Kent's County Hall in Maidstone: a district and a county.
pub const MAIDSTONE_POSTCODE: &str = "ME14 1XQ";

fn postcode(code: &str) -> Option<Value> {
    let (district, district_gss, county, county_gss, ward, ward_gss) = match code {
        "CV1 5RR" => ("Coventry", "E08000026", Value::Null, "E99999999", "St Michael's", "E05001229"),
        "ME14 1XQ" => ("Maidstone", "E07000110", json!("Kent"), "E10000016", "High Street", "E05015992"),
        "CV34 4RL" => {
            ("Warwick", "E07000222", json!("Warwickshire"), "E10000031", "Warwick All Saints & Woodloes", "E05012622")
        }
        _ => return None,
    };
    let (outcode, incode) = code.split_once(' ').unwrap();
    Some(json!({
        "status": 200,
        "result": {
            "postcode": code, "outcode": outcode, "incode": incode, "quality": 1,
            "country": "England", "region": "West Midlands",
            "admin_district": district, "admin_county": county, "admin_ward": ward,
            "parish": format!("{district}, unparished area"),
            "codes": {
                "admin_district": district_gss, "admin_county": county_gss, "admin_ward": ward_gss,
                "parish": "E43000001", "ced": "E99999999"
            }
        }
    }))
}

fn outcode(code: &str) -> Option<Value> {
    let (districts, counties, wards) = match code {
        "CV1" => (vec!["Coventry"], vec![], vec!["St Michael's", "Foleshill"]),
        "CV7" => (
            vec!["North Warwickshire", "Coventry", "Nuneaton and Bedworth"],
            vec!["Warwickshire"],
            vec!["Fillongley", "Bablake"],
        ),
        _ => return None,
    };
    Some(json!({
        "status": 200,
        "result": {
            "outcode": code, "admin_district": districts, "admin_county": counties,
            "admin_ward": wards, "parish": [], "country": ["England"]
        }
    }))
}

#[derive(Clone)]
pub struct FakePostcodes {
    port: u16,
    failing: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
    targets: Arc<Mutex<Vec<String>>>,
}

impl FakePostcodes {
    pub fn start() -> Self {
        let (listener, port) = bind(0);
        let server = Self { port, failing: Arc::default(), requests: Arc::default(), targets: Arc::default() };
        let handler = server.clone();
        serve_listener(listener, move |request| handler.handle(request));
        server
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// While set, every answer is a 502 from a proxy in front of the service.
    pub fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Requests whose path contains `needle` (any case, spaces as `%20`), so
    /// that tests running side by side count only their own.
    pub fn requests_for(&self, needle: &str) -> usize {
        let needle = needle.to_ascii_uppercase().replace(' ', "%20");
        self.targets.lock().unwrap().iter().filter(|t| t.to_ascii_uppercase().contains(&needle)).count()
    }

    fn handle(&self, request: Request) -> Answer {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let target = request.path;
        self.targets.lock().unwrap().push(target.clone());
        let decoded = target.replace("%20", " ");
        let (status, body) = if self.failing.load(Ordering::SeqCst) {
            (502, "<html><body><h1>502 Bad Gateway</h1></body></html>".to_string())
        } else if let Some(code) = decoded.strip_prefix("/postcodes/") {
            match postcode(&code.to_ascii_uppercase()) {
                Some(answer) => (200, answer.to_string()),
                None => (404, json!({"status": 404, "error": "Postcode not found"}).to_string()),
            }
        } else if let Some(code) = decoded.strip_prefix("/outcodes/") {
            match outcode(&code.to_ascii_uppercase()) {
                Some(answer) => (200, answer.to_string()),
                None => (404, json!({"status": 404, "error": "Outcode not found"}).to_string()),
            }
        } else {
            (404, json!({"status": 404, "error": "Resource not found"}).to_string())
        };
        let content_type = if status == 502 { "text/html" } else { "application/json; charset=utf-8" };
        Answer::new(status, content_type, body)
    }
}

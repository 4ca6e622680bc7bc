//! The answers of postcodes.io (`GET /postcodes/{postcode}`,
//! `GET /outcodes/{outcode}`), read into the areas that name councils.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An area a postcode lies in: its name, and its GSS code where given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub name: String,
    pub gss_code: Option<String>,
}

/// What a look-up found: for a full postcode one district (or unitary
/// council), perhaps a county, and one ward; for an outcode every district,
/// county and ward it reaches (names only: the service gives no codes there).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Areas {
    pub districts: Vec<Area>,
    pub counties: Vec<Area>,
    pub wards: Vec<Area>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// The service does not know the postcode (an answer; may be cached briefly).
    NotFound,
    /// The service failed or answered something that is not its answer (never cached).
    Service(String),
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound => write!(f, "no such postcode"),
            Self::Service(detail) => write!(f, "the postcode service failed: {detail}"),
        }
    }
}

/// GSS codes the service uses for "none" (e.g. no county in a unitary area).
fn real_code(code: Option<&str>) -> Option<String> {
    code.filter(|c| !c.is_empty() && !c.ends_with("99999999")).map(str::to_string)
}

fn answer(status: u16, body: &str) -> Result<Value, LookupError> {
    let value: Value = serde_json::from_str(body)
        .map_err(|_| LookupError::Service(format!("HTTP {status} with an answer that is not JSON")))?;
    match (status, value["status"].as_u64()) {
        (200, Some(200)) if value["result"].is_object() => Ok(value["result"].clone()),
        (404, _) => Err(LookupError::NotFound),
        _ => Err(LookupError::Service(format!("HTTP {status}"))),
    }
}

/// `GET /postcodes/{postcode}`: names in `result`, GSS codes in `result.codes`.
pub fn parse_postcode(status: u16, body: &str) -> Result<Areas, LookupError> {
    let result = answer(status, body)?;
    let area = |field: &str| {
        let name = result[field].as_str().filter(|n| !n.trim().is_empty())?;
        Some(Area { name: name.trim().to_string(), gss_code: real_code(result["codes"][field].as_str()) })
    };
    let district = area("admin_district").ok_or_else(|| LookupError::Service("the answer names no district".into()))?;
    // A county named but coded as "none" is not a council of its own.
    let county = area("admin_county").filter(|county| county.gss_code.is_some());
    Ok(Areas {
        districts: vec![district],
        counties: county.into_iter().collect(),
        wards: area("admin_ward").into_iter().collect(),
    })
}

/// `GET /outcodes/{outcode}`: lists of names.
pub fn parse_outcode(status: u16, body: &str) -> Result<Areas, LookupError> {
    let result = answer(status, body)?;
    let names = |field: &str| -> Vec<Area> {
        result[field]
            .as_array()
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|n| !n.trim().is_empty())
                    .map(|n| Area { name: n.trim().to_string(), gss_code: None })
                    .collect()
            })
            .unwrap_or_default()
    };
    let districts = names("admin_district");
    if districts.is_empty() {
        return Err(LookupError::Service("the answer names no district".into()));
    }
    Ok(Areas { districts, counties: names("admin_county"), wards: names("admin_ward") })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COVENTRY: &str = r#"{"status":200,"result":{"postcode":"CV1 5RR","outcode":"CV1","country":"England",
        "admin_district":"Coventry","admin_county":null,"admin_ward":"St Michael's",
        "codes":{"admin_district":"E08000026","admin_county":"E99999999","admin_ward":"E05001229"}}}"#;
    const MAIDSTONE: &str = r#"{"status":200,"result":{"postcode":"ME14 1XQ","admin_district":"Maidstone",
        "admin_county":"Kent","admin_ward":"High Street",
        "codes":{"admin_district":"E07000110","admin_county":"E10000016","admin_ward":"E05015992"}}}"#;

    #[test]
    fn a_postcode_names_its_district_county_and_ward() {
        let areas = parse_postcode(200, COVENTRY).unwrap();
        assert_eq!(areas.districts, vec![Area { name: "Coventry".into(), gss_code: Some("E08000026".into()) }]);
        assert!(areas.counties.is_empty(), "a unitary area has no county council");
        assert_eq!(areas.wards[0].name, "St Michael's");
        let areas = parse_postcode(200, MAIDSTONE).unwrap();
        assert_eq!(areas.counties, vec![Area { name: "Kent".into(), gss_code: Some("E10000016".into()) }]);
    }

    #[test]
    fn an_outcode_names_every_district_it_reaches() {
        let body = r#"{"status":200,"result":{"outcode":"CV7","admin_district":["North Warwickshire","Coventry"],
            "admin_county":["Warwickshire"],"admin_ward":["Fillongley","Bablake"]}}"#;
        let areas = parse_outcode(200, body).unwrap();
        assert_eq!(areas.districts.len(), 2);
        assert_eq!(areas.counties[0].name, "Warwickshire");
        assert!(areas.districts.iter().all(|d| d.gss_code.is_none()));
    }

    #[test]
    fn unknown_postcodes_and_failures_are_told_apart() {
        let unknown = r#"{"status":404,"error":"Postcode not found"}"#;
        assert_eq!(parse_postcode(404, unknown), Err(LookupError::NotFound));
        assert_eq!(parse_outcode(404, r#"{"status":404,"error":"Outcode not found"}"#), Err(LookupError::NotFound));
        assert!(matches!(parse_postcode(500, "<html>Server Error</html>"), Err(LookupError::Service(_))));
        assert!(matches!(parse_postcode(502, r#"{"status":502}"#), Err(LookupError::Service(_))));
        assert!(matches!(parse_postcode(200, r#"{"status":200,"result":null}"#), Err(LookupError::Service(_))));
        assert!(matches!(parse_postcode(200, r#"{"status":200,"result":{}}"#), Err(LookupError::Service(_))));
    }
}

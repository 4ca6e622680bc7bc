//! The council registry as residents meet it: what kind of council each is
//! (from its GSS code), which councils govern the areas a postcode lies in,
//! and finding a council by name.

use serde::Serialize;

use super::postcodes_io::{Area, Areas};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CouncilKind {
    County,
    District,
    Unitary,
    MetropolitanBorough,
    LondonBorough,
    ScottishCouncil,
    WelshCouncil,
    NorthernIrelandDistrict,
    Other,
}

impl CouncilKind {
    /// From the GSS code's entity prefix (E10 county, E07 district, ...).
    pub fn of(gss_code: Option<&str>) -> Self {
        match gss_code.and_then(|code| code.get(..3)) {
            Some("E10") => Self::County,
            Some("E07") => Self::District,
            Some("E06") => Self::Unitary,
            Some("E08") => Self::MetropolitanBorough,
            Some("E09") => Self::LondonBorough,
            Some("S12") => Self::ScottishCouncil,
            Some("W06") => Self::WelshCouncil,
            Some("N09") => Self::NorthernIrelandDistrict,
            _ => Self::Other,
        }
    }

    /// One council of the kind, in a sentence.
    pub fn singular(self) -> &'static str {
        match self {
            Self::County => "county council",
            Self::District | Self::NorthernIrelandDistrict => "district council",
            Self::Unitary => "unitary authority",
            Self::MetropolitanBorough => "metropolitan borough council",
            Self::LondonBorough => "London borough council",
            Self::ScottishCouncil | Self::WelshCouncil | Self::Other => "council",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::County => "County councils",
            Self::District => "District councils",
            Self::Unitary => "Unitary authorities",
            Self::MetropolitanBorough => "Metropolitan boroughs",
            Self::LondonBorough => "London boroughs",
            Self::ScottishCouncil => "Councils",
            Self::WelshCouncil => "Principal councils",
            Self::NorthernIrelandDistrict => "District councils",
            Self::Other => "Other councils",
        }
    }
}

/// What the look-up needs to know of a registered council.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilRef {
    pub id: String,
    pub name: String,
    pub gss_code: Option<String>,
}

/// Lower-case words of a name without the words every council name has, so
/// "City of Cardiff Council" and the area "Cardiff" compare equal.
pub fn core_name(name: &str) -> String {
    const GENERIC: &[&str] =
        &["council", "city", "county", "borough", "district", "metropolitan", "royal", "of", "the", "and"];
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !GENERIC.contains(&w.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The registered council for an area: by GSS code when the answer has one,
/// else by name among councils of a fitting kind (a county for a county, any
/// other for a district, so a defunct county never stands for today's unitary).
fn council_for<'a>(area: &Area, county: bool, registry: &'a [CouncilRef]) -> Option<&'a CouncilRef> {
    if let Some(code) = &area.gss_code {
        return registry.iter().find(|c| c.gss_code.as_deref() == Some(code.as_str()));
    }
    let wanted = core_name(&area.name);
    registry.iter().find(|c| {
        let is_county = CouncilKind::of(c.gss_code.as_deref()) == CouncilKind::County;
        is_county == county && core_name(&c.name) == wanted
    })
}

/// The councils that govern the areas: districts or unitary councils first,
/// then counties; each once.
pub fn governing<'a>(areas: &Areas, registry: &'a [CouncilRef]) -> Vec<&'a CouncilRef> {
    let mut found: Vec<&CouncilRef> = Vec::new();
    let candidates = areas.districts.iter().map(|a| (a, false)).chain(areas.counties.iter().map(|a| (a, true)));
    for council in candidates.filter_map(|(area, county)| council_for(area, county, registry)) {
        if !found.iter().any(|f| f.id == council.id) {
            found.push(council);
        }
    }
    found
}

/// Whether two ward names are the same ward as councils and the postcode
/// service spell them: case, punctuation, "&" for "and" and a trailing
/// "Ward" do not matter.
pub fn same_ward(a: &str, b: &str) -> bool {
    let words = |name: &str| -> Vec<String> {
        let mut words: Vec<String> = name
            .replace('&', " and ")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.last().is_some_and(|w| w == "ward") {
            words.pop();
        }
        words
    };
    let (a, b) = (words(a), words(b));
    !a.is_empty() && a == b
}

/// Whether a council's name contains what was typed (letters and digits only,
/// any case), e.g. "warwick" finds Warwick District and Warwickshire County.
pub fn name_matches(query: &str, name: &str) -> bool {
    let squash =
        |text: &str| text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let query = squash(query);
    !query.is_empty() && squash(name).contains(&query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn council(id: &str, name: &str, gss: &str) -> CouncilRef {
        CouncilRef { id: id.into(), name: name.into(), gss_code: Some(gss.into()) }
    }

    fn registry() -> Vec<CouncilRef> {
        vec![
            council("coventry", "Coventry City Council", "E08000026"),
            council("kent", "Kent County Council", "E10000016"),
            council("maidstone", "Maidstone Borough Council", "E07000110"),
            council("north-warwickshire", "North Warwickshire Borough Council", "E07000218"),
            council("warwickshire", "Warwickshire County Council", "E10000031"),
            council("dorset-dor", "Dorset County Council", "E10000009"),
            council("dorset", "Dorset Council", "E06000059"),
            council("cardiff", "City of Cardiff Council", "W06000015"),
        ]
    }

    fn area(name: &str, gss: Option<&str>) -> Area {
        Area { name: name.into(), gss_code: gss.map(str::to_string) }
    }

    #[test]
    fn kinds_come_from_gss_codes() {
        assert_eq!(CouncilKind::of(Some("E10000016")), CouncilKind::County);
        assert_eq!(CouncilKind::of(Some("E07000110")), CouncilKind::District);
        assert_eq!(CouncilKind::of(Some("S12000036")), CouncilKind::ScottishCouncil);
        assert_eq!(CouncilKind::of(None), CouncilKind::Other);
    }

    #[test]
    fn a_postcode_in_a_two_tier_area_has_two_councils() {
        let registry = registry();
        let areas = Areas {
            districts: vec![area("Maidstone", Some("E07000110"))],
            counties: vec![area("Kent", Some("E10000016"))],
            wards: vec![],
        };
        let ids: Vec<&str> = governing(&areas, &registry).iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["maidstone", "kent"]);
    }

    #[test]
    fn outcodes_match_by_name_and_kind() {
        let registry = registry();
        let areas = Areas {
            districts: vec![area("North Warwickshire", None), area("Coventry", None), area("Dorset", None)],
            counties: vec![area("Warwickshire", None)],
            wards: vec![],
        };
        let ids: Vec<&str> = governing(&areas, &registry).iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["north-warwickshire", "coventry", "dorset", "warwickshire"]);
        assert_eq!(core_name("City of Cardiff Council"), "cardiff");
    }

    #[test]
    fn unknown_areas_name_no_council() {
        let areas = Areas { districts: vec![area("Atlantis", Some("E07999999"))], ..Default::default() };
        assert!(governing(&areas, &registry()).is_empty());
    }

    #[test]
    fn ward_names_match_however_spelt() {
        assert!(same_ward("St Michael's", "St Michael's"));
        assert!(same_ward("St. Michael's Ward", "st michael s"));
        assert!(same_ward("Warwick All Saints & Woodloes", "Warwick All Saints and Woodloes"));
        assert!(!same_ward("Bablake", "Binley and Willenhall"));
        assert!(!same_ward("", ""));
    }

    #[test]
    fn councils_are_found_by_part_of_their_name() {
        assert!(name_matches("warwick", "Warwickshire County Council"));
        assert!(name_matches("North  Warwick", "North Warwickshire Borough Council"));
        assert!(!name_matches("kent", "Coventry City Council"));
        assert!(!name_matches("  ", "Coventry City Council"));
    }
}

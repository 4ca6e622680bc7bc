//! Email alerts, the parts that need no runtime: what a subscriber asked for
//! (committees, keywords, how often), whether a meeting matches it, the
//! address's key, and the signed, expiring tokens in confirmation, manage and
//! unsubscribe links.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How long a confirmation link works, and how long an unconfirmed
/// subscription is kept before it is deleted.
pub const CONFIRM_HOURS: i64 = 48;
/// How long a manage or unsubscribe link in an email works; every email
/// carries fresh ones, so only a months-old email's links have lapsed.
pub const LINK_DAYS: i64 = 90;
/// At most this many keywords, each of at most `KEYWORD_CHARS` characters.
pub const MAX_KEYWORDS: usize = 10;
pub const KEYWORD_CHARS: usize = 60;
/// How long the record of an email is kept: the daily cap needs a day of
/// them, and a week's digest must not be sent twice in its week.
pub const EMAIL_RECORD_DAYS: i64 = 14;
/// Confirmation (or manage-link) emails to one mailbox in a day, whatever the councils.
pub const CONFIRMATIONS_PER_ADDRESS_PER_DAY: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// A meeting's summary published or remade (the first one announces its agenda).
    Immediate,
    /// The council's weekly digest.
    Weekly,
}

impl Frequency {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "immediate" => Some(Self::Immediate),
            "weekly" => Some(Self::Weekly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Immediate => "immediate",
            Self::Weekly => "weekly",
        }
    }
}

/// What a subscriber follows of one council.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// Committee ids; empty: every committee.
    pub committees: Vec<String>,
    /// Lower-cased words or phrases; empty: everything.
    pub keywords: Vec<String>,
    pub frequency: Frequency,
}

/// A checked address: trimmed, its domain lower-cased. Deliberately plain:
/// the confirmation email is the real test of an address.
pub fn check_address(raw: &str) -> Result<String, String> {
    let address = raw.trim();
    let invalid = || "enter an email address such as name@example.org".to_string();
    if address.is_empty() || address.len() > 254 {
        return Err(invalid());
    }
    let (local, domain) = address.rsplit_once('@').ok_or_else(invalid)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !local_ok || !domain_ok {
        return Err(invalid());
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// Mail domains whose provider delivers `first.last@` and `firstlast@` to one mailbox.
const DOTS_IGNORED: [&str; 2] = ["gmail.com", "googlemail.com"];

/// The mailbox an address is delivered to, as providers deliver: lower-cased,
/// a `+tag` removed, and dots in the local part removed where the provider
/// ignores them (`googlemail.com` is `gmail.com`). `victim+1@` and
/// `v.i.c.t.i.m@gmail.com` are the same person's inbox, so they share caps.
pub fn mailbox(address: &str) -> String {
    let lower = address.trim().to_lowercase();
    let Some((local, domain)) = lower.rsplit_once('@') else { return lower };
    let local = local.split_once('+').map_or(local, |(before, _)| before);
    if DOTS_IGNORED.contains(&domain) {
        format!("{}@gmail.com", local.replace('.', ""))
    } else {
        format!("{local}@{domain}")
    }
}

/// The key an address is known by in look-ups and caps: an HMAC of its
/// mailbox, so one inbox is one subscriber however the address is typed or
/// tagged, and the key alone does not give the address away.
pub fn address_key(secret: &[u8], address: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(mailbox(address).as_bytes());
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Keywords as typed (comma- or line-separated): trimmed, lower-cased,
/// deduplicated; each must hold a letter or digit.
pub fn parse_keywords(raw: &str) -> Result<Vec<String>, String> {
    let mut keywords: Vec<String> = Vec::new();
    for part in raw.split([',', '\n', ';']) {
        let words = words(part);
        if words.is_empty() {
            if part.trim().is_empty() {
                continue;
            }
            return Err(format!("the keyword {:?} has no letters or digits", part.trim()));
        }
        let keyword = words.join(" ");
        if keyword.chars().count() > KEYWORD_CHARS {
            return Err(format!("a keyword may be at most {KEYWORD_CHARS} characters long"));
        }
        if !keywords.contains(&keyword) {
            keywords.push(keyword);
        }
    }
    if keywords.len() > MAX_KEYWORDS {
        return Err(format!("at most {MAX_KEYWORDS} keywords"));
    }
    Ok(keywords)
}

/// Lower-cased runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The keywords found in the texts as whole words (a phrase as consecutive
/// words), ignoring case: "park" is not found in "parking", "car park" is in
/// "Car-park charges".
pub fn matching_keywords(keywords: &[String], texts: &[&str]) -> Vec<String> {
    let haystacks: Vec<Vec<String>> = texts.iter().map(|t| words(t)).collect();
    keywords
        .iter()
        .filter(|keyword| {
            let needle = words(keyword);
            !needle.is_empty()
                && haystacks.iter().any(|words| words.windows(needle.len()).any(|window| window == needle.as_slice()))
        })
        .cloned()
        .collect()
}

/// Whether a meeting of `committee_id` whose text is `texts` is for this
/// subscriber; answers the keywords it matched (none when none were asked for).
pub fn meeting_matches(preferences: &Preferences, committee_id: &str, texts: &[&str]) -> Option<Vec<String>> {
    if !preferences.committees.is_empty() && !preferences.committees.iter().any(|c| c == committee_id) {
        return None;
    }
    if preferences.keywords.is_empty() {
        return Some(Vec::new());
    }
    let found = matching_keywords(&preferences.keywords, texts);
    (!found.is_empty()).then_some(found)
}

/// What a link's token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    Manage,
    Unsubscribe,
}

impl Purpose {
    fn tag(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Manage => "manage",
            Self::Unsubscribe => "unsubscribe",
        }
    }

    /// How long a token of this purpose made now works, in seconds.
    pub fn lifetime_seconds(self) -> i64 {
        match self {
            Self::Confirm => CONFIRM_HOURS * 3600,
            Self::Manage | Self::Unsubscribe => LINK_DAYS * 86_400,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// Not one of ours, altered, or for another purpose.
    Invalid,
    Expired,
}

/// `<subscription>.<expiry>.<signature>`: the signature is an HMAC-SHA256
/// over purpose, subscription and expiry (unix seconds), so a token names one
/// subscription for one purpose until it expires, and cannot be altered.
pub fn sign_token(secret: &[u8], purpose: Purpose, subscription_id: &str, expires_at: i64) -> String {
    let signature = token_mac(secret, purpose, subscription_id, expires_at);
    format!("{subscription_id}.{expires_at}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The subscription a token names, if it is genuine, of this purpose, and not expired at `now`.
pub fn verify_token(secret: &[u8], token: &str, purpose: Purpose, now: i64) -> Result<String, TokenError> {
    let mut parts = token.trim().splitn(3, '.');
    let (Some(subscription_id), Some(expires_at), Some(signature)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Invalid);
    };
    let expires_at: i64 = expires_at.parse().map_err(|_| TokenError::Invalid)?;
    let given = URL_SAFE_NO_PAD.decode(signature).map_err(|_| TokenError::Invalid)?;
    let expected = token_mac(secret, purpose, subscription_id, expires_at);
    if !constant_time_eq::constant_time_eq(&given, &expected) {
        return Err(TokenError::Invalid);
    }
    if now >= expires_at {
        return Err(TokenError::Expired);
    }
    Ok(subscription_id.to_string())
}

fn token_mac(secret: &[u8], purpose: Purpose, subscription_id: &str, expires_at: i64) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("council-digest alerts|{}|{subscription_id}|{expires_at}", purpose.tag()).as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// A subscription's id from 16 random bytes.
pub fn subscription_id(random: &[u8]) -> String {
    format!("sub_{}", hex(random))
}

/// An email's id, derived from its subscription, its kind and what it tells
/// of (a meeting's summary version, a week): the same happening told twice is
/// recorded, and sent, once.
pub fn delivery_id(subscription_id: &str, kind: &str, key: &str) -> String {
    let digest = crate::hash::sha256_hex(format!("{subscription_id}|{kind}|{key}").as_bytes());
    format!("em_{}", &digest[..24])
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a test secret of some length";

    #[test]
    fn addresses_are_checked_and_keyed_case_blind() {
        assert_eq!(check_address("  Ann.Smith+alerts@Example.ORG ").unwrap(), "Ann.Smith+alerts@example.org");
        for bad in ["", "ann", "ann@", "@example.org", "ann@example", "ann smith@example.org", "a@b..org", "a<b>@x.org"]
        {
            assert!(check_address(bad).is_err(), "{bad:?}");
        }
        assert!(check_address(&format!("{}@example.org", "a".repeat(65))).is_err());
        assert_eq!(address_key(SECRET, "Ann@Example.org"), address_key(SECRET, "ann@example.org "));
        assert_ne!(address_key(SECRET, "ann@example.org"), address_key(SECRET, "bob@example.org"));
        assert_ne!(address_key(b"another secret", "ann@example.org"), address_key(SECRET, "ann@example.org"));
        assert!(!address_key(SECRET, "ann@example.org").contains("ann"));
    }

    #[test]
    fn one_inbox_is_one_key_however_its_address_is_tagged() {
        assert_eq!(mailbox("Victim+1@Example.org"), "victim@example.org");
        assert_eq!(mailbox("victim+a+b@example.org"), "victim@example.org");
        assert_eq!(mailbox("V.I.C.T.I.M+x@googlemail.com"), "victim@gmail.com");
        assert_eq!(mailbox("first.last@example.org"), "first.last@example.org", "dots count elsewhere");
        let key = |a| address_key(SECRET, a);
        assert_eq!(key("victim+1@example.org"), key("victim@example.org"));
        assert_eq!(key("victim+2@EXAMPLE.org"), key("victim+1@example.org"));
        assert_eq!(key("vic.tim@gmail.com"), key("victim+news@googlemail.com"));
        assert_ne!(key("vic.tim@example.org"), key("victim@example.org"));
    }

    #[test]
    fn keywords_are_parsed_and_matched_as_whole_words() {
        let keywords = parse_keywords("Parking, car park;\nHS2 , parking,  ").unwrap();
        assert_eq!(keywords, vec!["parking", "car park", "hs2"]);
        assert!(parse_keywords("---").is_err());
        let eleven: Vec<String> = (0..11).map(|i| format!("word{i}")).collect();
        assert!(parse_keywords(&eleven.join(",")).is_err());
        assert!(parse_keywords(&"long ".repeat(20)).is_err());
        assert_eq!(parse_keywords("").unwrap(), Vec::<String>::new());

        let texts = ["Car-park charges 2026/27", "Report of the Director of Streetscene"];
        assert_eq!(matching_keywords(&keywords, &texts), vec!["car park"]);
        assert!(matching_keywords(&["park".into()], &["Parking permits"]).is_empty(), "not inside a word");
        assert_eq!(matching_keywords(&["hs2".into()], &["the HS2 line"]), vec!["hs2"]);
        assert_eq!(matching_keywords(&["car park".into()], &["CAR. Park"]).len(), 1, "punctuation is not a word");
        assert!(matching_keywords(&["car park".into()], &["car, and a park"]).is_empty(), "a phrase's words together");
        assert!(matching_keywords(&["park car".into()], &["car park"]).is_empty(), "a phrase in order");
    }

    #[test]
    fn meetings_match_by_committee_then_keywords() {
        let everything = Preferences { committees: vec![], keywords: vec![], frequency: Frequency::Immediate };
        assert_eq!(meeting_matches(&everything, "c-1", &["anything"]), Some(vec![]));
        let cabinet = Preferences { committees: vec!["c-1".into()], ..everything.clone() };
        assert_eq!(meeting_matches(&cabinet, "c-2", &["anything"]), None);
        let parking = Preferences { keywords: vec!["parking".into()], ..cabinet };
        assert_eq!(meeting_matches(&parking, "c-1", &["Budget", "Parking charges"]), Some(vec!["parking".into()]));
        assert_eq!(meeting_matches(&parking, "c-1", &["Budget"]), None);
    }

    #[test]
    fn tokens_are_signed_for_one_purpose_and_expire() {
        let token = sign_token(SECRET, Purpose::Confirm, "sub_ab12", 1_000);
        assert_eq!(verify_token(SECRET, &token, Purpose::Confirm, 999), Ok("sub_ab12".into()));
        assert_eq!(verify_token(SECRET, &token, Purpose::Confirm, 1_000), Err(TokenError::Expired));
        assert_eq!(verify_token(SECRET, &token, Purpose::Unsubscribe, 999), Err(TokenError::Invalid));
        assert_eq!(verify_token(b"another secret", &token, Purpose::Confirm, 999), Err(TokenError::Invalid));
        // Altering the subscription or the expiry breaks the signature.
        let forged = token.replacen("sub_ab12", "sub_ab13", 1);
        assert_eq!(verify_token(SECRET, &forged, Purpose::Confirm, 999), Err(TokenError::Invalid));
        let later = token.replacen(".1000.", ".9999.", 1);
        assert_eq!(verify_token(SECRET, &later, Purpose::Confirm, 999), Err(TokenError::Invalid));
        for junk in ["", "a.b", "a.b.c", "sub_ab12.1000.!!!"] {
            assert_eq!(verify_token(SECRET, junk, Purpose::Confirm, 0), Err(TokenError::Invalid), "{junk:?}");
        }
        assert_eq!(Purpose::Confirm.lifetime_seconds(), 48 * 3600);
    }

    #[test]
    fn delivery_ids_name_one_happening() {
        assert_eq!(delivery_id("sub_1", "meeting", "m:3"), delivery_id("sub_1", "meeting", "m:3"));
        assert_ne!(delivery_id("sub_1", "meeting", "m:3"), delivery_id("sub_1", "meeting", "m:4"));
        assert_ne!(delivery_id("sub_1", "meeting", "m:3"), delivery_id("sub_2", "meeting", "m:3"));
        assert!(delivery_id("s", "k", "x").starts_with("em_"));
        assert_eq!(subscription_id(&[0xab; 16]).len(), 4 + 32);
    }
}
